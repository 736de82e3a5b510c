"""Background work of the grants: thin, idempotent tasks that call services.

``build_analysis_pdf`` is a job a user waits for (``pestor.jobs``): acknowledged only after it
finishes, so a worker lost mid-way leaves the job running until the beat sweeper queues it
again; the service drops a stale message and leaves a finished job alone."""

from celery import shared_task

from pestor.jobs import job_task

from . import services


@shared_task
def send_card_reminders() -> int:
    """Funded tasks that ended without their card after funding (each reminder once)."""
    return services.card_reminders_send()


@job_task("grants.AnalysisPdf")
def build_analysis_pdf(self, job_id: int) -> str:
    job = services.analysis_pdf_build(job_id=job_id, task_id=self.request.id or "")
    return job.status if job else "skipped"
