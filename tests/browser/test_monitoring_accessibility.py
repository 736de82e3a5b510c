"""The programme dashboard and the monitoring team's pages pass axe-core's WCAG 2.1 AA rules."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from monitoring.models import Report
from monitoring.reports import write_report_file
from tests.factories import make_monitoring_member
from tests.monitoring.factories import (
    ActionFactory,
    FundsFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgrammeFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def programme(municipality, organisation):
    programme = ProgrammeFactory(
        municipality=municipality,
        title="Wieloletni program współpracy Gminy Miasta Toruń na lata 2026-2027",
    )
    for position in (1, 2):
        goal = GoalFactory(programme=programme, position=position)
        MeasurementFactory(
            indicator=IndicatorFactory(goal=goal, target=Decimal(40)), value=Decimal(50)
        )
        action = ActionFactory(goal=goal)
        IndicatorFactory(
            goal=None,
            action=action,
            programme=programme,
            source="verified_organisations",
            target=Decimal(10),
            baseline=Decimal(2),
        )
    IndicatorFactory(goal=goal, name="Wskaźnik bez pomiaru", target=Decimal(5))
    FundsFactory(programme=programme)
    FundsFactory(programme=programme, year=2027)
    ProgrammeFactory(municipality=municipality, kind="annual", year_from=2025, year_to=2025)
    return programme


@pytest.mark.parametrize(
    "path",
    [
        "/monitoring/",
        "/monitoring/gmina/torun/",
        "/monitoring/gmina/torun/?rok=2027",
    ],
)
def test_the_dashboard_has_no_wcag_violations(page, assert_accessible, programme, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "pl"
    assert_accessible(page)


def test_the_dashboard_charts_have_names_and_a_text_equivalent(page, programme):
    page.goto("/monitoring/gmina/torun/?rok=2026")
    charts = page.get_by_role("img")
    assert charts.count() >= 5
    # each chart is named by its <title>: the figures in words
    title = charts.first.get_attribute("aria-labelledby")
    assert "50" in page.locator(f"#{title}").text_content()
    name = re.compile(r"50 wobec celu 40 \(jednostka: osoby\)")
    assert page.get_by_role("img", name=name).count() == 2
    # the same figures, as a table with row and column headers
    assert page.locator("table.figures th[scope=row]").count() >= 5


def _login(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", "test-pass-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def test_the_team_pages_have_no_wcag_violations(page, assert_accessible, programme, municipality):
    member = make_monitoring_member(municipality)
    done = ReportFactory(programme=programme, requested_by=member)
    done.file.name = write_report_file(done, b"%PDF-1.4\n")
    done.status = Report.Status.DONE
    done.save()
    running = ReportFactory(
        programme=programme, kind="progress", status=Report.Status.RUNNING, progress=40
    )
    failed = ReportFactory(
        programme=programme, kind="progress", status=Report.Status.FAILED, error="Boom"
    )
    goal = programme.goals.first()
    indicator = goal.indicators.first()
    _login(page, member)
    pk = programme.pk
    for path in [
        "/panel/",
        "/monitoring/zespol/",
        "/monitoring/programy/nowy/",
        f"/monitoring/programy/{pk}/",
        f"/monitoring/programy/{pk}/edytuj/",
        f"/monitoring/programy/{pk}/srodki/",
        f"/monitoring/programy/{pk}/cele/dodaj/",
        f"/monitoring/programy/{pk}/dzialania/dodaj/",
        f"/monitoring/programy/{pk}/wskazniki/dodaj/",
        f"/monitoring/programy/{pk}/wskazniki/{indicator.pk}/pomiary/",
        f"/monitoring/programy/{pk}/raporty/",
        f"/monitoring/raporty/{done.pk}/",
        f"/monitoring/raporty/{running.pk}/",
        f"/monitoring/raporty/{failed.pk}/",
        f"/monitoring/programy/{pk}/cele/{goal.pk}/usun/",
        f"/monitoring/programy/{pk}/dzialania/{goal.actions.first().pk}/usun/",
        f"/monitoring/programy/{pk}/wskazniki/{indicator.pk}/usun/",
        f"/monitoring/programy/{pk}/wskazniki/{indicator.pk}/pomiary/"
        f"{indicator.measurements.first().pk}/usun/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)
    # Deleting an indicator with measurements without ticking the box: the reason, as an error.
    page.goto(f"/monitoring/programy/{pk}/wskazniki/{indicator.pk}/usun/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    assert_accessible(page)
    # Published, the report is listed on the public page.
    page.goto(f"/monitoring/raporty/{done.pk}/")
    page.locator(f"form[action='/monitoring/raporty/{done.pk}/opublikuj/'] button").click()
    page.wait_for_url(f"**/monitoring/raporty/{done.pk}/")
    assert_accessible(page)
    page.goto("/monitoring/gmina/torun/")
    assert page.locator(f"a[href='/monitoring/gmina/torun/raporty/{done.pk}.pdf']").count() == 1
    assert_accessible(page)
    # An order with errors, and its error summary.
    page.goto(f"/monitoring/programy/{pk}/raporty/")
    page.check("input[name=kind][value=progress]")
    page.fill("#id_period_start", "")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    assert_accessible(page)
