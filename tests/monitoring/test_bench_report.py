"""``manage.py bench_report``: the annual report built as the task builds it, timed, and nothing
left behind."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from monitoring.models import IndicatorSnapshot, Report

pytestmark = pytest.mark.django_db


def test_the_report_benchmark_times_each_step_and_leaves_the_database_as_it_was(programme):
    out = StringIO()
    call_command("bench_report", year=2026, runs=1, stdout=out)
    printed = out.getvalue()
    assert "Toruń" in printed and "annual report 2026" in printed
    for step in ("figures", "html", "pdf", "total"):
        assert f"  {step}" in printed
    assert "PDF" in printed and "queries" in printed
    assert not Report.objects.exists()
    # The figures it took for the year are rolled back with the report.
    assert not IndicatorSnapshot.objects.exists()


def test_without_snapshots_the_job_computes_them_and_the_taken_ones_stay(programme):
    from datetime import date

    from django.utils import timezone

    taken = IndicatorSnapshot.objects.create(
        key="verified_organisations",
        municipality=programme.municipality,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        value=7,
        taken_at=timezone.now(),
    )
    out = StringIO()
    call_command("bench_report", year=2026, runs=1, without_snapshots=True, stdout=out)
    assert "snapshots dropped first" in out.getvalue()
    assert list(IndicatorSnapshot.objects.all()) == [taken]
    assert not Report.objects.exists()


def test_a_year_no_programme_covers_is_refused(programme):
    with pytest.raises(CommandError, match="No adopted programme covers 2019"):
        call_command("bench_report", year=2019, runs=1, stdout=StringIO())
