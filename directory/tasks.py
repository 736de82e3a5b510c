"""Background work of the directory: thin tasks that call services."""

from celery import shared_task

from . import services


@shared_task
def send_confirmation_reminders() -> int:
    """The yearly check of the directory; safe to run any number of times a day."""
    return services.confirmation_reminders_send()
