"""The Atom feed of new demand notices, for PES that follow the city's needs in a feed reader."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pestor.feeds import FEED_LENGTH, PublishedFeed

from .models import DemandNotice
from .pdf import pln


class NewNoticesFeed(PublishedFeed):
    def title(self):
        return gettext("%(site)s: new demand notices") % {"site": settings.SITE_NAME}

    subtitle = _(
        "What municipalities and companies need from social economy entities: the newest "
        "published notices."
    )

    def link(self):
        return reverse("demand:notice-list")

    def items(self):
        return (
            DemandNotice.objects.public()
            .filter(published_at__isnull=False)
            .select_related("municipality", "department__municipality", "company", "clause_check")
            .prefetch_related("cpv_codes")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.buyer_name

    def item_categories(self, item):
        return [code.full_code for code in item.cpv_codes.all()]

    def item_description(self, item):
        facts = [
            (gettext("Buyer"), f"{item.buyer_name}, {item.municipality.name}"),
            (
                gettext("Deadline for answers"),
                date_format(timezone.localtime(item.answers_deadline), "SHORT_DATETIME_FORMAT"),
            ),
            (
                gettext("CPV codes"),
                "; ".join(f"{code.full_code} {code.name}" for code in item.cpv_codes.all()),
            ),
            (gettext("Social clauses"), clause_summary(item)),
        ]
        if item.estimated_value_public and item.estimated_value is not None:
            facts.insert(1, (gettext("Estimated value net"), pln(item.estimated_value)))
        return format_html(
            "<p>{}</p><ul>{}</ul>",
            Truncator(item.description).words(60),
            format_html_join("", "<li>{}: {}</li>", ((label, value) for label, value in facts)),
        )


def clause_summary(notice) -> str:
    check = getattr(notice, "clause_check", None)
    if check is None:
        return "—"
    clauses = []
    if check.is_social_service:
        clauses.append(gettext("social service that may be reserved (art. 361 PZP)"))
    if check.reserved_for_pes:
        clauses.append(gettext("reserved for social economy entities (art. 94 PZP)"))
    if check.employment_requirement:
        clauses.append(gettext("employment of excluded persons required (art. 96 PZP)"))
    return "; ".join(clauses) or gettext("none")
