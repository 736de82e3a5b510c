"""Folding text for search: case and Polish diacritics do not matter."""

import pytest

from pestor.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łódź", "lodz"),
        ("ŁÓDŹ", "lodz"),
        ("Zażółć gęślą jaźń", "zazolc gesla jazn"),
        ("ZAŻÓŁĆ GĘŚLĄ JAŹŃ", "zazolc gesla jazn"),
        ("  Spółdzielnia \t Socjalna\n\nToruń  ", "spoldzielnia socjalna torun"),
        ("Straße", "strasse"),
        ("Ørsted", "orsted"),
        ("ﬁrma", "firma"),  # the "fi" ligature is a compatibility character (NFKD)
        ("KRS 0000123456", "krs 0000123456"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_of_none_is_empty():
    assert fold(None) == ""


def test_fold_is_idempotent():
    once = fold("Żółta Łódka na Wiśle")

    assert fold(once) == once


def test_folded_query_is_found_in_folded_text():
    assert fold("lodz") in fold("Spółdzielnia Socjalna ŁÓDŹ")
