"""The bank's part of a backup's fingerprint (pestor.backup): every resource and what its
public page answers, every attachment of a public resource as a visitor downloads it
(checksum), every booking's state and every damage case's (an open case keeps a unit out of
the pool). Photos and attachments are files: pestor.backup checks each one's checksum too."""


def fingerprint(portal) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse

    from .models import Booking, DamageCase, Resource, ResourceAttachment

    return {
        "bank_resources": [
            {
                "id": resource.pk,
                "name": resource.name,
                "page": portal.page(resource.get_absolute_url()),
            }
            for resource in Resource.objects.order_by("pk")
        ],
        "bank_attachments": [
            {
                "id": pk,
                **portal.download(
                    reverse("equipment_bank:resource-attachment", args=[resource_id, pk]),
                    AnonymousUser(),
                ),
            }
            # A withdrawn resource's attachment is a 404 to a visitor; its file's checksum is
            # still compared.
            for pk, resource_id in ResourceAttachment.objects.filter(
                resource__in=Resource.objects.public()
            )
            .order_by("pk")
            .values_list("pk", "resource_id")
        ],
        "bank_bookings": [
            {"id": pk, "status": status}
            for pk, status in Booking.objects.order_by("pk").values_list("pk", "status")
        ],
        "bank_damage_cases": [
            {"id": pk, "unit": unit_id, "status": status}
            for pk, unit_id, status in DamageCase.objects.order_by("pk").values_list(
                "pk", "unit_id", "status"
            )
        ],
    }
