"""Snapshots of the computed indicators: taken by the service (celery beat, the management
command, the team's "compute now", the report job) and read, in one query, by the dashboard,
the exports, the team's page and the report, each figure saying when it was taken."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import computed, reports, services, tasks
from monitoring.figures import Snapshots, year_bounds
from monitoring.models import IndicatorSnapshot, Report, SnapshotRefresh
from pestor import jobs
from tests.directory.factories import OrganisationFactory
from tests.monitoring.factories import (
    ActionFactory,
    GoalFactory,
    IndicatorFactory,
    ProgrammeFactory,
    ReportFactory,
)
from tests.roles import ROLES as BASE_ROLES
from tests.roles import outcome

pytestmark = pytest.mark.django_db

YEAR_2026 = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
# 30.11.2026, 03:00 in Warsaw.
NIGHT = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _taken(municipality, key, value, *, at=NIGHT, **period):
    period = period or YEAR_2026
    return IndicatorSnapshot.objects.create(
        municipality=municipality,
        key=key,
        period_start=period["start"],
        period_end=period["end"],
        value=value,
        taken_at=at,
    )


def _shown_year(programme) -> int:
    return min(max(timezone.localdate().year, programme.year_from), programme.year_to)


# --- taking them --------------------------------------------------------------------------------


def test_a_refresh_stores_what_each_indicator_computes(municipality, organisation):
    OrganisationFactory(seat_municipality=municipality)
    timings = services.indicator_snapshots_refresh(municipality=municipality, **YEAR_2026)
    assert set(timings) == set(computed.COMPUTED_INDICATORS)
    assert all(seconds >= 0 for seconds in timings.values())
    stored = {s.key: s for s in IndicatorSnapshot.objects.filter(municipality=municipality)}
    assert set(stored) == set(computed.COMPUTED_INDICATORS)
    for key in computed.COMPUTED_INDICATORS:
        assert stored[key].value == computed.evaluate(key, municipality=municipality, **YEAR_2026)
        assert stored[key].period_start == YEAR_2026["start"]
        assert stored[key].taken_at is not None
    assert stored["verified_organisations"].value == 2  # the fixture's and this one


def test_running_a_refresh_again_renews_the_same_rows(municipality, organisation):
    services.indicator_snapshots_refresh(municipality=municipality, **YEAR_2026)
    first = {s.key: (s.pk, s.taken_at) for s in IndicatorSnapshot.objects.all()}
    OrganisationFactory(seat_municipality=municipality)  # the data change meanwhile
    services.indicator_snapshots_refresh(municipality=municipality, **YEAR_2026)
    second = {s.key: s for s in IndicatorSnapshot.objects.all()}
    assert IndicatorSnapshot.objects.count() == len(computed.COMPUTED_INDICATORS)
    assert {key: s.pk for key, s in second.items()} == {key: pk for key, (pk, _) in first.items()}
    assert all(second[key].taken_at >= first[key][1] for key in first)
    assert second["new_registrations"].value == computed.evaluate(
        "new_registrations", municipality=municipality, **YEAR_2026
    )


def test_only_missing_leaves_the_snapshots_already_taken(municipality):
    kept = _taken(municipality, "active_offers", Decimal(7))
    timings = services.indicator_snapshots_refresh(
        municipality=municipality, only_missing=True, **YEAR_2026
    )
    assert "active_offers" not in timings
    assert len(timings) == len(computed.COMPUTED_INDICATORS) - 1
    kept.refresh_from_db()
    assert kept.value == 7
    assert kept.taken_at == NIGHT


def test_one_period_does_not_touch_another(municipality):
    other = _taken(
        municipality, "active_offers", Decimal(7), start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    services.indicator_snapshots_refresh(municipality=municipality, **YEAR_2026)
    other.refresh_from_db()
    assert other.value == 7


def test_the_plan_renews_this_and_last_year_and_fills_the_others(municipality, other_municipality):
    ProgrammeFactory(municipality=municipality, year_from=2024, year_to=2027)
    ProgrammeFactory(municipality=municipality, year_from=2026, year_to=2027)  # shared periods
    ProgrammeFactory(
        municipality=other_municipality, year_from=2030, year_to=2031, kind="multi_year"
    )
    plan = services.indicator_snapshots_plan(today=date(2026, 11, 30))
    mine = [(start.year, renew) for pk, start, _end, renew in plan if pk == municipality.pk]
    assert mine == [(2024, False), (2025, True), (2026, True)]
    # A programme not begun yet: the year its dashboard opens on, taken once.
    assert [(s.year, r) for pk, s, _e, r in plan if pk == other_municipality.pk] == [(2030, False)]


def test_the_beat_task_takes_every_municipalitys_current_periods(
    municipality, other_municipality, organisation
):
    ProgrammeFactory(municipality=municipality)
    ProgrammeFactory(municipality=other_municipality, draft=True)
    plan = services.indicator_snapshots_plan(today=timezone.localdate())
    # Tasks run in-process without a broker (the test settings): each is run here.
    assert tasks.refresh_indicator_snapshots.delay().get() == len(plan)
    for municipality_id, start, end, _renew in plan:
        taken = IndicatorSnapshot.objects.filter(
            municipality_id=municipality_id, period_start=start, period_end=end
        )
        assert taken.count() == len(computed.COMPUTED_INDICATORS)
    year = _shown_year(ProgrammeFactory.build())
    assert IndicatorSnapshot.objects.get(
        municipality=municipality, key="verified_organisations", period_start=date(year, 1, 1)
    ).value == computed.evaluate(
        "verified_organisations",
        municipality=municipality,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    # Run again: the same rows, renewed.
    count = IndicatorSnapshot.objects.count()
    tasks.refresh_indicator_snapshots.delay()
    assert IndicatorSnapshot.objects.count() == count


def test_the_beat_schedule_takes_the_snapshots_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["monitoring-refresh-indicator-snapshots"]
    assert entry["task"] == "monitoring.tasks.refresh_indicator_snapshots"
    assert entry["task"] in tasks.refresh_indicator_snapshots.app.tasks


def test_the_command_takes_one_municipalitys_year_and_says_how_long_each_took(municipality):
    out = io.StringIO()
    call_command("refresh_indicator_snapshots", municipality="torun", year=2026, stdout=out)
    assert IndicatorSnapshot.objects.filter(municipality=municipality).count() == len(
        computed.COMPUTED_INDICATORS
    )
    text = out.getvalue()
    for key in computed.COMPUTED_INDICATORS:
        assert key in text


# --- reading them -----------------------------------------------------------------------------


def test_the_dashboard_shows_the_snapshot_and_when_it_was_taken(client, programme, monkeypatch):
    # A value the live computation would not give: the page reads the snapshot.
    _taken(programme.municipality, "verified_organisations", Decimal(4))

    def not_here(*args, **kwargs):
        raise AssertionError("computed in a request")

    monkeypatch.setattr(computed, "evaluate", not_here)
    response = client.get(reverse("monitoring:dashboard", args=["torun"]), {"rok": 2026})
    assert response.status_code == 200
    figure = response.context["goal_figures"][0]["actions"][0]["figures"][0]
    assert figure.value == 4
    assert figure.taken_at == NIGHT
    assert "stan na 30.11.2026, 03:00" in response.content.decode()


def test_a_figure_not_computed_yet_says_so(client, programme):
    response = client.get(reverse("monitoring:dashboard", args=["torun"]), {"rok": 2026})
    figure = response.context["goal_figures"][0]["actions"][0]["figures"][0]
    assert figure.missing
    assert figure.value is None
    assert "jeszcze nie obliczono" in response.content.decode()
    # A manual indicator is never "not computed".
    assert not response.context["goal_figures"][0]["figures"][0].missing


def test_the_csv_export_gives_the_snapshot_and_when_it_was_taken(client, programme):
    _taken(programme.municipality, "verified_organisations", Decimal(4))
    response = client.get(reverse("monitoring:dashboard-csv", args=["torun"]), {"rok": 2026})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row[2]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    verified = rows["Zweryfikowane podmioty ekonomii społecznej"]
    assert verified[7] == "4"
    assert verified[10] == "30.11.2026 03:00"
    assert rows["Liczba przeszkolonych liderów"][10] == ""  # entered by the team


def test_the_csv_export_says_which_figures_are_not_computed_yet(client, programme):
    response = client.get(reverse("monitoring:dashboard-csv", args=["torun"]), {"rok": 2026})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row[2]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    verified = rows["Zweryfikowane podmioty ekonomii społecznej"]
    assert verified[7] == ""
    assert verified[10] == "jeszcze nie obliczono"


def _many_indicators(programme, count: int) -> None:
    """``count`` goals, each with a computed and a manual indicator and an action with a
    computed one, every computed one snapshotted."""
    keys = list(computed.COMPUTED_INDICATORS)
    for n in range(count):
        goal = GoalFactory(programme=programme)
        IndicatorFactory(goal=goal, source=keys[n % len(keys)])
        IndicatorFactory(goal=goal)
        action = ActionFactory(goal=goal)
        IndicatorFactory(goal=None, action=action, programme=programme, source=keys[-1 - n % 3])
    for key in keys:
        for year in (2026, 2027):
            start, end = year_bounds(year)
            _taken(programme.municipality, key, Decimal(3), start=start, end=end)


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize("name", ["dashboard", "dashboard-csv", "dashboard-xlsx"])
def test_the_public_pages_read_every_snapshot_in_one_query(client, programme, name):
    url = reverse(f"monitoring:{name}", args=["torun"])
    one = _queries(client, url, {"rok": 2026})
    _many_indicators(programme, 30)
    many = _queries(client, url, {"rok": 2026})
    assert many == one
    assert many <= 10


def test_the_programme_page_reads_every_snapshot_in_one_query(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    url = reverse("monitoring:programme-detail", args=[programme.pk])
    one = _queries(client, url)
    _many_indicators(programme, 30)
    SnapshotRefresh.objects.create(
        municipality=programme.municipality,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status=SnapshotRefresh.Status.DONE,
    )
    assert _queries(client, url) == one


def test_the_snapshots_of_several_periods_load_in_one_query(
    municipality, django_assert_num_queries
):
    _taken(municipality, "active_offers", Decimal(1))
    _taken(
        municipality, "active_offers", Decimal(2), start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    with django_assert_num_queries(1):
        snapshots = Snapshots(municipality, [year_bounds(2025), year_bounds(2026)])
    assert snapshots.reading("active_offers", **YEAR_2026).value == 1
    assert (
        snapshots.reading("active_offers", start=date(2025, 1, 1), end=date(2025, 12, 31)).value
        == 2
    )
    assert snapshots.reading("awards_value", **YEAR_2026) is None


# --- "compute now" -----------------------------------------------------------------------------

ROLES = [*BASE_ROLES, "other_monitoring_member"]
# The programme is adopted: others see it exists (403), a draft would be 404 (ProgrammeMixin).
MAY_COMPUTE = dict.fromkeys(ROLES, 403) | {
    "resident": "login",
    "monitoring_member": 302,
    "admin_user": 302,
}


@pytest.mark.parametrize(("role", "expected"), MAY_COMPUTE.items())
def test_only_the_team_computes_the_indicators_now(
    role, expected, as_role, client, programme, django_capture_on_commit_callbacks
):
    as_role(role)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("monitoring:snapshot-refresh", args=[programme.pk]), {"rok": "2026"}
        )
    assert outcome(response) == expected
    if expected == 302:
        job = SnapshotRefresh.objects.get()
        assert response["Location"] == programme.get_absolute_url()
        # Queued for the worker, not computed in the request.
        assert job.status == SnapshotRefresh.Status.QUEUED
        assert (job.period_start, job.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
        assert job.municipality == programme.municipality
        assert len(callbacks) == 1
        assert not IndicatorSnapshot.objects.exists()
    else:
        assert not SnapshotRefresh.objects.exists()
        assert not callbacks


def test_a_draft_of_another_team_cannot_be_computed(
    client, other_monitoring_member, draft_programme
):
    client.force_login(other_monitoring_member)
    response = client.post(reverse("monitoring:snapshot-refresh", args=[draft_programme.pk]))
    assert response.status_code == 404
    assert not SnapshotRefresh.objects.exists()


def test_compute_now_is_post_only(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    response = client.get(reverse("monitoring:snapshot-refresh", args=[programme.pk]))
    assert response.status_code == 405


def test_the_job_computes_the_snapshots_with_progress(
    client, monitoring_member, programme, organisation, django_capture_on_commit_callbacks
):
    client.force_login(monitoring_member)
    page = client.get(reverse("monitoring:programme-detail", args=[programme.pk]))
    content = page.content.decode()
    assert "jeszcze nie obliczono" in content
    assert reverse("monitoring:snapshot-refresh", args=[programme.pk]) in content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:snapshot-refresh", args=[programme.pk]), {"rok": "2026"}
        )
    assert response.status_code == 302
    job = SnapshotRefresh.objects.get()
    assert job.status == SnapshotRefresh.Status.DONE
    assert job.progress == 100
    assert job.requested_by == monitoring_member
    assert IndicatorSnapshot.objects.filter(
        municipality=programme.municipality, period_start=date(2026, 1, 1)
    ).count() == len(computed.COMPUTED_INDICATORS)


def test_a_second_click_while_it_runs_queues_nothing_more(
    client, monitoring_member, programme, django_capture_on_commit_callbacks
):
    client.force_login(monitoring_member)
    url = reverse("monitoring:snapshot-refresh", args=[programme.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url, {"rok": "2026"})
        client.post(url, {"rok": "2026"})
    assert SnapshotRefresh.objects.count() == 1
    assert len(callbacks) == 1


def test_a_year_outside_the_programme_computes_the_year_shown(
    client, monitoring_member, programme, django_capture_on_commit_callbacks
):
    client.force_login(monitoring_member)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("monitoring:snapshot-refresh", args=[programme.pk]), {"rok": "1999x"}
        )
    assert response.status_code == 302
    assert SnapshotRefresh.objects.get().period_start.year == _shown_year(programme)


def test_the_programme_page_polls_the_progress_while_the_job_runs(
    client, monitoring_member, programme
):
    year = _shown_year(programme)
    job = SnapshotRefresh.objects.create(
        municipality=programme.municipality,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        status=SnapshotRefresh.Status.RUNNING,
        progress=40,
    )
    client.force_login(monitoring_member)
    url = reverse("monitoring:programme-detail", args=[programme.pk])
    page = client.get(url).content.decode()
    assert 'data-hx-trigger="every 2s"' in page
    assert 'value="40"' in page
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "40%" in fragment.content.decode()
    job.status = SnapshotRefresh.Status.DONE
    job.save()
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 286  # htmx stops polling


def test_a_failed_job_says_why(monitoring_member, programme, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("the selector broke")

    monkeypatch.setattr(computed, "evaluate", broken)
    job = SnapshotRefresh.objects.create(
        municipality=programme.municipality,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    jobs.job_enqueue(job)
    job = services.snapshot_refresh_run(
        job_id=job.pk, task_id=SnapshotRefresh.objects.get().task_id
    )
    assert job.status == SnapshotRefresh.Status.FAILED
    assert "the selector broke" in job.error


def test_the_job_is_known_to_the_sweeper():
    assert jobs.kind_of(SnapshotRefresh).task_name == "monitoring.tasks.compute_snapshots_now"


# --- the report -------------------------------------------------------------------------------


def test_the_report_uses_the_snapshots_and_says_when_each_was_taken(programme):
    _taken(programme.municipality, "verified_organisations", Decimal(4))
    report = ReportFactory(programme=programme)
    snapshot = reports.build_snapshot(report)
    figure = snapshot["goals"][0]["actions"][0]["figures"][0]
    assert figure["value"] == "4"
    assert datetime.fromisoformat(figure["taken_at"]) == NIGHT
    # The indicators missing for the period were computed inside the job, and say when.
    overview = {row["key"]: row for row in snapshot["computed"]}
    assert overview["verified_organisations"]["value"] == "4"
    assert all(row["taken_at"] for row in overview.values())
    assert IndicatorSnapshot.objects.filter(period_start=date(2026, 1, 1)).count() == len(
        computed.COMPUTED_INDICATORS
    )
    html = reports.render_html(report, snapshot)
    assert "stan na 30.11.2026, 03:00" in html
    assert html.count("stan na ") >= len(computed.COMPUTED_INDICATORS) + 1


def test_a_report_built_before_snapshots_still_renders(programme):
    """Reports kept from before this change have no dates in their JSON."""
    report = ReportFactory(programme=programme)
    snapshot = reports.build_snapshot(report)
    for goal in snapshot["goals"]:
        for figure in goal["figures"]:
            figure.pop("taken_at"), figure.pop("missing")
    for row in snapshot["computed"]:
        row.pop("taken_at")
    assert programme.title in reports.render_html(report, snapshot)


def test_the_report_job_builds_from_snapshots(programme, django_capture_on_commit_callbacks):
    report = ReportFactory(programme=programme, status=Report.Status.QUEUED)
    services.indicator_snapshots_refresh(municipality=programme.municipality, **YEAR_2026)
    taken = set(IndicatorSnapshot.objects.values_list("taken_at", flat=True))
    jobs.job_enqueue(report)
    report.refresh_from_db()
    built = services.report_render(report_id=report.pk, task_id=report.task_id)
    assert built.status == Report.Status.DONE
    # Nothing was computed again: the report read what was there.
    assert set(IndicatorSnapshot.objects.values_list("taken_at", flat=True)) == taken
