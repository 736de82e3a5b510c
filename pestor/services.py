"""Writes to the shared things: user accounts."""

from django.contrib.admin.models import LogEntry
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from . import audit, selectors
from .models import User


def user_erase(*, user: User, actor=None) -> User | None:
    """Delete an account (RODO art. 17): the account goes, the records others rely on stay.

    An account without history is deleted with its own rows (memberships, e-mail addresses).
    One that left history behind (messages, answers, decisions, measurements: every foreign key
    to it from such records is PROTECT; or entries in the admin log) is anonymised instead and
    returned. Used by the admin's delete.
    """
    if not selectors.user_history(user=user):
        try:
            with transaction.atomic():
                user.delete()
            return None
        except ProtectedError:  # history written since the check
            pass
    return user_anonymise(user=user, actor=actor)


@transaction.atomic
def user_anonymise(*, user: User, actor=None) -> User:
    """Erase the person from the account and keep the row behind its history.

    The name and e-mail address go (the address is free for a new account), the password
    cannot be used, the roles end; the records the person left read "deleted account". The
    event log keeps the names it copied when things happened: it is the record of decisions
    on public money and on the PES's standing (RODO art. 17(3)(b) and (e)).
    """
    user.first_name = ""
    user.last_name = ""
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.anonymised_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for rows in _own_rows(user):
        rows.delete()
    audit.record(actor=actor, action="user.anonymised", target=user)
    return user


def _own_rows(user: User):
    """The rows that are only the account's, those its deletion would cascade to: the roles
    (memberships), the e-mail addresses, the sign-in factors. Django's admin log stays with the
    event log, as the record of what an administrator did."""
    for relation in User._meta.get_fields(include_hidden=True):
        if (
            relation.auto_created
            and not relation.concrete
            and getattr(relation, "on_delete", None) is models.CASCADE
            and relation.related_model is not LogEntry
        ):
            yield relation.related_model._base_manager.filter(**{relation.field.name: user})
