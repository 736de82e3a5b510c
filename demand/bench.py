"""The demand register's pages for ``bench_pages``; ``pestor.bench`` describes the module."""

from django.urls import reverse

from exchange.models import CpvCode
from pestor.bench import BenchPage
from pestor.demo import BUSINESS_BUYER, OFFICIAL_TORUN, PES_OWNER, TORUN

from .filters import BuyerKind
from .models import DemandNotice


def pages() -> list[BenchPage]:
    notices = reverse("demand:notice-list")
    results = reverse("demand:result-list")
    mine = reverse("demand:my-notices")
    division = (
        CpvCode.objects.filter(is_curated=True)
        .order_by("level", "code")
        .values_list("code", flat=True)
        .first()
    )
    found = [
        BenchPage("demand", "open notices", notices, "list"),
        BenchPage("demand", "open notices, last page", f"{notices}?page=last", "deep"),
        BenchPage("demand", "open notices search 'catering'", f"{notices}?q=catering", "search"),
        BenchPage(
            "demand",
            "open notices filter municipality",
            f"{notices}?municipality={TORUN.slug}",
            "filter",
        ),
        BenchPage(
            "demand",
            "open notices filter buyer + reserved",
            f"{notices}?buyer={BuyerKind.CITY}&reserved=on",
            "filter",
        ),
        BenchPage("demand", "open notices closing soon", f"{notices}?closing_soon=on", "filter"),
        BenchPage("demand", "results", results, "list"),
        BenchPage("demand", "results, page 400", f"{results}?page=400", "deep"),
        BenchPage("demand", "results, last page", f"{results}?page=last", "deep"),
        BenchPage("demand", "results search 'sprzatanie'", f"{results}?q=sprzatanie", "search"),
        BenchPage("demand", "feed (Atom)", reverse("demand:feed"), "feed"),
        BenchPage("demand", "my notices, official", mine, "list", OFFICIAL_TORUN.email),
        BenchPage(
            "demand",
            "my notices, official, last page",
            f"{mine}?page=last",
            "deep",
            OFFICIAL_TORUN.email,
        ),
        BenchPage(
            "demand",
            "matched notices, PES owner",
            reverse("demand:matched-notices"),
            "list",
            PES_OWNER.email,
        ),
        BenchPage(
            "demand", "my answers, PES owner", reverse("demand:my-answers"), "list", PES_OWNER.email
        ),
        BenchPage(
            "demand",
            "new notice form, official",
            reverse("demand:notice-create"),
            "form",
            OFFICIAL_TORUN.email,
        ),
        BenchPage(
            "demand",
            "new notice form, business buyer",
            reverse("demand:notice-create"),
            "form",
            BUSINESS_BUYER.email,
        ),
    ]
    if division:
        found.insert(
            6, BenchPage("demand", "open notices filter CPV", f"{notices}?cpv={division}", "filter")
        )
    awarded = (
        DemandNotice.objects.filter(status=DemandNotice.Status.AWARDED)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if awarded:
        found.append(
            BenchPage(
                "demand",
                "awarded notice detail",
                reverse("demand:notice-detail", kwargs={"pk": awarded}),
                "detail",
            )
        )
        found.append(
            BenchPage(
                "demand",
                "awarded notice detail, official",
                reverse("demand:notice-detail", kwargs={"pk": awarded}),
                "detail",
                OFFICIAL_TORUN.email,
            )
        )
    return found
