"""The pages of people and roles pass axe-core's WCAG 2.1 AA rules: a local administrator's
(signed in with the second factor the role requires) and a person's own account pages."""

import time

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from pestor.models import BuyerRoleRequest
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    UserFactory,
    make_local_administrator,
    make_official,
    next_nip,
    totp_code,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _submit(page):
    page.locator("main form button[type=submit]").last.click()


def _sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/konto/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    _submit(page)


def test_local_administrator_pages_have_no_wcag_violations(page, assert_accessible, municipality):
    local_admin = make_local_administrator(municipality, email="administrator@torun.example.org")
    DepartmentFactory(municipality=municipality, name="Wydział Zamówień")
    make_official(municipality, first_name="Anna", last_name="Urzędniczka")
    request = BuyerRoleRequest.objects.create(
        user=UserFactory(),
        company_name="Piekarnia Toruńska",
        nip=next_nip(),
        municipality=municipality,
    )

    _sign_in(page, local_admin.email)
    page.wait_for_url("**/konto/2fa/authenticate/")
    if 30 - time.time() % 30 < 5:  # a code with time left, so typing it does not race the clock
        time.sleep(30 - time.time() % 30 + 0.5)
    page.get_by_label("Kod z aplikacji").fill(totp_code(local_admin.totp_secret))
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/panel/")
    page.get_by_role("link", name="Ludzie gminy Toruń").click()
    page.wait_for_url(f"**/gminy/{municipality.slug}/ludzie/")
    assert "Anna Urzędniczka" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_label("Adres e-mail osoby").fill("nowy@torun.example.org")
    page.get_by_label("urzędnik", exact=True).check()
    _submit(page)
    expect(page.locator("#form-errors")).to_be_visible()
    assert page.get_by_label("Adres e-mail osoby").input_value() == "nowy@torun.example.org"
    assert_accessible(page)

    page.goto("/panel/")
    page.get_by_role("link", name="Wnioski o rolę kupującego z biznesu").click()
    page.get_by_role("link", name="Piekarnia Toruńska").click()
    page.wait_for_url(f"**/wnioski-kupujacych/{request.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Odrzuć").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)


def test_own_account_pages_have_no_wcag_violations(page, assert_accessible, municipality):
    user = UserFactory(email="mieszkanka@example.org")
    _sign_in(page, user.email)
    page.wait_for_url("**/panel/")
    for path in ["/konto/profil/", "/konto/profil/usun/", "/konto/kupujacy/"]:
        page.goto(path)
        assert_accessible(page)
    page.get_by_label("Nazwa firmy").fill("Drukarnia Wisła")
    page.get_by_label("NIP firmy").fill("1234567890")
    _submit(page)
    expect(page.locator("#form-errors")).to_be_visible()
    assert page.get_by_label("Nazwa firmy").input_value() == "Drukarnia Wisła"
    assert_accessible(page)
