"""manage.py import_cpv: the official CPV file (XLSX or CSV) into the CPV tree."""

import csv
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from exchange import cpv
from exchange.models import CpvCode

pytestmark = pytest.mark.django_db

# Rows as in the EU's file: CODE, then one column per language (a few of them here).
HEADER = ("CODE", "DE", "EN", "PL ")
ROWS = [
    ("03000000-1", "Landwirtschaftliche Erzeugnisse", "Agricultural, farming, fishing, forestry and related products", "Produkty rolnictwa, hodowli, rybołówstwa, leśnictwa i podobne"),  # noqa: E501
    ("55000000-0", "Beherbergung", "Hotel, restaurant and retail trade services", "Usługi hotelarskie, restauracyjne i handlu detalicznego"),  # noqa: E501
    ("55400000-4", "Ausschank von Getränken", "Beverage-serving services", "Usługi podawania napojów"),  # noqa: E501
    ("55410000-7", "Betrieb von Bars", "Bar management services", "Usługi zarządzania barami"),
    ("55520000-1", "Verpflegungsdienste", "Catering services", "Usługi dostarczania posiłków (catering)"),  # noqa: E501
    ("55520000-2", "Verpflegungsdienste", "Catering services", "Usługi z błędną cyfrą kontrolną"),
    ("60112000-6", "Öffentlicher Verkehr", "Public road transport services", "Usługi w zakresie publicznego transportu drogowego"),  # noqa: E501
    (None, None, None, None),
    ("5552000", "Kurz", "Too short", "Za krótki"),
]  # fmt: skip
# Row numbers in the file: the header is row 1.
DUPLICATE_ROW = 7
MALFORMED_ROW = 10


def write_xlsx(path, rows=ROWS, header=HEADER, sheet="CPV"):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def write_csv(path, rows=ROWS, header=("code", "en", "pl"), delimiter=";", encoding="utf-8-sig"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for code, _de, en, pl in rows:
            writer.writerow((code or "", en or "", pl or ""))
    return path


def run_import(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_cpv", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_xlsx_import_creates_new_codes_and_updates_names(tmp_path):
    out, _err = run_import(write_xlsx(tmp_path / "cpv.xlsx"))

    # 55410000 and 60112000 are new; 55520000 gets the file's name; the rest were curated.
    assert "2 created, 1 updated, 3 unchanged, 2 skipped" in out
    bar = CpvCode.objects.get(code="55410000")
    assert bar.name_pl == "Usługi zarządzania barami"
    assert bar.name_en == "Bar management services"
    assert bar.level == 4
    assert bar.parent_id == "55400000"
    assert bar.is_curated is False
    catering = CpvCode.objects.get(code="55520000")
    assert catering.name_pl == "Usługi dostarczania posiłków (catering)"
    assert catering.is_curated is True  # the import never clears the curation


def test_a_code_under_a_missing_parent_hangs_under_its_nearest_ancestor(tmp_path):
    run_import(write_xlsx(tmp_path / "cpv.xlsx"))

    # 60110000 is in neither the file nor the database: 60100000 is the nearest that exists.
    assert CpvCode.objects.get(code="60112000").parent_id == "60100000"


def test_invalid_rows_are_reported_with_their_row_numbers_and_skipped(tmp_path):
    _out, err = run_import(write_xlsx(tmp_path / "cpv.xlsx"))

    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"Row {DUPLICATE_ROW}: 55520000-2")
    assert "twice" in lines[0]
    assert lines[1].startswith(f"Row {MALFORMED_ROW}: '5552000'")
    assert not CpvCode.objects.filter(name_pl="Usługi z błędną cyfrą kontrolną").exists()


def test_a_second_run_changes_nothing(tmp_path):
    path = write_xlsx(tmp_path / "cpv.xlsx")
    run_import(path)
    before = list(CpvCode.objects.values_list("code", "name_pl", "name_en", "parent", "level"))

    out, _err = run_import(path)

    assert "0 created, 0 updated, 6 unchanged, 2 skipped; 0 parents or levels set" in out
    after = list(CpvCode.objects.values_list("code", "name_pl", "name_en", "parent", "level"))
    assert after == before


def test_a_filter_on_a_division_finds_the_imported_subtree(tmp_path):
    run_import(write_xlsx(tmp_path / "cpv.xlsx"))

    under = set(CpvCode.objects.under("55000000").values_list("code", flat=True))
    assert {"55000000", "55400000", "55410000", "55520000"} <= under
    assert "60112000" not in under
    assert set(CpvCode.objects.under("55400000").values_list("code", flat=True)) == {
        "55400000",
        "55410000",
    }


def test_an_import_into_an_empty_table_builds_the_tree_from_the_file_alone(tmp_path):
    CpvCode.objects.all().delete()

    out, _err = run_import(write_xlsx(tmp_path / "cpv.xlsx"))

    assert "6 created, 0 updated, 0 unchanged, 2 skipped" in out
    parents = dict(CpvCode.objects.values_list("code", "parent"))
    assert parents == {
        "03000000": None,
        "55000000": None,
        "55400000": "55000000",
        "55410000": "55400000",
        "55520000": "55000000",
        "60112000": None,  # neither its group nor its division is in the file
    }


def test_a_group_imported_later_becomes_the_parent_of_codes_already_there(tmp_path):
    assert CpvCode.objects.get(code="79950000").parent_id == "79000000"
    rows = [
        (
            "79900000-3",
            "Verschiedene",
            "Miscellaneous business and business-related services",
            "Różne usługi gospodarcze i związane z prowadzeniem przedsiębiorstwa",
        )
    ]

    run_import(write_xlsx(tmp_path / "cpv.xlsx", rows=rows))

    assert CpvCode.objects.get(code="79950000").parent_id == "79900000"
    assert CpvCode.objects.get(code="79900000").parent_id == "79000000"


def test_the_sheet_can_be_chosen(tmp_path):
    path = write_xlsx(tmp_path / "cpv.xlsx", sheet="Main vocabulary")

    out, _err = run_import(path, "--sheet", "Main vocabulary")
    assert "2 created" in out

    with pytest.raises(CommandError, match="No worksheet 'Other'"):
        run_import(path, "--sheet", "Other")


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), ("\t", "utf-8")]
)
def test_csv_import_sniffs_the_delimiter_and_reads_utf8(tmp_path, delimiter, encoding):
    path = write_csv(tmp_path / "cpv.csv", delimiter=delimiter, encoding=encoding)

    out, err = run_import(path)

    assert "2 created, 1 updated, 3 unchanged, 2 skipped" in out
    assert err.splitlines()[0].startswith(f"Row {DUPLICATE_ROW}: 55520000-2")
    assert CpvCode.objects.get(code="60112000").name_pl == (
        "Usługi w zakresie publicznego transportu drogowego"
    )
    out, _err = run_import(path)
    assert "0 created, 0 updated" in out


def test_a_file_without_a_code_column_or_polish_names_is_refused(tmp_path):
    with pytest.raises(CommandError, match="CODE column"):
        run_import(write_xlsx(tmp_path / "a.xlsx", header=("KOD", "DE", "EN", "PL")))
    with pytest.raises(CommandError, match="PL column"):
        run_import(write_xlsx(tmp_path / "b.xlsx", header=("CODE", "DE", "EN", "FR")))
    assert not CpvCode.objects.filter(code="55410000").exists()


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(tmp_path):
    path = write_csv(tmp_path / "cpv.csv", encoding="cp1250")
    with pytest.raises(CommandError, match="not UTF-8"):
        run_import(path)


def test_the_files_check_digit_is_kept_where_the_weighted_sum_differs(tmp_path):
    """The EU's file is authoritative: 72413000-8 is published with 8, whatever the sum says."""
    rows = [
        (
            "72413000-8",
            "Webdesign",
            "World wide web (www) site design services",
            "Usługi w zakresie projektowania stron WWW",
        )
    ]
    run_import(write_xlsx(tmp_path / "cpv.xlsx", rows=rows))

    web = CpvCode.objects.get(code="72413000")
    assert web.full_code == "72413000-8"
    assert cpv.parse("72413000-8") == "72413000"
    with pytest.raises(ValidationError):
        cpv.parse("72413000-3")
