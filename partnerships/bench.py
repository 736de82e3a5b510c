"""The partnerships pages for ``bench_pages``; ``pestor.bench`` describes the module."""

from django.urls import reverse

from .models import Partnership


def pages() -> list:
    from pestor.bench import BenchPage

    found = [
        BenchPage(
            "partnerships", "partnerships list", reverse("partnerships:partnership-list"), "list"
        ),
        BenchPage("partnerships", "finance products", reverse("finance:product-list"), "list"),
        BenchPage("partnerships", "finance public totals", reverse("finance:totals"), "dashboard"),
    ]
    largest = Partnership.objects.order_by("pk").first()
    if largest is not None:
        found.append(
            BenchPage(
                "partnerships",
                "partnership page with combined offer",
                largest.get_absolute_url(),
                "detail",
            )
        )
    return found
