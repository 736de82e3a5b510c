"""Reads of the award and the contests: the public calls and laureates, a nominator's own
nominations, the officials' lists, the jury's items, the organisation page's section and the
monitoring's counts. Each list is one query with its joins (and only the columns it shows)."""

from datetime import date

from django.db.models import Count, F, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from pestor.periods import local_day_bounds
from pestor.related_rows import JSONRows, instances

from .awards_models import AwardCall, Nomination, Vote
from .awards_permissions import can_manage_call, can_read_letters

# What a public row of a nomination shows (the laureates page, a contest's entries).
PUBLIC_COLUMNS = (
    "call_id",
    "person_name",
    "organisation_id",
    "offer_id",
    "votes",
    "jury_total",
    "place",
    "organisation__name",
    "organisation__slug",
    "offer__title",
)


def _public_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("organisation", "offer").only(*PUBLIC_COLUMNS)


def call_list() -> QuerySet:
    return AwardCall.objects.select_related("municipality").order_by("-year", "kind", "pk")


def call_get(*, pk) -> AwardCall:
    """Every call is public (what it is about, until when, its laureates once published)."""
    return get_object_or_404(AwardCall.objects.select_related("municipality"), pk=pk)


def nomination_count(*, call: AwardCall) -> int:
    return Nomination.objects.filter(call=call).count()


def contest_entries(*, call: AwardCall) -> QuerySet:
    """The offers nominated in a contest with a public vote, the most voted first."""
    return _public_rows(call.nominations.all()).order_by("-votes", "pk")


def call_laureates(*, call: AwardCall) -> list[Nomination]:
    if not call.results_published:
        return []
    return list(_public_rows(call.nominations.filter(place__isnull=False)).order_by("place", "pk"))


def laureate_list(*, year: int | None = None) -> QuerySet:
    """Every published laureate, the latest year first."""
    queryset = Nomination.objects.filter(
        place__isnull=False, call__results_published_at__isnull=False
    )
    if year is not None:
        queryset = queryset.filter(call__year=year)
    return (
        _public_rows(queryset)
        .select_related("call", "call__municipality")
        .only(
            *PUBLIC_COLUMNS,
            "call__year",
            "call__kind",
            "call__category",
            "call__municipality__name",
        )
        .order_by("-call__year", "call_id", "place", "pk")
    )


def laureate_years() -> list[int]:
    return list(
        AwardCall.objects.filter(results_published_at__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()[:50]
    )


def my_nominations(*, user) -> QuerySet:
    return (
        Nomination.objects.filter(nominator=user)
        .select_related("call", "organisation", "offer")
        .order_by("-created_at", "-pk")
    )


def nomination_get_for_user(*, user, pk) -> Nomination:
    """A nomination its nominator or the call's managers see; anyone else gets the same 404
    as for a missing one."""
    if not (user and user.is_authenticated):
        raise_404()
    nomination = get_object_or_404(
        Nomination.objects.select_related("call", "call__municipality", "organisation", "offer"),
        pk=pk,
    )
    if nomination.nominator_id != user.pk and not can_manage_call(user, nomination.call):
        raise_404()
    return nomination


def nomination_get_for_letters(*, user, pk) -> Nomination:
    """A nomination whose letters the user may read (``can_read_letters``), or a 404."""
    nomination = (
        Nomination.objects.select_related("call").filter(pk=pk).first()
        if user and user.is_authenticated
        else None
    )
    if nomination is None or not can_read_letters(user, nomination):
        raise_404()
    return nomination


def letter_get(*, nomination: Nomination, pk):
    return get_object_or_404(nomination.letters.all(), pk=pk)


def raise_404():
    from django.http import Http404

    raise Http404


def nominations_for_managers(*, call: AwardCall) -> QuerySet:
    """Every nomination of the call with its nominator and how many letters it has."""
    return (
        call.nominations.select_related("nominator", "organisation", "offer")
        .annotate(letter_count=Count("letters"))
        .order_by("pk")
    )


def jury_items(call: AwardCall) -> QuerySet:
    """What the jury scores (``scoring`` registration): the nominations, once nominations are
    closed, so that none changes under a juror's eyes."""
    if call.accepts_nominations():
        return Nomination.objects.none()
    return call.nominations.select_related("organisation", "offer").order_by("pk")


def jury_label(nomination: Nomination) -> str:
    return nomination.nominee


def organisation_distinctions(*, organisation) -> list[Nomination]:
    """The organisation's places in published awards and contests."""
    return list(
        Nomination.objects.filter(
            organisation=organisation,
            place__isnull=False,
            call__results_published_at__isnull=False,
        )
        .select_related("call", "offer")
        .order_by("-call__year", "place", "pk")[:50]
    )


def organisation_distinctions_rows() -> JSONRows:
    """``organisation_distinctions`` of the organisation ``OuterRef("pk")`` (what its page
    shows of them), as JSON rows to annotate it with (its page's section,
    ``pestor.sections``)."""
    return JSONRows(
        Nomination.objects.filter(
            organisation=OuterRef("pk"),
            place__isnull=False,
            call__results_published_at__isnull=False,
        )
        .annotate(
            call_kind=F("call__kind"),
            call_year=F("call__year"),
            call_category=F("call__category"),
            offer_title=F("offer__title"),
        )
        .order_by("-call__year", "place", "pk")[:50],
        (
            "id",
            "place",
            "call_id",
            "offer_id",
            "call_kind",
            "call_year",
            "call_category",
            "offer_title",
        ),
    )


def distinctions_of_rows(rows: list[dict]) -> list[Nomination]:
    """``organisation_distinctions`` from ``organisation_distinctions_rows``' JSON rows, each
    with its call (the fields the page shows) and its offer's title (``offer_title``)."""
    nominations = instances(Nomination, rows)
    for nomination in nominations:
        nomination.call = AwardCall(
            pk=nomination.call_id,
            kind=nomination.call_kind,
            year=nomination.call_year,
            category=nomination.call_category,
        )
    return nominations


def my_vote(*, user, call: AwardCall) -> Vote | None:
    if not (user and user.is_authenticated) or not call.public_vote:
        return None
    return Vote.objects.filter(call=call, voter=user).first()


def personal_data(*, user) -> dict:
    """The person's nominations and votes (RODO art. 15, 20)."""
    return {
        "nominations": [
            {
                "call": str(nomination.call),
                "nominee": nomination.nominee,
                "on_behalf_of": nomination.on_behalf_of,
                "justification": nomination.justification,
                "nominated": nomination.created_at.isoformat(),
                "letters": [letter.name for letter in nomination.letters.all()],
            }
            for nomination in my_nominations(user=user).prefetch_related("letters")
        ],
        "votes": [
            {"call": str(vote.call), "nominee": vote.nomination.nominee}
            for vote in Vote.objects.filter(voter=user).select_related(
                "call", "nomination__organisation", "nomination__offer"
            )
        ],
    }


# --- monitoring --------------------------------------------------------------------------------


def indicator_nominations(*, municipality, start: date, end: date) -> int:
    """Nominations for the municipality's award and contests made in the period."""
    since, until = local_day_bounds(start, end)
    return Nomination.objects.filter(
        call__municipality=municipality, created_at__gte=since, created_at__lt=until
    ).count()


def indicator_laureates(*, municipality, start: date, end: date) -> int:
    """Laureates of the municipality's award and contests announced in the period."""
    since, until = local_day_bounds(start, end)
    return Nomination.objects.filter(
        call__municipality=municipality,
        call__results_published_at__gte=since,
        call__results_published_at__lt=until,
        place__isnull=False,
    ).count()
