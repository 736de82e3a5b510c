"""Every public page passes axe-core's WCAG 2.1 AA rules, as do the forms PES and officials use."""

import pytest
from playwright.sync_api import expect

from directory.models import LegalDataChange
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import make_official

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def directory_data(municipality, spheres):
    organisation = OrganisationFactory(
        name="Spółdzielnia Socjalna Łódzki Smak",
        seat_municipality=municipality,
        description="Catering i warsztaty kulinarne.",
        latitude="53.0138",
        longitude="18.5984",
        is_social_enterprise=True,
        social_enterprise_since="2023-03-01",
        email="kontakt@smak.example.org",
        phone="+48 56 000 00 00",
        website="https://smak.example.org",
    )
    organisation.spheres.set(spheres[:2])
    OrganisationFactory.create_batch(22, seat_municipality=municipality)
    return organisation


PUBLIC_PAGES = [
    "/",
    "/organizacje/",
    "/organizacje/?q=lodz&legal_form=social_cooperative&social_enterprise=on",
    "/organizacje/?page=2",
    "/organizacje/?q=nic-takiego",
    "/organizacje/mapa/",
    "/deklaracja-dostepnosci/",
    "/prywatnosc/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_wcag_violations(page, assert_accessible, directory_data, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "pl"
    assert_accessible(page)


def test_the_not_found_page_has_no_wcag_violations(page, assert_accessible, db):
    response = page.goto("/nie-ma-takiej-strony/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("h1").inner_text() == "Nie znaleźliśmy tej strony"
    assert_accessible(page)


def test_organisation_page_has_no_wcag_violations(page, assert_accessible, directory_data):
    page.goto(directory_data.get_absolute_url())
    assert page.locator("h1").inner_text() == directory_data.name
    assert_accessible(page)


def test_login_form_with_errors_has_no_wcag_violations(page, assert_accessible, db):
    page.goto("/konto/login/")
    page.fill("#id_login", "nikt@example.org")
    page.fill("#id_password", "zle-haslo")
    page.locator("main form button[type=submit]").click()
    assert page.locator(".errorlist").count() >= 1
    assert_accessible(page)


def _login(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", "test-pass-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def test_member_and_official_pages_have_no_wcag_violations(
    page, assert_accessible, directory_data, municipality
):
    owner = make_pes_member(directory_data)
    pending = OrganisationFactory(pending=True, seat_municipality=municipality)
    _login(page, owner)
    for path in [
        "/panel/",
        "/organizacje/zarejestruj/",
        f"/organizacje/{directory_data.slug}/edytuj/",
        f"/organizacje/{directory_data.slug}/dane-rejestrowe/",
        f"/organizacje/{directory_data.slug}/czlonkowie/",
        f"/organizacje/{directory_data.slug}/historia/",
        f"/organizacje/{directory_data.slug}/dezaktywuj/",
    ]:
        page.goto(path)
        assert_accessible(page)
    # The owner proposes a change of the legal data and sees it pending.
    page.goto(f"/organizacje/{directory_data.slug}/dane-rejestrowe/")
    page.fill("#id_street", "ul. Nowa 7")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/organizacje/{directory_data.slug}/dane-rejestrowe/")
    expect(page.locator("table.comparison")).to_be_visible()
    assert_accessible(page)
    change = LegalDataChange.objects.get()
    # The registration form after a failed submission, with its error summary.
    page.goto("/organizacje/zarejestruj/")
    page.fill("#id_nip", "123")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    _login(page, make_official(municipality))
    for path in [
        "/organizacje/weryfikacja/",
        f"/organizacje/{pending.slug}/decyzja/",
        f"/organizacje/weryfikacja/zmiana-danych/{change.pk}/",
        f"/organizacje/{directory_data.slug}/zawies/",
    ]:
        page.goto(path)
        assert_accessible(page)
    # A suspension without a reason, then with one: the page shows it to the official.
    page.goto(f"/organizacje/{directory_data.slug}/zawies/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_reason", "Wykreślona z KRS.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/organizacje/{directory_data.slug}/")
    assert "Wykreślona z KRS." in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_checker_itself_reports_violations(page, axe):
    """Guards the guard: a page with an unlabelled field and an image without alt fails."""
    from tests.browser.conftest import WCAG_AA

    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    assert axe.run(page, options=WCAG_AA).violations_count >= 2
