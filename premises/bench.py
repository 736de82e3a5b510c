"""The premises pages for ``bench_pages``; ``pestor.bench`` describes the module."""

from django.urls import reverse

from pestor.demo import OFFICIAL_TORUN

from .models import LeaseSupportYear


def pages() -> list:
    from pestor.bench import BenchPage

    listing = reverse("premises:premises-list")
    found = [
        BenchPage("premises", "premises map and table", listing, "map"),
        BenchPage(
            "premises", "premises map, filtered", f"{listing}?area_min=50&step_free=on", "filter"
        ),
        BenchPage("premises", "premises map, last page", f"{listing}?page=last", "deep"),
        BenchPage(
            "premises",
            "premises map points, Poland",
            reverse("premises:premises-geojson") + "?bbox=14.0,49.0,24.2,54.9",
            "map",
        ),
        BenchPage("premises", "premises results page", reverse("premises:results"), "dashboard"),
    ]
    year = LeaseSupportYear.objects.order_by("-year").values_list("year", flat=True).first()
    totals = reverse("premises:support-totals")
    for by in ("year", "tenant", "district", "sphere"):
        found.append(
            BenchPage(
                "premises",
                f"support totals by {by}",
                f"{totals}?by={by}" + (f"&year={year}" if year and by != "year" else ""),
                "list",
                OFFICIAL_TORUN.email,
            )
        )
    return found
