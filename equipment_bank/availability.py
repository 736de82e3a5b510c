"""When units are free: the one rule the catalogue, the calendar and the booking service share.

A unit is free for a period when it is available (not in repair or retired), its inspection has
not expired, it has no open damage case, no booked unit row that holds a slot overlaps the
period widened by the resource's buffers, and it is not out on an overdue loan (an overdue unit
counts as unavailable until it is returned, whatever period is asked for).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Exists, Func, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Booking, BookingItem, DamageCase, Resource, ResourceUnit


def local(day: date, at: time = time.min) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


class BlockedRange(Func):
    """``tstzrange(blocked_from, blocked_until, '[)')``: the expression the exclusion
    constraint's GiST index (migration 0002) is built on, so a filter on it uses that index."""

    function = "TSTZRANGE"
    template = "%(function)s(%(expressions)s, '[)')"

    @property
    def output_field(self):
        from django.contrib.postgres.fields import DateTimeRangeField

        return DateTimeRangeField()


def overlapping_items(*, start: datetime, end: datetime) -> QuerySet:
    """Booked unit rows holding a slot whose blocked time overlaps [start, end). PostgreSQL
    answers it across all units from the GiST index over the blocked range alone, an index-only
    scan (migration 0003), and for one unit or resource from theirs; other databases from the
    btree indexes over (unit or resource, blocked_until, blocked_from)."""
    items = BookingItem.objects.filter(holds_slot=True)
    if connection.vendor == "postgresql":
        from psycopg.types.range import Range

        return items.alias(blocked=BlockedRange("blocked_from", "blocked_until")).filter(
            blocked__overlap=Range(start, end, "[)")
        )
    return items.filter(blocked_from__lt=end, blocked_until__gt=start)


def overdue_items(*, now: datetime | None = None) -> QuerySet:
    """Booked unit rows out on a loan past its end: the unit is unavailable until returned,
    whatever period is asked for (the index over the bookings' (status, ends_at) finds the
    few loans out, and their rows by booking)."""
    return BookingItem.objects.filter(
        holds_slot=True,
        booking__status=Booking.Status.HANDED_OUT,
        booking__ends_at__lt=now or timezone.now(),
    )


def _busy(*, start: datetime, end: datetime, now: datetime | None = None) -> Q:
    """Units (a filter of ``ResourceUnit``) kept from being lent in [start, end): a booked row
    overlaps it, or the unit is out on an overdue loan. On PostgreSQL both are sets computed
    once per query (the GiST index finds the rows overlapping the period across all units, the
    bookings' (status, ends_at) index the loans out) and each unit is looked up in them; on
    SQLite a NOT EXISTS per unit over the index on (unit, blocked_until, blocked_from)."""
    overlapping = overlapping_items(start=start, end=end)
    overdue = overdue_items(now=now)
    if connection.vendor == "postgresql":
        return Q(pk__in=overlapping.values("unit_id")) | Q(pk__in=overdue.values("unit_id"))
    return Exists(overlapping.filter(unit=OuterRef("pk"))) | Exists(
        overdue.filter(unit=OuterRef("pk"))
    )


def blocking_rows(resource: Resource, *fields: str, start: datetime, end: datetime) -> list:
    """``fields`` of the resource's booked unit rows that keep a unit from being lent in
    [start, end): those overlapping it and those out on an overdue loan (one query, each half
    answered by its index)."""
    overlapping = overlapping_items(start=start, end=end).filter(resource=resource)
    overdue = overdue_items().filter(resource=resource)
    return list(
        overlapping.order_by()
        .values_list(*fields)
        .union(overdue.order_by().values_list(*fields), all=True)
    )


def bookable_units(*, today: date | None = None) -> QuerySet:
    """Units in the bookable pool: available, inspected, with no open damage case."""
    today = today or timezone.localdate()
    # The few units with an open case, read once per query (a hashed set on PostgreSQL), not a
    # lookup per unit: the catalogue checks every unit of every resource.
    damaged = DamageCase.objects.filter(status=DamageCase.Status.OPEN).values("unit_id")
    return (
        ResourceUnit.objects.filter(status=ResourceUnit.Status.AVAILABLE)
        .filter(Q(inspection_due__isnull=True) | Q(inspection_due__gte=today))
        .exclude(pk__in=damaged)
    )


def free_units(
    resource: Resource, *, start: datetime, end: datetime, now: datetime | None = None
) -> QuerySet:
    """The resource's units free for [start, end), the buffers of the resource included."""
    busy = _busy(start=start - resource.buffer_before, end=end + resource.buffer_after, now=now)
    return (
        bookable_units().filter(resource=resource).exclude(busy).order_by("inventory_number", "pk")
    )


def resources_free_between(queryset: QuerySet, *, start: datetime, end: datetime) -> QuerySet:
    """``queryset`` of resources narrowed to those with at least one unit free in [start, end)
    (buffers are left to the booking form: the catalogue answers "is there one then"), each
    unit checked against the indexed booked rows (``_busy``), never a scan of them."""
    busy = _busy(start=start, end=end)
    free = bookable_units().filter(resource=OuterRef("pk")).exclude(busy)
    return queryset.filter(Exists(free))


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    state: str  # "free", "partly", "tentative", "booked", "closed", "past"
    free_units: int
    units: int

    @property
    def label(self) -> str:
        from django.utils.translation import gettext

        return {
            "free": gettext("free"),
            "partly": gettext("partly booked"),
            "tentative": gettext("tentatively booked"),
            "booked": gettext("booked"),
            "closed": gettext("closed"),
            "past": gettext("past"),
            "unavailable": gettext("unavailable"),
        }[self.state]


def month_calendar(resource: Resource, *, year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month with each day's state for the resource: free, partly
    booked, tentatively booked (only requests), booked, or closed. Never who booked. Three
    queries, whatever the number of bookings."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    start, end = local(first), local(last + timedelta(days=1))
    units = list(bookable_units().filter(resource=resource).values_list("pk", flat=True))
    items = blocking_rows(
        resource,
        "unit_id",
        "blocked_from",
        "blocked_until",
        "tentative",
        "booking__status",
        start=start,
        end=end,
    )
    now = timezone.now()
    today = timezone.localdate()
    result = []
    for week in weeks:
        row = []
        for day in week:
            day_start, day_end = local(day), local(day + timedelta(days=1))
            if resource.is_room and resource.opens_at and resource.closes_at:
                day_start, day_end = local(day, resource.opens_at), local(day, resource.closes_at)
            busy_firm, busy_tentative = set(), set()
            for unit_id, blocked_from, blocked_until, tentative, status in items:
                overdue = status == Booking.Status.HANDED_OUT and blocked_until < now
                if overdue or (blocked_from < day_end and blocked_until > day_start):
                    (busy_tentative if tentative else busy_firm).add(unit_id)
            busy = (busy_firm | busy_tentative) & set(units)
            free = len(units) - len(busy)
            if day < today:
                state = "past"
            elif not resource.is_open_on(day):
                state = "closed"
            elif not units:
                state = "unavailable"
            elif free == len(units):
                state = "free"
            elif free > 0:
                state = "partly"
            elif not (busy_firm & set(units)):
                state = "tentative"
            else:
                state = "booked"
            row.append(CalendarDay(day, day.month == month, state, free, len(units)))
        result.append(row)
    return result


def day_slots(resource: Resource, *, day: date) -> list[dict]:
    """A room's day hour by hour (within opening hours): free, tentative or booked."""
    if not resource.is_room or not resource.opens_at or not resource.closes_at:
        return []
    start, end = local(day, resource.opens_at), local(day, resource.closes_at)
    items = blocking_rows(
        resource, "blocked_from", "blocked_until", "tentative", start=start, end=end
    )
    slots = []
    hour = start
    while hour < end:
        following = min(hour + timedelta(hours=1), end)
        states = [t for f, u, t in items if f < following and u > hour]
        state = "free" if not states else ("tentative" if all(states) else "booked")
        slots.append({"start": hour, "end": following, "state": state})
        hour = following
    return slots
