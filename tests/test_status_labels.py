"""One label per status: what a list's status filter offers is what the badge on the list says,
and a word that is both a status and a date field has a context of its own."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags

from demand.filters import BuyerNoticeFilterSet
from demand.models import DemandNotice
from directory.models import Organisation
from exchange.filters import InquiryFilterSet, OrganisationOfferFilterSet
from exchange.models import Inquiry, Offer


def badge(template, **context) -> str:
    return strip_tags(render_to_string(template, context)).strip()


def filter_labels(filterset_class) -> dict:
    return {
        value: str(label)
        for value, label in filterset_class().form.fields["status"].choices
        if value
    }


@pytest.fixture(autouse=True)
def _polish():
    with translation.override("pl"):
        yield


def test_a_notices_badge_says_what_the_status_filter_offers():
    labels = filter_labels(BuyerNoticeFilterSet)
    assert labels["published"] == "otwarte"
    for status in DemandNotice.Status:
        shown = SimpleNamespace(
            effective_status=status.value,
            get_effective_status_display=lambda status=status: status.label,
        )
        assert badge("demand/_status_badge.html", notice=shown) == labels[status.value]
        assert status.label == labels[status.value]


def test_an_offers_and_an_inquirys_badges_say_what_their_filters_offer():
    offer_labels = filter_labels(OrganisationOfferFilterSet)
    # A deleted offer is hidden from every list, its owner's too, so no filter offers it.
    assert Offer.Status.DELETED not in offer_labels
    for status in Offer.Status:
        if status == Offer.Status.DELETED:
            continue
        shown = badge("exchange/_status_badge.html", offer=Offer(status=status))
        assert shown == offer_labels[status.value]
    inquiry_labels = filter_labels(InquiryFilterSet)
    assert inquiry_labels["open"] == "oczekuje na odpowiedź"
    for status in Inquiry.Status:
        shown = badge("exchange/_inquiry_status.html", inquiry=Inquiry(status=status))
        assert shown == inquiry_labels[status.value]


def test_an_organisations_badge_is_its_status_label():
    for status in Organisation.Status:
        shown = badge("directory/_status_badge.html", organisation=Organisation(status=status))
        assert shown == str(status.label)


def test_published_as_a_date_field_is_not_the_status_word():
    field = DemandNotice._meta.get_field("published_at")
    assert str(field.verbose_name) == "data publikacji"
    assert str(DemandNotice.Status.PUBLISHED.label) != str(field.verbose_name)


def test_polish_pages_write_the_currency_one_way():
    """ "zł" after amounts and "w złotych" in sentences; never "PLN" in a Polish text."""
    from pathlib import Path

    import polib
    from django.conf import settings

    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "pl" / "LC_MESSAGES" / "django.po"))
    with_pln = [
        entry.msgid
        for entry in po
        if not entry.obsolete
        and any("PLN" in text for text in [entry.msgstr, *entry.msgstr_plural.values()])
    ]
    assert with_pln == []
