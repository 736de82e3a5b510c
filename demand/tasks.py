"""Background work of the demand register: thin, idempotent, calling services."""

from celery import shared_task

from . import services


@shared_task
def close_expired_notices() -> int:
    """Run by celery beat every 10 minutes (CELERY_BEAT_SCHEDULE): published notices past
    their deadline become closed for answers. Pages do not wait for it (effective_status)."""
    return services.close_expired_notices()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_matched_organisations(notice_id: int) -> int:
    """E-mails the PES matched to a newly published notice; organisations already told are
    skipped, so a retry or a second run sends nothing twice."""
    return services.notice_notify_matches(notice_id=notice_id)
