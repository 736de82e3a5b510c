"""The demand register's part of a backup's fingerprint (pestor.backup): every notice and what
its public page answers."""


def fingerprint(portal) -> dict:
    from .models import DemandNotice

    return {
        "notices": [
            {
                "id": notice.pk,
                "title": notice.title,
                "status": notice.status,
                "page": portal.page(notice.get_absolute_url()),
            }
            for notice in DemandNotice.objects.order_by("pk")
        ]
    }
