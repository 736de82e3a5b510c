"""The open-data catalogue in a browser: a resident finds it from the footer, reads what each
dataset holds and when it was built, downloads a year's releases and asks for the latest
changes with the form (no JavaScript needed). axe-core's WCAG 2.1 AA rules run on the page."""

import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opendata import services
from tests.demand.factories import AnswerFactory, NoticeFactory
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_finds_the_open_data_and_downloads_the_purchases(page, assert_accessible):
    department = DepartmentFactory()
    notice = NoticeFactory(department=department, awarded=True, title="Catering na forum")
    AnswerFactory(notice=notice, is_awarded=True)
    services.datasets_build_all()
    year = str(timezone.localdate(notice.published_at).year)

    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Otwarte dane").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Otwarte dane")
    section = page.get_by_role("region", name="Zakupy gmin: wydania (OCDS)")
    expect(section).to_contain_text("Open Contracting Data Standard 1.1")
    expect(section.get_by_role("table")).to_contain_text(year)
    assert_accessible(page)

    link = section.get_by_role("link", name=f"zamowienia-ocds-wydania-{year}.json")
    answer = page.request.get(link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"] == "application/json"
    releases = json.loads(answer.body())["releases"]
    assert [release["tag"] for release in releases] == [["tender"], ["award"]]

    # The latest changes, by the form (a date picker; the default is a week ago).
    with page.expect_response(lambda response: "ostatnie.json" in response.url) as answered:
        page.get_by_role("button", name="Pobierz JSON").click()
    latest = json.loads(answered.value.body())
    assert any(release["id"].endswith(f"-{notice.pk}-award") for release in latest["releases"])


def test_a_developer_finds_the_api_documentation_and_reads_a_list(page):
    """From the catalogue to the API's documentation (Swagger UI, every file from the portal
    itself: a request to another host would be refused by the page's CSP, and is counted here)
    and a list of the API, as JSON, by its cursor."""
    from tests.directory.factories import OrganisationFactory

    OrganisationFactory(name="Spółdzielnia Socjalna Zielony Ogród")
    foreign = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith(("http://localhost", "http://127.0.0.1", "data:"))
            else None
        ),
    )
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content" in message.text and "Security" in message.text
            else None
        ),
    )
    page.goto("/otwarte-dane/")
    page.get_by_role("link", name="dokumentacja API").click()
    expect(page.get_by_text("/api/v1/organizacje/").first).to_be_visible()
    assert foreign == [] and refused == []
    answer = page.request.get("/api/v1/organizacje/?page_size=1")
    assert answer.ok and answer.headers["content-type"] == "application/json"
    body = json.loads(answer.body())
    assert body["results"][0]["name"] == "Spółdzielnia Socjalna Zielony Ogród"
    assert "next" in body and "previous" in body
