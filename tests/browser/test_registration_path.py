"""The issue's main path, clicked through: sign up, verify the e-mail, register an organisation,
an official verifies it, and a resident finds it in the public search."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from directory.models import Organisation
from tests.factories import make_official, next_nip

pytestmark = pytest.mark.django_db(transaction=True)


def _submit(page):
    page.locator("main form button[type=submit]").last.click()


def test_a_pes_registers_and_goes_public_after_verification(
    page, municipality, spheres, assert_accessible
):
    official = make_official(municipality, email="urzednik@torun.example.org")

    # 1. A PES worker signs up and confirms the e-mail address from the message.
    page.goto("/")
    page.get_by_role("link", name=re.compile("Załóż konto|Create an account")).first.click()
    page.fill("#id_email", "prezeska@lodzka-fundacja.example.org")
    page.fill("#id_password1", "Bezpieczne-Haslo-2026")
    page.fill("#id_password2", "Bezpieczne-Haslo-2026")
    _submit(page)
    confirmation = next(m for m in mail.outbox if "prezeska@" in m.to[0])
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", confirmation.body).group(0)
    page.goto(link)
    _submit(page)
    page.wait_for_url("**/panel/")

    # 2. She registers the organisation; the form first explains a wrong NIP, keeping the rest.
    page.goto("/organizacje/zarejestruj/")
    page.fill("#id_name", "Fundacja Łódzka Przystań")
    page.select_option("#id_legal_form", "foundation")
    page.fill("#id_krs", "0000654321")
    page.fill("#id_nip", "123-456-78-90")
    page.fill("#id_regon", "123456785")
    page.fill("#id_street", "ul. Łazienna 3")
    page.fill("#id_postal_code", "87-100")
    page.fill("#id_city", "Toruń")
    # The seat municipality is one of 2 477: typed, and picked from the suggestions.
    page.get_by_role("combobox", name="Gmina siedziby").focus()
    page.keyboard.type("toru")
    page.locator("#id_seat_municipality-ts-dropdown .option", has_text="Toruń").click()
    page.check(f"#id_spheres_{0}")
    _submit(page)
    expect(page.locator("#form-errors")).to_be_visible()
    assert page.input_value("#id_name") == "Fundacja Łódzka Przystań"
    nip = next_nip()
    page.fill("#id_nip", f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}")
    _submit(page)
    page.wait_for_url("**/organizacje/fundacja-lodzka-przystan/")
    expect(page.locator(".badge-pending")).to_be_visible()
    organisation = Organisation.objects.get(nip=nip)
    assert organisation.status == Organisation.Status.PENDING

    # Until verified, a resident does not find it.
    resident = page.context.browser.new_context(
        base_url=page.url.split("/organizacje")[0], locale="pl-PL"
    )
    resident_page = resident.new_page()
    resident_page.goto("/organizacje/?q=lodzka")
    assert resident_page.locator(".cards").count() == 0

    # 3. The official gets an e-mail, opens the queue and verifies the organisation.
    assert any(official.email in m.to for m in mail.outbox)
    page.context.clear_cookies()
    page.goto("/konto/login/")
    page.fill("#id_login", official.email)
    page.fill("#id_password", "test-pass-123")
    _submit(page)
    page.wait_for_url("**/panel/")
    page.goto("/organizacje/weryfikacja/")
    page.get_by_role("link", name="Fundacja Łódzka Przystań").click()
    assert_accessible(page)
    page.locator("form:has(input[value=verify]) button").click()
    page.wait_for_url("**/organizacje/weryfikacja/")
    expect(page.locator(".message-success")).to_be_visible()
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.VERIFIED
    assert organisation.verified_by == official
    assert any("prezeska@" in m.to[0] and organisation.name in m.body for m in mail.outbox[1:])

    # 4. A resident searches without Polish letters and finds it.
    resident_page.goto("/organizacje/")
    resident_page.fill("#id_q", "lodzka przystan")
    resident_page.locator("form[role=search] button[type=submit]").click()
    resident_page.get_by_role("link", name="Fundacja Łódzka Przystań").click()
    assert resident_page.locator("h1").inner_text() == "Fundacja Łódzka Przystań"
    assert nip in resident_page.content()
    resident.close()
