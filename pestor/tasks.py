from celery import shared_task
from django.conf import settings


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_RETRY_BACKOFF_MAX,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_email(*, subject: str, body: str, recipients: list[str], key: str = "") -> int:
    """Send one message, once per key (pestor.notifications.email_send); SMTP hiccups (OSError)
    are retried with back-off, and a stuck SMTP server is cut off by the time limit."""
    from .notifications import email_send

    return email_send(subject=subject, body=body, recipients=recipients, key=key)


@shared_task(soft_time_limit=50, time_limit=60)
def sweep_jobs() -> dict[str, int]:
    """Every minute (celery beat): jobs whose worker was lost are queued again, once."""
    from .jobs import jobs_sweep

    return jobs_sweep()


@shared_task(soft_time_limit=100, time_limit=120)
def refresh_home_figures() -> list[str]:
    """Every HOME_FIGURES_REFRESH seconds (celery beat): the home page's figures, counted anew
    and kept in the cache for every web process (pestor.sections.HomeFigures)."""
    from .sections import home

    return sorted(home.refresh())
