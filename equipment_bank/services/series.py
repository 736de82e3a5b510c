"""Recurring room bookings: every week or every second week for N weeks. Each occurrence is
checked first and every conflicting one listed before anything is saved; then all are
requested in one transaction, all or nothing."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import availability
from ..models import RecurringSeries, Resource
from .bookings import (
    Borrower,
    booking_request,
    check_limit,
    check_period,
    lock_resources,
    period_of,
)

MAX_OCCURRENCES = 26


@dataclass
class Occurrence:
    day: date
    problem: str = ""


def occurrence_days(*, first: date, frequency: str, occurrences: int) -> list[date]:
    step = 14 if frequency == RecurringSeries.Frequency.FORTNIGHTLY else 7
    return [first + timedelta(days=step * n) for n in range(occurrences)]


def series_check(
    *,
    resource: Resource,
    first: date,
    start_time: time,
    end_time: time,
    frequency: str,
    occurrences: int,
) -> list[Occurrence]:
    """Every occurrence with what stands in its way (empty when it is free)."""
    if not 1 <= occurrences <= MAX_OCCURRENCES:
        raise ValidationError(
            {
                "occurrences": _("Book between 1 and %(max)s occurrences.")
                % {"max": MAX_OCCURRENCES}
            },
            code="occurrences",
        )
    found = []
    for day in occurrence_days(first=first, frequency=frequency, occurrences=occurrences):
        start, end = period_of(resource, start_date=day, start_time=start_time, end_time=end_time)
        problem = ""
        try:
            check_period(resource, start, end)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            if not availability.free_units(resource, start=start, end=end).exists():
                problem = _("already booked")
        found.append(Occurrence(day, problem))
    return found


@transaction.atomic
def series_request(
    *,
    user,
    resource: Resource,
    borrower: Borrower,
    first: date,
    start_time: time,
    end_time: time,
    frequency: str,
    occurrences: int,
    purpose: str,
    public_task: str = "",
    accepted_rules: bool,
) -> RecurringSeries:
    if not resource.is_room:
        raise ValidationError(_("Only rooms are booked in a series."), code="not_room")
    lock_resources([resource])
    checked = series_check(
        resource=resource,
        first=first,
        start_time=start_time,
        end_time=end_time,
        frequency=frequency,
        occurrences=occurrences,
    )
    conflicts = [occurrence for occurrence in checked if occurrence.problem]
    if conflicts:
        raise ValidationError(
            [
                _("%(day)s: %(problem)s")
                % {"day": occurrence.day.strftime("%d.%m.%Y"), "problem": occurrence.problem}
                for occurrence in conflicts
            ],
            code="series_conflicts",
        )
    series = RecurringSeries.objects.create(
        resource=resource, frequency=frequency, occurrences=occurrences, created_by=user
    )
    # The per-borrower limit counts a series as one booking.
    check_limit(resource, borrower)
    for occurrence in checked:
        start, end = period_of(
            resource, start_date=occurrence.day, start_time=start_time, end_time=end_time
        )
        booking_request(
            user=user,
            resource=resource,
            borrower=borrower,
            start=start,
            end=end,
            purpose=purpose,
            public_task=public_task,
            accepted_rules=accepted_rules,
            series=series,
            count_limit=False,
        )
    return series
