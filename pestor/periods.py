"""Periods of days as the database compares them.

A report or an indicator covers whole days in the portal's time zone (Europe/Warsaw); a
timestamp column is compared with the half-open range from the first day's midnight to the
midnight after the last day, so nothing on the last day is lost and no day is counted twice."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def local_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[``start`` 00:00, the day after ``end`` 00:00) as aware datetimes in the portal's zone."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )
