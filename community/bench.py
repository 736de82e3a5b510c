"""The events pages for ``bench_pages``; ``pestor.bench`` describes the module.

At the issue's scale, first run ``python manage.py community_scale`` (20 000 events, 500 000
registrations, one event with 2 000 participants), then ``bench_pages --only wydarzenia``."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from pestor.demo import OFFICIAL_TORUN

from .models import AwardCall, Event


def pages() -> list:
    from pestor.bench import BenchPage

    listing = reverse("community:event-list")
    today = timezone.localdate()
    found = [
        BenchPage("community", "events: calendar", listing, "list"),
        BenchPage("community", "events: calendar, trainings", f"{listing}?kind=training", "filter"),
        BenchPage(
            "community",
            "events: calendar, Toruń, PES staff",
            f"{listing}?municipality=torun&audience=pes",
            "filter",
        ),
        BenchPage("community", "events: calendar, page 50", f"{listing}?page=50", "deep"),
        BenchPage(
            "community",
            "events: month",
            reverse("community:event-month", args=[today.year, today.month]),
            "list",
        ),
        BenchPage("community", "events: iCalendar", reverse("community:event-ical"), "feed"),
        BenchPage("community", "events: Atom", reverse("community:event-feed"), "feed"),
    ]
    found += _survey_pages()
    found += _award_pages()
    largest = (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .order_by(F("seats_taken").desc(), "-pk")
        .first()
    )
    if largest is None:
        return found
    return [
        *found,
        BenchPage("community", "events: event page", largest.get_absolute_url(), "detail"),
        BenchPage(
            "community",
            "events: event page, official",
            largest.get_absolute_url(),
            "detail",
            OFFICIAL_TORUN.email,
        ),
        BenchPage(
            "community",
            "events: participants",
            reverse("community:participants", args=[largest.pk]),
            "list",
            OFFICIAL_TORUN.email,
        ),
        BenchPage(
            "community",
            "events: participants, last page",
            reverse("community:participants", args=[largest.pk]) + "?page=last",
            "deep",
            OFFICIAL_TORUN.email,
        ),
    ]


def _survey_pages() -> list:
    """The competence surveys: the list of a PES member, and the results of the survey with
    the most answers, for Toruń's monitoring team."""
    from pestor.bench import BenchPage
    from pestor.demo import MONITORING, PES_OWNER

    from .surveys_models import Survey

    pages = [
        BenchPage(
            "community",
            "surveys: open for a PES member",
            reverse("community:survey-list"),
            "list",
            PES_OWNER.email,
        )
    ]
    survey = (
        Survey.objects.filter(status=Survey.Status.PUBLISHED, municipality__slug="torun")
        .order_by((F("responses_pes") + F("responses_officials")).desc(), "pk")
        .first()
    )
    if survey is not None:
        pages.append(
            BenchPage(
                "community",
                "surveys: results of the largest",
                reverse("community:survey-results", args=[survey.pk]),
                "detail",
                MONITORING.email,
            )
        )
    return pages


def _award_pages() -> list:
    """The public laureates and calls, and the contest with the most entries (anonymous, as a
    voter and as its official)."""
    from pestor.bench import BenchPage
    from pestor.demo import RESIDENT

    laureates = reverse("community:laureate-list")
    pages = [
        BenchPage("community", "awards: laureates", laureates, "list"),
        BenchPage("community", "awards: laureates, page 50", f"{laureates}?page=50", "deep"),
        BenchPage("community", "awards: calls", reverse("community:award-list"), "list"),
    ]
    contest = (
        AwardCall.objects.filter(kind=AwardCall.Kind.CONTEST, public_vote=True)
        .order_by("-pk")
        .first()
    )
    if contest is None:
        return pages
    url = contest.get_absolute_url()
    return [
        *pages,
        BenchPage("community", "awards: contest page", url, "detail"),
        BenchPage("community", "awards: contest page, voter", url, "detail", RESIDENT.email),
        BenchPage(
            "community",
            "awards: contest nominations, official",
            reverse("community:award-nominations", args=[contest.pk]),
            "list",
            OFFICIAL_TORUN.email,
        ),
    ]
