"""The directory's pages for ``bench_pages``; ``pestor.bench`` describes the module."""

from django.urls import reverse

from pestor.bench import BenchPage
from pestor.demo import OFFICIAL_TORUN, PES_OWNER, TORUN

from .models import LegalForm, Organisation, OrganisationMembership, PublicBenefitSphere


def pages() -> list[BenchPage]:
    listing = reverse("directory:organisation-list")
    geojson = reverse("directory:organisation-geojson")
    sphere = PublicBenefitSphere.objects.order_by("position").values_list("pk", flat=True).first()
    found = [
        BenchPage("directory", "PES list", listing, "list"),
        BenchPage("directory", "PES list, page 1000", f"{listing}?page=1000", "deep"),
        BenchPage("directory", "PES list, last page", f"{listing}?page=last", "deep"),
        BenchPage("directory", "PES search 'fundacja'", f"{listing}?q=fundacja", "search"),
        BenchPage(
            "directory", "PES search 'nadzieja torun'", f"{listing}?q=nadzieja+torun", "search"
        ),
        BenchPage(
            "directory",
            "PES filter form + municipality",
            f"{listing}?legal_form={LegalForm.FOUNDATION}&municipality={TORUN.slug}",
            "filter",
        ),
        BenchPage(
            "directory",
            "PES filter social enterprise + OPP",
            f"{listing}?social_enterprise=on&public_benefit=on",
            "filter",
        ),
        BenchPage(
            "directory", "PES map, whole country", reverse("directory:organisation-map"), "map"
        ),
        BenchPage(
            "directory",
            "PES map GeoJSON, Toruń-sized bbox",
            f"{geojson}?bbox=18.45,52.95,18.75,53.10",
            "map",
        ),
        BenchPage(
            "directory",
            "PES map GeoJSON, whole-country bbox",
            f"{geojson}?bbox=14.0,49.0,24.2,54.9",
            "map",
        ),
        BenchPage(
            "directory",
            "municipality autocomplete 'tor'",
            f"{reverse('pestor:municipality-suggestions')}?q=tor",
            "search",
        ),
        BenchPage(
            "directory",
            "verification queue, official",
            reverse("directory:verification-queue"),
            "list",
            OFFICIAL_TORUN.email,
        ),
    ]
    if sphere is not None:
        found.insert(
            6, BenchPage("directory", "PES filter sphere", f"{listing}?sphere={sphere}", "filter")
        )
    sample = Organisation.objects.public().order_by("-pk").values_list("slug", flat=True).first()
    if sample:
        found.append(
            BenchPage(
                "directory",
                "PES detail",
                reverse("directory:organisation-detail", kwargs={"slug": sample}),
                "detail",
            )
        )
    own = (
        OrganisationMembership.objects.filter(
            user__email=PES_OWNER.email, role=OrganisationMembership.Role.OWNER
        )
        .values_list("organisation__slug", flat=True)
        .first()
    )
    if own:
        found.append(
            BenchPage(
                "directory",
                "PES members, owner",
                reverse("directory:organisation-members", kwargs={"slug": own}),
                "detail",
                PES_OWNER.email,
            )
        )
        found.append(
            BenchPage(
                "directory",
                "PES detail, owner",
                reverse("directory:organisation-detail", kwargs={"slug": own}),
                "detail",
                PES_OWNER.email,
            )
        )
        found.append(
            BenchPage(
                "directory",
                "organisation form, owner",
                reverse("directory:organisation-edit", kwargs={"slug": own}),
                "form",
                PES_OWNER.email,
            )
        )
    return found
