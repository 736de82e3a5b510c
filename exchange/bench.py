"""The exchange's pages for ``bench_pages``; ``pestor.bench`` describes the module."""

from django.urls import reverse

from directory.models import LegalForm, OrganisationMembership
from pestor.bench import BenchPage
from pestor.demo import BUSINESS_BUYER, PES_OWNER, TORUN

from .models import CpvCode, Offer


def pages() -> list[BenchPage]:
    listing = reverse("exchange:offer-list")
    division = (
        CpvCode.objects.filter(is_curated=True)
        .order_by("level", "code")
        .values_list("code", flat=True)
        .first()
    )
    found = [
        BenchPage("exchange", "offer catalogue", listing, "list"),
        BenchPage(
            "exchange",
            "CPV autocomplete 'sprzatanie'",
            f"{reverse('exchange:cpv-suggestions')}?q=sprzatanie",
            "search",
        ),
        BenchPage("exchange", "offers, page 1000", f"{listing}?page=1000", "deep"),
        BenchPage("exchange", "offers, last page", f"{listing}?page=last", "deep"),
        BenchPage("exchange", "offers search 'catering'", f"{listing}?q=catering", "search"),
        BenchPage(
            "exchange", "offers search 'sprzatanie biur'", f"{listing}?q=sprzatanie+biur", "search"
        ),
        BenchPage("exchange", "offers by price, lowest", f"{listing}?sort=price_asc", "sort"),
        BenchPage("exchange", "offers by price, highest", f"{listing}?sort=price_desc", "sort"),
        BenchPage("exchange", "offers by title", f"{listing}?sort=title", "sort"),
        BenchPage(
            "exchange", "offers by price, last page", f"{listing}?sort=price_asc&page=last", "deep"
        ),
        BenchPage(
            "exchange",
            "offers filter municipality",
            f"{listing}?municipality={TORUN.slug}",
            "filter",
        ),
        BenchPage(
            "exchange",
            "offers filter kind + form + price",
            f"{listing}?kind=product&legal_form={LegalForm.SOCIAL_COOPERATIVE}"
            "&price_min=100&price_max=500",
            "filter",
        ),
        BenchPage(
            "exchange", "inbox, PES owner", reverse("exchange:inbox"), "list", PES_OWNER.email
        ),
        BenchPage(
            "exchange",
            "inbox, business buyer",
            reverse("exchange:inbox"),
            "list",
            BUSINESS_BUYER.email,
        ),
    ]
    if division:
        found.insert(
            10,
            BenchPage(
                "exchange", "offers filter CPV division", f"{listing}?cpv={division}", "filter"
            ),
        )
    sample = Offer.objects.public().order_by("-pk").values_list("pk", flat=True).first()
    if sample:
        found.append(
            BenchPage(
                "exchange",
                "offer detail",
                reverse("exchange:offer-detail", kwargs={"pk": sample}),
                "detail",
            )
        )
    own = (
        OrganisationMembership.objects.filter(user__email=PES_OWNER.email)
        .values_list("organisation__slug", flat=True)
        .first()
    )
    if own:
        found.append(
            BenchPage(
                "exchange",
                "own offers, PES owner",
                reverse("exchange:organisation-offers", kwargs={"slug": own}),
                "list",
                PES_OWNER.email,
            )
        )
        found.append(
            BenchPage(
                "exchange",
                "new offer form, PES owner",
                reverse("exchange:offer-create", kwargs={"slug": own}),
                "form",
                PES_OWNER.email,
            )
        )
    return found
