"""The Atom feed of published calls for premises."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import PremisesCall

FEED_LENGTH = 30


class CallsFeed(Feed):
    feed_type = Atom1Feed
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

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.municipality.name

    def item_description(self, item):
        return format_html(
            "<p>{}</p><p>{}: {} - {}</p>",
            Truncator(item.purpose).words(60),
            gettext("Applications"),
            date_format(timezone.localtime(item.opens_at), "SHORT_DATETIME_FORMAT"),
            date_format(timezone.localtime(item.closes_at), "SHORT_DATETIME_FORMAT"),
        )
