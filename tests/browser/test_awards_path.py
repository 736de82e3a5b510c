"""The President's award in a browser, clicked through: a resident nominates a PES by its NIP
with a letter of support; once nominations close, two jurors (an official and a PES
representative) declare no conflict and score it on the jury's pages; the official closes the
scoring and publishes the laureates; the laureate appears on its organisation page and the
nominator gets the result by e-mail. Then a resident votes in a contest, and a second vote gets
a clear message. axe-core's WCAG 2.1 AA rules run on every public page of the award."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from community import awards_services
from community.awards_models import AwardCall, Nomination
from scoring import services as scoring_services
from scoring.models import Member
from tests.browser.test_equipment_bank_path import _login, _logout
from tests.community.awards_fixtures import JURY_CRITERIA, PDF_BYTES, call_data
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory
from tests.factories import UserFactory, make_official

pytestmark = pytest.mark.django_db(transaction=True)


def _score(page, panel, nominee, points):
    page.goto(panel.get_absolute_url())
    page.get_by_role("link", name=nominee).click()
    page.get_by_label("Oświadczam, że nie mam konfliktu interesów z tą pozycją").check()
    page.get_by_role("button", name="Złóż oświadczenie").click()
    expect(page.locator("main")).to_contain_text("Sklep społeczny dla seniorów")
    page.get_by_label("Punkty (od 0 do 10)").fill(str(points[0]))
    page.get_by_label("Punkty (od 0 do 5)").fill(str(points[1]))
    page.get_by_role("button", name="Wyślij oceny").click()
    expect(page.locator(".messages")).to_contain_text("Wysłano oceny")


def test_a_resident_nominates_a_pes_two_jurors_score_and_it_becomes_laureate(
    page, municipality, assert_accessible, tmp_path
):
    official = make_official(municipality, email="nagroda@torun.example.org")
    organisation = OrganisationFactory(
        name="Spółdzielnia Socjalna Dobry Smak", seat_municipality=municipality
    )
    representative = make_pes_member(
        OrganisationFactory(name="Fundacja Inna", seat_municipality=municipality),
        email="przedstawiciel@example.org",
    )
    resident = UserFactory(email="mieszkanka@example.org", first_name="Ewa", last_name="Nowak")
    call = awards_services.call_create(actor=official, municipality=municipality, **call_data())

    # Anyone sees the award's pages.
    page.goto("/wydarzenia/")
    page.get_by_role("link", name="Nagroda Prezydenta i konkursy").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Nagroda Prezydenta: {call.category}").click()
    expect(page.get_by_role("link", name="Zaloguj się, aby zgłosić kandydata.")).to_be_visible()
    assert_accessible(page)

    # The resident nominates the PES by its NIP, with a letter of support.
    _login(page, resident)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Zgłoś organizację lub osobę").click()
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    page.get_by_label("Organizacja z bazy PES").fill(organisation.nip)
    page.get_by_label("Uzasadnienie").fill("Sklep społeczny dla seniorów i warsztaty kulinarne.")
    letter = tmp_path / "list-poparcia.pdf"
    letter.write_bytes(PDF_BYTES)
    page.get_by_label("Listy poparcia (PDF, nieobowiązkowe)").set_input_files(str(letter))
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.locator(".messages")).to_contain_text("Zgłoszenie zapisane")
    expect(page.get_by_role("link", name="list-poparcia.pdf")).to_be_visible()
    page.get_by_label("Uzasadnienie").fill(
        "Sklep społeczny dla seniorów, warsztaty kulinarne i catering."
    )
    page.get_by_role("button", name="Zapisz zgłoszenie").click()
    expect(page.locator("main")).to_contain_text("warsztaty kulinarne i catering")
    nomination = Nomination.objects.get()
    _logout(page)

    # Nominations close; the jury scores: the official (chair) and the PES representative.
    AwardCall.objects.filter(pk=call.pk).update(
        nominations_until=timezone.now() - timedelta(minutes=1)
    )
    panel = awards_services.jury_create(call=call, actor=official, criteria=JURY_CRITERIA)
    scoring_services.member_add(panel=panel, user=official, role=Member.Role.CHAIR, actor=official)
    scoring_services.member_add(
        panel=panel, user=representative, represents_pes=True, actor=official
    )
    _login(page, representative)
    _score(page, panel, organisation.name, (8, 4))
    _logout(page)
    _login(page, official)
    _score(page, panel, organisation.name, (10, 5))
    page.goto(f"/ocena/{panel.pk}/wyniki/")
    page.get_by_role("button", name="Zamknij ocenę").click()
    expect(page.locator(".messages")).to_contain_text("wyniki są ostateczne")

    # The official publishes the laureates; the nominator is told.
    mail.outbox.clear()
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Opublikuj wyniki").click()
    expect(page.locator("table")).to_contain_text("13,50")
    page.get_by_role("button", name="Ogłoś laureatów i powiadom zgłaszających").click()
    expect(page.locator(".messages")).to_contain_text("Laureaci ogłoszeni")
    nomination.refresh_from_db()
    assert nomination.place == 1
    told = [m for m in mail.outbox if resident.email in m.to]
    assert len(told) == 1 and "jest laureatem: miejsce 1" in told[0].body
    _logout(page)

    # The laureate appears on the public pages and its organisation's page.
    page.goto(call.get_absolute_url())
    expect(page.locator("#laureates-title")).to_be_visible()
    assert_accessible(page)
    page.goto("/wydarzenia/nagrody/laureaci/")
    expect(page.locator("table")).to_contain_text(organisation.name)
    assert_accessible(page)
    page.goto(organisation.get_absolute_url())
    section = page.locator("section", has=page.locator("#distinctions-section-title"))
    expect(section).to_contain_text("miejsce 1")
    assert_accessible(page)


def test_one_public_vote_per_account(page, municipality, assert_accessible):
    official = make_official(municipality, email="konkurs@torun.example.org")
    organisation = OrganisationFactory(name="Pracownia Ceramiki", seat_municipality=municipality)
    voter = UserFactory(email="glosujacy@example.org")
    contest = awards_services.call_create(
        actor=official,
        municipality=municipality,
        **call_data(
            kind=AwardCall.Kind.CONTEST,
            category="Najlepszy produkt",
            public_vote=True,
            votes_until=timezone.now() + timedelta(days=5),
        ),
    )
    for title in ("Kubki z gliny", "Warsztaty ceramiczne"):
        awards_services.nomination_create(
            call=contest,
            actor=official,
            offer=OfferFactory(organisation=organisation, title=title),
            justification="Tak.",
        )
    page.goto(contest.get_absolute_url())
    expect(page.get_by_role("link", name="Zaloguj się, aby zagłosować.")).to_be_visible()
    assert_accessible(page)
    _login(page, voter)
    page.goto(contest.get_absolute_url())
    # The same page open in a second tab, as it was before the vote.
    old_tab = page.context.new_page()
    old_tab.goto(contest.get_absolute_url())
    page.get_by_role("button", name="Głosuj Kubki z gliny").click()
    expect(page.locator(".messages")).to_contain_text("został policzony")
    expect(page.get_by_role("button", name="Głosuj Warsztaty ceramiczne")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Oddano już Twój głos")
    assert_accessible(page)
    # A second vote from the old tab gets a clear message and changes nothing.
    old_tab.get_by_role("button", name="Głosuj Warsztaty ceramiczne").click()
    expect(old_tab.locator(".messages")).to_contain_text("jeden głos na konto")
    second = contest.nominations.get(offer__title="Warsztaty ceramiczne")
    assert second.votes == 0
    old_tab.close()
