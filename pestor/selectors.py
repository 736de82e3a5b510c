from django.contrib.admin.models import LogEntry
from django.db import router
from django.db.models import ProtectedError, QuerySet
from django.db.models.deletion import Collector
from django.shortcuts import get_object_or_404

from . import personal_data, roles
from .models import (
    BuyerRoleRequest,
    Department,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
    StaffInvitation,
    User,
)


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


def department_ids_of_user(*, user) -> QuerySet:
    """The ids of the departments the user is an official of, as a subquery or a list."""
    return OfficialMembership.objects.filter(user=user).values_list("department_id", flat=True)


def departments_by_ids(*, ids) -> QuerySet:
    """The departments with these ids, with their municipality, by name."""
    return Department.objects.filter(pk__in=ids).select_related("municipality").order_by("name")


def department_official_emails(*, department: Department | int) -> list[str]:
    """Addresses of the active officials of one department (for notifications)."""
    department_id = getattr(department, "pk", department)
    return list(
        OfficialMembership.objects.filter(
            department_id=department_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


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


def local_admin_emails(*, municipality: Municipality | int) -> list[str]:
    """Who decides a municipality's requests for the business-buyer role: its local
    administrators, or the installation's administrators where it has none."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    emails = list(
        User.objects.filter(
            is_active=True, local_admin_memberships__municipality_id=municipality_id
        ).values_list("email", flat=True)
    )
    return emails or list(
        User.objects.filter(is_active=True, is_superuser=True).values_list("email", flat=True)
    )


def administered_municipality_get(*, user, slug: str) -> Municipality:
    """A municipality whose people ``user`` manages; any other is not found."""
    return get_object_or_404(roles.administered_municipalities(user), slug=slug)


def municipality_officials(*, municipality: Municipality) -> QuerySet:
    return (
        OfficialMembership.objects.filter(department__municipality=municipality)
        .select_related("user", "department")
        .order_by("department__name", "user__last_name", "user__email")
    )


def municipality_monitoring_team(*, municipality: Municipality) -> QuerySet:
    return (
        MonitoringTeamMembership.objects.filter(municipality=municipality)
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )


def open_staff_invitations(*, municipality: Municipality) -> QuerySet:
    return StaffInvitation.objects.filter(
        municipality=municipality, accepted_at__isnull=True
    ).select_related("department", "invited_by")


def staff_invitation_get_by_token(*, token: str) -> StaffInvitation:
    return get_object_or_404(
        StaffInvitation.objects.select_related("municipality", "department"), token=token
    )


def buyer_request_queue(*, user) -> QuerySet:
    """Pending requests for the business-buyer role that ``user`` decides, oldest first."""
    return (
        BuyerRoleRequest.objects.filter(
            status=BuyerRoleRequest.Status.PENDING,
            municipality__in=roles.administered_municipalities(user),
        )
        .select_related("user", "municipality")
        .order_by("created_at", "pk")
    )


def buyer_requests_of_user(*, user) -> QuerySet:
    return BuyerRoleRequest.objects.filter(user=user).select_related("municipality")


def _when(value):
    return value.isoformat() if value else None


def personal_data_export(*, user: User) -> dict:
    """Everything the portal holds about ``user`` (RODO art. 15 and 20), as JSON-safe data: the
    account, its roles and requests, and what each app registered (``pestor.personal_data``)."""
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in user.emailaddress_set.all()
            ],
        },
        "roles": {
            "official": [
                {
                    "municipality": membership.department.municipality.name,
                    "department": membership.department.name,
                    "position": membership.position,
                    "since": _when(membership.created_at),
                }
                for membership in user.official_memberships.select_related(
                    "department__municipality"
                )
            ],
            "monitoring_team": [
                {
                    "municipality": membership.municipality.name,
                    "since": _when(membership.created_at),
                }
                for membership in user.monitoring_memberships.select_related("municipality")
            ],
            "business_buyer": [
                {
                    "company": membership.company.name,
                    "nip": membership.company.nip,
                    "since": _when(membership.created_at),
                }
                for membership in user.buyer_memberships.select_related("company")
            ],
            "local_administrator": [
                {
                    "municipality": membership.municipality.name,
                    "since": _when(membership.created_at),
                }
                for membership in user.local_admin_memberships.select_related("municipality")
            ],
        },
        "business_buyer_requests": [
            {
                "company_name": request.company_name,
                "nip": request.nip,
                "municipality": request.municipality.name,
                "status": request.status,
                "sent": _when(request.created_at),
                "decided": _when(request.decided_at),
                "reason": request.reason,
            }
            for request in buyer_requests_of_user(user=user)
        ],
        **personal_data.collect(user=user),
    }


# --- municipalities by name (the autocomplete of pestor.widgets) --------------------------------

# What fold() turns a Polish letter into, backwards: a folded letter matches any of these, in
# either case. The municipality's name has no folded copy in the database (2 477 rows, read by
# a regular expression in well under a millisecond each), so the same expression serves SQLite
# and PostgreSQL alike and "lodz" finds "Łódź" on both.
_LETTER_VARIANTS = {
    "a": "aą",
    "c": "cć",
    "e": "eę",
    "l": "lł",
    "n": "nń",
    "o": "oó",
    "s": "sś",
    "z": "zźż",
}
MUNICIPALITY_QUERY_MAX_LENGTH = 100


def name_pattern(folded: str) -> str:
    """A regular expression (valid for Python's ``re`` and PostgreSQL alike) that matches the
    folded text in a name (a municipality's, a CPV code's) whatever its case and Polish
    letters."""
    parts = []
    for character in folded:
        if character in _LETTER_VARIANTS:
            variants = _LETTER_VARIANTS[character]
            parts.append(f"[{variants}{variants.upper()}]")
        elif character in " -":
            parts.append("[- ]")
        elif character.isalnum() and character.upper() != character and len(character.upper()) == 1:
            parts.append(f"[{character}{character.upper()}]")
        elif character.isalnum():
            parts.append(character)
        else:
            parts.append("\\" + character)
    return "".join(parts)


def _folded_query(text: str) -> str:
    """The query folded, without control characters (PostgreSQL refuses a NUL byte) and cut to a
    length a name can have."""
    from .text import fold

    cleaned = "".join(ch for ch in (text or "") if ch.isprintable())
    return fold(cleaned)[:MUNICIPALITY_QUERY_MAX_LENGTH]


def municipality_suggestions(*, query: str, limit: int = 20) -> list[Municipality]:
    """Municipalities whose name holds every word of ``query`` (case and Polish letters
    ignored), those whose name starts with the first word first, then by name. One query."""
    from django.db.models import Case, IntegerField, Value, When

    words = _folded_query(query).split()[:5]
    if not words:
        return []
    queryset = Municipality.objects.only("pk", "name", "slug", "teryt", "voivodeship")
    for word in words:
        queryset = queryset.filter(name__regex=name_pattern(word))
    starts = f"^{name_pattern(words[0])}"
    return list(
        queryset.annotate(
            starts=Case(
                When(name__regex=starts, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("starts", "name", "teryt")[:limit]
    )


def municipality_by_name(*, text: str) -> list[Municipality]:
    """The municipalities ``text`` names: by its slug, by a TERYT code anywhere in it
    ("… TERYT 0463011"), or by its whole name (case and Polish letters ignored), narrowed by
    what follows in brackets when the name is not unique. One municipality when the text names
    one; several when it is ambiguous; none when nothing is called so."""
    import re

    from .text import fold

    text = "".join(ch for ch in (text or "") if ch.isprintable()).strip()
    if not text or len(text) > 300:
        return []
    if re.fullmatch(r"[-a-z0-9_]+", text):
        found = list(Municipality.objects.filter(slug=text)[:1])
        if found:
            return found
    teryt = re.search(r"(?<!\d)(\d{7})(?!\d)", text)
    if teryt:
        found = list(Municipality.objects.filter(teryt=teryt.group(1))[:1])
        if found:
            return found
    name, _bracket, qualifier = text.partition("(")
    folded = _folded_query(name)
    if not folded:
        return []
    candidates = list(
        Municipality.objects.filter(name__regex=f"^{name_pattern(folded)}$").order_by(
            "name", "teryt"
        )[:50]
    )
    qualifier = fold(qualifier.rstrip(")"))
    if len(candidates) > 1 and qualifier:
        from .widgets import municipality_detail

        narrowed = [
            candidate
            for candidate in candidates
            if qualifier in fold(municipality_detail(candidate))
        ]
        candidates = narrowed or candidates
    return candidates


def municipality_get(*, slug: str) -> Municipality:
    """One municipality by its address in the portal; a 404 otherwise."""
    return get_object_or_404(Municipality, slug=slug)
