"""Background work of the events: thin, idempotent tasks that call services."""

from celery import shared_task

from . import services


@shared_task
def send_event_reminders() -> int:
    """Reminders to the confirmed participants of tomorrow's events (each e-mail once)."""
    return services.reminders_send()


@shared_task
def send_survey_reminders() -> int:
    """Reminders to those who have not answered an open survey closing within days (each
    e-mail once)."""
    from . import surveys_services

    return surveys_services.survey_reminders_send()
