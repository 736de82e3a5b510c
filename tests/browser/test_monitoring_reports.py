"""A monitoring team member orders a report, sees it become ready, and downloads the PDF; a page
left open follows a report being built without being reloaded (htmx polling)."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from monitoring.models import Report
from monitoring.reports import write_report_file
from tests.factories import make_monitoring_member
from tests.monitoring.factories import (
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
def programme(municipality):
    programme = ProgrammeFactory(
        municipality=municipality, title="Program współpracy Torunia z organizacjami 2026-2027"
    )
    goal = GoalFactory(programme=programme, title="Wzmacnianie potencjału organizacji")
    MeasurementFactory(
        indicator=IndicatorFactory(goal=goal, name="Liczba szkoleń", target=Decimal(12)),
        value=Decimal(9),
    )
    return programme


@pytest.fixture
def member(municipality):
    return make_monitoring_member(municipality, email="zespol@torun.example.org")


def _login(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", "test-pass-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def test_a_team_member_orders_a_report_and_downloads_it(page, programme, member, tmp_path):
    _login(page, member)
    page.get_by_role("link", name=programme.title).first.click()
    page.locator(f"a[href='/monitoring/programy/{programme.pk}/raporty/']").first.click()
    page.check("input[name=kind][value=statutory]")
    page.select_option("#id_year", "2026")
    page.locator("main form[method=post] button[type=submit]").click()

    report = Report.objects.get()
    page.wait_for_url(f"**/monitoring/raporty/{report.pk}/")
    # No broker in the live server: the report was built in-process and is ready.
    status = page.locator("#report-status")
    assert status.get_attribute("aria-live") == "polite"
    download_link = status.locator(f"a[href='/monitoring/raporty/{report.pk}/pobierz/']")
    download_link.wait_for()
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "raport.pdf"
    download.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "Program współpracy Torunia z organizacjami 2026-2027" in text
    assert "Wzmacnianie potencjału organizacji" in text
    assert "Liczba szkoleń" in text


def test_an_open_page_follows_the_report_until_it_is_ready(page, programme, member):
    report = ReportFactory(
        programme=programme, requested_by=member, status=Report.Status.RUNNING, progress=30
    )
    _login(page, member)
    page.goto(f"/monitoring/raporty/{report.pk}/")
    progress = page.locator("#report-status progress")
    assert progress.get_attribute("value") == "30"

    # The worker moves on and finishes; the page is not reloaded.
    Report.objects.filter(pk=report.pk).update(progress=70)
    page.locator("#report-status progress[value='70']").wait_for(timeout=10_000)
    report.file.name = write_report_file(report, b"%PDF-1.4\n")
    report.status = Report.Status.DONE
    report.progress = 100
    report.save()
    page.locator(f"#report-status a[href='/monitoring/raporty/{report.pk}/pobierz/']").wait_for(
        timeout=10_000
    )
    assert page.locator("#report-status progress").count() == 0
    assert page.url.endswith(f"/monitoring/raporty/{report.pk}/")


def test_someone_outside_the_team_cannot_download(page, programme, official):
    report = ReportFactory(programme=programme, status=Report.Status.DONE)
    report.file.name = write_report_file(report, b"%PDF-1.4\n")
    report.save()
    _login(page, official)
    response = page.goto(f"/monitoring/raporty/{report.pk}/pobierz/")
    assert response.status == 404
