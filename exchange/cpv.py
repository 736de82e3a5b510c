"""The Common Procurement Vocabulary (CPV, Regulation (EC) No 213/2008): codes and their tree.

A code has 8 digits and a check digit ("55520000-1"). Its significant prefix is the code without
trailing zeros, never shorter than the two digits of the division: 55000000 → "55" (division),
55500000 → "555" (group), 55520000 → "5552" (class). A code lies under another when its digits
start with the other's prefix, which is how filters treat the vocabulary as a tree.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)
_CODE = re.compile(r"^\s*(\d{8})(?:\s*-\s*(\d))?\s*$")

# The weighted sum reproduces the published digit of almost every code, but not all: these were
# published otherwise. The EU's file is authoritative — ``import_cpv`` stores the digit it gives
# on each CpvCode, and input is checked against the stored digit where there is one.
PUBLISHED_EXCEPTIONS = {
    "72400000": "4",
    "72413000": "8",
    "72600000": "6",
    "85210000": "3",
}


def computed_check_digit(code: str) -> str:
    return str(sum(weight * int(digit) for weight, digit in zip(_WEIGHTS, code, strict=True)) % 10)


def check_digit(code: str) -> str:
    """The check digit of ``code`` where nothing better is stored."""
    return PUBLISHED_EXCEPTIONS.get(code) or computed_check_digit(code)


def split(value: str) -> tuple[str, str | None]:
    """The 8 digits and the check digit (None if not given) of "55520000-1", format only."""
    match = _CODE.match(value or "")
    if not match:
        raise ValidationError(
            _("Enter a CPV code as 8 digits and a check digit, e.g. 55520000-1."), code="cpv_format"
        )
    return match.group(1), match.group(2)


def _official_digit(code: str) -> str:
    from .models import CpvCode

    stored = CpvCode.objects.filter(pk=code).values_list("check_digit", flat=True).first()
    return stored or check_digit(code)


def parse(value: str) -> str:
    """Return the 8 digits of a CPV code written as "55520000-1" or "55520000".

    A given check digit must be the official one (as stored from the EU's list)."""
    code, given = split(value)
    if given is not None:
        official = _official_digit(code)
        if given != official:
            raise ValidationError(
                _("The check digit of this CPV code is wrong; it should be %(code)s-%(digit)s."),
                code="cpv_checksum",
                params={"code": code, "digit": official},
            )
    return code


def prefix(code: str) -> str:
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]


def level(code: str) -> int:
    """2 for a division, 3 for a group, 4 for a class, 5 and more for categories."""
    return len(prefix(code))


def parent_code(code: str) -> str | None:
    """The code one level up (55520000 → 55500000), or None for a division."""
    significant = prefix(code)
    if len(significant) <= 2:
        return None
    return significant[:-1].ljust(8, "0")


def ancestor_codes(code: str) -> list[str]:
    """The codes above ``code``, from its division down (55520000 → 55000000, 55500000)."""
    ancestors = []
    parent = parent_code(code)
    while parent:
        ancestors.append(parent)
        parent = parent_code(parent)
    return list(reversed(ancestors))


def group_prefix(code: str) -> str:
    """The CPV group (first three digits) used to match notices to offers."""
    return code[:3]


def display(code: str) -> str:
    return f"{code}-{check_digit(code)}"
