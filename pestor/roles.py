"""The roles of DESIGN.md, declared once.

A user may hold several roles at once. Municipality scope comes from the membership rows'
foreign keys (an official acts for the municipality of their department), never from groups.
PES membership is the directory's (``directory.selectors.organisations_of_user``).
"""

from allauth.mfa.models import Authenticator
from django.db import connections, models, router
from django.db.models import CharField, Value
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


# What ``_holdings`` loads, by the name each part is kept under.
OFFICIAL, MONITORING, BUYER, LOCAL_ADMINISTRATOR, TWO_STEP = (
    "official_municipalities",
    "monitoring_municipalities",
    "buyer_companies",
    "local_admin_municipalities",
    "two_step",
)

# Further parts other apps add (``register_holding``): {kind: function(user) -> queryset}.
_registered_holdings = {}


def register_holding(kind: str, rows) -> None:
    """Adds to the one query of ``_holdings`` what another app needs on most signed-in pages
    (the directory: the user's organisations; the exchange: the unread inquiries of the
    navigation). ``rows(user)`` returns a queryset of ``(kind, integer, text)`` triples, made
    with ``holding_rows``; ``held_notes(user, kind)`` reads them back as {integer: text}."""
    _registered_holdings[kind] = rows
    _compiled_holdings.clear()


def holding_rows(queryset, kind: str, ref, note=None):
    """``queryset`` as the triples of one part of the UNION: the kind, an integer (an id, or a
    count) and a text (``note``: a field or an expression; empty without one)."""
    return queryset.order_by().values_list(
        Value(kind, output_field=CharField()),
        ref,
        note if note is not None else Value("", output_field=CharField()),
    )


def _holdings(user) -> dict[str, dict[int, str]]:
    """Everything the signed-in user holds, in one query, the first time a request asks: the
    municipalities they are an official, a monitoring team member or a local administrator in,
    the companies they buy for, their authenticator app (``TWO_STEP``: its id, if any), and
    what the apps registered (``register_holding``). Every page asks some of these (the
    navigation, the two-step check, the rules), so one UNION ALL over the small membership
    tables replaces a query for each."""

    def load():
        found = {kind: {} for kind in _holding_kinds()}
        for kind, ref, note in _run_holdings_query(user.pk):
            found[kind][ref] = note
        return found

    return _cached(user, "holdings", load)


def _holding_kinds() -> list[str]:
    return [OFFICIAL, MONITORING, BUYER, LOCAL_ADMINISTRATOR, TWO_STEP, *_registered_holdings]


def _holdings_queryset(user):
    queries = [
        holding_rows(
            OfficialMembership.objects.filter(user=user), OFFICIAL, "department__municipality_id"
        ),
        holding_rows(
            MonitoringTeamMembership.objects.filter(user=user), MONITORING, "municipality_id"
        ),
        holding_rows(BusinessBuyerMembership.objects.filter(user=user), BUYER, "company_id"),
        holding_rows(
            LocalAdministratorMembership.objects.filter(user=user),
            LOCAL_ADMINISTRATOR,
            "municipality_id",
        ),
        holding_rows(
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP), TWO_STEP, "id"
        ),
        *(rows(user) for rows in _registered_holdings.values()),
    ]
    return queries[0].union(*queries[1:], all=True)


# The holdings' SQL differs between users by the user's id alone, and building the UNION through
# the ORM took longer than the database took to answer it (a third of a signed-in request's time
# in the hostile-input crawl). So it is compiled once per database, for a stand-in user whose id
# no user has, and each request runs it with its own id in the stand-in's places.
_STAND_IN_PK = -2_000_000_001
_compiled_holdings: dict[str, tuple[str, tuple, tuple[int, ...]]] = {}


def _run_holdings_query(user_pk: int) -> list[tuple]:
    from .models import User

    alias = router.db_for_read(OfficialMembership)
    compiled = _compiled_holdings.get(alias)
    if compiled is None:
        queryset = _holdings_queryset(User(pk=_STAND_IN_PK)).using(alias)
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        places = tuple(index for index, value in enumerate(params) if value == _STAND_IN_PK)
        if not places:  # pragma: no cover - the id is always a parameter
            raise RuntimeError("The holdings query does not take the user's id as a parameter.")
        compiled = _compiled_holdings[alias] = (sql, tuple(params), places)
    sql, params, places = compiled
    params = list(params)
    for index in places:
        params[index] = user_pk
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def forget_holdings(user) -> None:
    """Drops what this request loaded of the user's holdings: a page that changed them (marked
    a conversation read) shows them read again."""
    user.__dict__.get("_pestor_roles", {}).pop("holdings", None)


def held_notes(user, kind: str) -> dict[int, str]:
    """{integer: text} of one part of the user's holdings (empty for an anonymous user)."""
    if not _signed_in(user):
        return {}
    return _holdings(user)[kind]


def _held(user, kind) -> frozenset[int]:
    return frozenset(held_notes(user, kind))


def official_municipality_ids(user) -> frozenset[int]:
    return _held(user, OFFICIAL)


def monitoring_municipality_ids(user) -> frozenset[int]:
    return _held(user, MONITORING)


def buyer_company_ids(user) -> frozenset[int]:
    return _held(user, BUYER)


def local_admin_municipality_ids(user) -> frozenset[int]:
    return _held(user, LOCAL_ADMINISTRATOR)


def has_two_step(user) -> bool:
    """Whether the user has set up an authenticator app (allauth.mfa's TOTP), which
    ``allauth.mfa.utils.is_mfa_enabled(user, [Authenticator.Type.TOTP])`` also answers."""
    return bool(_held(user, TWO_STEP))


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
