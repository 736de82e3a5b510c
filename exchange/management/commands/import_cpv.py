"""Import the full Common Procurement Vocabulary from the file the EU publishes.

    python manage.py import_cpv cpv_2008.xlsx [--sheet NAME]
    python manage.py import_cpv cpv_2008.csv

The file has a header row with a CODE column ("03000000-1") and one column per language (EN,
PL, …). Every code is validated with its check digit; rows that fail are reported with their row
numbers and skipped, the rest is imported. Names are created or updated (the curated flag is
never touched), then every code gets its parent — the nearest code above it that exists — and
its level. Everything happens in one transaction, and a second run changes nothing.
"""

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from exchange import cpv
from exchange.cpv_curated import nearest_ancestor
from exchange.models import CpvCode

HEADER_SEARCH_ROWS = 20
NAME_MAX_LENGTH = CpvCode._meta.get_field("name_pl").max_length


class Command(BaseCommand):
    help = "Imports the official CPV list (XLSX or CSV as published by the EU)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file of the CPV")
        parser.add_argument("--sheet", help="the worksheet to read (XLSX; the first by default)")

    def handle(self, *args, file, sheet=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        suffix = path.suffix.lower()
        if suffix in {".xlsx", ".xlsm"}:
            rows = read_xlsx(path, sheet)
        elif suffix in {".csv", ".txt"}:
            if sheet:
                raise CommandError("--sheet applies to XLSX files only.")
            rows = read_csv(path)
        else:
            raise CommandError("Give an .xlsx or a .csv file.")

        entries, errors = parse_rows(rows)
        with transaction.atomic():
            counts = import_entries(entries)

        for row_number, message in errors:
            self.stderr.write(f"Row {row_number}: {message}")
        self.stdout.write(
            f"CPV import: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {len(errors)} skipped; "
            f"{counts['reparented']} parents or levels set."
        )


def read_xlsx(path, sheet_name):
    """Rows of the worksheet as (row number, tuple of cell values)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not XLSX
        raise CommandError(f"Cannot read {path} as an XLSX workbook: {error}") from error
    try:
        if sheet_name:
            if sheet_name not in workbook.sheetnames:
                raise CommandError(
                    f"No worksheet {sheet_name!r}; the workbook has: "
                    + ", ".join(workbook.sheetnames)
                )
            worksheet = workbook[sheet_name]
        else:
            worksheet = workbook.worksheets[0]
        # Materialised so that the workbook can be closed; the CPV is about 9 500 rows.
        return list(enumerate(worksheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def read_csv(path):
    """Rows of a UTF-8 CSV (with or without BOM), its delimiter sniffed among , ; and tab."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text; save it as UTF-8 CSV.") from error
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(reader.line_num, tuple(row)) for row in reader]


def _header_key(value) -> str:
    return str(value or "").strip().upper()


def find_columns(rows):
    """The index of the header row and of its CODE, PL and EN columns."""
    for position, (_row_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [_header_key(value) for value in values]
        if "CODE" in keys:
            if "PL" not in keys:
                raise CommandError("The header row has no PL column with the Polish names.")
            english = keys.index("EN") if "EN" in keys else None
            return position, keys.index("CODE"), keys.index("PL"), english
    raise CommandError(
        f"No header row with a CODE column in the first {HEADER_SEARCH_ROWS} rows of the file."
    )


def _cell(values, index) -> str:
    if index is None or index >= len(values) or values[index] is None:
        return ""
    value = values[index]
    if isinstance(value, int | float):  # a code a spreadsheet turned into a number
        return f"{int(value):08d}"
    return " ".join(str(value).split())


def parse_rows(rows):
    """Valid entries {code: (name_pl, name_en, check digit)} and errors as (row number, message)."""
    header_position, code_column, pl_column, en_column = find_columns(rows)
    entries = {}
    errors = []
    for row_number, values in rows[header_position + 1 :]:
        raw_code = _cell(values, code_column)
        name_pl = _cell(values, pl_column)
        name_en = _cell(values, en_column)
        if not raw_code and not name_pl:
            continue  # an empty line
        try:
            # The file is the authority on check digits: keep the one it gives.
            code, digit = cpv.split(raw_code)
        except ValidationError as error:
            errors.append((row_number, f"{raw_code!r}: {' '.join(error.messages)}"))
            continue
        if not name_pl:
            errors.append((row_number, f"{raw_code}: no Polish name."))
        elif code in entries:
            errors.append((row_number, f"{raw_code}: the code appears twice; kept the first."))
        elif max(len(name_pl), len(name_en)) > NAME_MAX_LENGTH:
            errors.append((row_number, f"{raw_code}: a name is over {NAME_MAX_LENGTH} characters."))
        else:
            entries[code] = (name_pl, name_en, digit or cpv.check_digit(code))
    return entries, errors


def import_entries(entries):
    """Upsert the names, then set every code's parent and level. Returns the counts."""
    existing = CpvCode.objects.in_bulk(list(entries))
    new, changed = [], []
    for code, (name_pl, name_en, digit) in entries.items():
        current = existing.get(code)
        if current is None:
            new.append(
                CpvCode(
                    code=code,
                    name_pl=name_pl,
                    name_en=name_en,
                    check_digit=digit,
                    level=cpv.level(code),
                )
            )
        elif (current.name_pl, current.name_en, current.check_digit) != (name_pl, name_en, digit):
            current.name_pl, current.name_en, current.check_digit = name_pl, name_en, digit
            changed.append(current)
    CpvCode.objects.bulk_create(new, batch_size=1000)
    CpvCode.objects.bulk_update(changed, ["name_pl", "name_en", "check_digit"], batch_size=1000)

    # Second pass over the whole table: a code imported now may be the nearest ancestor of one
    # that was there before (curated classes whose group arrives with the full list).
    everything = list(CpvCode.objects.only("code", "parent_id", "level"))
    codes = {item.code for item in everything}
    moved = []
    for item in everything:
        parent = nearest_ancestor(item.code, codes)
        level = cpv.level(item.code)
        if (item.parent_id, item.level) != (parent, level):
            item.parent_id, item.level = parent, level
            moved.append(item)
    CpvCode.objects.bulk_update(moved, ["parent", "level"], batch_size=1000)
    return {
        "created": len(new),
        "updated": len(changed),
        "unchanged": len(entries) - len(new) - len(changed),
        "reparented": len(moved),
    }
