"""The home page's figures: kept in the cache, refreshed by the beat task, computed by one
process on a miss; the page itself asks the database nothing."""

import threading

import pytest
from django.core.cache import cache
from django.urls import reverse

from pestor import sections, tasks
from tests.demand.factories import NoticeFactory
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import OfferFactory

pytestmark = pytest.mark.django_db

FIGURES = {
    "directory/_home_figures.html",
    "exchange/_home_figures.html",
    "demand/_home_figures.html",
}


@pytest.fixture
def many_rows(municipality):
    """30 verified organisations, each with an offer, and 30 open notices."""
    for organisation in OrganisationFactory.create_batch(30, seat_municipality=municipality):
        OfferFactory(organisation=organisation)
    NoticeFactory.create_batch(30, published=True)


def figures_of(response):
    return dict(response.context["sections"])


def test_a_cold_cache_is_filled_by_the_first_request_and_later_ones_ask_nothing(
    client, many_rows, django_assert_num_queries
):
    first = client.get(reverse("pestor:home"))
    assert set(figures_of(first)) == FIGURES
    assert figures_of(first)["exchange/_home_figures.html"] == {"offers": 30, "organisations": 30}
    assert figures_of(first)["directory/_home_figures.html"]["verified"] == 30
    assert figures_of(first)["demand/_home_figures.html"] == {"open_notices": 30}
    with django_assert_num_queries(0):
        again = client.get(reverse("pestor:home"))
    assert figures_of(again) == figures_of(first)
    assert "<strong>30</strong>" in again.content.decode()


def test_a_signed_in_visitor_adds_only_the_queries_of_every_page(
    client, many_rows, pes_owner, django_assert_max_num_queries
):
    sections.home.refresh()
    client.force_login(pes_owner)
    # The session, the user, their roles, the unread count in the navigation.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("pestor:home")).status_code == 200


def test_the_figures_change_when_the_beat_task_refreshes_them(client, many_rows, organisation):
    before = figures_of(client.get(reverse("pestor:home")))["exchange/_home_figures.html"]
    OfferFactory(organisation=organisation)
    # Until the refresh the page shows the kept figure…
    assert figures_of(client.get(reverse("pestor:home")))["exchange/_home_figures.html"] == before
    assert sorted(tasks.refresh_home_figures.delay().get()) == sorted(FIGURES)
    # …and after it the new one.
    after = figures_of(client.get(reverse("pestor:home")))["exchange/_home_figures.html"]
    assert after["offers"] == before["offers"] + 1


def test_while_another_process_counts_the_page_waits_then_goes_without_figures(
    client, many_rows, settings, caplog, django_assert_num_queries
):
    """A cold cache under load: one process holds the lock and counts; the others do not count
    the same tables at once but wait for its result, and give up after HOME_FIGURES_WAIT."""
    settings.HOME_FIGURES_WAIT = 0.3
    cache.add(sections.HomeFigures.LOCK_KEY, "another process", timeout=60)
    with django_assert_num_queries(0):
        response = client.get(reverse("pestor:home"))
    assert response.status_code == 200
    assert figures_of(response) == {}
    assert reverse("directory:organisation-list") in response.content.decode()
    assert "were not ready" in caplog.text


def test_a_waiting_request_takes_the_figures_another_process_kept(settings):
    settings.HOME_FIGURES_WAIT = 10
    cache.add(sections.HomeFigures.LOCK_KEY, "another process", timeout=60)
    kept = {template: {"stand-in": 1} for template in FIGURES}
    # The other process (a thread here, sharing the memory cache) finishes while this one waits.
    other = threading.Timer(0.3, cache.set, args=(sections.HomeFigures.CACHE_KEY, kept))
    other.start()
    try:
        assert sections.home.current() == kept
    finally:
        other.join()


def test_the_lock_is_released_after_counting(many_rows):
    sections.home.current()
    assert cache.get(sections.HomeFigures.LOCK_KEY) is None
    assert cache.get(sections.HomeFigures.CACHE_KEY) is not None


def test_beat_refreshes_the_figures_within_their_maximum_age(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["pestor-refresh-home-figures"]
    assert entry["task"] == "pestor.tasks.refresh_home_figures"
    assert entry["schedule"] == settings.HOME_FIGURES_REFRESH < settings.HOME_FIGURES_MAX_AGE
