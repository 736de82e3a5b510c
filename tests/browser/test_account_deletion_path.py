"""Deleting one's own account, clicked through (RODO art. 17): signed in, the account page, the
password typed, signed out; the address no longer signs in, and the inquiry the person wrote
still shows to the organisation, signed "konto usunięte"."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.exchange.factories import InquiryFactory, OfferFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _submit(page):
    page.locator("main form button[type=submit]").last.click()


def _sign_in(page, email, password=PASSWORD):
    page.goto("/konto/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").first.click()


def test_a_buyer_deletes_the_account_and_the_inquiry_stays_signed_deleted(
    page, assert_accessible, organisation, pes_owner, business_buyer
):
    business_buyer.first_name, business_buyer.last_name = "Marek", "Kupiecki"
    business_buyer.save()
    email = business_buyer.email
    offer = OfferFactory(organisation=organisation, title="Obiady dla biura")
    inquiry = InquiryFactory(
        offer=offer,
        buyer=business_buyer,
        buyer_company=business_buyer.buyer_memberships.get().company,
        first_message="Czy dowieziecie 30 obiadów w piątek?",
    )

    _sign_in(page, email)
    page.wait_for_url("**/panel/")
    page.get_by_role("link", name="Moje konto").click()
    page.wait_for_url("**/konto/profil/")
    assert_accessible(page)
    page.get_by_role("link", name="Usuń moje konto").click()
    page.wait_for_url("**/konto/profil/usun/")
    assert_accessible(page)

    page.get_by_label("Twoje hasło").fill("nie-moje-haslo")
    _submit(page)
    page.locator("#form-errors").wait_for()
    assert "To nie jest Twoje hasło." in page.locator("main").inner_text()

    page.get_by_label("Twoje hasło").fill(PASSWORD)
    _submit(page)
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    assert "Twoje konto zostało usunięte." in page.locator("body").inner_text()
    expect(page.get_by_role("link", name="Zaloguj się").first).to_be_visible()

    _sign_in(page, email)
    page.locator(".errorlist").first.wait_for()
    assert "/konto/login/" in page.url
    assert page.get_by_role("link", name="Mój panel").count() == 0

    _sign_in(page, pes_owner.email)
    page.wait_for_url("**/panel/")
    page.goto(inquiry.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "Czy dowieziecie 30 obiadów w piątek?" in main
    assert "konto usunięte" in main
    assert "Kupiecki" not in main and email not in main
