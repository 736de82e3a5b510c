"""pestor.exports: CSV for Polish Excel and XLSX, where no text cell can start a formula."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from pestor.exports import (
    DATE,
    NUMBER,
    TEXT,
    Column,
    csv_cell,
    csv_lines,
    escape_text,
    export_response,
    xlsx_bytes,
)

COLUMNS = (
    Column(gettext_lazy("Name"), lambda row: row["text"]),
    Column(gettext_lazy("Value"), lambda row: row["number"], NUMBER),
    Column(gettext_lazy("Date"), lambda row: row["date"], DATE),
)


def read_csv(lines) -> list[list[str]]:
    content = "".join(lines).encode("utf-8")
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content[3:].decode(), newline=""), delimiter=";"))


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\x01=1", "'=1"),  # a control character cannot hide the "="
        ("Liczba osób", "Liczba osób"),
        ("1 = 1", "1 = 1"),
        ("", ""),
    ],
)
def test_text_that_would_start_a_formula_gets_an_apostrophe(text, escaped):
    assert escape_text(text) == escaped


@pytest.mark.parametrize(
    ("value", "kind", "cell"),
    [
        (None, NUMBER, ""),
        (None, TEXT, ""),
        (None, DATE, ""),
        (12, NUMBER, "12"),
        (-3, NUMBER, "-3"),  # a negative number is a number, not escaped
        (Decimal("1234.50"), NUMBER, "1234,50"),
        (Decimal("-2.5"), NUMBER, "-2,5"),
        (Decimal("1E+2"), NUMBER, "100"),
        (0.25, NUMBER, "0,25"),
        (date(2026, 3, 9), DATE, "09.03.2026"),
        (datetime(2026, 3, 9, 11, 5, tzinfo=UTC), DATE, "09.03.2026 12:05"),  # Warsaw time
        ("-5", NUMBER, "'-5"),  # text in a number column is text
        ("=1", DATE, "'=1"),
        (Decimal("3.5"), TEXT, "3.5"),
        (True, NUMBER, "True"),
    ],
)
def test_csv_cells_are_what_excel_in_polish_reads(value, kind, cell):
    assert csv_cell(value, kind) == cell


def test_csv_has_a_bom_semicolons_and_a_translated_header():
    rows = [
        {"text": "=1+1", "number": Decimal("-1.50"), "date": date(2026, 1, 2)},
        {"text": "Zwykły; tekst", "number": None, "date": None},
    ]
    with translation.override("en"):
        lines = list(csv_lines(rows=rows, columns=COLUMNS))

    assert lines[0].startswith("\ufeff")
    assert lines[0].endswith("\r\n")
    assert read_csv(lines) == [
        ["Name", "Value", "Date"],
        ["'=1+1", "-1,50", "02.01.2026"],
        ["Zwykły; tekst", "", ""],
    ]


def test_xlsx_has_real_numbers_and_dates_and_no_formula():
    rows = [
        {"text": '=HYPERLINK("http://evil","x")', "number": Decimal("-2.5"), "date": None},
        {"text": "@SUM(1)", "number": 7, "date": date(2026, 5, 31)},
        {"text": "\rCR", "number": 0.5, "date": datetime(2026, 5, 31, 22, 30, tzinfo=UTC)},
        {"text": None, "number": "n/d", "date": "-"},
    ]

    sheet = read_xlsx(xlsx_bytes(rows=rows, columns=COLUMNS, title="Rok: 2026/27"))

    assert sheet.title == "Rok  2026 27"
    assert sheet.freeze_panes == "A2"
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values == [
        ('\'=HYPERLINK("http://evil","x")', -2.5, None),
        ("'@SUM(1)", 7, datetime(2026, 5, 31)),
        ("'\nCR", 0.5, datetime(2026, 6, 1, 0, 30)),  # Warsaw time, without a zone
        (None, "n/d", "'-"),
    ]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet["C3"].number_format == "DD.MM.YYYY"
    assert sheet["C4"].number_format == "DD.MM.YYYY HH:MM"


def test_xlsx_drops_characters_it_cannot_hold():
    rows = [{"text": "a\x00b\x1fc", "number": None, "date": None}]

    sheet = read_xlsx(xlsx_bytes(rows=rows, columns=COLUMNS))

    assert sheet["A2"].value == "abc"


def test_the_csv_response_is_streamed_as_a_download():
    rows = ({"text": f"wiersz {n}", "number": n, "date": None} for n in range(1000))

    response = export_response(rows=rows, columns=COLUMNS, filename="wskaźniki-2026", fmt="csv")

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert "wska%C5%BAniki-2026.csv" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(read_csv(b"".join(response.streaming_content).decode())) == 1001


def test_the_xlsx_response_is_a_download():
    response = export_response(rows=[], columns=COLUMNS, filename="tabela", fmt="xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="tabela.xlsx"'
    assert response.streaming
    assert read_xlsx(b"".join(response.streaming_content)).max_row == 1


def test_an_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError):
        export_response(rows=[], columns=COLUMNS, filename="x", fmt="ods")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_list_longer_than_the_cap_is_not_built_but_explained(client, fmt, monkeypatch):
    from directory.views import OrganisationExportView
    from tests.directory.factories import OrganisationFactory

    OrganisationFactory.create_batch(4)
    url = reverse("directory:organisation-export", args=[fmt])
    with monkeypatch.context() as patch:
        patch.setattr(OrganisationExportView, "max_rows", 3)
        response = client.get(url, headers={"referer": "http://evil.example/"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "Zawęź listę filtrami" in content
    assert "evil.example" not in content  # the way back stays on the portal
    # Within the cap the file is built.
    response = client.get(url)
    assert "attachment" in response["Content-Disposition"]
