"""The grants pages for ``bench_pages``; ``pestor.bench`` describes the module.

At the issue's scale, first run ``python manage.py grants_scale`` (a Toruń competition of 500
offers scored by 5 members on 15 criteria), then ``bench_pages --only grants``."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse

from pestor.demo import OFFICIAL_TORUN

from .models import Competition


def pages() -> list:
    from pestor.bench import BenchPage
    from scoring.models import Member, Panel

    listing = reverse("grants:competition-list")
    found = [
        BenchPage("grants", "grants: competitions", listing, "list"),
        BenchPage("grants", "grants: competitions, open", f"{listing}?state=open", "filter"),
        BenchPage("grants", "grants: feed", reverse("grants:competition-feed"), "feed"),
    ]
    largest = (
        Competition.objects.filter(municipality__slug="torun")
        .annotate(offer_count=Count("offers"))
        .order_by("-offer_count", "-pk")
        .first()
    )
    if largest is None:
        return found
    found += [
        BenchPage("grants", "grants: competition page", largest.get_absolute_url(), "detail"),
        BenchPage(
            "grants",
            "grants: cost-benefit analysis",
            reverse("grants:competition-analysis", args=[largest.pk]),
            "dashboard",
        ),
        BenchPage(
            "grants",
            "grants: cost-benefit analysis of the area",
            reverse("grants:area-analysis", args=[_area_of(largest).pk]),
            "dashboard",
        ),
        BenchPage(
            "grants",
            "grants: awarded grants, 360Giving JSON",
            reverse("grants:awarded-grants-data", args=["json"]),
            "export",
        ),
        BenchPage(
            "grants",
            "grants: ranking and decision",
            reverse("grants:competition-ranking", args=[largest.pk]),
            "dashboard",
            OFFICIAL_TORUN.email,
        ),
        BenchPage(
            "grants",
            "grants: results CSV",
            reverse("grants:results-export", args=[largest.pk, "csv"]),
            "export",
            OFFICIAL_TORUN.email,
        ),
    ]
    panel = Panel.objects.filter(
        owner_type=ContentType.objects.get_for_model(Competition), owner_id=largest.pk
    ).first()
    member = Member.objects.filter(panel=panel, user__email=OFFICIAL_TORUN.email).first()
    if member is not None:
        offer = largest.offers.order_by("pk").first()
        found += [
            BenchPage(
                "grants",
                "grants: committee's to-do list",
                panel.get_absolute_url(),
                "list",
                OFFICIAL_TORUN.email,
            ),
            BenchPage(
                "grants",
                "grants: scoring sheet",
                reverse("scoring:item-sheet", args=[panel.pk, offer.pk]),
                "form",
                OFFICIAL_TORUN.email,
            ),
        ]
    return found


def _area_of(competition):
    """The strategy area of the competition's first outcome."""
    from .models import StrategyArea

    return StrategyArea.objects.filter(goals__outcomes__competitions=competition).first()
