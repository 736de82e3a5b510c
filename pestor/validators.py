"""Validators of Polish registry numbers; the check digits are python-stdnum's."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)
from stdnum.pl import nip, regon


def _explain(module, value, *, name, lengths):
    try:
        module.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("%(name)s has %(lengths)s digits."),
            code="invalid_length",
            params={"name": name, "lengths": lengths},
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _("%(name)s may contain only digits."), code="invalid_format", params={"name": name}
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("This %(name)s has a wrong check digit; please check it against the register."),
            code="invalid_checksum",
            params={"name": name},
        ) from None
    except StdnumError:
        raise ValidationError(
            _("This is not a valid %(name)s."), code="invalid", params={"name": name}
        ) from None


def validate_nip(value):
    _explain(nip, value, name="NIP", lengths=10)


def validate_regon(value):
    _explain(regon, value, name="REGON", lengths=_("9 or 14"))


def validate_krs(value):
    # Not str.isdigit(): that also accepts non-ASCII digits such as "²" or "٣".
    if not (len(value) == 10 and all(char in "0123456789" for char in value)):
        raise ValidationError(_("The KRS number has exactly 10 digits."), code="invalid_krs")


def compact_nip(value):
    return nip.compact(value or "")


def compact_regon(value):
    return regon.compact(value or "")
