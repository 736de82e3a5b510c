"""Reminders by Celery beat: the day before pick-up, the day before return, and overdue after
1 and 7 days, to the borrower and the owner. Each is keyed by booking and kind, so running the
job twice sends nothing twice, and a booking already returned is never reminded."""

from datetime import datetime, timedelta

from django.utils import timezone

from .. import availability
from ..models import Booking
from .notifications import notify_booking


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    start, end = availability.local(tomorrow), availability.local(tomorrow + timedelta(days=1))
    sent = {"pickup": 0, "return": 0, "overdue_1": 0, "overdue_7": 0}
    related = ("owner", "resource", "kit", "requested_by", "organisation", "department")
    for booking in Booking.objects.filter(
        status=Booking.Status.APPROVED, starts_at__gte=start, starts_at__lt=end
    ).select_related(*related):
        notify_booking(booking, "reminder_pickup")
        sent["pickup"] += 1
    for booking in Booking.objects.filter(
        status=Booking.Status.HANDED_OUT, ends_at__gte=start, ends_at__lt=end
    ).select_related(*related):
        notify_booking(booking, "reminder_return")
        sent["return"] += 1
    for days, key in ((7, "overdue_7"), (1, "overdue_1")):
        for booking in Booking.objects.filter(
            status=Booking.Status.HANDED_OUT, ends_at__lte=now - timedelta(days=days)
        ).select_related(*related):
            notify_booking(booking, key, context={"days": days})
            sent[key] += 1
    return sent
