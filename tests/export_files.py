"""Reading back the files the portal's list exports hand out, as Excel would."""

import csv
import io

from openpyxl import load_workbook

from pestor.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE


def csv_rows(response) -> list[list[str]]:
    """The CSV's rows; checks what Polish Excel needs: a stream, UTF-8 with BOM, semicolons."""
    assert response.status_code == 200
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    assert response.streaming
    assert ".csv" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert ".xlsx" in response["Content-Disposition"]
    # Sent from a temporary file in blocks, so the worker's memory stays flat.
    assert response.streaming
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    return list(workbook.active.iter_rows(values_only=True))


def column(rows, header) -> list:
    """The cells under ``header`` (the first row holds the headers)."""
    index = list(rows[0]).index(header)
    return [row[index] for row in rows[1:]]
