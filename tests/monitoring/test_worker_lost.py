"""A whole worker lost while it builds a report, and a report past its hard time limit.

Run by `.ci/run` (step_celery_worker_lost), which plays the operator: it starts a worker in a
process group of its own and sets PESTOR_WORKER_LOST_DIR. The test orders a report and, once the
worker is inside it, writes ``running`` there; the script kills the worker's whole process group
(SIGKILL), starts a new worker with a short CELERY_VISIBILITY_TIMEOUT and REPORT_TIME_LIMIT, and
writes ``restarted``. The workers send e-mails to files in PESTOR_WORKER_MAIL_DIR.

To hold the worker inside the report at a known point, the test locks the programme's goals
(PostgreSQL's ACCESS EXCLUSIVE lock blocks even reads) until it lets go.
"""

import os
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from pypdf import PdfReader

from monitoring import services
from monitoring.models import Goal, Report
from pestor import jobs
from pestor.models import SentEmail
from pestor.storage import private_storage
from tests.factories import make_monitoring_member
from tests.monitoring.factories import (
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgrammeFactory,
)

SIGNALS = os.environ.get("PESTOR_WORKER_LOST_DIR", "")

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not SIGNALS, reason="needs .ci/run's step_celery_worker_lost (PESTOR_WORKER_LOST_DIR)"
    ),
]

REQUESTER = "zamawiajacy@torun.example.org"


@pytest.fixture
def shared_private_root(settings):
    settings.PRIVATE_MEDIA_ROOT = os.environ["PRIVATE_MEDIA_ROOT"]


@pytest.fixture
def programme(municipality):
    programme = ProgrammeFactory(municipality=municipality, title="Program — utrata serwera")
    goal = GoalFactory(programme=programme, title="Współpraca, która przetrwa awarię")
    MeasurementFactory(indicator=IndicatorFactory(goal=goal, name="Liczba spotkań"))
    return programme


@pytest.fixture
def requester(municipality):
    return make_monitoring_member(municipality, email=REQUESTER)


@contextmanager
def goals_locked():
    """Until the block ends, any read of the goals (the report's first step) waits. Yields the
    locking connection, which may lock more in the same transaction."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    ) as locker:
        locker.execute(f"LOCK TABLE {Goal._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        yield locker
        locker.rollback()


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"waited {seconds:.0f} s for {what}")


def status_of(report) -> str:
    report.refresh_from_db()
    return report.status


def wait_for_signal(name: str, *, seconds: float):
    wait_for(lambda: Path(SIGNALS, name).exists(), seconds=seconds, what=f"the script's {name}")


def emails_to(address: str) -> list[str]:
    """The messages the workers sent to ``address`` (the file backend: one file per batch)."""
    folder = Path(os.environ["PESTOR_WORKER_MAIL_DIR"])
    messages = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for message in path.read_text().split("-" * 79):
            if f"\nTo: {address}\n" in f"\n{message.strip()}\n":
                messages.append(message)
    return messages


def order(programme, requester, *, kind=Report.Kind.STATUTORY, months=(1, 12)):
    """A report on 2026 from the first month's start to the end of the second's."""
    first, last = months
    end = date(2026, 12, 31) if last == 12 else date(2026, last + 1, 1) - timedelta(days=1)
    return services.report_order(
        programme=programme,
        kind=kind,
        period_start=date(2026, first, 1),
        period_end=end,
        requested_by=requester,
    )


def test_a_report_survives_losing_its_whole_worker(shared_private_root, programme, requester):
    bound = jobs.kind_of(Report).bound.total_seconds()
    with goals_locked():
        report = order(programme, requester)
        wait_for(lambda: status_of(report) == Report.Status.RUNNING, seconds=60, what="the worker")
        time.sleep(1)  # inside build_snapshot, waiting for the goals
        assert report.progress in (5, 15)
        Path(SIGNALS, "running").write_text(str(report.pk))
        # The script kills the worker's process group and starts a new worker.
        wait_for_signal("restarted", seconds=120)
    lost_at = time.monotonic()

    wait_for(
        lambda: status_of(report) in (Report.Status.DONE, Report.Status.FAILED),
        seconds=bound,
        what="the report to be finished within its bound",
    )
    print(f"report {report.pk} finished {time.monotonic() - lost_at:.0f} s after the loss")
    assert report.status == Report.Status.DONE, report.error
    assert report.attempts == 2
    assert report.interruptions == 1
    folder = Path(private_storage().path("monitoring/reports"))
    assert sorted(path.name for path in folder.iterdir()) == [f"report-{report.pk}.pdf"]
    with private_storage().open(report.file.name, "rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "Współpraca, która przetrwa awarię" in text
    # Exactly one "your report is ready" to the person who ordered it.
    wait_for(lambda: emails_to(REQUESTER), seconds=30, what="the e-mail")
    time.sleep(2)
    assert len(emails_to(REQUESTER)) == 1
    assert SentEmail.objects.filter(recipient=REQUESTER).count() == 1


def test_a_report_past_its_hard_limit_fails_and_the_worker_goes_on(
    shared_private_root, programme, requester
):
    limit = int(os.environ["REPORT_TIME_LIMIT"])
    with goals_locked() as locker:
        stuck = order(programme, requester, kind=Report.Kind.PROGRESS, months=(1, 6))
        wait_for(lambda: status_of(stuck) == Report.Status.RUNNING, seconds=60, what="the worker")
        started = time.monotonic()
        # The report's own row too: the soft limit's attempt to record the failure hangs as
        # well, so only the hard limit (which kills the worker's child) ends this run.
        locker.execute(
            f"SELECT 1 FROM {Report._meta.db_table} WHERE id = %s FOR UPDATE", [stuck.pk]
        )
        following = order(programme, requester, kind=Report.Kind.PROGRESS, months=(1, 2))
        time.sleep(max(0.0, started + limit + 3 - time.monotonic()))
    wait_for(
        lambda: status_of(stuck) == Report.Status.FAILED,
        seconds=30,
        what="the hard time limit to fail the report",
    )
    assert stuck.error == "Zadanie trwało dłużej niż pozwala limit czasu i zostało przerwane."
    wait_for(
        lambda: status_of(following) in (Report.Status.DONE, Report.Status.FAILED),
        seconds=60,
        what="the next report",
    )
    assert following.status == Report.Status.DONE, following.error
    wait_for(
        lambda: [m for m in emails_to(REQUESTER) if "limit czasu" in m],
        seconds=30,
        what="the e-mail about the failure",
    )
