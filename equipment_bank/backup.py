"""The bank's part of a backup's fingerprint (pestor.backup): every resource and what its
public page answers, and every booking's state."""


def fingerprint(portal) -> dict:
    from .models import Booking, Resource

    return {
        "bank_resources": [
            {
                "id": resource.pk,
                "name": resource.name,
                "page": portal.page(resource.get_absolute_url()),
            }
            for resource in Resource.objects.order_by("pk")
        ],
        "bank_bookings": [
            {"id": pk, "status": status}
            for pk, status in Booking.objects.order_by("pk").values_list("pk", "status")
        ],
    }
