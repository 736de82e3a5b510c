"""Reads of the directory. Other apps read organisations through these functions."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from pestor import roles
from pestor.maps import BoundingBox, features_in_box, grid_name
from pestor.models import AuditEvent, Municipality
from pestor.periods import local_day_bounds
from pestor.related_rows import JSONRows

from .filters import OrganisationFilterSet
from .models import (
    COOPERATIVE_FORMS,
    CooperativeFounder,
    LegalDataChange,
    LegalForm,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    PublicBenefitSphere,
)

# What a card of the public list shows: only these columns are read (a row also carries the
# search text and a dozen columns the card does not show), and the spheres' names in one query
# for the page.
CARD_FIELDS = (
    "pk",
    "name",
    "slug",
    "legal_form",
    "city",
    "logo",
    "is_social_enterprise",
    "is_public_benefit",
    "confirmation_requested_at",
    "data_confirmed_at",
    "description",
)
# What a row of the map's table shows.
MAP_ROW_FIELDS = ("pk", "name", "slug", "legal_form", "street", "postal_code", "city")


def _page_of(keys) -> QuerySet:
    """The organisations of one page, by their primary keys (the paginator, which read the
    keys in the list's order from its index, puts them back in that order)."""
    return Organisation.objects.filter(pk__in=keys)


def organisation_cards(keys) -> QuerySet:
    """The public list's page: the columns its cards show, and the spheres in one query."""
    return (
        _page_of(keys)
        .only(*CARD_FIELDS)
        .prefetch_related(
            Prefetch(
                "spheres",
                queryset=PublicBenefitSphere.objects.only("pk", "name").order_by("position"),
            )
        )
    )


def organisation_map_rows(keys) -> QuerySet:
    """The accessible table beside the map: name, address and legal form."""
    return _page_of(keys).only(*MAP_ROW_FIELDS)


def organisation_export_rows(queryset: QuerySet) -> QuerySet:
    """Every column of the export: the seat municipality and the spheres too."""
    return queryset.select_related("seat_municipality").prefetch_related(
        Prefetch("spheres", queryset=PublicBenefitSphere.objects.order_by("position"))
    )


# --- contracts reserved under art. 94 PZP --------------------------------------------------------

# Legal forms whose purpose is the social and professional integration of excluded persons.
RESERVED_CONTRACT_LEGAL_FORMS = (
    LegalForm.SOCIAL_COOPERATIVE,
    LegalForm.CIS,
    LegalForm.KIS,
    LegalForm.ZAZ,
    LegalForm.WTZ,
)
# Art. 94 ust. 2 PZP: at least 30% of the staff from socially or professionally excluded groups.
RESERVED_CONTRACT_MIN_AT_RISK_PERCENT = 30


@dataclass(frozen=True)
class ReservedQualification:
    """Whether an organisation may answer a notice reserved under art. 94 PZP, and why."""

    qualifies: bool
    reason: str

    def __bool__(self):
        return self.qualifies


def qualifies_for_reserved_contract(organisation: Organisation) -> ReservedQualification:
    """A verified organisation qualifies by its legal form (social cooperative, CIS, KIS, ZAZ,
    WTZ) or by at least 30% of its staff coming from excluded groups, as it declares in its
    verified profile. Reads only the organisation's own fields: no query."""
    name = organisation.name
    if organisation.status != Organisation.Status.VERIFIED:
        return ReservedQualification(
            False,
            _("%(name)s is not verified, so it cannot answer a reserved notice.") % {"name": name},
        )
    if organisation.legal_form in RESERVED_CONTRACT_LEGAL_FORMS:
        return ReservedQualification(
            True,
            _("%(name)s qualifies by its legal form: %(form)s.")
            % {"name": name, "form": organisation.get_legal_form_display()},
        )
    employees, at_risk = organisation.employees or 0, organisation.employees_at_risk or 0
    if employees and at_risk * 100 >= RESERVED_CONTRACT_MIN_AT_RISK_PERCENT * employees:
        return ReservedQualification(
            True,
            _(
                "%(name)s qualifies by its staff: %(at_risk)d of %(employees)d employees "
                "(%(share)d%%) come from groups at risk of exclusion."
            )
            % {
                "name": name,
                "at_risk": at_risk,
                "employees": employees,
                "share": organisation.at_risk_share,
            },
        )
    return ReservedQualification(
        False,
        _(
            "%(name)s does not qualify for a contract reserved under art. 94 PZP: it is not a "
            "social cooperative, CIS, KIS, ZAZ or WTZ, and %(at_risk)d of its %(employees)d "
            "employees come from groups at risk of exclusion, less than the 30%% required."
        )
        % {"name": name, "at_risk": at_risk, "employees": employees},
    )


def organisations_qualifying_for_reserved_contract(queryset: QuerySet) -> QuerySet:
    """The same rule as qualifies_for_reserved_contract, as a filter of a queryset."""
    return (
        queryset.filter(status=Organisation.Status.VERIFIED)
        .alias(at_risk_percent_base=F("employees_at_risk") * 100)
        .filter(
            Q(legal_form__in=RESERVED_CONTRACT_LEGAL_FORMS)
            | Q(
                employees__gt=0,
                at_risk_percent_base__gte=F("employees") * RESERVED_CONTRACT_MIN_AT_RISK_PERCENT,
            )
        )
    )


def organisation_list(*, filters: dict | None = None) -> OrganisationFilterSet:
    """The public directory: verified organisations, filtered, by name. Returns the bound
    FilterSet (its ``.qs`` is the result, its ``.form`` the filter form with any errors). Each
    filter and the sort have an index (migration 0008): the list is read in name order from a
    partial index of the verified organisations, the search from a trigram index on
    PostgreSQL. ``organisation_cards`` / ``organisation_map_rows`` / ``organisation_export_rows``
    choose the columns."""
    queryset = Organisation.objects.public().order_by("name", "pk")
    confirmation = (filters or {}).get("confirmation")
    if confirmation not in OrganisationFilterSet.CONFIRMATION_CHOICES_WITH_UNCONFIRMED:
        queryset = queryset.confirmed()
    return OrganisationFilterSet(data=filters or None, queryset=queryset)


def organisation_get_for_user(*, user, slug: str) -> Organisation:
    """One organisation the user may see; a missing and a hidden one are the same 404."""
    queryset = (
        Organisation.objects.visible_to(user)
        .select_related("seat_municipality", "verified_by")
        .prefetch_related("spheres", "municipalities_served")
    )
    return get_object_or_404(queryset, slug=slug)


def organisation_page_get(*, user, slug: str, annotations: dict) -> Organisation:
    """The organisation of its page, in one query with what the page shows of it besides its
    row: the names of its spheres (``directory_spheres``) and of the municipalities it serves
    (``directory_served``), whether a change of its legal data is pending
    (``directory_change_pending``), and the ``annotations`` of the page's sections
    (``pestor.sections``). A missing and a hidden one are the same 404."""
    spheres = PublicBenefitSphere.objects.filter(organisations=OuterRef("pk")).order_by(
        "position", "pk"
    )
    served = Municipality.objects.filter(served_by_organisations=OuterRef("pk")).order_by(
        "name", "pk"
    )
    pending = LegalDataChange.objects.pending().filter(organisation=OuterRef("pk"))
    queryset = (
        Organisation.objects.visible_to(user)
        .select_related("seat_municipality", "verified_by")
        .annotate(
            directory_spheres=JSONRows(spheres, ("name",)),
            directory_served=JSONRows(served, ("name",)),
            directory_change_pending=Exists(pending),
            **annotations,
        )
    )
    return get_object_or_404(queryset, slug=slug)


def map_points(organisations) -> list[dict]:
    """Map markers for organisations with a position (the page lists the same as text)."""
    return [
        {
            "name": organisation.display_name,
            "url": organisation.get_absolute_url(),
            "lat": float(organisation.latitude),
            "lon": float(organisation.longitude),
            "address": f"{organisation.street}, {organisation.postal_code} {organisation.city}",
        }
        for organisation in organisations
        if organisation.has_position
    ]


# Points one answer of the map's GeoJSON carries at most: past it the map asks to zoom in.
MAP_FEATURES_LIMIT = 1000


def organisation_map_features(
    queryset: QuerySet,
    *,
    bbox: BoundingBox,
    limit: int | None = None,
    filters: QueryDict | None = None,
) -> dict:
    """The organisations of ``queryset`` placed within ``bbox`` as GeoJSON: at most ``limit``
    points, or for a crowded box (the whole country) their counts per grid cell
    (``pestor.maps.features_in_box``). Read from the partial index of the verified
    organisations' positions; the grid of a crowded box is kept in the cache (the whole
    country's costs a GROUP BY over 120 000 rows), named by the ``filters`` the queryset was
    made with (the request's query, ``bbox`` aside), until an organisation changes (``apps``)."""
    detail = reverse("directory:organisation-detail", kwargs={"slug": "-"})[:-2]
    return features_in_box(
        queryset,
        bbox=bbox,
        limit=limit or MAP_FEATURES_LIMIT,
        fields=("slug", "name", "short_name"),
        properties=lambda row: {"name": row[2] or row[1], "url": f"{detail}{row[0]}/"},
        keep_grid=grid_name(filters),
    )


def organisations_of_user(*, user) -> QuerySet:
    """The organisations the user works for, each annotated with their ``member_role``."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    role = OrganisationMembership.objects.filter(organisation=OuterRef("pk"), user=user).values(
        "role"
    )[:1]
    return (
        Organisation.objects.filter(memberships__user=user)
        .select_related("seat_municipality")
        .annotate(member_role=Subquery(role))
        .order_by("name")
    )


# An organisation's status that lets it borrow and lend (other apps compare statuses with it).
VERIFIED = Organisation.Status.VERIFIED


def organisation_statuses_of_user(*, user) -> QuerySet:
    """(organisation id, status) of each organisation the user is a member of."""
    return OrganisationMembership.objects.filter(user=user).values_list(
        "organisation_id", "organisation__status"
    )


def organisation_ids_of_user(*, user) -> QuerySet:
    """The ids of the user's organisations, as a subquery for another app's filter."""
    return OrganisationMembership.objects.filter(user=user).values_list(
        "organisation_id", flat=True
    )


def organisation_member_emails(*, organisation: Organisation | int) -> list[str]:
    """The e-mail addresses of the organisation's active members."""
    organisation_id = getattr(organisation, "pk", organisation)
    return list(
        OrganisationMembership.objects.filter(
            organisation_id=organisation_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def organisation_is_verified(organisation: Organisation) -> bool:
    """Whether an official has verified the organisation (it may then borrow and lend)."""
    return organisation.status == VERIFIED


def organisation_members(*, organisation: Organisation) -> QuerySet:
    return organisation.memberships.select_related("user").order_by("role", "user__email")


def open_invitations(*, organisation: Organisation) -> QuerySet:
    return organisation.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def invitation_get_by_token(*, token: str) -> OrganisationInvitation:
    return get_object_or_404(
        OrganisationInvitation.objects.select_related("organisation"), token=token
    )


def verification_queue(*, user) -> QuerySet:
    """Registrations awaiting a decision in the official's municipalities, oldest first."""
    queryset = Organisation.objects.filter(status=Organisation.Status.PENDING)
    if not roles.is_administrator(user):
        queryset = queryset.filter(seat_municipality_id__in=roles.official_municipality_ids(user))
    return queryset.select_related("seat_municipality").order_by("created_at", "pk")


def unconfirmed_organisations(*, user) -> QuerySet:
    """Verified organisations in the official's municipalities whose owners have not confirmed
    their data within the grace period after this year's reminder, longest waiting first."""
    queryset = Organisation.objects.public().unconfirmed()
    if not roles.is_administrator(user):
        queryset = queryset.filter(seat_municipality_id__in=roles.official_municipality_ids(user))
    return queryset.select_related("seat_municipality").order_by("confirmation_requested_at", "pk")


def legal_change_queue(*, user) -> QuerySet:
    """Pending changes of legal data in the official's municipalities, oldest first."""
    queryset = LegalDataChange.objects.pending()
    if not roles.is_administrator(user):
        queryset = queryset.filter(
            organisation__seat_municipality_id__in=roles.official_municipality_ids(user)
        )
    return queryset.select_related("organisation__seat_municipality", "requested_by").order_by(
        "requested_at", "pk"
    )


def legal_change_get_for_user(*, user, pk: int) -> LegalDataChange:
    """One change of legal data: for the seat municipality's officials, administrators and the
    organisation's members; for anyone else the same 404 as a missing one."""
    queryset = LegalDataChange.objects.select_related(
        "organisation__seat_municipality", "requested_by", "decided_by"
    )
    if not user.is_authenticated:
        queryset = queryset.none()
    elif not roles.is_administrator(user):
        queryset = queryset.filter(
            Q(organisation__memberships__user=user)
            | Q(organisation__seat_municipality_id__in=roles.official_municipality_ids(user))
        ).distinct()
    return get_object_or_404(queryset, pk=pk)


def legal_change_pending(*, organisation: Organisation) -> LegalDataChange | None:
    return (
        organisation.legal_changes.pending()
        .select_related("organisation__seat_municipality", "requested_by")
        .first()
    )


def legal_change_latest(*, organisation: Organisation) -> LegalDataChange | None:
    """The organisation's most recent change of legal data, whatever became of it."""
    return organisation.legal_changes.select_related("decided_by").first()


def _legal_value_display(organisation: Organisation, name: str, municipalities: dict) -> str:
    value = getattr(organisation, Organisation._meta.get_field(name).attname)
    if name == "seat_municipality":
        return str(municipalities.get(value, "—"))
    if name == "legal_form":
        return organisation.get_legal_form_display()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    if name == "social_enterprise_since":
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def legal_change_comparison(*, change: LegalDataChange) -> list[dict]:
    """The verified and the proposed value of every legal field, side by side."""
    current, proposed = change.organisation, change.proposed_organisation()
    municipalities = Municipality.objects.in_bulk(
        {current.seat_municipality_id, proposed.seat_municipality_id}
    )
    changed = set(change.changed_fields())
    return [
        {
            "name": name,
            "label": Organisation._meta.get_field(name).verbose_name,
            "before": _legal_value_display(current, name, municipalities),
            "after": _legal_value_display(proposed, name, municipalities),
            "changed": name in changed,
        }
        for name in Organisation.LEGAL_FIELDS
    ]


def organisation_history(*, organisation: Organisation) -> QuerySet:
    return AuditEvent.objects.for_object(organisation)


def municipalities_with_public_organisations() -> QuerySet:
    return Municipality.objects.filter(
        seated_organisations__status=Organisation.Status.VERIFIED
    ).distinct()


def organisation_counts() -> dict:
    public = Organisation.objects.public()
    return {
        "verified": public.count(),
        "social_enterprises": public.filter(is_social_enterprise=True).count(),
    }


def indicator_verified_organisations(*, municipality, start, end) -> int:
    """Monitoring indicator: PES seated in the municipality and verified at the end of ``end``."""
    _from, until = local_day_bounds(start, end)
    return Organisation.objects.filter(
        seat_municipality=municipality,
        status=Organisation.Status.VERIFIED,
        verified_at__lt=until,
    ).count()


def indicator_new_registrations(*, municipality, start, end) -> int:
    """Monitoring indicator: organisations seated in the municipality registered in the period
    (dates inclusive), whatever became of their verification."""
    since, until = local_day_bounds(start, end)
    return Organisation.objects.filter(
        seat_municipality=municipality, created_at__gte=since, created_at__lt=until
    ).count()


def personal_data(*, user) -> dict:
    """The person's part of the directory, for the download of their data (RODO art. 15, 20)."""
    return {
        "memberships": [
            {
                "organisation": membership.organisation.name,
                "role": membership.role,
                "since": membership.created_at.isoformat(),
            }
            for membership in OrganisationMembership.objects.filter(user=user).select_related(
                "organisation"
            )
        ],
        "legal_data_changes_requested": [
            {
                "organisation": change.organisation.name,
                "status": change.status,
                "proposed": change.proposed,
                "sent": change.requested_at.isoformat(),
            }
            for change in LegalDataChange.objects.filter(requested_by=user).select_related(
                "organisation"
            )
        ],
    }


def organisations_needing_owner(*, user) -> QuerySet:
    """Organisations in which ``user`` is the only owner: someone must take them over before the
    account can go."""
    owned = OrganisationMembership.objects.filter(
        user=user, role=OrganisationMembership.Role.OWNER
    ).values("organisation_id")
    other_owners = OrganisationMembership.objects.filter(
        organisation=OuterRef("pk"), role=OrganisationMembership.Role.OWNER
    ).exclude(user=user)
    return Organisation.objects.filter(pk__in=owned).exclude(Exists(other_owners)).order_by("name")


def cooperative_founders(*, organisation: Organisation):
    """A cooperative's founding members with what their names come from (one query)."""
    if organisation.legal_form not in COOPERATIVE_FORMS:
        return CooperativeFounder.objects.none()
    return organisation.founders.select_related("municipality", "organisation").order_by(
        "kind", "pk"
    )


def organisation_by_nip(*, nip: str) -> Organisation | None:
    """The organisation of the directory registered with this NIP (any status), or None."""
    return Organisation.objects.filter(nip=nip).only("pk", "name", "slug").first()
