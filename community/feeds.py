"""The calendar's feeds: Atom (new events, as the portal's other feeds) and iCalendar (RFC 5545,
through the ``icalendar`` library) of the upcoming events, with the calendar's filters."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from pestor.feeds import FEED_LENGTH, MunicipalFeed
from pestor.notifications import absolute_url

from .models import Event

PRODID = "-//PES-TOR//Wydarzenia//PL"
# The iCalendar feed carries the next events only: a calendar app polls it often.
ICAL_LENGTH = 200


class EventsFeed(MunicipalFeed):
    subtitle = _("Forums, trainings, study visits, fairs and laboratory sessions of the programme.")

    def title(self):
        return gettext("%(site)s: events") % {"site": settings.SITE_NAME}

    def link(self):
        return reverse("community:event-list")

    def items(self):
        return (
            Event.objects.filter(status=Event.Status.PUBLISHED)
            .select_related("municipality")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_description(self, item):
        return format_html(
            "<p>{}: {}</p><p>{}: {}</p>",
            item.get_kind_display(),
            date_format(timezone.localtime(item.starts_at), "SHORT_DATETIME_FORMAT"),
            gettext("Place"),
            item.venue or item.online_url,
        )


def _domain() -> str:
    return settings.SITE_URL.split("://")[-1].split("/")[0] or "pestor"


def events_ical(events) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", gettext("%(site)s: events") % {"site": settings.SITE_NAME})
    stamp = timezone.now()
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{_domain()}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
        entry.add("summary", event.title)
        entry.add("location", event.venue or event.online_url)
        entry.add("categories", [event.get_kind_display()])
        entry.add("url", absolute_url(event.get_absolute_url()))
        if event.has_map_point:
            entry.add("geo", (float(event.latitude), float(event.longitude)))
        entry.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()
