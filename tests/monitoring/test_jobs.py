"""A report as a job a user waits for (pestor.jobs): the heartbeat, the sweeper that queues a
report whose worker was lost once and fails it the second time, stale messages, the time
limits, who may queue it again, and e-mails sent once however often the tasks run."""

from datetime import date, timedelta

import pytest
from billiard.exceptions import TimeLimitExceeded
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.utils import timezone

from monitoring import services, tasks
from monitoring.models import Report
from pestor import jobs
from pestor.models import SentEmail
from pestor.tasks import send_email, sweep_jobs

pytestmark = pytest.mark.django_db

BOUND = jobs.kind_of(Report).bound


@pytest.fixture
def ordered(programme, monitoring_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return services.report_order(
            programme=programme,
            kind=Report.Kind.STATUTORY,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            requested_by=monitoring_member,
        )


def lost_worker(report, *, silent_for=BOUND + timedelta(seconds=1), **fields):
    """The report was claimed by a worker that died ``silent_for`` ago."""
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING,
        progress=15,
        attempts=1,
        heartbeat_at=timezone.now() - silent_for,
        **fields,
    )
    report.refresh_from_db()
    return report


def test_the_bound_is_the_hard_time_limit_and_a_grace_period():
    assert tasks.render_report.time_limit > tasks.render_report.soft_time_limit > 0
    assert timedelta(seconds=tasks.render_report.time_limit) + jobs.HEARTBEAT_GRACE == BOUND


def test_every_task_has_soft_and_hard_time_limits():
    from pestor.celery import app

    app.loader.import_default_modules()
    ours = [name for name in app.tasks if name.split(".")[0] in {"pestor", "monitoring", "demand"}]
    assert "pestor.tasks.sweep_jobs" in ours
    for name in ours:
        task = app.tasks[name]
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert hard and soft and soft < hard, name


def test_beat_sweeps_every_minute(settings):
    assert settings.CELERY_BEAT_SCHEDULE["pestor-sweep-jobs"] == {
        "task": "pestor.tasks.sweep_jobs",
        "schedule": 60,
    }


def test_the_visibility_timeout_outlasts_the_longest_job(settings):
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > (
        tasks.render_report.time_limit
    )


def test_progress_is_a_heartbeat(ordered):
    report = services._report_start(ordered.pk, ordered.task_id)
    assert report.heartbeat_at is not None
    Report.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    services._report_progress(report.pk, 35)
    report.refresh_from_db()
    assert report.progress == 35
    assert timezone.now() - report.heartbeat_at < timedelta(seconds=5)


def test_the_sweeper_queues_a_report_whose_worker_was_lost_once(
    ordered, django_capture_on_commit_callbacks, mailoutbox
):
    lost_worker(ordered)
    old_message = ordered.task_id
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert sweep_jobs.apply().get() == {"requeued": 1, "failed": 0}
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.INTERRUPTED
    assert ordered.get_status_display() == "przerwane, ponownie w kolejce"
    assert ordered.interruptions == 1
    assert ordered.task_id != old_message
    assert len(queued) == 1  # one new message

    # The lost worker's message comes back from the broker later: it is stale and dropped.
    assert services.report_render(report_id=ordered.pk, task_id=old_message) is None
    # The new message builds it.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.DONE, ordered.error
    assert ordered.attempts == 2
    assert [message.to for message in mailoutbox] == [[ordered.requested_by.email]]


def test_a_second_interruption_fails_the_report_with_a_reason(
    ordered, django_capture_on_commit_callbacks, mailoutbox
):
    lost_worker(ordered, interruptions=1)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert jobs.jobs_sweep() == {"requeued": 0, "failed": 1}
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.FAILED
    assert "przerwane dwukrotnie" in ordered.error
    assert len(queued) == 1  # the e-mail to the person who ordered it, no new message
    assert mailoutbox[0].to == [ordered.requested_by.email]
    assert "przerwane dwukrotnie" in mailoutbox[0].body


def test_a_live_report_is_left_alone(ordered, django_capture_on_commit_callbacks):
    lost_worker(ordered, silent_for=BOUND - timedelta(seconds=30))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert jobs.jobs_sweep() == {"requeued": 0, "failed": 0}
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.RUNNING
    assert queued == []


def test_a_redelivered_message_of_a_report_interrupted_once_fails_it(ordered):
    # Lost once already (queued again), and lost again: its message comes back a second time.
    lost_worker(ordered, interruptions=1)
    assert services.report_render(report_id=ordered.pk, task_id=ordered.task_id) is None
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.FAILED
    assert ordered.error


def test_the_team_may_retry_an_interrupted_or_failed_report_never_a_live_one(
    ordered, monitoring_member, django_capture_on_commit_callbacks
):
    for status in (Report.Status.QUEUED, Report.Status.RUNNING):
        Report.objects.filter(pk=ordered.pk).update(status=status)
        with pytest.raises(ValidationError, match="już przygotowywane"):
            services.report_rerun(report=ordered, actor=monitoring_member)
    for status in (Report.Status.INTERRUPTED, Report.Status.FAILED):
        Report.objects.filter(pk=ordered.pk).update(status=status, interruptions=1)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            report = services.report_rerun(report=ordered, actor=monitoring_member)
        assert report.status == Report.Status.QUEUED
        assert report.interruptions == 0
        assert len(queued) == 1


def test_the_hard_time_limit_fails_the_report_with_a_reason(ordered, mailoutbox):
    services._report_start(ordered.pk, ordered.task_id)
    # What the worker's main process calls once the hard limit has killed the child.
    tasks.render_report.on_failure(TimeLimitExceeded(600), ordered.task_id, (ordered.pk,), {}, None)
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.FAILED
    assert ordered.error == "Zadanie trwało dłużej niż pozwala limit czasu i zostało przerwane."


def test_the_hard_time_limit_tells_of_a_failure_whose_e_mail_the_killed_child_never_sent(
    ordered, mailoutbox, django_capture_on_commit_callbacks
):
    services._report_start(ordered.pk, ordered.task_id)
    reason = jobs.failure_reason(SoftTimeLimitExceeded())
    # The child recorded the soft limit's failure and was killed before its e-mail left.
    with django_capture_on_commit_callbacks(execute=False) as lost:
        services._report_fail(ordered.pk, reason, ordered.task_id)
    assert len(lost) == 1 and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        tasks.render_report.on_failure(
            TimeLimitExceeded(600), ordered.task_id, (ordered.pk,), {}, None
        )
    assert [message.to for message in mailoutbox] == [[ordered.requested_by.email]]
    assert "limit czasu" in mailoutbox[0].body
    # Had the child's e-mail left after all, nobody gets it twice.
    run_twice(lost)
    assert len(mailoutbox) == 1
    # A message that is not the report's current one tells nobody.
    with django_capture_on_commit_callbacks(execute=True) as stale:
        tasks.render_report.on_failure(
            TimeLimitExceeded(600), "an-older-message", (ordered.pk,), {}, None
        )
    assert stale == []


def test_the_hard_time_limit_of_a_stale_message_does_not_fail_the_report(ordered):
    services._report_start(ordered.pk, ordered.task_id)
    tasks.render_report.on_failure(
        TimeLimitExceeded(600), "an-older-message", (ordered.pk,), {}, None
    )
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.RUNNING


def test_the_soft_time_limit_fails_the_report_with_a_reason(ordered, monkeypatch):
    def too_slow(report, snapshot):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("monitoring.reports.render_pdf", too_slow)
    report = services.report_render(report_id=ordered.pk, task_id=ordered.task_id)
    assert report.status == Report.Status.FAILED
    assert "limit czasu" in report.error


def test_the_status_page_says_the_report_was_interrupted(ordered, client, monitoring_member):
    Report.objects.filter(pk=ordered.pk).update(status=Report.Status.INTERRUPTED)
    client.force_login(monitoring_member)
    page = client.get(ordered.get_absolute_url()).content.decode()
    assert "Przygotowanie sprawozdania zostało przerwane" in page
    assert "Spróbuj ponownie" in page


# --- e-mails sent once --------------------------------------------------------------------------


def run_twice(callbacks):
    """Each queued message delivered twice, as after a lost worker."""
    for callback in callbacks:
        callback()
        callback()


def test_report_ready_is_e_mailed_once_when_delivered_twice(
    ordered, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        tasks.render_report.apply(args=[ordered.pk], task_id=ordered.task_id)
    with django_capture_on_commit_callbacks(execute=False) as more:
        tasks.render_report.apply(args=[ordered.pk], task_id=ordered.task_id)
    assert more == []  # done already: the second run sends nothing
    run_twice(queued)
    assert sorted(message.to[0] for message in mailoutbox) == [ordered.requested_by.email]
    assert SentEmail.objects.count() == 1


def test_report_failed_is_e_mailed_once_when_delivered_twice(
    ordered, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services._report_fail(ordered.pk, "ValueError: zepsute dane")
    run_twice(queued)
    assert len(mailoutbox) == 1


def test_the_deadline_reminder_is_e_mailed_once_when_the_task_runs_twice(
    programme, monitoring_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.statutory_deadline_remind(today=date(2027, 5, 1))
        services.statutory_deadline_remind(today=date(2027, 5, 1))
    run_twice(queued)
    assert [message.to for message in mailoutbox] == [[monitoring_member.email]]
    # Another reminder day is another event.
    with django_capture_on_commit_callbacks(execute=True):
        services.statutory_deadline_remind(today=date(2027, 5, 24))
    assert len(mailoutbox) == 2


def test_send_email_sends_once_per_key(mailoutbox):
    for _ in range(2):
        send_email.apply(
            kwargs={"subject": "S", "body": "B", "recipients": ["a@example.org"], "key": "k:1"}
        )
    send_email.apply(
        kwargs={"subject": "S", "body": "B", "recipients": ["a@example.org"], "key": "k:2"}
    )
    assert len(mailoutbox) == 2


def test_a_failed_send_leaves_no_marker_and_is_sent_on_retry(mailoutbox, monkeypatch):
    from django.core import mail

    from pestor.notifications import email_send

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    with monkeypatch.context() as patched:
        patched.setattr(mail, "send_mail", smtp_down)
        patched.setattr("pestor.notifications.send_mail", smtp_down)
        with pytest.raises(ConnectionRefusedError):
            email_send(subject="S", body="B", recipients=["a@example.org"], key="k:retry")
    assert not SentEmail.objects.exists()
    assert email_send(subject="S", body="B", recipients=["a@example.org"], key="k:retry") == 1
    assert len(mailoutbox) == 1
