"""Reads of events and registrations, and the indicators they give the monitoring."""

from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from directory.permissions import verified_organisation_ids
from pestor.periods import local_day_bounds
from pestor.related_rows import JSONRows

from . import permissions
from .filters import EventFilterSet
from .models import Event, Material, Registration, Speaker

# What a calendar card shows: nothing of the programme or the report.
CARD_FIELDS = [
    "pk",
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "audience",
    "capacity",
    "seats_taken",
    "waiting",
    "registration_deadline",
    "status",
    "municipality__name",
    # The iCalendar feed's GEO.
    "latitude",
    "longitude",
]


def _published() -> QuerySet:
    return Event.objects.exclude(status=Event.Status.DRAFT)


def event_list(*, filters=None) -> EventFilterSet:
    """The public calendar: published (and cancelled, marked so) events, soonest first."""
    data = filters.copy() if filters is not None else None
    if data is not None and "when" not in data:
        data["when"] = "upcoming"
    queryset = (
        _published().select_related("municipality").only(*CARD_FIELDS).order_by("starts_at", "pk")
    )
    return EventFilterSet(data or {"when": "upcoming"}, queryset=queryset)


# How many of its coming events a partnership's page lists (the rest: the calendar's filter).
PARTNERSHIP_EVENTS = 5


def partnership_events(*, partnership_id: int) -> list[Event]:
    """The coming (and running) published events a partnership organises, soonest first, as
    calendar cards: its page lists them (``PARTNERSHIP_EVENTS`` at most) and links to the
    calendar filtered by the partnership for the rest and the past ones."""
    return list(
        _published()
        .filter(partnership_id=partnership_id, ends_at__gt=timezone.now())
        .select_related("municipality")
        .only(*CARD_FIELDS)
        .order_by("starts_at", "pk")[:PARTNERSHIP_EVENTS]
    )


def event_month(*, year: int, month: int, filters=None) -> tuple[EventFilterSet, list[Event]]:
    """Events that take place (at least partly) in the month, local time."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(date(year, month, 1), time.min, tzinfo=zone)
    following = date(year + month // 12, month % 12 + 1, 1)
    end = datetime.combine(following, time.min, tzinfo=zone)
    data = filters.copy() if filters is not None else {}
    if hasattr(data, "pop"):
        data.pop("when", None)
    queryset = (
        _published()
        .filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("municipality")
        .only(*CARD_FIELDS)
        .order_by("starts_at", "pk")
    )
    filterset = EventFilterSet(data or None, queryset=queryset)
    # A month of a national calendar is bounded by what a page can show.
    return filterset, list(filterset.qs[:500])


def event_drafts(*, user) -> QuerySet:
    """The drafts the user may manage."""
    if not user.is_authenticated:
        return Event.objects.none()
    queryset = Event.objects.filter(status=Event.Status.DRAFT).select_related("municipality")
    from pestor import roles

    if roles.is_administrator(user):
        return queryset.order_by("-created_at")
    return queryset.filter(
        Q(municipality_id__in=permissions.publisher_municipality_ids(user))
        | Q(organiser_id__in=verified_organisation_ids(user))
    ).order_by("-created_at")


def event_get_for_user(*, user, pk: int) -> Event:
    """An event the user may see; a draft of someone else's is the same 404 as none."""
    event = (
        Event.objects.select_related(
            "municipality", "organiser", "partnership", "survey_gap__question__survey"
        )
        .filter(pk=pk)
        .first()
    )
    if event is None or not permissions.can_view_event(user, event):
        raise Http404
    return event


def event_speakers(*, event: Event) -> list[Speaker]:
    return list(event.speakers.select_related("organisation"))


def event_materials(*, event: Event) -> list[Material]:
    return list(event.materials.only("pk", "title", "extension", "event_id"))


def material_get_for_user(*, user, event_pk: int, pk: int) -> Material:
    event = event_get_for_user(user=user, pk=event_pk)
    material = event.materials.filter(pk=pk).first()
    if material is None:
        raise Http404
    return material


def registrations_of_user_for_event(*, user, event: Event) -> list[Registration]:
    if not user.is_authenticated:
        return []
    return list(
        event.registrations.filter(registered_by=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("organisation")
    )


def waiting_queue(*, event: Event) -> list[int]:
    """The keys of the waiting list in its order (the first gets the next free place)."""
    return list(
        event.registrations.filter(status=Registration.Status.WAITING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def my_registrations(*, user) -> QuerySet:
    return (
        Registration.objects.filter(registered_by=user)
        .select_related("event", "event__municipality", "organisation")
        .order_by("-event__starts_at", "pk")
    )


def registration_get_for_user(*, user, pk: int) -> Registration:
    registration = (
        Registration.objects.select_related("event", "registered_by").filter(pk=pk).first()
    )
    if registration is None or not (
        registration.registered_by_id == user.pk
        or permissions.can_manage_event(user, registration.event)
    ):
        raise Http404
    return registration


def event_participants(*, event: Event) -> QuerySet:
    """Everyone registered, for the organiser: confirmed first, then the waiting list in its
    order, then the cancelled."""
    rank = Case(
        When(status=Registration.Status.CONFIRMED, then=Value(0)),
        When(status=Registration.Status.WAITING, then=Value(1)),
        default=Value(2),
    )
    return (
        event.registrations.select_related("organisation")
        .annotate(rank=rank)
        .order_by("rank", "created_at", "pk")
    )


def attendance_rows(*, event: Event) -> QuerySet:
    """Confirmed participants in alphabetical order: the attendance list."""
    return (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("organisation")
        .order_by("name", "pk")
    )


def registrations_to_remind(*, day: date) -> QuerySet:
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = start + timedelta(days=1)
    return Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    ).select_related("event", "registered_by")


def organisation_events_rows() -> JSONRows:
    """Published events the organisation ``OuterRef("pk")`` organises or speaks at, the latest
    20 (what its page shows of them), as JSON rows to annotate it with (its page's section,
    ``pestor.sections``)."""
    speaking = Speaker.objects.filter(organisation=OuterRef(OuterRef("pk"))).values("event_id")
    return JSONRows(
        _published()
        .filter(Q(organiser=OuterRef("pk")) | Q(pk__in=speaking))
        .order_by("-starts_at", "-pk")[:20],
        ("id", "kind", "title", "starts_at", "status"),
    )


# --- indicators for the monitoring (monitoring/computed.py) -------------------------------------


def _held(*, municipality, start: date, end: date) -> QuerySet:
    since, until = local_day_bounds(start, end)
    return Event.objects.filter(
        municipality=municipality,
        status=Event.Status.PUBLISHED,
        starts_at__gte=since,
        starts_at__lt=until,
    )


def indicator_events(*, municipality, start: date, end: date) -> int:
    """Events held in the period (published, not cancelled)."""
    return _held(municipality=municipality, start=start, end=end).count()


def events_by_kind(*, municipality, start: date, end: date) -> dict[str, int]:
    rows = (
        _held(municipality=municipality, start=start, end=end)
        .values("kind")
        .annotate(n=Count("pk"))
    )
    return {row["kind"]: row["n"] for row in rows}


def _participants(*, municipality, start, end, affiliation) -> int:
    events = _held(municipality=municipality, start=start, end=end)
    registrations = Registration.objects.filter(
        event__in=events, status=Registration.Status.CONFIRMED, affiliation=affiliation
    )
    # Where attendance was marked, those present; otherwise those with a place.
    return registrations.exclude(attended=False).count()


def indicator_participants_pes(*, municipality, start: date, end: date) -> int:
    return _participants(
        municipality=municipality, start=start, end=end, affiliation=Registration.Affiliation.PES
    )


def indicator_participants_administration(*, municipality, start: date, end: date) -> int:
    return _participants(
        municipality=municipality,
        start=start,
        end=end,
        affiliation=Registration.Affiliation.ADMINISTRATION,
    )


def indicator_training_hours(*, municipality, start: date, end: date) -> float:
    """Hours of the trainings held in the period."""
    periods = (
        _held(municipality=municipality, start=start, end=end)
        .filter(kind=Event.Kind.TRAINING)
        .values_list("starts_at", "ends_at")
    )
    seconds = sum((ends - starts).total_seconds() for starts, ends in periods)
    return round(seconds / 3600, 1)


def _events_of_kind(kind: str):
    def indicator(*, municipality, start: date, end: date) -> int:
        return _held(municipality=municipality, start=start, end=end).filter(kind=kind).count()

    indicator.__name__ = indicator.__qualname__ = f"indicator_events_{kind}"
    indicator.__doc__ = f"Events of the kind {kind!r} held in the period."
    return indicator


# One indicator per kind of event (monitoring names each by its dotted path):
# indicator_events_forum, indicator_events_training, … indicator_events_other.
for _kind in Event.Kind.values:
    globals()[f"indicator_events_{_kind}"] = _events_of_kind(_kind)


def personal_data(*, user) -> dict:
    """The registrations the person made, for themselves or colleagues (RODO art. 15, 20)."""
    return {
        "registrations": [
            {
                "event": registration.event.title,
                "starts": registration.event.starts_at.isoformat(),
                "participant": registration.name,
                "email": registration.email,
                "organisation": registration.organisation.name if registration.organisation else "",
                "status": registration.status,
                "registered": registration.created_at.isoformat(),
                "present": registration.attended,
            }
            for registration in Registration.objects.filter(registered_by=user)
            .select_related("event", "organisation")
            .order_by("created_at", "pk")
        ],
    }


# The surveys', the award's and the contests' counts live with them (community.surveys_selectors,
# community.awards_selectors); monitoring reads every app's indicators from its selectors module.
from .awards_selectors import indicator_laureates, indicator_nominations  # noqa: E402, F401
from .surveys_selectors import indicator_survey_responses, indicator_surveys  # noqa: E402, F401
