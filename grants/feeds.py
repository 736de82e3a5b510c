"""The Atom feed of announced open competitions."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pestor.feeds import FEED_LENGTH, MunicipalFeed

from .models import Competition


class CompetitionsFeed(MunicipalFeed):
    subtitle = _("Open competitions for offers of social economy entities and NGOs.")

    def title(self):
        return gettext("%(site)s: open competitions") % {"site": settings.SITE_NAME}

    def link(self):
        return reverse("grants:competition-list")

    def items(self):
        return (
            Competition.objects.exclude(status=Competition.Status.DRAFT)
            .select_related("municipality")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_description(self, item):
        return format_html(
            "<p>{}</p><p>{}: {} PLN. {}: {} - {}</p>",
            Truncator(item.description).words(60),
            gettext("Budget"),
            item.budget,
            gettext("Offers"),
            date_format(timezone.localtime(item.offers_from), "SHORT_DATETIME_FORMAT"),
            date_format(timezone.localtime(item.offers_until), "SHORT_DATETIME_FORMAT"),
        )
