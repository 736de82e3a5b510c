"""Saving a row that a unique constraint allows only once, when two requests race for it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _


def save_validated(obj, **save_kwargs) -> None:
    """Saves ``obj``, already checked by ``full_clean()``, in a savepoint.

    Two requests sent at once (a double click on "register", two team members entering the same
    period) both pass validation, because neither sees the other's row until it is committed;
    the database's unique constraint then refuses the second. Its savepoint is rolled back and
    the object is validated again, now against the row that won, so the second user reads the
    model's own message (e.g. "An organisation with this NIP is already registered.") instead
    of a server error. If validation still passes, the conflict was with a row that is gone
    again; the user is asked to send the form once more.
    """
    try:
        with transaction.atomic():
            obj.save(**save_kwargs)
    except IntegrityError:
        obj.full_clean()
        raise ValidationError(
            _("Someone saved the same data at the same moment. Check the form and send it again."),
            code="conflict",
        ) from None
