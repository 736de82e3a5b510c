"""The equipment bank's pages for ``bench_pages``; ``pestor.bench`` describes the module."""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from pestor.demo import OFFICIAL_TORUN, PES_OWNER, TORUN

from .models import BookingItem, Owner


def pages() -> list:
    from pestor.bench import BenchPage

    listing = reverse("equipment_bank:resource-list")
    today = timezone.localdate()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    weekend = (
        f"free_from={saturday.isoformat()}&free_to={(saturday + timedelta(days=1)).isoformat()}"
    )
    found = [
        BenchPage("equipment_bank", "bank catalogue", listing, "list"),
        BenchPage("equipment_bank", "bank, free this weekend", f"{listing}?{weekend}", "filter"),
        BenchPage(
            "equipment_bank",
            "bank, free tents in Toruń",
            f"{listing}?{weekend}&municipality={TORUN.slug}&kind=equipment&q=namiot",
            "filter",
        ),
        BenchPage("equipment_bank", "bank, last page", f"{listing}?page=last", "deep"),
        BenchPage(
            "equipment_bank",
            "my bookings, PES owner",
            reverse("equipment_bank:my-bookings"),
            "list",
            PES_OWNER.email,
        ),
    ]
    # The resource with the most bookings: its month calendar.
    busiest = (
        BookingItem.objects.values("resource_id")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .values_list("resource_id", flat=True)
        .first()
    )
    if busiest:
        found.append(
            BenchPage(
                "equipment_bank",
                "resource month calendar",
                reverse("equipment_bank:resource-detail", args=[busiest]),
                "detail",
            )
        )
    owner = (
        Owner.objects.filter(department__officials__user__email=OFFICIAL_TORUN.email)
        .values_list("pk", flat=True)
        .first()
    )
    if owner:
        found.append(
            BenchPage(
                "equipment_bank",
                "owner's queue, official",
                reverse("equipment_bank:owner-queue", args=[owner]),
                "list",
                OFFICIAL_TORUN.email,
            )
        )
    return found
