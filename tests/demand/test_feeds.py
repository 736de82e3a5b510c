"""The Atom feed of new demand notices: the newest public notices first, never drafts or
cancelled ones, each entry with its buyer, deadline, CPV codes and clauses."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from demand.feeds import FEED_LENGTH, NewNoticesFeed
from demand.models import DemandNotice
from exchange.models import CpvCode
from tests.demand.factories_pdf import ClauseCheckFactory, NoticeFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def render_feed():
    request = RequestFactory().get("/zapotrzebowanie/kanal/", HTTP_HOST="testserver")
    response = NewNoticesFeed()(request)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def titles(feed):
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


def published_days_ago(days, **fields):
    return NoticeFactory(published_at=timezone.now() - timedelta(days=days), **fields)


def test_public_notices_come_newest_first():
    published_days_ago(3, title="Sprzątanie biur")
    published_days_ago(1, title="Catering na konferencję")
    published_days_ago(2, title="Koszenie parku", status=DemandNotice.Status.CLOSED)
    published_days_ago(5, title="Druk ulotek", status=DemandNotice.Status.AWARDED)

    assert titles(render_feed()) == [
        "Catering na konferencję",
        "Koszenie parku",
        "Sprzątanie biur",
        "Druk ulotek",
    ]


def test_drafts_and_cancelled_notices_never_appear():
    published_days_ago(1, title="Opublikowane")
    NoticeFactory(draft=True, title="Szkic")
    published_days_ago(2, title="Anulowane", status=DemandNotice.Status.CANCELLED)

    assert titles(render_feed()) == ["Opublikowane"]


def test_the_feed_holds_the_thirty_newest():
    for days in range(FEED_LENGTH + 2):
        published_days_ago(days + 1, title=f"Ogłoszenie {days:02d}")

    shown = titles(render_feed())

    assert len(shown) == FEED_LENGTH
    assert shown[0] == "Ogłoszenie 00"
    assert shown[-1] == f"Ogłoszenie {FEED_LENGTH - 1:02d}"


def test_an_entry_has_a_link_a_unique_id_dates_and_a_summary():
    first = published_days_ago(
        1,
        title="Catering dla seniorów",
        estimated_value=Decimal("12500.00"),
        estimated_value_public=True,
        cpv_codes=[CpvCode.objects.get(code="55520000")],
    )
    ClauseCheckFactory(notice=first, reserved_for_pes=True, employment_requirement=True)
    published_days_ago(2, title="Druga potrzeba", estimated_value_public=False)

    with translation.override("pl"):
        feed = render_feed()
        gettext = translation.gettext
        assert feed.findtext(f"{ATOM}title") == gettext("%(site)s: new demand notices") % {
            "site": "PES-TOR"
        }
        entry, second = entries(feed)

        link = entry.find(f"{ATOM}link").get("href")
        assert link == "http://testserver" + first.get_absolute_url()
        ids = [item.findtext(f"{ATOM}id") for item in (entry, second)]
        assert len(set(ids)) == 2
        assert all(ids)
        published = datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
        assert published == first.published_at
        summary = entry.findtext(f"{ATOM}summary")
        assert first.department.name in summary
        assert "55520000-1 Usługi dostarczania posiłków" in summary
        assert gettext("reserved for social economy entities (art. 94 PZP)") in summary
        assert gettext("employment of excluded persons required (art. 96 PZP)") in summary
        assert "12\xa0500,00" in summary  # shown because the buyer made it public
        assert timezone.localtime(first.answers_deadline).strftime("%d.%m.%Y %H:%M") in summary
        assert "<li>" in summary  # HTML, escaped inside the XML
        assert "12\xa0500" not in second.findtext(f"{ATOM}summary")
        assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["55520000-1"]


def test_user_text_is_escaped_in_the_summary():
    published_days_ago(1, description='<script>alert("x")</script> Obiad dla 20 osób')

    summary = entries(render_feed())[0].findtext(f"{ATOM}summary")

    assert "<script>" not in summary
    assert "&lt;script&gt;" in summary


def test_the_number_of_queries_is_the_same_for_one_and_twenty_notices():
    cpv = list(CpvCode.objects.filter(code__in=["55520000", "90910000"]))

    def count():
        with CaptureQueriesContext(connection) as queries:
            render_feed()
        return len(queries)

    ClauseCheckFactory(notice=published_days_ago(1, cpv_codes=cpv))
    one = count()
    for days in range(19):
        ClauseCheckFactory(notice=published_days_ago(days + 2, cpv_codes=cpv))
    assert count() == one


def test_the_feed_is_served_at_its_address():
    try:
        url = reverse("demand:feed")
    except NoReverseMatch:
        pytest.skip("demand:feed is not wired in demand/urls.py yet")
    published_days_ago(1, title="Catering na konferencję")

    from django.test import Client

    response = Client().get(url)

    assert response.status_code == 200
    assert "Catering na konferencję" in response.content.decode()
