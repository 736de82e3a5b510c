from django.contrib.admin.models import LogEntry
from django.db import router
from django.db.models import ProtectedError, QuerySet
from django.db.models.deletion import Collector

from .models import Department, Municipality, User


def official_emails(*, municipality: Municipality | int) -> list[str]:
    """Addresses of the active officials of a municipality (for notifications)."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    return list(
        User.objects.filter(
            is_active=True, official_memberships__department__municipality_id=municipality_id
        )
        .values_list("email", flat=True)
        .distinct()
    )


def municipality_list() -> QuerySet:
    return Municipality.objects.order_by("name")


def department_list(*, municipality: Municipality) -> QuerySet:
    return Department.objects.filter(municipality=municipality).order_by("name")


def user_history(*, user: User) -> list:
    """What keeps the account from being deleted (pestor.services.user_erase anonymises such
    an account instead): the records of others that rely on it, PROTECTing it, and what it
    did as an administrator, in Django's admin log (which a deletion would cascade away)."""
    try:
        Collector(using=router.db_for_write(User)).collect([user])
        kept = []
    except ProtectedError as error:
        kept = list(error.protected_objects)
    return kept + list(LogEntry.objects.filter(user=user))
