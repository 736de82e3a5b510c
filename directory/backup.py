"""The directory's part of a backup's fingerprint (pestor.backup): every organisation and what
its public page answers."""


def fingerprint(portal) -> dict:
    from .models import Organisation

    return {
        "organisations": [
            {
                "id": organisation.pk,
                "slug": organisation.slug,
                "name": organisation.name,
                "page": portal.page(organisation.get_absolute_url()),
            }
            for organisation in Organisation.objects.order_by("pk")
        ]
    }
