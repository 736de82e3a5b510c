"""The analysis as a PDF built in the background (pestor.jobs, WeasyPrint): who orders it, its
state on the page while it is built, the file and its text."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from grants import services
from grants.models import AnalysisPdf
from pestor import jobs
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

OFFICIALS = {"official", "admin_user"}


def pdf_text(content: bytes) -> str:
    """The PDF's text with every run of white space (a table cell's line breaks) as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\xa0", " ").split())


def test_an_official_orders_the_pdf_and_everyone_downloads_it(
    client, decided, official, django_capture_on_commit_callbacks
):
    competition, _third = decided
    page = reverse("grants:competition-analysis", args=[competition.pk])
    download = reverse("grants:competition-analysis-download", args=[competition.pk])
    assert client.get(download).status_code == 404  # nothing built yet
    client.force_login(official)
    assert "Utwórz PDF" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:competition-analysis-pdf", args=[competition.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"{page}#pdf")
    job = AnalysisPdf.objects.get(competition=competition)
    assert job.status == jobs.JobStatus.DONE and job.file
    client.logout()
    assert "Pobierz PDF" in client.get(page).content.decode()
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert "Analiza kosztów i korzyści" in text
    assert "Więcej mieszkańców w kulturze" in text
    # cost per unit promised of the first outcome: 24 000 zł / 600 persons
    assert "Koszt jednostki deklarowanej" in text and "40,00 zł" in text


def test_the_area_pdf(client, decided, area, official, django_capture_on_commit_callbacks):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("grants:area-analysis-pdf", args=[area.pk]))
    response = client.get(reverse("grants:area-analysis-download", args=[area.pk]))
    text = pdf_text(b"".join(response.streaming_content))
    assert "Kultura" in text and decided[0].title in text and "40,00 zł" in text


def test_while_it_is_built_the_page_shows_its_state_and_htmx_polls(
    client, decided, official, django_capture_on_commit_callbacks
):
    competition, _third = decided
    page = reverse("grants:competition-analysis", args=[competition.pk])
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=False):  # queued, no worker yet
        client.post(reverse("grants:competition-analysis-pdf", args=[competition.pk]))
    html = client.get(page).content.decode()
    assert "w kolejce" in html and 'data-hx-get="' in html
    # Ordering again while it is queued is refused with a message, nothing changes.
    response = client.post(
        reverse("grants:competition-analysis-pdf", args=[competition.pk]), follow=True
    )
    assert "PDF jest już przygotowywany." in response.content.decode()
    assert client.get(page, headers={"HX-Request": "true"}).status_code == 200
    job = AnalysisPdf.objects.get()
    services.analysis_pdf_build(job_id=job.pk, task_id=job.task_id)
    partial = client.get(page, headers={"HX-Request": "true"})
    assert partial.status_code == 286 and "Pobierz PDF" in partial.content.decode()
    # A stale message (an earlier delivery) does nothing.
    assert services.analysis_pdf_build(job_id=job.pk, task_id="stale") is None


@pytest.mark.parametrize("role", ROLES)
def test_who_orders_the_pdf(role, as_role, client, decided, area):
    competition, _third = decided
    as_role(role)
    for name, subject in (("competition", competition), ("area", area)):
        response = client.post(reverse(f"grants:{name}-analysis-pdf", args=[subject.pk]))
        expected = 302 if role in OFFICIALS else ("login" if role == "resident" else 403)
        if role in OFFICIALS:
            assert response["Location"].endswith("#pdf")
        assert outcome(response) == expected
    assert AnalysisPdf.objects.exists() == (role in OFFICIALS)


def test_no_pdf_before_the_results(client, competition, official):
    client.force_login(official)
    assert (
        client.post(reverse("grants:competition-analysis-pdf", args=[competition.pk])).status_code
        == 403
    )
    download = reverse("grants:competition-analysis-download", args=[competition.pk])
    assert client.get(download).status_code == 404


def test_a_failed_pdf_shows_its_reason_and_the_staff_page_links_it(
    client, decided, official, admin_user, django_capture_on_commit_callbacks
):
    competition, _third = decided
    page = reverse("grants:competition-analysis", args=[competition.pk])
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("grants:competition-analysis-pdf", args=[competition.pk]))
    job = AnalysisPdf.objects.get()
    jobs.job_fail(AnalysisPdf, pk=job.pk, reason="Przerwane w teście.")
    html = client.get(page).content.decode()
    assert "Przerwane w teście." in html and "Utwórz PDF ponownie" in html
    assert job.get_absolute_url() == f"{page}#pdf"
    assert "Analiza kosztów i korzyści" in str(job)
