"""The roles of DESIGN.md, declared once.

A user may hold several roles at once. Municipality scope comes from the membership rows'
foreign keys (an official acts for the municipality of their department), never from groups.
PES membership is the directory's (``directory.selectors.organisations_of_user``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import (
    BusinessBuyerMembership,
    LocalAdministratorMembership,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
)


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    PES_MEMBER = "pes_member", _("PES member")
    BUSINESS_BUYER = "business_buyer", _("business buyer")
    OFFICIAL = "official", _("official")
    MONITORING = "monitoring", _("monitoring team member")
    LOCAL_ADMINISTRATOR = "local_administrator", _("local administrator")
    ADMINISTRATOR = "administrator", _("administrator")


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def _cached(user, name, compute):
    # Memoised per request on the user object: templates ask the same question many times.
    cache = user.__dict__.setdefault("_pestor_roles", {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def official_municipality_ids(user) -> frozenset[int]:
    if not _signed_in(user):
        return frozenset()
    return _cached(
        user,
        "official_municipalities",
        lambda: frozenset(
            OfficialMembership.objects.filter(user=user).values_list(
                "department__municipality_id", flat=True
            )
        ),
    )


def monitoring_municipality_ids(user) -> frozenset[int]:
    if not _signed_in(user):
        return frozenset()
    return _cached(
        user,
        "monitoring_municipalities",
        lambda: frozenset(
            MonitoringTeamMembership.objects.filter(user=user).values_list(
                "municipality_id", flat=True
            )
        ),
    )


def buyer_company_ids(user) -> frozenset[int]:
    if not _signed_in(user):
        return frozenset()
    return _cached(
        user,
        "buyer_companies",
        lambda: frozenset(
            BusinessBuyerMembership.objects.filter(user=user).values_list("company_id", flat=True)
        ),
    )


def local_admin_municipality_ids(user) -> frozenset[int]:
    if not _signed_in(user):
        return frozenset()
    return _cached(
        user,
        "local_admin_municipalities",
        lambda: frozenset(
            LocalAdministratorMembership.objects.filter(user=user).values_list(
                "municipality_id", flat=True
            )
        ),
    )


def is_local_administrator(user, municipality: Municipality | int | None = None) -> bool:
    ids = local_admin_municipality_ids(user)
    if municipality is None:
        return bool(ids)
    return _pk(municipality) in ids


def administered_municipalities(user):
    """The municipalities whose people ``user`` manages: all of them for the installation's
    administrator, their own for a local administrator."""
    if is_administrator(user):
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=local_admin_municipality_ids(user))


def is_administrator(user) -> bool:
    return _signed_in(user) and user.is_superuser


def is_official(user, municipality: Municipality | int | None = None) -> bool:
    ids = official_municipality_ids(user)
    if municipality is None:
        return bool(ids)
    return _pk(municipality) in ids


def is_monitoring_member(user, municipality: Municipality | int | None = None) -> bool:
    ids = monitoring_municipality_ids(user)
    if municipality is None:
        return bool(ids)
    return _pk(municipality) in ids


def is_business_buyer(user) -> bool:
    return bool(buyer_company_ids(user))


def official_municipalities(user):
    return Municipality.objects.filter(pk__in=official_municipality_ids(user))


def _pk(obj):
    return obj if isinstance(obj, int) else obj.pk


def mfa_required(user) -> bool:
    """Whether ``user`` must sign in with a second factor (an authenticator app code).

    The portal's staff, who reach the Django admin, and local administrators, who grant a
    municipality's roles. Everyone else, officials included, may turn it on but is not made to.
    """
    return _signed_in(user) and (user.is_staff or user.is_superuser or is_local_administrator(user))
