"""Background work of the bank: thin, idempotent tasks that call services (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task
def expire_requests() -> int:
    """Requests nobody decided within 48 hours expire and free their slots."""
    return services.bookings_expire()


@shared_task
def send_reminders() -> dict:
    """Pick-up and return the next day, loans overdue by 1 and 7 days; each sent once."""
    return services.reminders_send()
