"""Validators of NIP, REGON and KRS: python-stdnum's check digits, our messages."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pestor.validators import compact_nip, compact_regon, validate_krs, validate_nip, validate_regon


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def error_of(validator, value):
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


@pytest.mark.parametrize("value", ["5260250274", "526-025-02-74", "526 025 02 74", "1234563218"])
def test_valid_nip_passes(value):
    validate_nip(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("5260250275", "invalid_checksum"),
        ("1234567890", "invalid_checksum"),
        ("526025027", "invalid_length"),
        ("52602502745", "invalid_length"),
        ("52602502X4", "invalid_format"),
        ("", "invalid_format"),
    ],
)
def test_invalid_nip_is_refused_with_a_reason(value, code):
    assert error_of(validate_nip, value).code == code


def test_nip_messages_name_the_number():
    assert error_of(validate_nip, "5260250275").messages == [
        "This NIP has a wrong check digit; please check it against the register."
    ]
    assert error_of(validate_nip, "526025027").messages == ["NIP has 10 digits."]
    assert error_of(validate_nip, "52602502X4").messages == ["NIP may contain only digits."]


@pytest.mark.parametrize(
    "value", ["192598184", "123456785", "12345678512347", "123-456-785", " 123456785 "]
)
def test_valid_regon_of_9_or_14_digits_passes(value):
    validate_regon(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("192598183", "invalid_checksum"),
        ("12345678612342", "invalid_checksum"),  # the 9-digit part's check digit is wrong
        ("12345678512348", "invalid_checksum"),  # the 14-digit check digit is wrong
        ("1234567", "invalid_length"),
        ("1234567851", "invalid_length"),
        ("12345678A", "invalid_format"),
    ],
)
def test_invalid_regon_is_refused_with_a_reason(value, code):
    assert error_of(validate_regon, value).code == code


def test_regon_length_message_names_both_lengths():
    assert error_of(validate_regon, "1234567").messages == ["REGON has 9 or 14 digits."]


@pytest.mark.parametrize("value", ["0000123456", "1234567890"])
def test_valid_krs_passes(value):
    validate_krs(value)


@pytest.mark.parametrize("value", ["123456789", "12345678901", "000012345a", "0000-12345", ""])
def test_krs_other_than_ten_digits_is_refused(value):
    error = error_of(validate_krs, value)

    assert error.code == "invalid_krs"
    assert error.messages == ["The KRS number has exactly 10 digits."]


def test_krs_of_non_ascii_digits_is_refused():
    # str.isdigit() accepts e.g. Arabic-Indic digits; a register number must be 0-9.
    assert error_of(validate_krs, "٠١٢٣٤٥٦٧٨٩").code == "invalid_krs"


def test_compact_removes_separators():
    assert compact_nip(" 526-025-02-74 ") == "5260250274"
    assert compact_regon("123 456 785") == "123456785"
    assert compact_nip(None) == ""
    assert compact_regon(None) == ""
