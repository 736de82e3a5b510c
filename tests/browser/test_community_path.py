"""Registration for a training in a browser, clicked through: a PES registers two colleagues
for a training with one place left (one gets it, the other waits); someone with a place
cancels, and the waiting colleague gets the place and the e-mail; the organiser marks
attendance and downloads a certificate (its PDF text checked). axe-core's WCAG 2.1 AA rules run
on every public page of the events: the list, the month and an event's page."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from community import services
from community.models import Event, Registration
from tests.browser.test_equipment_bank_path import _login, _logout
from tests.community.conftest import event_data
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import UserFactory, make_official

pytestmark = pytest.mark.django_db(transaction=True)


def test_colleagues_register_one_waits_gets_the_place_and_a_certificate(
    page, municipality, assert_accessible
):
    official = make_official(municipality, email="szkolenia@torun.example.org")
    organisation = OrganisationFactory(
        name="Spółdzielnia Socjalna Pod Dachem", seat_municipality=municipality
    )
    pes = make_pes_member(organisation, email="pod-dachem@example.org")
    early = UserFactory(email="wczesny@example.org", first_name="Ola", last_name="Wczesna")
    training = services.event_create(
        actor=official,
        municipality=municipality,
        **event_data(
            title="Szkolenie: zamówienia zastrzeżone",
            capacity=2,
            latitude="53.01",
            longitude="18.6",
        ),
    )
    services.event_publish(event=training, actor=official)
    services.registration_create(
        event=training, actor=early, participants=[("Ola Wczesna", early.email)]
    )

    # Anyone sees the calendar and the event (axe on each public page).
    page.goto("/wydarzenia/")
    expect(page.get_by_role("link", name="Szkolenie: zamówienia zastrzeżone")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Widok miesiąca").click()
    assert_accessible(page)
    page.goto(training.get_absolute_url())
    expect(page.get_by_text("Zaloguj się, aby się zapisać")).to_be_visible()
    assert_accessible(page)

    # The PES registers two colleagues for the one place left.
    _login(page, pes)
    page.goto(training.get_absolute_url())
    page.uncheck("#id_myself")
    page.select_option("#id_organisation", label=organisation.name)
    page.fill(
        "#id_colleagues", "Anna Nowak anna.nowak@example.org\nPiotr Lis piotr.lis@example.org"
    )
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_text("Zapisani z miejscem: Anna Nowak.")).to_be_visible()
    expect(page.get_by_text("na liście oczekujących, miejsce 1")).to_be_visible()
    assert_accessible(page)
    _logout(page)

    # The early one cancels: the place goes to Piotr, who gets an e-mail.
    mail.outbox.clear()
    _login(page, early)
    page.goto(training.get_absolute_url())
    page.get_by_role("link", name="zrezygnuj Ola Wczesna").click()
    page.get_by_role("button", name="Anuluj zapis").click()
    expect(page.get_by_text("Miejsce otrzymał(a) Piotr Lis z listy oczekujących.")).to_be_visible()
    piotr = Registration.objects.get(email="piotr.lis@example.org")
    assert piotr.status == Registration.Status.CONFIRMED
    promoted = [m for m in mail.outbox if "piotr.lis@example.org" in m.to]
    assert len(promoted) == 1 and "Jest miejsce dla Ciebie" in promoted[0].subject
    _logout(page)

    # The training took place; the organiser marks attendance and downloads a certificate.
    Event.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - timedelta(hours=6), ends_at=timezone.now()
    )
    _login(page, official)
    page.goto(training.get_absolute_url())
    page.get_by_role("link", name="Uczestnicy i obecność").click()
    page.get_by_label("obecny Anna Nowak").check()
    page.get_by_label("obecny Piotr Lis").check()
    page.get_by_role("button", name="Zapisz obecność").click()
    expect(page.get_by_text("Zapisano obecność: obecnych 2.")).to_be_visible()
    link = page.get_by_role("link", name="zaświadczenie (PDF) Piotr Lis")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Piotr Lis" in text
    assert "Szkolenie: zamówienia zastrzeżone" in text
    assert "liczba godzin: 6" in text
