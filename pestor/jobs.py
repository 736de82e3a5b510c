"""Jobs a user waits for (reports now; exports, open-data files and PDFs of the apps to come).

A job is a row of a model built on ``BackgroundJob`` plus one Celery task, built on ``JobTask``,
that takes the row's primary key. The row says what happened in words the user reads; the task
only does the work. The rules every job follows:

- Each enqueue gets a message id of its own, stored on the row (``task_id``). A message whose id
  is not the row's current one is stale (an earlier delivery of a job queued again since) and is
  dropped, so a job never runs twice at once.
- A running job keeps a heartbeat (``job_heartbeat``). Its task has a hard time limit, so a live
  job's heartbeat is never older than that limit: one older than the limit plus a grace period
  (``bound``) belongs to a worker that was lost. The beat sweeper (``jobs_sweep``) marks such a
  job interrupted and queues it again, once; a second interruption fails it with its reason.
- A job past its time limit fails with a reason the user can read (``JobTask.on_failure`` runs
  in the worker's main process when the hard limit kills the child).
- Users may queue again a job that is interrupted or failed (or done), never one that is alive.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from celery import Task, current_app
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# How long past its task's hard time limit a silent job is given before it counts as lost.
HEARTBEAT_GRACE = timedelta(seconds=60)
# A job lost this many times is not queued again but failed.
MAX_INTERRUPTIONS = 1


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being prepared")
    INTERRUPTED = "interrupted", _("interrupted, queued again")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.INTERRUPTED)
RETRYABLE = (JobStatus.INTERRUPTED, JobStatus.FAILED, JobStatus.DONE)


class BackgroundJob(models.Model):
    """The state of one job a user waits for. Concrete models register with ``register``."""

    Status = JobStatus

    status = models.CharField(
        _("status"),
        max_length=12,
        choices=JobStatus.choices,
        default=JobStatus.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    error = models.TextField(_("reason of the failure"), blank=True)
    task_id = models.CharField(_("task"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    interruptions = models.PositiveSmallIntegerField(_("interruptions"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self):
        return self.status in ACTIVE

    @property
    def is_retryable(self):
        return self.status in RETRYABLE

    @classmethod
    def status_constraint(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(condition=Q(status__in=JobStatus.values), name=name)


@dataclass(frozen=True)
class JobKind:
    model: type[BackgroundJob]
    task_name: str
    # Called inside the transaction that failed the job (tell the person who ordered it). It may
    # be called twice for one failure (see ``job_fail``), so it sends keyed e-mails only.
    on_failed: object = None

    @property
    def task(self):
        # The task's module may not be imported yet in a process that only queues it.
        import_module(self.task_name.rpartition(".")[0])
        return current_app.tasks[self.task_name]

    @property
    def bound(self) -> timedelta:
        limit = self.task.time_limit or current_app.conf.task_time_limit
        return timedelta(seconds=limit) + HEARTBEAT_GRACE


_kinds: dict[type, JobKind] = {}


def register(model: type[BackgroundJob], *, task: str, on_failed=None) -> None:
    """Called from an app's ``ready()``: the sweeper and the staff page then know the model."""
    _kinds[model] = JobKind(model=model, task_name=task, on_failed=on_failed)


def kinds() -> list[JobKind]:
    return list(_kinds.values())


def kind_of(model) -> JobKind:
    return _kinds[model if isinstance(model, type) else type(model)]


def recover_from_interruption(error: BaseException) -> None:
    """The soft time limit is raised wherever the task was, maybe inside a query: that database
    connection is then mid-conversation, so the task drops it and the failure is recorded on a
    new one. (Inside an outer transaction, as in tests, there is nothing to drop.)"""
    if isinstance(error, SoftTimeLimitExceeded) and not connection.in_atomic_block:
        connection.close()


def failure_reason(error: BaseException) -> str:
    """What the user reads when the job failed on ``error`` (in the portal's language: it is
    stored, and worker processes have no request to take a language from)."""
    if isinstance(error, SoftTimeLimitExceeded | TimeLimitExceeded):
        with translation.override(settings.LANGUAGE_CODE):
            return gettext("The job took longer than its time limit and was stopped.")
    return f"{type(error).__name__}: {error}"


# --- the life of a job ------------------------------------------------------------------------


def job_enqueue(job: BackgroundJob) -> BackgroundJob:
    """Queue ``job`` under a new message id once the surrounding transaction commits. Call in
    the transaction that set the row's state; earlier messages of the job become stale."""
    kind = kind_of(job)
    job.task_id = str(uuid.uuid4())
    type(job).objects.filter(pk=job.pk).update(task_id=job.task_id)
    task, task_id, pk = kind.task, job.task_id, job.pk
    transaction.on_commit(lambda: task.apply_async((pk,), task_id=task_id))
    return job


def job_claim(model, *, pk: int, task_id: str, queryset=None) -> BackgroundJob | None:
    """Start (or resume) the job for the message ``task_id``; ``None`` when there is nothing to
    do: the job is finished, or the message is stale. A job found running was lost with its
    worker (its message came back): it counts as interrupted, and failed past the limit."""
    with transaction.atomic():
        queryset = queryset if queryset is not None else model.objects.all()
        job = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
        if job is None or job.status not in ACTIVE:
            return None
        if job.task_id and task_id and job.task_id != task_id:
            logger.info("%s %s: message %s is stale, dropped", model.__name__, pk, task_id)
            return None
        if job.status == JobStatus.RUNNING:
            if job.interruptions >= MAX_INTERRUPTIONS:
                _fail(job, _interrupted_twice_reason())
                return None
            job.interruptions += 1
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.progress = 5
        job.attempts += 1
        job.task_id = task_id or job.task_id
        job.started_at = now
        job.heartbeat_at = now
        job.error = ""
        job.save()
        return job


def job_heartbeat(model, *, pk: int, progress: int | None = None) -> None:
    """The job is alive (and, with ``progress``, this far)."""
    fields = {"heartbeat_at": timezone.now()}
    if progress is not None:
        fields["progress"] = progress
    model.objects.filter(pk=pk, status=JobStatus.RUNNING).update(**fields)


def job_release(model, *, pk: int) -> None:
    """The task gives the job back to the queue (a transient error, retried by Celery under the
    same message): it is waiting again, not lost."""
    model.objects.filter(pk=pk, status=JobStatus.RUNNING).update(
        status=JobStatus.QUEUED, heartbeat_at=timezone.now()
    )


def job_fail(model, *, pk: int, reason: str, task_id: str = "") -> BackgroundJob | None:
    """Fail an active job with ``reason``; with ``task_id``, only if that message is the job's
    current one (a stale message must not fail a job queued again since).

    A job this same message has failed already is told about again: past the hard time limit,
    the worker's child may have failed it just before being killed, between its commit and the
    sending of its e-mails, which then never left. The worker's main process, which outlives
    the child, comes here too; the e-mails are keyed, so one that did leave is not sent twice."""
    with transaction.atomic():
        job = model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
        if job is None:
            return job
        if task_id and job.task_id and job.task_id != task_id:
            return job
        if job.status in ACTIVE:
            _fail(job, reason)
        elif job.status == JobStatus.FAILED and task_id:
            _notify_failed(job)
        return job


def _fail(job: BackgroundJob, reason: str) -> None:
    job.status = JobStatus.FAILED
    job.error = reason[:2000]
    job.finished_at = timezone.now()
    job.save()
    _notify_failed(job)


def _notify_failed(job: BackgroundJob) -> None:
    kind = _kinds.get(type(job))
    if kind and kind.on_failed:
        kind.on_failed(job)


def _interrupted_twice_reason() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(
            "The job was interrupted twice: the server preparing it stopped working. Try "
            "again; if it happens again, tell the portal's administrator."
        )


def job_retry(job: BackgroundJob) -> BackgroundJob:
    """Queue again a job that is interrupted, failed or done, from the start. Call inside a
    transaction with the row locked; raises ``JobAlive`` for a queued or running one."""
    if job.status not in RETRYABLE:
        raise JobAlive
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.error = ""
    job.interruptions = 0
    job.heartbeat_at = None
    job.save()
    return job_enqueue(job)


class JobAlive(Exception):
    """The job is queued or running: it cannot be queued again."""


# --- the sweeper (celery beat) ----------------------------------------------------------------


def jobs_sweep(*, now=None) -> dict[str, int]:
    """Jobs whose heartbeat is older than their bound: interrupted and queued again once, failed
    the second time. Returns how many jobs were queued again and how many failed."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for kind in kinds():
        stale = kind.model.objects.filter(
            status=JobStatus.RUNNING, heartbeat_at__lt=now - kind.bound
        ).values_list("pk", flat=True)
        for pk in list(stale):
            outcome = _sweep_one(kind, pk, now - kind.bound)
            if outcome:
                counts[outcome] += 1
    return counts


def _sweep_one(kind: JobKind, pk: int, older_than) -> str | None:
    with transaction.atomic():
        job = (
            kind.model.objects.select_for_update(of=("self",))
            .filter(pk=pk, status=JobStatus.RUNNING, heartbeat_at__lt=older_than)
            .first()
        )
        if job is None:  # it moved on meanwhile
            return None
        if job.interruptions >= MAX_INTERRUPTIONS:
            _fail(job, _interrupted_twice_reason())
            logger.warning("%s %s interrupted twice: failed", kind.model.__name__, pk)
            return "failed"
        job.status = JobStatus.INTERRUPTED
        job.interruptions += 1
        job.progress = 0
        job.save()
        job_enqueue(job)
        logger.warning("%s %s lost its worker: queued again", kind.model.__name__, pk)
        return "requeued"


ATTENTION_LIMIT = 200


def jobs_needing_attention(*, limit: int = ATTENTION_LIMIT) -> list[BackgroundJob]:
    """Interrupted and failed jobs of every kind, the latest first (the staff page): one query
    per kind of job, at most ``limit`` of each."""
    found = []
    for kind in kinds():
        found.extend(
            kind.model.objects.filter(
                status__in=(JobStatus.INTERRUPTED, JobStatus.FAILED)
            ).order_by("-heartbeat_at", "-pk")[:limit]
        )
    found.sort(
        key=lambda job: job.finished_at or job.heartbeat_at or job.started_at or timezone.now(),
        reverse=True,
    )
    return found[:limit]


# --- the task base ----------------------------------------------------------------------------


class JobTask(Task):
    """Base of the task of a job: its first argument is the job's primary key. A failure the
    task did not handle itself (the hard time limit, which kills the child) fails the job."""

    abstract = True
    job_model_label = ""  # "app_label.ModelName"

    def job_model(self):
        from django.apps import apps

        return apps.get_model(self.job_model_label)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        recover_from_interruption(exc)
        if args:
            job_fail(self.job_model(), pk=args[0], reason=failure_reason(exc), task_id=task_id)
        super().on_failure(exc, task_id, args, kwargs, einfo)


def job_task(job_model_label: str, **options):
    """The decorator of a job's task: bound, on ``JobTask`` for ``job_model_label``, with the
    time limits of a report, acknowledged late and given back when its worker is lost (so
    ``sweep_jobs`` can queue it again). ``options`` add to or override these (retries)."""
    from celery import shared_task
    from django.conf import settings

    return shared_task(
        **{
            "bind": True,
            "base": JobTask,
            "job_model_label": job_model_label,
            "soft_time_limit": settings.REPORT_SOFT_TIME_LIMIT,
            "time_limit": settings.REPORT_TIME_LIMIT,
            "acks_late": True,
            "reject_on_worker_lost": True,
            **options,
        }
    )
