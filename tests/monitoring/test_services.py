"""The monitoring services: the programme, measurements, and the life of a report — built,
failed with its reason, retried, run twice, redelivered after a worker died — and the
statutory calendar of celery beat."""

import os
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from pypdf import PdfReader

from monitoring import computed, services, tasks
from monitoring.models import Report
from pestor.models import AuditEvent
from pestor.storage import private_storage
from tests.directory.factories import OrganisationFactory
from tests.factories import make_monitoring_member
from tests.monitoring.factories import (
    GoalFactory,
    IndicatorFactory,
    ProgrammeFactory,
    ReportCommentFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(report) -> str:
    with private_storage().open(report.file.name, "rb") as handle:
        reader = PdfReader(handle)
        return "\n".join(page.extract_text() for page in reader.pages)


def report_files() -> list[str]:
    folder = Path(private_storage().path("monitoring/reports"))
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def ordered(programme, monitoring_member, django_capture_on_commit_callbacks):
    """Order 2026's annual report without running the task (as if the broker held it)."""
    with django_capture_on_commit_callbacks(execute=False):
        return services.report_order(
            programme=programme,
            kind=Report.Kind.STATUTORY,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            requested_by=monitoring_member,
        )


# A selector of some app that breaks: how a rendering error reaches a report in real life.
def broken_selector(*, municipality, start, end):
    raise ValueError("the selector fell over")


FLAKY_CALLS = []


def flaky_selector(*, municipality, start, end):
    """Fails with a transient error on its first two calls, then answers."""
    FLAKY_CALLS.append(start)
    if len(FLAKY_CALLS) <= 2:
        raise OperationalError("server closed the connection unexpectedly")
    return 7


@pytest.fixture
def broken_indicator(programme, monkeypatch):
    monkeypatch.setitem(
        computed.COMPUTED_INDICATORS,
        "broken",
        computed.ComputedIndicator(
            "broken", "Broken", "x", "tests.monitoring.test_services.broken_selector"
        ),
    )
    return IndicatorFactory(goal=programme.goals.get(), source="broken", name="Zepsuty")


# --- building a report ------------------------------------------------------------------------


def test_ordering_queues_the_report_and_logs_it(ordered, monitoring_member):
    assert ordered.status == Report.Status.QUEUED
    assert ordered.progress == 0
    assert not ordered.file
    event = AuditEvent.objects.for_object(ordered).get()
    assert event.action == "report.ordered"
    assert event.actor == monitoring_member


def test_the_report_is_built_with_every_part(
    ordered, organisation, mailoutbox, monitoring_member, django_capture_on_commit_callbacks
):
    ReportCommentFactory(report=ordered, goal=None, body="Współpraca układa się dobrze.")
    ReportCommentFactory(
        report=ordered, goal=ordered.programme.goals.get(), body="Szkolenia warto kontynuować."
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_render(report_id=ordered.pk, task_id=ordered.task_id)

    assert report.status == Report.Status.DONE
    assert report.progress == 100
    assert report.attempts == 1
    assert report.task_id == ordered.task_id
    assert report.file.name == f"monitoring/reports/report-{report.pk}.pdf"
    text = pdf_text(report)
    # Polish letters survive (DejaVu Sans), from the data and from the template.
    assert "Wieloletni program współpracy Gminy Miasta Toruń" in text
    assert "Wzmacnianie potencjału organizacji" in text
    assert "Liczba przeszkolonych liderów" in text
    # The contents and the page numbers on every page but the title page.
    reader = PdfReader(private_storage().open(report.file.name, "rb"))
    pages = len(reader.pages)
    assert pages >= 5
    for number, page in enumerate(reader.pages[1:], start=2):
        assert f" {number} " in page.extract_text()
        assert page.extract_text().rstrip().endswith(str(pages))
    # The computed figures, and the team's comments.
    assert "1 250 000,00" in " ".join(text.split()).replace("\xa0", " ")
    assert "Współpraca układa się dobrze." in text
    assert "Szkolenia warto kontynuować." in text
    # The snapshot keeps the figures the report was built from.
    goal = report.snapshot["goals"][0]
    assert goal["figures"][0]["value"] == "20.00"
    assert goal["actions"][0]["figures"][0]["value"] == "1"
    # The requester and the team hear it is ready (the requester is on the team: one message).
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [monitoring_member.email]
    assert report.get_absolute_url() in mailoutbox[0].body


def test_the_whole_team_is_told_when_a_report_is_ready(
    ordered, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = make_monitoring_member(municipality, email="kolega@torun.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_render(report_id=ordered.pk)
    # One message each, so that nobody sees the others' addresses.
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [colleague.email, ordered.requested_by.email]
    )
    assert all(len(message.to) == 1 for message in mailoutbox)


def test_the_pdf_names_the_statutory_deadline(ordered):
    report = services.report_render(report_id=ordered.pk)
    assert "31.05.2027" in pdf_text(report)


def test_a_rendering_error_fails_the_report_with_its_reason(
    ordered, broken_indicator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_render(report_id=ordered.pk)
    assert report.status == Report.Status.FAILED
    assert "the selector fell over" in report.error
    assert "ValueError" in report.error
    assert not report.file
    assert report_files() == []
    assert len(mailoutbox) == 1
    assert "the selector fell over" in mailoutbox[0].body


def test_a_failed_report_is_retried_and_succeeds(
    ordered, broken_indicator, monitoring_member, django_capture_on_commit_callbacks, monkeypatch
):
    services.report_render(report_id=ordered.pk)
    # The app's selector is fixed (here: the broken one goes away with its indicator).
    broken_indicator.delete()
    monkeypatch.delitem(computed.COMPUTED_INDICATORS, "broken")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_rerun(report=ordered, actor=monitoring_member)
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.DONE
    assert ordered.error == ""
    assert ordered.attempts == 2
    assert AuditEvent.objects.for_object(ordered).filter(action="report.rerun").exists()


def test_a_failed_report_is_not_built_by_a_late_duplicate_message(
    ordered, broken_indicator, monkeypatch
):
    services.report_render(report_id=ordered.pk)
    broken_indicator.delete()
    monkeypatch.delitem(computed.COMPUTED_INDICATORS, "broken")
    assert services.report_render(report_id=ordered.pk) is None
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.FAILED


def test_running_twice_leaves_one_file_with_the_same_content(ordered):
    first = services.report_render(report_id=ordered.pk)
    path = private_storage().path(first.file.name)
    content, modified = Path(path).read_bytes(), os.stat(path).st_mtime_ns
    assert services.report_render(report_id=ordered.pk) is None  # already done: nothing happens
    assert report_files() == [f"report-{ordered.pk}.pdf"]
    assert Path(path).read_bytes() == content
    assert os.stat(path).st_mtime_ns == modified
    ordered.refresh_from_db()
    assert ordered.attempts == 1


def test_a_report_left_running_by_a_dead_worker_is_finished_on_redelivery(ordered):
    # The first worker claimed it, wrote half a file and died (no ack: the broker redelivers).
    Report.objects.filter(pk=ordered.pk).update(
        status=Report.Status.RUNNING, progress=40, attempts=1
    )
    report = services.report_render(report_id=ordered.pk, task_id=ordered.task_id)
    assert report.status == Report.Status.DONE
    assert report.attempts == 2
    assert report.interruptions == 1
    assert report_files() == [f"report-{ordered.pk}.pdf"]


def test_building_again_replaces_the_one_file(ordered, monitoring_member):
    first = services.report_render(report_id=ordered.pk)
    ReportCommentFactory(report=ordered, body="Uwaga dopisana po pierwszej wersji.")
    services.report_rerun(report=first, actor=monitoring_member)
    second = services.report_render(report_id=ordered.pk)
    assert second.file.name == first.file.name
    assert report_files() == [f"report-{ordered.pk}.pdf"]
    assert "Uwaga dopisana po pierwszej wersji." in pdf_text(second)


def test_a_transient_error_is_raised_for_the_task_to_retry_until_the_last_attempt(
    ordered, monkeypatch, programme
):
    FLAKY_CALLS.clear()
    monkeypatch.setitem(
        computed.COMPUTED_INDICATORS,
        "flaky",
        computed.ComputedIndicator(
            "flaky", "Flaky", "x", "tests.monitoring.test_services.flaky_selector"
        ),
    )
    IndicatorFactory(goal=programme.goals.get(), source="flaky")
    with pytest.raises(OperationalError):
        services.report_render(report_id=ordered.pk, final_attempt=False)
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.QUEUED  # given back for the retry to pick up
    failed = services.report_render(report_id=ordered.pk, final_attempt=True)
    assert failed.status == Report.Status.FAILED
    assert "OperationalError" in failed.error


def test_the_task_retries_transient_errors_and_finishes(ordered, monkeypatch, programme):
    FLAKY_CALLS.clear()
    monkeypatch.setitem(
        computed.COMPUTED_INDICATORS,
        "flaky",
        computed.ComputedIndicator(
            "flaky", "Flaky", "x", "tests.monitoring.test_services.flaky_selector"
        ),
    )
    IndicatorFactory(goal=programme.goals.get(), source="flaky", name="Niestabilny")
    # As a worker runs it: errors are not propagated to a caller, retries follow.
    monkeypatch.setitem(tasks.render_report.app.conf, "task_eager_propagates", False)
    result = tasks.render_report.apply(args=[ordered.pk], task_id=ordered.task_id)
    assert result.get() == "done"
    ordered.refresh_from_db()
    assert ordered.status == Report.Status.DONE
    assert ordered.attempts == 3
    assert len(FLAKY_CALLS) == 3


def test_in_process_a_transient_error_fails_the_report_instead_of_the_request(
    programme, monitoring_member, monkeypatch, django_capture_on_commit_callbacks
):
    FLAKY_CALLS.clear()
    monkeypatch.setitem(
        computed.COMPUTED_INDICATORS,
        "flaky",
        computed.ComputedIndicator(
            "flaky", "Flaky", "x", "tests.monitoring.test_services.flaky_selector"
        ),
    )
    IndicatorFactory(goal=programme.goals.get(), source="flaky")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_order(
            programme=programme,
            kind=Report.Kind.PROGRESS,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            requested_by=monitoring_member,
        )
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "OperationalError" in report.error


def test_the_task_is_acknowledged_late_and_rejected_when_its_worker_is_lost(settings):
    assert tasks.render_report.acks_late is True
    assert tasks.render_report.reject_on_worker_lost is True
    assert tasks.render_report.max_retries == 5
    assert OperationalError in tasks.render_report.autoretry_for


def test_a_second_annual_report_for_the_same_year_is_refused(ordered, monitoring_member):
    with pytest.raises(ValidationError) as error:
        services.report_order(
            programme=ordered.programme,
            kind=Report.Kind.STATUTORY,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            requested_by=monitoring_member,
        )
    assert "year" in error.value.message_dict


def test_the_annual_report_covers_a_whole_year(programme, monitoring_member):
    with pytest.raises(ValidationError) as error:
        services.report_order(
            programme=programme,
            kind=Report.Kind.STATUTORY,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 6, 30),
            requested_by=monitoring_member,
        )
    assert "period_start" in error.value.message_dict


def test_a_running_report_is_not_rerun(ordered, monitoring_member):
    Report.objects.filter(pk=ordered.pk).update(status=Report.Status.RUNNING)
    with pytest.raises(ValidationError):
        services.report_rerun(report=ordered, actor=monitoring_member)


# --- the programme and its measurements ---------------------------------------------------------


def test_adopting_a_programme_is_logged(monitoring_member, municipality):
    programme = services.programme_create(
        municipality=municipality,
        actor=monitoring_member,
        title="Program 2027",
        kind="annual",
        year_from=2027,
        year_to=2027,
        status="draft",
    )
    services.programme_update(
        programme=programme,
        actor=monitoring_member,
        status="adopted",
        resolution_number="XV/200/2026",
        resolution_date=date(2026, 11, 20),
    )
    actions = list(AuditEvent.objects.for_object(programme).values_list("action", flat=True))
    assert actions == ["programme.adopted", "programme.created"]


def test_the_years_cannot_shrink_below_the_planned_funds(programme, monitoring_member):
    programme.funds.create(year=2027, amount=Decimal("10"))
    with pytest.raises(ValidationError) as error:
        services.programme_update(programme=programme, actor=monitoring_member, year_to=2026)
    assert "year_to" in error.value.message_dict


def test_planned_funds_changes_are_logged(programme, monitoring_member):
    services.programme_funds_set(
        programme=programme, actor=monitoring_member, amounts={2026: None, 2027: Decimal("99.50")}
    )
    assert {f.year: f.amount for f in programme.funds.all()} == {2027: Decimal("99.50")}
    event = AuditEvent.objects.for_object(programme).get(action="programme.funds_changed")
    assert event.before == {"2026": "1250000.00"}
    assert event.after == {"2027": "99.50"}


def test_a_measurement_is_corrected_not_doubled_and_the_old_value_is_kept_in_the_log(
    programme, monitoring_member
):
    indicator = programme.indicators.get(source="manual")
    services.measurement_record(
        indicator=indicator,
        actor=monitoring_member,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        value=Decimal("25"),
        comment="korekta po audycie",
    )
    assert indicator.measurements.get().value == Decimal("25")
    event = AuditEvent.objects.for_object(indicator).get()
    assert event.action == "measurement.corrected"
    assert event.before == {"value": "20.00"}


def test_a_computed_indicator_takes_no_measurements(programme, monitoring_member):
    indicator = programme.indicators.exclude(source="manual").get()
    with pytest.raises(ValidationError):
        services.measurement_record(
            indicator=indicator,
            actor=monitoring_member,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            value=Decimal(1),
        )


def test_an_indicator_with_measurements_cannot_become_computed(programme, monitoring_member):
    indicator = programme.indicators.get(source="manual")
    with pytest.raises(ValidationError) as error:
        services.indicator_save(
            programme=programme,
            actor=monitoring_member,
            indicator=indicator,
            source="verified_organisations",
        )
    assert "source" in error.value.message_dict


def test_a_new_goal_without_a_number_comes_last_and_an_edit_keeps_its_number(
    programme, monitoring_member
):
    goal = services.goal_save(
        programme=programme, actor=monitoring_member, position=None, title="Drugi cel"
    )
    assert goal.position == 2
    services.goal_save(
        programme=programme, actor=monitoring_member, goal=goal, position=None, title="Cel B"
    )
    goal.refresh_from_db()
    assert (goal.position, goal.title) == (2, "Cel B")


# --- the statutory calendar ----------------------------------------------------------------------


def test_early_in_the_year_beat_queues_last_years_annual_reports_once(
    programme, draft_programme, other_municipality, django_capture_on_commit_callbacks
):
    ended = ProgrammeFactory(municipality=other_municipality, year_from=2024, year_to=2025)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = services.statutory_reports_prepare(today=date(2027, 1, 15))
    assert [report.programme for report in created] == [programme]
    report = created[0]
    assert (report.kind, report.period_start, report.period_end) == (
        Report.Kind.STATUTORY,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert report.status == Report.Status.QUEUED
    assert report.requested_by is None
    assert len(callbacks) == 1
    assert not ended.reports.exists()
    # A second run (beat fired twice, or the team ordered it already) adds nothing.
    assert services.statutory_reports_prepare(today=date(2027, 1, 15)) == []
    assert Report.objects.count() == 1


def test_the_prepared_draft_is_built_in_process_without_a_broker(
    programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.prepare_statutory_reports.apply()  # today: the tests' clock, any year
        created = services.statutory_reports_prepare(today=date(2027, 1, 15))
    report = Report.objects.get(programme=programme, period_start=date(2026, 1, 1))
    assert report.status == Report.Status.DONE
    assert created == [] or created[0].pk == report.pk


def test_the_team_is_reminded_of_the_31_may_deadline(
    programme, monitoring_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.statutory_deadline_remind(today=date(2027, 5, 1)) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [monitoring_member.email]
    assert "31.05.2027" in message.subject
    assert "30" in message.body  # days left


def test_no_reminder_once_the_annual_report_is_done(
    programme, monitoring_member, mailoutbox, django_capture_on_commit_callbacks
):
    ReportFactory(programme=programme, status=Report.Status.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.statutory_deadline_remind(today=date(2027, 5, 24)) == 0
    assert mailoutbox == []


def test_a_reminder_while_the_report_is_not_finished_links_to_it(
    programme, monitoring_member, mailoutbox, django_capture_on_commit_callbacks
):
    report = ReportFactory(programme=programme, status=Report.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.statutory_deadline_remind(today=date(2027, 5, 24)) == 1
    assert report.get_absolute_url() in mailoutbox[0].body


def test_no_reminder_after_the_deadline_or_without_a_team(
    programme, mailoutbox, municipality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.statutory_deadline_remind(today=date(2027, 6, 1)) == 0
        assert services.statutory_deadline_remind(today=date(2027, 5, 1)) == 0  # no team
    assert mailoutbox == []


def test_the_beat_schedule_names_the_tasks(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    prepare = schedule["monitoring-prepare-statutory-reports"]
    remind = schedule["monitoring-remind-statutory-deadline"]
    assert prepare["task"] == tasks.prepare_statutory_reports.name
    assert remind["task"] == tasks.remind_statutory_deadline.name
    assert prepare["schedule"].month_of_year == {1}
    assert prepare["schedule"].day_of_month == {15}
    assert remind["schedule"].month_of_year == {5}
    assert remind["schedule"].day_of_month == {1, 24}


def test_computed_figures_of_the_report_match_the_portal(ordered, municipality):
    OrganisationFactory(seat_municipality=municipality)
    OrganisationFactory(seat_municipality=municipality)
    report = services.report_render(report_id=ordered.pk)
    verified = next(
        row for row in report.snapshot["computed"] if row["key"] == "verified_organisations"
    )
    assert Decimal(verified["value"]) == 2


def test_goal_comments_must_belong_to_the_reports_programme(ordered, monitoring_member):
    with pytest.raises(ValidationError):
        services.report_comment_add(
            report=ordered, author=monitoring_member, body="x", goal=GoalFactory()
        )


def test_half_written_files_of_killed_workers_are_cleared_later(ordered):
    folder = Path(private_storage().path("monitoring/reports"))
    folder.mkdir(parents=True)
    stale, fresh = folder / ".report-dead.part", folder / ".report-busy.part"
    stale.write_bytes(b"%PDF-1.4 half")
    fresh.write_bytes(b"%PDF-1.4 being written")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    services.report_render(report_id=ordered.pk)
    assert not stale.exists()
    assert fresh.exists()  # another run may still be writing it


def test_the_report_keeps_its_stylesheet_with_production_static_files(production_static, ordered):
    report = services.report_render(report_id=ordered.pk)

    with private_storage().open(report.file.name, "rb") as handle:
        reader = PdfReader(handle)
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
    # report.css sets DejaVu Sans everywhere; without it WeasyPrint falls back to a serif face.
    assert fonts and all("DejaVu-Sans" in font for font in fonts), fonts
