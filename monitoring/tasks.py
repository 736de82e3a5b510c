"""Background work of the monitoring app: thin tasks that call services.

``render_report`` builds a job a user waits for (pestor.jobs): it is acknowledged only after it
finishes (acks_late, and the settings reject a message whose worker died), so a worker lost
mid-way leaves the report "running" and the message is delivered again after the broker's
visibility timeout; the beat sweeper queues it again sooner if the report's heartbeat stops. The
service finishes the job once, and drops a message that is stale or finds the report done.
"""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from pestor.jobs import job_task
from pestor.models import Municipality

from . import services


@job_task(
    "monitoring.Report",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def render_report(self, report_id: int) -> str:
    # Run in-process (no broker), an exception would reach the web request that ordered the
    # report: there a transient error fails the report at once, and the team retries it.
    in_request = self.request.is_eager and self.app.conf.task_eager_propagates
    report = services.report_render(
        report_id=report_id,
        task_id=self.request.id or "",
        final_attempt=in_request or self.request.retries >= self.max_retries,
    )
    return report.status if report else "skipped"


@shared_task(soft_time_limit=120, time_limit=180)
def prepare_statutory_reports() -> int:
    """15 January (celery beat): drafts of last year's annual reports."""
    return len(services.statutory_reports_prepare(today=timezone.localdate()))


@shared_task(soft_time_limit=120, time_limit=180)
def remind_statutory_deadline() -> int:
    """1 and 24 May (celery beat): remind teams whose annual report is not ready."""
    return services.statutory_deadline_remind(today=timezone.localdate())


@shared_task(soft_time_limit=120, time_limit=180)
def refresh_indicator_snapshots() -> int:
    """Nightly (celery beat): take the computed indicators of every municipality with a
    programme, one task per municipality and period (each bounded by its own time limit).
    Returns how many tasks were queued."""
    queued = 0
    for municipality_id, start, end, renew in services.indicator_snapshots_plan(
        today=timezone.localdate()
    ):
        refresh_municipality_snapshots.delay(
            municipality_id, start.isoformat(), end.isoformat(), only_missing=not renew
        )
        queued += 1
    return queued


@shared_task(
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT,
    acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=30,
    max_retries=3,
)
def refresh_municipality_snapshots(
    municipality_id: int, start: str, end: str, only_missing: bool = False
) -> dict:
    """One municipality's indicators for one period; the seconds each took, by key. Safe to run
    twice: the snapshots are replaced."""
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return {}
    return services.indicator_snapshots_refresh(
        municipality=municipality,
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        only_missing=only_missing,
    )


@job_task("monitoring.SnapshotRefresh")
def compute_snapshots_now(self, job_id: int) -> str:
    """The team's "compute now" (a job with progress, pestor.jobs)."""
    job = services.snapshot_refresh_run(job_id=job_id, task_id=self.request.id or "")
    return job.status if job else "skipped"
