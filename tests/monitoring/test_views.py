"""The monitoring pages over HTTP: every view against every role, bad input, query counts,
the htmx status fragments, the private download and the exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import CooperationProgramme, Indicator, Measurement, Report, ReportComment
from monitoring.views import EXPORT_COLUMNS
from tests.monitoring.factories import (
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgrammeFactory,
    ReportFactory,
)
from tests.roles import ROLES as BASE_ROLES
from tests.roles import outcome

pytestmark = pytest.mark.django_db

ROLES = [*BASE_ROLES, "other_monitoring_member"]
TEAM_ONLY = dict.fromkeys(ROLES, 403) | {
    "resident": "login",
    "monitoring_member": 200,
    "admin_user": 200,
}
# A draft programme, and every report, are not even visible outside the team.
TEAM_ONLY_HIDDEN = dict.fromkeys(ROLES, 404) | {
    "resident": "login",
    "monitoring_member": 200,
    "admin_user": 200,
}


# --- the public dashboard ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_dashboard_of_an_adopted_programme(role, as_role, client, programme):
    as_role(role)
    index = client.get(reverse("monitoring:dashboard-index"))
    assert index.status_code == 200
    assert "Toruń" in index.content.decode()
    response = client.get(reverse("monitoring:dashboard", args=["torun"]), {"rok": 2026})
    assert response.status_code == 200
    content = response.content.decode()
    assert programme.title in content
    assert "Liczba przeszkolonych liderów" in content
    # value 20 of target 50: the chart's accessible name says it in words
    assert 'role="img"' in content
    assert "20 wobec celu 50 (jednostka: osoby)" in content
    assert "20 osoby" not in content  # the typed unit does not agree with every number


def test_a_municipality_with_only_a_draft_programme_has_no_dashboard(client, draft_programme):
    assert client.get(reverse("monitoring:dashboard", args=["torun"])).status_code == 404
    index = client.get(reverse("monitoring:dashboard-index"))
    assert "Toruń" not in index.content.decode()


def test_the_dashboard_shows_the_chosen_year_and_ignores_a_year_outside_the_programme(
    client, programme
):
    first = client.get(reverse("monitoring:dashboard", args=["torun"]), {"rok": 2026})
    second = client.get(reverse("monitoring:dashboard", args=["torun"]), {"rok": 2027})
    outside = client.get(reverse("monitoring:dashboard", args=["torun"]), {"rok": "1999"})
    assert first.context["year"] == 2026
    assert second.context["year"] == 2027
    assert outside.status_code == 200
    assert outside.context["year"] in (2026, 2027)
    # 2026's measurement is not 2027's value
    figure = second.context["goal_figures"][0]["figures"][0]
    assert figure.value is None


def test_a_draft_programme_cannot_be_asked_for_on_the_dashboard(client, programme, draft_programme):
    response = client.get(
        reverse("monitoring:dashboard", args=["torun"]), {"program": draft_programme.pk}
    )
    assert response.status_code == 404


def test_csv_export_reads_back(client, programme):
    response = client.get(reverse("monitoring:dashboard-csv", args=["torun"]), {"rok": 2026})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [str(column.header) for column in EXPORT_COLUMNS]
    by_name = {row[2]: row for row in rows[1:]}
    leaders = by_name["Liczba przeszkolonych liderów"]
    assert leaders[0] == "1. Wzmacnianie potencjału organizacji"
    assert leaders[1] == ""
    # Numbers as Excel in Polish reads them: a decimal comma.
    assert leaders[5] == "50,00"
    assert Decimal(leaders[7].replace(",", ".")) == 20
    assert Decimal(leaders[8].replace(",", ".")) == 40
    verified = by_name["Zweryfikowane podmioty ekonomii społecznej"]
    assert verified[1] == "Szkolenia dla liderów organizacji"


def test_xlsx_export_reads_back_with_numbers_as_numbers(client, programme, organisation):
    response = client.get(reverse("monitoring:dashboard-xlsx", args=["torun"]), {"rok": 2026})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook.active
    assert sheet.title == "2026"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [str(column.header) for column in EXPORT_COLUMNS]
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["Liczba przeszkolonych liderów"][7] == 20
    assert by_name["Liczba przeszkolonych liderów"][8] == 40
    # the computed indicator: one verified organisation (the fixture's) at the end of 2026
    assert by_name["Zweryfikowane podmioty ekonomii społecznej"][7] == 1


FORMULAS = [
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-2+3",
    "@SUM(1)",
    "\tTAB=1+1",
    "\rCR=1+1",
]


@pytest.fixture
def formula_indicators(programme):
    """Indicators whose names and units a spreadsheet would take for formulas, and a negative
    target that must stay a number."""
    goal = programme.goals.get()
    for position, text in enumerate(FORMULAS):
        IndicatorFactory(goal=goal, name=text, unit=text, target=Decimal("-2.5") - position)
    return FORMULAS


def test_no_cell_of_the_csv_export_can_start_a_formula(client, programme, formula_indicators):
    response = client.get(reverse("monitoring:dashboard-csv", args=["torun"]), {"rok": 2026})

    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    by_name = {row[2]: row for row in rows[1:]}
    for position, formula in enumerate(formula_indicators):
        row = by_name["'" + formula]
        assert row[3] == "'" + formula  # the unit, escaped the same way
        assert row[5] == f"-{2 + position},50"  # a negative number, not escaped
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), row
            assert not cell.startswith("-") or cell.replace(",", "").lstrip("-").isdigit(), row


def test_no_cell_of_the_xlsx_export_is_a_formula(client, programme, formula_indicators):
    response = client.get(reverse("monitoring:dashboard-xlsx", args=["torun"]), {"rok": 2026})

    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells
    assert all(cell.data_type != "f" for cell in cells)
    by_name = {row[2]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for position, formula in enumerate(formula_indicators):
        text = "'" + formula.replace("\r", "\n")  # XML has no carriage return in text
        row = by_name[text]
        assert row[3] == text
        assert row[5] == Decimal("-2.5") - position  # a negative number stays a number


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_dashboard_index_runs_a_fixed_number_of_queries(client, programme):
    url = reverse("monitoring:dashboard-index")
    one = _queries(client, url)
    for _n in range(19):
        ProgrammeFactory()
    assert _queries(client, url) == one


# --- the team's pages: who may enter ----------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY.items())
def test_only_the_team_keeps_an_adopted_programme(role, expected, as_role, client, programme):
    as_role(role)
    pk = programme.pk
    goal = programme.goals.get()
    indicator = Indicator.objects.get(goal=goal)
    action = goal.actions.get()
    for url in [
        reverse("monitoring:programme-detail", args=[pk]),
        reverse("monitoring:programme-edit", args=[pk]),
        reverse("monitoring:programme-funds", args=[pk]),
        reverse("monitoring:goal-create", args=[pk]),
        reverse("monitoring:goal-edit", args=[pk, goal.pk]),
        reverse("monitoring:action-create", args=[pk]),
        reverse("monitoring:action-edit", args=[pk, action.pk]),
        reverse("monitoring:indicator-create", args=[pk]),
        reverse("monitoring:indicator-edit", args=[pk, indicator.pk]),
        reverse("monitoring:measurement-list", args=[pk, indicator.pk]),
        reverse("monitoring:report-list", args=[pk]),
    ]:
        assert outcome(client.get(url)) == expected, url


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY_HIDDEN.items())
def test_a_draft_programme_is_hidden_outside_the_team(
    role, expected, as_role, client, draft_programme
):
    as_role(role)
    response = client.get(reverse("monitoring:programme-detail", args=[draft_programme.pk]))
    assert outcome(response) == expected


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY.items())
def test_only_team_members_and_admins_have_the_team_page(role, expected, as_role, client):
    as_role(role)
    expected = 200 if role == "other_monitoring_member" else expected
    assert outcome(client.get(reverse("monitoring:team"))) == expected
    assert outcome(client.get(reverse("monitoring:programme-create"))) == expected


def test_the_team_page_lists_only_the_members_own_programmes(
    client, programme, other_monitoring_member, other_municipality
):
    ProgrammeFactory(municipality=other_municipality, title="Program Chełmży")
    client.force_login(other_monitoring_member)
    content = client.get(reverse("monitoring:team")).content.decode()
    assert "Program Chełmży" in content
    assert programme.title not in content


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY_HIDDEN.items())
def test_only_the_team_sees_a_report(role, expected, as_role, client, done_report):
    as_role(role)
    assert outcome(client.get(done_report.get_absolute_url())) == expected


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY_HIDDEN.items())
def test_only_the_team_downloads_a_report(role, expected, as_role, client, done_report):
    as_role(role)
    response = client.get(reverse("monitoring:report-download", args=[done_report.pk]))
    assert outcome(response) == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{done_report.download_name}"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_report_files_are_not_under_media(done_report, settings):
    from pathlib import Path

    from pestor.storage import private_storage

    path = Path(private_storage().path(done_report.file.name)).resolve()
    assert path.exists()
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    with pytest.raises(ValueError):
        done_report.file.url  # noqa: B018


def test_a_report_not_ready_cannot_be_downloaded(client, monitoring_member, programme):
    report = ReportFactory(programme=programme, status=Report.Status.RUNNING, progress=40)
    client.force_login(monitoring_member)
    assert client.get(reverse("monitoring:report-download", args=[report.pk])).status_code == 404


# --- ordering, retrying and commenting --------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY.items())
def test_only_the_team_orders_a_report(
    role, expected, as_role, client, programme, django_capture_on_commit_callbacks
):
    as_role(role)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("monitoring:report-list", args=[programme.pk]),
            {"kind": "progress", "period_start": "2026-01-01", "period_end": "2026-06-30"},
        )
    if expected == 200:
        report = Report.objects.get()
        assert response.status_code == 302
        assert response["Location"] == report.get_absolute_url()
        assert report.status == Report.Status.QUEUED
        assert report.period_end == date(2026, 6, 30)
        assert len(callbacks) == 1  # the task, sent after the commit
    else:
        assert outcome(response) == expected
        assert not Report.objects.exists()


def test_ordering_returns_at_once_and_the_task_builds_the_report(
    client, monitoring_member, programme, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(monitoring_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:report-list", args=[programme.pk]),
            {"kind": "statutory", "year": "2026"},
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert report.status == Report.Status.DONE
    assert report.requested_by == monitoring_member
    page = client.get(report.get_absolute_url())
    assert reverse("monitoring:report-download", args=[report.pk]) in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "statutory", "year": ""}, "year"),
        ({"kind": "statutory", "year": "2031"}, "year"),
        ({"kind": "progress", "period_start": "", "period_end": "2026-05-01"}, "period_start"),
        (
            {"kind": "progress", "period_start": "2026-05-01", "period_end": "2026-04-01"},
            "period_end",
        ),
        (
            {"kind": "progress", "period_start": "2025-05-01", "period_end": "2026-04-01"},
            "period_start",
        ),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_bad_orders_say_what_is_wrong_on_the_field(
    client, monitoring_member, programme, data, field
):
    client.force_login(monitoring_member)
    response = client.post(reverse("monitoring:report-list", args=[programme.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Report.objects.exists()


def test_a_second_annual_report_for_the_same_year_is_refused(
    client, monitoring_member, done_report
):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:report-list", args=[done_report.programme.pk]),
        {"kind": "statutory", "year": "2026"},
    )
    assert response.status_code == 200
    assert "zostało już zlecone" in str(response.context["form"].errors["year"])
    assert Report.objects.count() == 1


RERUN = dict.fromkeys(ROLES, 404) | {
    "resident": "login",
    "monitoring_member": 302,
    "admin_user": 302,
}


@pytest.mark.parametrize(("role", "expected"), RERUN.items())
def test_only_the_team_retries_a_failed_report(
    role, expected, as_role, client, programme, django_capture_on_commit_callbacks
):
    report = ReportFactory(programme=programme, status=Report.Status.FAILED, error="Boom")
    as_role(role)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("monitoring:report-rerun", args=[report.pk]))
    assert outcome(response) == expected
    report.refresh_from_db()
    if expected == 302:
        assert report.status == Report.Status.QUEUED
        assert report.error == ""
    else:
        assert report.status == Report.Status.FAILED


def test_a_running_report_cannot_be_rerun(client, monitoring_member, programme):
    report = ReportFactory(programme=programme, status=Report.Status.RUNNING)
    client.force_login(monitoring_member)
    response = client.post(reverse("monitoring:report-rerun", args=[report.pk]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING


@pytest.mark.parametrize(("role", "expected"), RERUN.items())
def test_only_the_team_comments_on_a_report(role, expected, as_role, client, done_report):
    as_role(role)
    goal = done_report.programme.goals.get()
    response = client.post(
        reverse("monitoring:report-comment", args=[done_report.pk]),
        {"goal": goal.pk, "body": "Cel realizowany zgodnie z planem."},
    )
    assert outcome(response) == expected
    assert ReportComment.objects.filter(report=done_report).exists() == (expected == 302)


def test_an_empty_comment_is_refused_on_its_field(client, monitoring_member, done_report):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:report-comment", args=[done_report.pk]), {"goal": "", "body": "  "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"]


def test_a_comment_cannot_name_a_goal_of_another_programme(client, monitoring_member, done_report):
    stranger = GoalFactory()
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:report-comment", args=[done_report.pk]),
        {"goal": stranger.pk, "body": "Uwaga"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["goal"]
    assert not ReportComment.objects.exists()


# --- the status without reloading -------------------------------------------------------------


def test_the_status_fragment_polls_while_the_report_is_being_built(
    client, monitoring_member, programme
):
    report = ReportFactory(programme=programme, status=Report.Status.RUNNING, progress=35)
    client.force_login(monitoring_member)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'aria-live="polite"' in page
    assert '<progress max="100" value="35"' in page
    fragment = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert 'value="35"' in fragment.content.decode()
    # Without JavaScript: a plain link refreshes the page.
    assert "Refresh the status" in page or "Odśwież" in page


def test_the_status_fragment_stops_the_polling_once_the_report_is_done(
    client, monitoring_member, done_report
):
    client.force_login(monitoring_member)
    page = client.get(done_report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' not in page
    fragment = client.get(done_report.get_absolute_url(), headers={"HX-Request": "true"})
    assert fragment.status_code == 286  # htmx: swap, then stop polling
    assert reverse("monitoring:report-download", args=[done_report.pk]) in fragment.content.decode()


def test_the_report_list_polls_its_table_while_any_report_is_active(
    client, monitoring_member, programme
):
    ReportFactory(programme=programme, kind="progress", status=Report.Status.QUEUED)
    client.force_login(monitoring_member)
    url = reverse("monitoring:report-list", args=[programme.pk])
    assert 'hx-trigger="every 2s"' in client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<form" not in fragment.content.decode()
    Report.objects.update(status=Report.Status.DONE)
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 286


def test_the_report_list_runs_a_fixed_number_of_queries(client, monitoring_member, programme):
    url = reverse("monitoring:report-list", args=[programme.pk])
    ReportFactory(programme=programme, kind="progress")
    client.force_login(monitoring_member)
    one = _queries(client, url)
    for month in range(1, 20):
        ReportFactory(
            programme=programme,
            kind="progress",
            period_end=date(2026, 1 + month % 12, 1),
            status=Report.Status.DONE,
        )
    assert _queries(client, url) == one


def test_the_report_list_filters_by_status(client, monitoring_member, programme):
    ReportFactory(programme=programme, kind="progress", status=Report.Status.FAILED)
    ReportFactory(programme=programme, status=Report.Status.DONE)
    client.force_login(monitoring_member)
    response = client.get(
        reverse("monitoring:report-list", args=[programme.pk]), {"status": "failed"}
    )
    assert [report.status for report in response.context["reports"]] == ["failed"]


def test_the_team_page_runs_a_fixed_number_of_queries(client, monitoring_member, municipality):
    ProgrammeFactory(municipality=municipality)
    client.force_login(monitoring_member)
    url = reverse("monitoring:team")
    one = _queries(client, url)
    for _n in range(19):
        GoalFactory(programme=ProgrammeFactory(municipality=municipality))
    assert _queries(client, url) == one


def test_the_measurement_list_runs_a_fixed_number_of_queries(client, monitoring_member, programme):
    indicator = Indicator.objects.get(goal__isnull=False)
    url = reverse("monitoring:measurement-list", args=[programme.pk, indicator.pk])
    client.force_login(monitoring_member)
    one = _queries(client, url)
    for month in range(1, 20):
        MeasurementFactory(
            indicator=indicator,
            period_start=date(2027, 1, 1),
            period_end=date(2027, 1 + month % 12, 1 + month),
        )
    assert _queries(client, url) == one


def test_the_programme_page_runs_a_fixed_number_of_queries(client, monitoring_member, programme):
    url = reverse("monitoring:programme-detail", args=[programme.pk])
    client.force_login(monitoring_member)
    one = _queries(client, url)
    for _n in range(10):
        goal = GoalFactory(programme=programme)
        MeasurementFactory(indicator=IndicatorFactory(goal=goal))
    assert _queries(client, url) == one


# --- keeping the programme --------------------------------------------------------------------


def test_the_team_creates_a_programme(client, monitoring_member, municipality):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:programme-create"),
        {
            "municipality": municipality.pk,
            "title": "Roczny program współpracy na 2027 rok",
            "kind": "annual",
            "year_from": 2027,
            "year_to": 2027,
            "status": "draft",
        },
    )
    programme = CooperationProgramme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == programme.get_absolute_url()
    assert programme.municipality == municipality


def test_a_member_cannot_create_a_programme_for_another_municipality(
    client, monitoring_member, other_municipality
):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:programme-create"),
        {
            "municipality": other_municipality.pk,
            "title": "Cudzy program",
            "kind": "annual",
            "year_from": 2027,
            "year_to": 2027,
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["municipality"]
    assert not CooperationProgramme.objects.exists()


def test_adopting_without_a_resolution_says_so_and_keeps_what_was_typed(
    client, monitoring_member, draft_programme
):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:programme-edit", args=[draft_programme.pk]),
        {
            "title": "Program po konsultacjach",
            "kind": "multi_year",
            "year_from": 2026,
            "year_to": 2027,
            "status": "adopted",
            "diagnosis": "Nowa diagnoza, długi tekst.",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["resolution_number"]
    assert errors["resolution_date"]
    content = response.content.decode()
    assert "Nowa diagnoza, długi tekst." in content
    assert "Program po konsultacjach" in content
    draft_programme.refresh_from_db()
    assert draft_programme.title == "Projekt programu 2028"


def test_the_team_enters_planned_funds(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:programme-funds", args=[programme.pk]),
        {"year_2026": "1300000.50", "year_2027": ""},
    )
    assert response.status_code == 302
    assert {f.year: f.amount for f in programme.funds.all()} == {2026: Decimal("1300000.50")}


def test_negative_funds_are_refused_on_the_field(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:programme-funds", args=[programme.pk]),
        {"year_2026": "-5", "year_2027": "100"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year_2026"]
    assert 'value="100"' in response.content.decode()
    assert programme.funds.get().amount == Decimal("1250000.00")


def test_the_team_adds_a_goal_an_action_and_an_indicator(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    pk = programme.pk
    response = client.post(
        reverse("monitoring:goal-create", args=[pk]),
        {"position": "", "title": "Rozwój ekonomii społecznej", "description": ""},
    )
    assert response.status_code == 302
    goal = programme.goals.get(title="Rozwój ekonomii społecznej")
    assert goal.position == 2

    department = monitoring_member.monitoring_memberships.get().municipality.departments.create(
        name="Wydział Zdrowia i Polityki Społecznej"
    )
    response = client.post(
        reverse("monitoring:action-create", args=[pk]),
        {
            "goal": goal.pk,
            "title": "Klauzule społeczne w zamówieniach",
            "department": department.pk,
            "status": "planned",
            "starts_on": "2026-03-01",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 302
    action = goal.actions.get()

    response = client.post(
        reverse("monitoring:indicator-create", args=[pk]),
        {
            "attached_to": f"action:{action.pk}",
            "name": "Udział ogłoszeń z klauzulą",
            "unit": "%",
            "target": "30",
            "source": "social_clause_share",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Udział ogłoszeń z klauzulą")
    assert indicator.action == action
    assert indicator.programme == programme


def test_an_action_cannot_be_given_a_department_of_another_municipality(
    client, monitoring_member, programme, other_official
):
    client.force_login(monitoring_member)
    foreign = other_official.official_memberships.get().department
    response = client.post(
        reverse("monitoring:action-create", args=[programme.pk]),
        {
            "goal": programme.goals.get().pk,
            "title": "Cudzy wydział",
            "department": foreign.pk,
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["department"]


def test_an_indicator_cannot_be_attached_to_a_goal_of_another_programme(
    client, monitoring_member, programme
):
    stranger = GoalFactory()
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:indicator-create", args=[programme.pk]),
        {
            "attached_to": f"goal:{stranger.pk}",
            "name": "Wskaźnik",
            "unit": "szt.",
            "target": "3",
            "source": "manual",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attached_to"]
    assert not Indicator.objects.filter(name="Wskaźnik").exists()


def test_editing_a_goal_of_another_programme_is_404(client, monitoring_member, programme):
    stranger = GoalFactory(programme=ProgrammeFactory(municipality=programme.municipality))
    client.force_login(monitoring_member)
    url = reverse("monitoring:goal-edit", args=[programme.pk, stranger.pk])
    assert client.get(url).status_code == 404


def test_the_team_enters_and_corrects_a_measurement(client, monitoring_member, programme):
    indicator = Indicator.objects.get(goal__isnull=False)
    client.force_login(monitoring_member)
    url = reverse("monitoring:measurement-list", args=[programme.pk, indicator.pk])
    data = {"period_start": "2027-01-01", "period_end": "2027-06-30", "value": "31", "comment": ""}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "value": "33.5", "comment": "korekta"}).status_code == 302
    measurement = indicator.measurements.get(period_start=date(2027, 1, 1))
    assert measurement.value == Decimal("33.5")
    assert measurement.entered_by == monitoring_member
    assert indicator.measurements.count() == 2


def test_a_bad_measurement_keeps_what_was_typed(client, monitoring_member, programme):
    indicator = Indicator.objects.get(goal__isnull=False)
    client.force_login(monitoring_member)
    url = reverse("monitoring:measurement-list", args=[programme.pk, indicator.pk])
    response = client.post(
        url,
        {
            "period_start": "2030-01-01",
            "period_end": "2030-12-31",
            "value": "12",
            "comment": "Dane z ankiety wśród organizacji",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_start"]
    assert "Dane z ankiety wśród organizacji" in response.content.decode()
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_a_computed_indicator_has_no_measurement_page(client, monitoring_member, programme):
    computed = Indicator.objects.get(action__isnull=False)
    client.force_login(monitoring_member)
    url = reverse("monitoring:measurement-list", args=[programme.pk, computed.pk])
    assert client.get(url).status_code == 404


def test_my_panel_links_a_member_to_the_programmes(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert programme.get_absolute_url() in content


def test_planned_funds_are_in_zloty_on_the_programme_page(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    content = client.get(reverse("monitoring:programme-detail", args=[programme.pk])).content
    content = content.decode()
    assert "2026: 1 250 000,00 zł" in content.replace("\xa0", " ")
    assert "PLN" not in content
