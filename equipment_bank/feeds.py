"""iCalendar feeds (RFC 5545, through the ``icalendar`` library): a resource's public busy
times, never who booked; an organisation's own bookings at a secret, revocable address."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from pestor.notifications import absolute_url

PRODID = "-//PES-TOR//Bank sprzetu//PL"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _domain() -> str:
    return settings.SITE_URL.split("://")[-1].split("/")[0] or "pestor"


def resource_busy_feed(resource, busy: list[dict]) -> bytes:
    calendar = _calendar(f"{resource.name} — {_('busy')}")
    stamp = timezone.now()
    for period in busy:
        event = Event()
        event.add("uid", f"{period['uid']}@{_domain()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", period["start"])
        event.add("dtend", period["end"])
        event.add("summary", _("Tentatively booked") if period["tentative"] else _("Booked"))
        event.add("status", "TENTATIVE" if period["tentative"] else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


def organisation_feed(organisation, bookings) -> bytes:
    calendar = _calendar(_("Bookings of %(name)s") % {"name": organisation.display_name})
    stamp = timezone.now()
    for booking in bookings:
        event = Event()
        event.add("uid", f"bank-booking-{booking.pk}@{_domain()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("summary", f"{booking.title} ({booking.get_status_display()})")
        event.add("location", booking.owner.pickup_address)
        event.add("description", booking.purpose)
        event.add("url", absolute_url(booking.get_absolute_url()))
        cancelled = booking.status in (booking.Status.CANCELLED, booking.Status.NO_SHOW)
        event.add(
            "status",
            "CANCELLED" if cancelled else ("TENTATIVE" if booking.is_tentative else "CONFIRMED"),
        )
        calendar.add_component(event)
    return calendar.to_ical()
