"""Reads of partnerships: the public list and page, members, the combined offer of the PES
members (through exchange.selectors), meetings, and what other pages show of them."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from exchange import selectors as exchange_selectors
from pestor.models import Municipality
from pestor.related_rows import JSONRows, instances

from ..filters import PartnershipFilterSet
from ..models import Meeting, Partnership, PartnershipMember, Theme


def partnership_list(*, filters: dict | None = None) -> PartnershipFilterSet:
    queryset = Partnership.objects.order_by("name", "pk")
    return PartnershipFilterSet(data=filters or None, queryset=queryset)


def partnership_cards(keys) -> QuerySet:
    return (
        Partnership.objects.filter(pk__in=keys)
        .select_related("coordinator_organisation", "coordinator_municipality")
        .only(
            "name",
            "slug",
            "kind",
            "coordinator_organisation__name",
            "coordinator_municipality__name",
        )
        .prefetch_related("themes", "territory")
    )


# What the partnership's page shows of its themes, territory, meetings and its members' themes,
# read with the partnership's (and each member's) own row (pestor.related_rows) instead of a
# query each.
THEME_FIELDS = ("id", "name", "slug", "position")
TERRITORY_FIELDS = ("id", "name", "slug")
MEETING_FIELDS = ("id", "partnership_id", "held_on", "title", "is_published")
PAGE_MEETINGS = 10


def partnership_page(*, slug: str) -> Partnership:
    """The partnership of its public page, with its themes (``theme_list``), territory
    (``territory_list``), its latest meetings (``meeting_list``) and its latest published
    meetings (``published_meeting_list``) in the same query; 404 when missing."""
    meetings = Meeting.objects.filter(partnership=OuterRef("pk")).order_by("-held_on", "-pk")
    queryset = Partnership.objects.select_related(
        "coordinator_organisation", "coordinator_municipality"
    ).annotate(
        theme_rows=JSONRows(
            Theme.objects.filter(partnerships=OuterRef("pk")).order_by("position", "name"),
            THEME_FIELDS,
        ),
        territory_rows=JSONRows(
            Municipality.objects.filter(partnerships=OuterRef("pk")).order_by("name", "pk"),
            TERRITORY_FIELDS,
        ),
        meeting_rows=JSONRows(meetings[:PAGE_MEETINGS], MEETING_FIELDS),
        published_meeting_rows=JSONRows(
            meetings.filter(is_published=True)[:PAGE_MEETINGS], MEETING_FIELDS
        ),
    )
    partnership = get_object_or_404(queryset, slug=slug)
    db = partnership._state.db
    partnership.theme_list = instances(Theme, partnership.theme_rows, using=db)
    partnership.territory_list = instances(Municipality, partnership.territory_rows, using=db)
    partnership.meeting_list = instances(Meeting, partnership.meeting_rows, using=db)
    partnership.published_meeting_list = instances(
        Meeting, partnership.published_meeting_rows, using=db
    )
    return partnership


def page_members(*, partnership: Partnership, with_waiting: bool) -> list[PartnershipMember]:
    """The active members of the page (and, ``with_waiting``, the invitations and requests
    waiting), each with its themes (``theme_list``), in one query."""
    statuses = (
        PartnershipMember.OPEN_STATUSES if with_waiting else [PartnershipMember.Status.ACTIVE]
    )
    members = list(
        partnership.members.filter(status__in=statuses)
        .select_related("organisation", "municipality", "department__municipality", "company")
        .annotate(
            theme_rows=JSONRows(
                Theme.objects.filter(members=OuterRef("pk")).order_by("position", "name"),
                THEME_FIELDS,
            )
        )
        .order_by("kind", "pk")
    )
    for member in members:
        member.theme_list = instances(Theme, member.theme_rows, using=member._state.db)
    return members


def partnership_get(*, slug: str) -> Partnership:
    """Partnerships are public; a missing one is a 404."""
    queryset = Partnership.objects.select_related(
        "coordinator_organisation", "coordinator_municipality"
    ).prefetch_related("themes", "territory")
    return get_object_or_404(queryset, slug=slug)


def _members(partnership: Partnership) -> QuerySet:
    return partnership.members.select_related(
        "organisation", "municipality", "department__municipality", "company"
    ).prefetch_related("themes")


def partnership_members(*, partnership: Partnership) -> QuerySet:
    """Active members, with what their names come from (a fixed number of queries)."""
    return _members(partnership).active().order_by("kind", "pk")


def pending_members(*, partnership: Partnership) -> QuerySet:
    return _members(partnership).filter(
        status__in=[PartnershipMember.Status.INVITED, PartnershipMember.Status.REQUESTED]
    )


def member_get(*, pk: int) -> PartnershipMember:
    queryset = PartnershipMember.objects.select_related(
        "partnership",
        "organisation",
        "municipality",
        "department__municipality",
        "company",
    )
    return get_object_or_404(queryset, pk=pk)


def member_organisation_ids(*, partnership: Partnership, theme: Theme | None = None) -> QuerySet:
    """The organisations among the active members (working in ``theme``), as a subquery."""
    members = partnership.members.active().filter(kind=PartnershipMember.Kind.ORGANISATION)
    if theme is not None:
        members = members.filter(themes=theme)
    return members.values("organisation_id")


def combined_offer(*, partnership: Partnership, theme: Theme | None = None) -> QuerySet:
    """The public offers of the partnership's PES members (in ``theme``) as catalogue cards."""
    return exchange_selectors.offer_cards_of_organisations(
        organisation_ids=member_organisation_ids(partnership=partnership, theme=theme)
    )


def combined_offer_keys(*, partnership: Partnership, theme: Theme | None = None) -> QuerySet:
    """The same offers, their keys only (what the paginator counts and pages through)."""
    return (
        combined_offer(partnership=partnership, theme=theme)
        .select_related(None)
        .prefetch_related(None)
        .only("pk", "created_at")
    )


def offer_cards(keys) -> QuerySet:
    return exchange_selectors.offer_cards(keys)


def themes() -> QuerySet:
    return Theme.objects.all()


def meetings_for(*, partnership: Partnership, see_all: bool) -> QuerySet:
    meetings = partnership.meetings.all()
    return meetings if see_all else meetings.filter(is_published=True)


def meeting_get(*, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("partnership"), pk=pk)


def partnerships_of_organisation_rows() -> JSONRows:
    """The partnerships the organisation ``OuterRef("pk")`` is an active member of, by name, as
    JSON rows to annotate it with (its page's section, ``pestor.sections``)."""
    membership = PartnershipMember.objects.filter(
        partnership=OuterRef("pk"),
        organisation=OuterRef(OuterRef("pk")),
        status=PartnershipMember.Status.ACTIVE,
    )
    return JSONRows(
        Partnership.objects.filter(Exists(membership)).order_by("name", "pk"),
        ("id", "name", "slug", "kind"),
    )


def event_partnership_choices(*, organisation_ids) -> list[tuple[int, str, frozenset[int]]]:
    """The partnerships an event of one of ``organisation_ids`` may be organised by (the
    community app's event form): (partnership id, name, the organisations among
    ``organisation_ids`` that are its active members), by name."""
    rows = (
        PartnershipMember.objects.active()
        .filter(kind=PartnershipMember.Kind.ORGANISATION, organisation_id__in=organisation_ids)
        .order_by("partnership__name", "partnership_id")
        .values_list("partnership_id", "partnership__name", "organisation_id")
    )
    found: dict[int, tuple[str, set[int]]] = {}
    for pk, name, organisation_id in rows:
        found.setdefault(pk, (name, set()))[1].add(organisation_id)
    return [(pk, name, frozenset(ids)) for pk, (name, ids) in found.items()]


def is_active_member(*, partnership_id: int, organisation_id: int) -> bool:
    """Whether the organisation is an active member of the partnership now."""
    return (
        PartnershipMember.objects.active()
        .filter(partnership_id=partnership_id, organisation_id=organisation_id)
        .exists()
    )


def invitations_for_user(*, user, acting: dict) -> QuerySet:
    """Invitations waiting for an answer from what the user acts for (the dashboard panel)."""
    from django.db.models import Q

    K = PartnershipMember.Kind
    condition = (
        Q(kind=K.ORGANISATION, organisation_id__in=acting[K.ORGANISATION])
        | Q(kind=K.MUNICIPALITY, municipality_id__in=acting[K.MUNICIPALITY])
        | Q(kind=K.COMPANY, company_id__in=acting[K.COMPANY])
        | Q(kind=K.DEPARTMENT, department__municipality_id__in=acting[K.DEPARTMENT])
    )
    return (
        PartnershipMember.objects.filter(condition, status=PartnershipMember.Status.INVITED)
        .select_related("partnership", "organisation", "municipality", "department", "company")
        .order_by("-created_at", "-pk")
    )


def export_rows(*, filters: dict | None = None) -> QuerySet:
    return (
        partnership_list(filters=filters)
        .qs.select_related("coordinator_organisation", "coordinator_municipality")
        .prefetch_related(
            "themes",
            "territory",
            Prefetch(
                "members",
                queryset=PartnershipMember.objects.active().only("partnership_id", "kind"),
                to_attr="active_members",
            ),
        )
    )


def member_export_rows(*, partnership: Partnership) -> QuerySet:
    return partnership_members(partnership=partnership)


def target_by_nip(*, kind: str, nip: str):
    """The organisation of the directory (verified) or the company with this NIP, or None."""
    from directory.models import Organisation
    from pestor.models import Company

    if kind == PartnershipMember.Kind.ORGANISATION:
        return Organisation.objects.public().filter(nip=nip).first()
    return Company.objects.filter(nip=nip).first()


def departments_of(*, partnership: Partnership) -> QuerySet:
    from pestor.models import Department

    return Department.objects.filter(municipality__in=partnership.territory.all()).select_related(
        "municipality"
    )


def join_candidates(*, user, partnership: Partnership, acting: dict) -> list:
    """(value, kind, target) for each organisation, municipality or company the user acts for
    that is not yet a member (nor invited, nor asking)."""
    from directory.models import Organisation
    from pestor.models import Company, Municipality

    K = PartnershipMember.Kind
    taken = partnership.members.open()
    candidates = []
    for kind, model, field, prefix in (
        (K.ORGANISATION, Organisation, "organisation_id", "o"),
        (K.MUNICIPALITY, Municipality, "municipality_id", "m"),
        (K.COMPANY, Company, "company_id", "c"),
    ):
        ids = set(acting[kind]) - set(taken.filter(kind=kind).values_list(field, flat=True))
        if ids:
            for target in model.objects.filter(pk__in=ids).order_by("name"):
                candidates.append((f"{prefix}{target.pk}", kind, target))
    return candidates
