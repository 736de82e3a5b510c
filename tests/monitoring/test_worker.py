"""A report built by a real Celery worker, through Redis, in another process.

Run by `.ci/run` (step_celery_worker), which starts the worker against this test run's
database and sets PESTOR_CELERY_WORKER=1; skipped everywhere else. The test commits its data
(a transactional test) so that the worker's connection sees it.
"""

import os
import time
from datetime import date

import pytest
from django.conf import settings
from pypdf import PdfReader

from monitoring import services
from monitoring.models import Report
from pestor.storage import private_storage
from tests.factories import make_monitoring_member
from tests.monitoring.factories import (
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgrammeFactory,
)

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("PESTOR_CELERY_WORKER") != "1",
        reason="needs a running Celery worker (PESTOR_CELERY_WORKER=1, see .ci/run)",
    ),
]

WAIT_SECONDS = 60


@pytest.fixture
def shared_private_root(settings):
    """The worker writes where this process reads: the directory both were given."""
    settings.PRIVATE_MEDIA_ROOT = os.environ["PRIVATE_MEDIA_ROOT"]


def test_a_real_worker_builds_the_report(shared_private_root, municipality):
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "CELERY_BROKER_URL must name the broker"
    member = make_monitoring_member(municipality, email="zespol@torun.example.org")
    programme = ProgrammeFactory(
        municipality=municipality, title="Program współpracy Torunia z organizacjami — próba"
    )
    goal = GoalFactory(programme=programme, title="Łączenie sił gminy i PES")
    MeasurementFactory(indicator=IndicatorFactory(goal=goal, name="Liczba spotkań zespołu"))

    report = services.report_order(
        programme=programme,
        kind=Report.Kind.STATUTORY,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        requested_by=member,
    )

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (Report.Status.DONE, Report.Status.FAILED):
            break
        time.sleep(0.5)
    assert report.status == Report.Status.DONE, (report.status, report.error)
    assert report.task_id
    assert report.attempts == 1
    with private_storage().open(report.file.name, "rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "Program współpracy Torunia z organizacjami — próba" in text
    assert "Łączenie sił gminy i PES" in text
    assert "Liczba spotkań zespołu" in text
