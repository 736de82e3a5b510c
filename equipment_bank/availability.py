"""When units are free: the one rule the catalogue, the calendar and the booking service share.

A unit is free for a period when it is available (not in repair or retired), its inspection has
not expired, it has no open damage case, no booked unit row that holds a slot overlaps the
period widened by the resource's buffers, and it is not out on an overdue loan (an overdue unit
counts as unavailable until it is returned, whatever period is asked for).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Booking, BookingItem, DamageCase, Resource, ResourceUnit


def local(day: date, at: time = time.min) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


def blocking_items(*, start: datetime, end: datetime, now: datetime | None = None) -> QuerySet:
    """Booked unit rows that keep a unit from being lent in [start, end)."""
    now = now or timezone.now()
    return BookingItem.objects.filter(holds_slot=True).filter(
        Q(blocked_from__lt=end, blocked_until__gt=start)
        | Q(booking__status=Booking.Status.HANDED_OUT, booking__ends_at__lt=now)
    )


def bookable_units(*, today: date | None = None) -> QuerySet:
    """Units in the bookable pool: available, inspected, with no open damage case."""
    today = today or timezone.localdate()
    open_damage = DamageCase.objects.filter(unit=OuterRef("pk"), status=DamageCase.Status.OPEN)
    return (
        ResourceUnit.objects.filter(status=ResourceUnit.Status.AVAILABLE)
        .filter(Q(inspection_due__isnull=True) | Q(inspection_due__gte=today))
        .exclude(Exists(open_damage))
    )


def free_units(
    resource: Resource, *, start: datetime, end: datetime, now: datetime | None = None
) -> QuerySet:
    """The resource's units free for [start, end), the buffers of the resource included."""
    blocked_from = start - resource.buffer_before
    blocked_until = end + resource.buffer_after
    busy = blocking_items(start=blocked_from, end=blocked_until, now=now).filter(
        unit=OuterRef("pk")
    )
    return (
        bookable_units()
        .filter(resource=resource)
        .exclude(Exists(busy))
        .order_by("inventory_number", "pk")
    )


def resources_free_between(queryset: QuerySet, *, start: datetime, end: datetime) -> QuerySet:
    """``queryset`` of resources narrowed to those with at least one unit free in [start, end)
    (buffers are left to the booking form: the catalogue answers "is there one then")."""
    busy = blocking_items(start=start, end=end).filter(unit=OuterRef("pk"))
    free = bookable_units().filter(resource=OuterRef("pk")).exclude(Exists(busy))
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
    items = list(
        blocking_items(start=start, end=end)
        .filter(resource=resource)
        .values_list("unit_id", "blocked_from", "blocked_until", "tentative", "booking__status")
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
    items = list(
        blocking_items(start=start, end=end)
        .filter(resource=resource)
        .values_list("blocked_from", "blocked_until", "tentative")
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
