"""Every table the portal hands out as a file goes through here: CSV for Polish Excel and XLSX.

    COLUMNS = (
        Column(_("Indicator"), lambda row: row.name),
        Column(_("Target"), lambda row: row.target, NUMBER),
        Column(_("Measured on"), lambda row: row.date, DATE),
    )
    return export_response(rows=rows, columns=COLUMNS, filename="wskazniki", fmt="csv")

CSV is what Excel in Polish opens with a double click: semicolons between cells (the comma is
its decimal mark), decimal commas, dates as DD.MM.RRRR, UTF-8 with a byte-order mark (without
it Excel reads Polish letters as Windows-1250). It is streamed, row by row, so a large table
costs no memory. XLSX holds real numbers and dates.

No cell can start a formula ("CSV injection"): a text cell that starts with =, +, -, @, a tab
or a carriage return gets a leading apostrophe, which Excel and LibreOffice show as text, in
both formats; in XLSX the cell is also written as a string, never as a formula. Numbers and
dates are not text, so a negative number stays a number.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import get_column_letter

TEXT = "text"
NUMBER = "number"
DATE = "date"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

_DATE_FORMAT = "%d.%m.%Y"
_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
_XLSX_DATE_FORMAT = "DD.MM.YYYY"
_XLSX_DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
_XLSX_MAX_TEXT = 32_767  # characters a cell holds
_SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Column:
    """One column: its header (a gettext string), how to get the cell from a row, and what the
    cell holds (TEXT, NUMBER or DATE). A NUMBER or DATE cell whose value is something else is
    written as text, escaped like any text."""

    header: Any
    value: Callable[[Any], Any]
    kind: str = TEXT


def escape_text(value: Any) -> str:
    """The text of a cell, with an apostrophe in front if a spreadsheet would read a formula.
    Control characters (which XLSX cannot hold) are dropped first, so that none hides an "="."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return ESCAPE + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def csv_cell(value: Any, kind: str = TEXT) -> str:
    """A value as Excel in Polish reads it: decimal comma, DD.MM.RRRR, escaped text."""
    if value is None:
        return ""
    if kind == NUMBER and _is_number(value):
        if isinstance(value, int):
            return str(value)
        return format(Decimal(str(value)) if isinstance(value, float) else value, "f").replace(
            ".", ","
        )
    if kind == DATE and isinstance(value, datetime):
        return _local(value).strftime(_DATETIME_FORMAT)
    if kind == DATE and isinstance(value, date):
        return value.strftime(_DATE_FORMAT)
    return escape_text(value)


class _Echo:
    """csv.writer writes to this and gets the line back, so that rows can be streamed."""

    def write(self, line):
        return line


def csv_lines(*, rows: Iterable, columns: Sequence[Column]) -> Iterator[str]:
    """The file, line by line: byte-order mark and header first."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([escape_text(column.header) for column in columns])
    for row in rows:
        yield writer.writerow([csv_cell(column.value(row), column.kind) for column in columns])


def _xlsx_cell(sheet, value, kind):
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if kind == NUMBER and _is_number(value):
        return value
    if kind == DATE and isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, _local(value).replace(tzinfo=None))
        cell.number_format = _XLSX_DATETIME_FORMAT
        return cell
    if kind == DATE and isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = _XLSX_DATE_FORMAT
        return cell
    return _xlsx_text(sheet, value)


def _xlsx_text(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    # XML reads a carriage return as a line feed; written as one, what Excel shows is the file.
    text = escape_text(value).replace("\r\n", "\n").replace("\r", "\n")[:_XLSX_MAX_TEXT]
    cell = WriteOnlyCell(sheet, text)
    # openpyxl makes a formula of any string that starts with "="; the escape above already
    # prevents that, and a string cell stays a string whatever a later change to it.
    cell.data_type = "s"
    return cell


def sheet_title(title: str) -> str:
    return str(title).translate(_SHEET_TITLE_FORBIDDEN).strip()[:31] or "Arkusz1"


def xlsx_bytes(*, rows: Iterable, columns: Sequence[Column], title: str = "") -> bytes:
    """The workbook: one sheet, a frozen header row, numbers and dates as themselves."""
    buffer = BytesIO()
    write_xlsx(buffer, rows=rows, columns=columns, title=title)
    return buffer.getvalue()


def write_xlsx(target, *, rows: Iterable, columns: Sequence[Column], title: str = "") -> None:
    """Write the workbook into ``target`` (a binary file). openpyxl's write-only mode keeps rows
    on disk, not in memory, so a long table costs the worker no more memory than a short one."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = 40 if column.kind == TEXT else 14
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_xlsx_text(sheet, column.header) for column in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, column.value(row), column.kind) for column in columns])
    workbook.save(target)


def export_response(
    *, rows: Iterable, columns: Sequence[Column], filename: str, fmt: str, title: str = ""
):
    """The table as a download: ``filename`` (without extension) + ".csv" or ".xlsx"."""
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(rows=rows, columns=columns), content_type=CSV_CONTENT_TYPE
        )
    elif fmt == "xlsx":
        # Built in a temporary file (in memory while small, on disk beyond 1 MB) and sent from
        # there in blocks: the worker's memory stays flat however long the table.
        # FileResponse closes the file when the response is done.
        workbook = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
        write_xlsx(workbook, rows=rows, columns=columns, title=title)
        workbook.seek(0)
        response = FileResponse(workbook, content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"Unknown export format: {fmt!r}")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.{fmt}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
