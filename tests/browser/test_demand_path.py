"""Issue 3's path, clicked through: an official posts a need and passes the social-clause check,
a matching PES gets the e-mail and answers, the official awards, the PES sees the outcome and
the official downloads the market-research note."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from demand.models import Answer, DemandNotice
from directory.models import LegalForm
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory, cpv_code
from tests.factories import DepartmentFactory, OfficialFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _submit(page, form="main form"):
    page.locator(f"{form} button[type=submit]").last.click()


def _login(page, email):
    page.context.clear_cookies()
    page.goto("/konto/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", "test-pass-123")
    _submit(page)
    page.wait_for_url("**/panel/")


def test_a_need_goes_from_notice_to_award_and_note(page, municipality, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    catering = cpv_code("55520000", is_curated=True)
    cpv_code("55500000", is_curated=True)
    department = DepartmentFactory(municipality=municipality, name="Wydział Kultury")
    official = OfficialFactory(
        department=department, user=UserFactory(email="urzedniczka@torun.example.org")
    ).user
    # A social cooperative: it qualifies for the contract reserved under art. 94 below.
    kitchen = OrganisationFactory(
        name="Spółdzielnia Socjalna Żółta Łyżka",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat_municipality=municipality,
    )
    cook = make_pes_member(kitchen, email="kucharka@zolta-lyzka.example.org")
    OfferFactory(organisation=kitchen, cpv=cpv_code("55521200"), title="Obiady z dowozem")
    elsewhere = OrganisationFactory(name="Fundacja Daleko Stąd")
    OfferFactory(organisation=elsewhere, cpv=catering, title="Catering gdzie indziej")

    # 1. The official writes the notice as a draft.
    _login(page, official.email)
    page.goto("/zapotrzebowanie/nowe/")
    page.fill("#id_title", "Catering na Forum Ekonomii Społecznej")
    page.fill("#id_description", "Obiad i przerwa kawowa dla 120 osób, 12 czerwca.")
    page.select_option("#id_buyer", f"department:{department.pk}")
    page.locator("#id_cpv_codes-ts-control").focus()
    page.keyboard.type("55520000")
    page.locator("#id_cpv_codes-ts-dropdown .option", has_text="55520000").first.click()
    page.keyboard.press("Escape")
    page.fill("#id_quantity", "120")
    page.fill("#id_unit", "osoba")
    page.fill("#id_estimated_value", "18000")
    deadline = timezone.localtime() + timedelta(days=7)
    page.fill("#id_answers_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_contact_name", "Anna Nowak")
    page.fill("#id_contact_email", "anna.nowak@torun.example.org")
    _submit(page)
    notice = DemandNotice.objects.get(title="Catering na Forum Ekonomii Społecznej")
    assert notice.status == DemandNotice.Status.DRAFT

    # 2. Publishing without the social-clause check leads to the check; the check is recorded.
    page.goto(notice.get_absolute_url())
    page.locator(f"form[action$='/{notice.pk}/publikuj/'] button").click()
    page.wait_for_url(f"**/{notice.pk}/klauzule/**")
    page.fill("#id_estimated_value", "18000")
    page.check("#id_reserved_for_pes")
    _submit(page)
    page.goto(notice.get_absolute_url())
    page.locator(f"form[action$='/{notice.pk}/publikuj/'] button").click()
    page.wait_for_load_state()
    notice.refresh_from_db()
    assert notice.status == DemandNotice.Status.PUBLISHED
    # The official sees the matching PES before any answer arrives.
    page.goto(notice.get_absolute_url())
    matches = page.locator("section[aria-labelledby=matches-title]")
    assert "Żółta Łyżka" in matches.inner_text()
    assert "Daleko Stąd" not in matches.inner_text()

    # 3. The matching PES got the e-mail, and answers with a priced offer.
    message = next(m for m in mail.outbox if m.to == [cook.email])
    assert notice.title in message.subject + message.body
    _login(page, cook.email)
    page.goto(re.search(r"https?://\S+(/zapotrzebowanie/\d+/)", message.body).group(1))
    page.locator(f"a[href$='/{notice.pk}/odpowiedz/']").click()
    page.check("input[name=kind][value=offer]")
    page.fill("#id_price_net", "16500")
    page.fill("#id_message", "Gotujemy na miejscu, z lokalnych produktów.")
    _submit(page)
    answer = Answer.objects.get(notice=notice, organisation=kitchen)
    assert str(answer.price_net) == "16500.00"

    # 4. The deadline passes (the clock is moved, not waited for); the official awards.
    DemandNotice.objects.filter(pk=notice.pk).update(
        answers_deadline=timezone.now() - timedelta(minutes=1)
    )
    _login(page, official.email)
    page.goto(f"/zapotrzebowanie/{notice.pk}/rozstrzygnij/")
    page.check(f"input[name=answers][value='{answer.pk}']")
    page.fill("#id_awarded_value", "16500")
    page.fill("#id_award_date", timezone.localdate().isoformat())
    _submit(page)
    notice.refresh_from_db()
    assert notice.status == DemandNotice.Status.AWARDED

    # 5. The official downloads the market-research note and it says what happened.
    with page.expect_download() as download_info:
        page.goto(notice.get_absolute_url())
        page.locator(f"a[href$='/{notice.pk}/rozeznanie-rynku.pdf']").first.click()
    pdf = download_info.value
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(Path(pdf.path()).read_bytes())).pages
    )
    text = text.replace("\xa0", " ")
    assert "Catering na Forum Ekonomii Społecznej" in text
    assert "Żółta Łyżka" in text
    assert "16 500,00" in text

    # 6. The PES was told, and sees the award on the public notice page.
    assert any(m.to == [cook.email] and "Żółta Łyżka" in m.body for m in mail.outbox[1:])
    _login(page, cook.email)
    page.goto(notice.get_absolute_url())
    assert "Żółta Łyżka" in page.locator("main").inner_text()
    assert "16 500,00" in page.locator("main").inner_text().replace("\xa0", " ")
