"""The curated CPV list: real codes with the check digits they are published with, a tree that
holds together, and the data migration that loads it."""

import pytest

from exchange import cpv
from exchange.cpv_curated import CURATED_CPV, nearest_ancestor
from exchange.models import CpvCode

# Codes with the check digit they carry in published sources (the regulation's annexes, the EU's
# eForms rules on reserved social services, public notices), written down by hand, not computed.
_PUBLISHED_PAIRS = """
    03000000-1 03100000-2 15000000-8 15300000-1 15800000-6 18000000-9 18100000-0 22000000-0
    33000000-0 33100000-1 33700000-7 37000000-8 37400000-2 39000000-2 39100000-3 39500000-7
    39800000-0 44000000-0 44100000-1 45000000-7 45100000-8 45400000-1 50000000-5 50700000-2
    55000000-0 55100000-1 55300000-3 55310000-6 55320000-9 55321000-6 55322000-3 55330000-2
    55400000-4 55500000-5 55510000-8 55511000-5 55512000-2 55520000-1 55521000-8 55521100-9
    55521200-0 55523000-2 55523100-3 55524000-9 60000000-8 60100000-9 60130000-8 60140000-1
    60170000-0 63000000-9 70000000-1 70330000-3 72000000-5 72500000-0 77000000-0 77100000-1
    77300000-3 77310000-6 79000000-4 79300000-7 79530000-8 79700000-1 79713000-5 79952000-2
    80000000-4 80110000-8 80300000-7 80500000-9 80511000-9 80520000-5 80530000-8 85000000-9
    85100000-0 85300000-2 85310000-5 85311000-2 85311100-3 85311200-4 85311300-5 85312000-9
    85312100-0 85312110-3 85312400-3 85312500-4 85320000-8 90000000-7 90500000-2 90600000-3
    90610000-6 90611000-3 90612000-0 90620000-9 90630000-2 90900000-6 90910000-9 90911000-6
    90911200-8 90911300-9 90919000-2 90919200-4 90919300-5 92000000-1 92300000-4 92500000-6
    92600000-7 98000000-3
"""
PUBLISHED = dict(pair.split("-") for pair in _PUBLISHED_PAIRS.split())

# Published codes whose check digit the weights in exchange.cpv do not give (they give 9, 3, 1,
# 8): the vocabulary's digits are not all computable, so the official file has to be trusted for
# them. Strict, so that this fails — and is removed — once exchange.cpv knows them.
IRREGULAR = {"72400000": "4", "72413000": "8", "72600000": "6", "85210000": "3"}

CURATED_CODES = [code for code, _, _ in CURATED_CPV]


def test_the_check_digit_matches_every_published_code():
    wrong = {code: digit for code, digit in PUBLISHED.items() if cpv.check_digit(code) != digit}
    assert wrong == {}


def test_the_check_digit_matches_the_published_irregular_codes():
    assert {code: cpv.check_digit(code) for code in IRREGULAR} == IRREGULAR


def test_no_curated_code_has_an_irregular_check_digit():
    assert not set(IRREGULAR) & set(CURATED_CODES)


def test_curated_codes_are_those_published_with_their_check_digits():
    covered = [code for code in CURATED_CODES if code in PUBLISHED]
    assert [cpv.display(code) for code in covered] == [
        f"{code}-{PUBLISHED[code]}" for code in covered
    ]
    # Most of the list is pinned to a published code, so a typo in a code shows up here.
    assert len(covered) >= len(CURATED_CODES) // 2


def test_curated_codes_are_eight_digits_unique_and_sorted():
    assert all(len(code) == 8 and code.isascii() and code.isdigit() for code in CURATED_CODES)
    assert len(set(CURATED_CODES)) == len(CURATED_CODES)
    assert sorted(CURATED_CODES) == CURATED_CODES


def test_every_curated_code_has_both_names_without_stray_spaces():
    for code, name_pl, name_en in CURATED_CPV:
        assert name_pl and name_en, code
        assert name_pl == " ".join(name_pl.split()), code
        assert name_en == " ".join(name_en.split()), code


def test_the_divisions_pes_work_in_are_curated():
    divisions = {code[:2] for code in CURATED_CODES if cpv.level(code) == 2}
    expected = {"03", "15", "18", "22", "33", "37", "39", "44", "45", "50", "55", "60", "63"}
    expected |= {"70", "72", "77", "79", "80", "85", "90", "92", "98"}
    assert expected <= divisions


def test_every_curated_code_hangs_under_a_curated_ancestor_and_its_division():
    codes = set(CURATED_CODES)
    for code in CURATED_CODES:
        if cpv.level(code) == 2:
            continue
        assert code[:2].ljust(8, "0") in codes, f"{code}: its division is not curated"
        ancestor = nearest_ancestor(code, codes)
        assert ancestor is not None and code.startswith(cpv.prefix(ancestor)), code


def test_nearest_ancestor_skips_the_levels_that_are_missing():
    assert nearest_ancestor("55521100", {"55000000", "55500000", "55521000"}) == "55521000"
    assert nearest_ancestor("55521100", {"55000000", "55500000"}) == "55500000"
    assert nearest_ancestor("55521100", {"60000000"}) is None
    assert nearest_ancestor("55000000", {"55000000"}) is None


@pytest.mark.django_db
def test_the_migration_loads_the_curated_tree():
    loaded = {item.code: item for item in CpvCode.objects.filter(is_curated=True)}
    assert set(loaded) == set(CURATED_CODES)
    catering = loaded["55520000"]
    assert catering.name_pl == "Usługi dostarczania posiłków"
    assert catering.name_en == "Catering services"
    assert catering.full_code == "55520000-1"
    assert catering.level == 4
    assert catering.parent_id == "55500000"
    assert loaded["55000000"].parent_id is None
    assert loaded["55000000"].level == 2
    # A group whose parent group is not curated hangs under its division.
    assert loaded["79950000"].parent_id == "79000000"
    assert loaded["79952000"].parent_id == "79950000"
    assert loaded["85312110"].parent_id == "85312100"
    assert loaded["85312110"].level == 7


@pytest.mark.django_db
def test_a_filter_on_a_division_finds_its_whole_curated_subtree():
    under = set(CpvCode.objects.under("55000000").values_list("code", flat=True))
    assert {"55000000", "55500000", "55520000", "55521200", "55524000"} <= under
    assert all(code.startswith("55") for code in under)
    assert set(CpvCode.objects.under("55520000").values_list("code", flat=True)) == {
        "55520000",
        "55521000",
        "55521100",
        "55521200",
        "55523000",
        "55523100",
        "55524000",
    }
