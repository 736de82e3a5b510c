"""The Atom feed of published calls for premises."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pestor.feeds import FEED_LENGTH, MunicipalFeed

from .models import PremisesCall


class CallsFeed(MunicipalFeed):
    subtitle = _("Calls for municipal premises offered to social economy entities.")

    def title(self):
        return gettext("%(site)s: calls for premises") % {"site": settings.SITE_NAME}

    def link(self):
        return reverse("premises:call-list")

    def items(self):
        return (
            PremisesCall.objects.exclude(status=PremisesCall.Status.DRAFT)
            .select_related("municipality")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_description(self, item):
        return format_html(
            "<p>{}</p><p>{}: {} - {}</p>",
            Truncator(item.purpose).words(60),
            gettext("Applications"),
            date_format(timezone.localtime(item.opens_at), "SHORT_DATETIME_FORMAT"),
            date_format(timezone.localtime(item.closes_at), "SHORT_DATETIME_FORMAT"),
        )
