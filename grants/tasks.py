"""Background work of the grants: thin, idempotent tasks that call services."""

from celery import shared_task

from . import services


@shared_task
def send_card_reminders() -> int:
    """Funded tasks that ended without their card after funding (each reminder once)."""
    return services.card_reminders_send()
