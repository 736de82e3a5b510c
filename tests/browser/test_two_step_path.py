"""Two-step verification, clicked through: signing in with a code from the authenticator app,
and an administrator made to set the app up before reaching the admin."""

import re
import time

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import PASSWORD, AdminUserFactory, UserFactory, activate_totp, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _code_that_stays_valid(secret):
    """A code with a few seconds of its 30-second step left, so typing it does not race the
    clock (the portal accepts only the current step)."""
    if 30 - time.time() % 30 < 5:
        time.sleep(30 - time.time() % 30 + 0.5)
    return totp_code(secret)


def _submit(page):
    page.locator("main form button[type=submit]").first.click()


def _sign_in_with_password(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    _submit(page)


def test_a_user_with_the_app_signs_in_with_a_code(page, assert_accessible):
    user = UserFactory(email="skarbniczka@example.org")
    secret = activate_totp(user)

    _sign_in_with_password(page, user)
    page.wait_for_url("**/konto/2fa/authenticate/")
    assert page.locator("h1").inner_text() == "Weryfikacja dwuetapowa"
    expect(page.get_by_label("Kod z aplikacji")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kod z aplikacji").fill("000000")
    _submit(page)
    expect(page.locator("#form-errors")).to_be_visible()
    assert "Błędny kod" in page.locator("main").inner_text()

    page.get_by_label("Kod z aplikacji").fill(_code_that_stays_valid(secret))
    _submit(page)
    page.wait_for_url("**/panel/")
    assert page.locator("h1").inner_text() == "Mój panel"


def test_an_administrator_sets_up_the_app_before_reaching_the_admin(page, assert_accessible):
    admin = AdminUserFactory(email="operatorka@example.org", totp=False)

    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/konto/login/\?next=%2Fadmin%2F$"))
    page.fill("#id_login", admin.email)
    page.fill("#id_password", PASSWORD)
    _submit(page)

    # Straight to the setup; allauth first asks for the password once more.
    page.wait_for_url("**/konto/reauthenticate/**")
    page.fill("#id_password", PASSWORD)
    _submit(page)
    page.wait_for_url("**/konto/2fa/totp/activate/")
    assert page.locator("h1").inner_text() == "Włącz weryfikację dwuetapową"
    qr = page.locator("img.totp-qr")
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    assert_accessible(page)

    # Trying to leave for the admin brings the setup back.
    page.goto("/admin/")
    page.wait_for_url("**/konto/2fa/totp/activate/")

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kod z aplikacji").fill(_code_that_stays_valid(secret))
    _submit(page)
    page.wait_for_url("**/konto/2fa/recovery-codes/")
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)

    page.goto("/admin/")
    page.wait_for_url("**/admin/")
    expect(page.locator("#site-name")).to_be_visible()
