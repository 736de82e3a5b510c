"""The equipment bank in a browser, clicked through: a PES finds a free tent for the weekend
through the availability filter and requests it; an official approves it, hands it out and
records its return with damage; the damage case exists, the unit is out of the pool and
another PES sees so; the hand-over protocol's PDF says who took what. axe-core's WCAG 2.1 AA
rules run on every page of the path."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from equipment_bank.models import Booking, DamageCase
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.equipment_bank.factories import OwnerFactory, ResourceFactory
from tests.factories import PASSWORD, DepartmentFactory, OfficialFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bank(municipality):
    department = DepartmentFactory(municipality=municipality, name="Wydział Zdrowia")
    official = OfficialFactory(
        department=department, user=UserFactory(email="bank@torun.example.org")
    ).user
    owner = OwnerFactory(department=department, name="Bank sprzętu Miasta Toruń")
    tent = ResourceFactory(owner=owner, name="Namiot 3 x 6 m", units=1)
    ResourceFactory(owner=owner, name="Rzutnik multimedialny", units=2)
    borrower = OrganisationFactory(
        name="Spółdzielnia Socjalna Łódzki Smak", seat_municipality=municipality
    )
    other = OrganisationFactory(name="Stowarzyszenie Sąsiedzi", seat_municipality=municipality)
    return {
        "official": official,
        "owner": owner,
        "tent": tent,
        "pes": make_pes_member(borrower, email="smak@example.org"),
        "other_pes": make_pes_member(other, email="sasiedzi@example.org"),
    }


def _login(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def _logout(page):
    page.locator("form[action='/konto/logout/'] button").first.click()


def _weekend():
    today = timezone.localdate()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    return saturday, saturday + timedelta(days=1)


def test_a_pes_books_a_tent_the_official_lends_it_and_records_damage(page, bank, assert_accessible):
    saturday, sunday = _weekend()
    tent = bank["tent"]

    _login(page, bank["pes"])
    page.goto("/bank-sprzetu/")
    assert_accessible(page)
    page.fill("#id_free_from", saturday.isoformat())
    page.fill("#id_free_to", sunday.isoformat())
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator(".result-count")).to_contain_text("2")
    assert_accessible(page)
    page.get_by_role("link", name="Namiot 3 x 6 m").click()
    expect(page.locator("h1")).to_have_text("Namiot 3 x 6 m")
    assert_accessible(page)
    page.get_by_role("link", name="Zarezerwuj").first.click()
    expect(page).to_have_url(re.compile(r"/rezerwuj/$"))
    assert_accessible(page)
    page.fill("#id_start", saturday.isoformat())
    page.fill("#id_end", sunday.isoformat())
    page.fill("#id_purpose", "Festyn sąsiedzki")
    page.check("#id_accepted_rules")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Namiot 3 x 6 m")
    expect(page.locator("main")).to_contain_text("zgłoszona")
    assert_accessible(page)
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.REQUESTED
    _logout(page)

    _login(page, bank["official"])
    page.goto(f"/bank-sprzetu/wypozyczajacy/{bank['owner'].pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Zatwierdź lub odrzuć").click()
    expect(page).to_have_url(re.compile(r"/decyzja/$"))
    assert_accessible(page)
    page.locator("button[value=approve]").click()
    expect(page.locator("main")).to_contain_text("zatwierdzona")
    page.get_by_role("link", name="Wydaj").click()
    expect(page).to_have_url(re.compile(r"/wydanie/$"))
    assert_accessible(page)
    page.fill("#id_person", "Joanna Nowak")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("wydana")
    page.get_by_role("link", name="Przyjmij zwrot").click()
    item = booking.items.get()
    page.fill("#id_person", "Joanna Nowak")
    page.uncheck(f"#id_unit-{item.pk}-clean")
    page.uncheck(f"#id_unit-{item.pk}-checklist_1")
    page.fill(f"#id_unit-{item.pk}-notes", "Rozdarte poszycie")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Sprawy szkód")
    assert_accessible(page)
    case = DamageCase.objects.get()
    assert case.organisation == booking.organisation
    assert "Poszycie" in case.description

    protocol = page.request.get(f"/bank-sprzetu/rezerwacje/{booking.pk}/protokol.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(protocol.body())).pages)
    assert "Protokół zdawczo-odbiorczy" in text
    assert item.unit.inventory_number in text
    assert "Joanna Nowak" in text
    assert "Strona 1 z 1" in text
    _logout(page)

    _login(page, bank["other_pes"])
    page.goto(tent.get_absolute_url())
    expect(page.locator("main")).to_contain_text("uszkodzona, niewypożyczana do zamknięcia sprawy")
    page.goto(f"/bank-sprzetu/?free_from={saturday.isoformat()}&free_to={sunday.isoformat()}")
    expect(page.get_by_role("link", name="Namiot 3 x 6 m")).to_have_count(0)
    assert_accessible(page)


def test_every_public_page_of_the_bank_passes_axe(page, bank, assert_accessible):
    """A visitor's pages: the catalogue filtered to rooms, a room's month and its day hour by
    hour, its busy-time feed link, a kit, and the organisation page's in-kind section."""
    from equipment_bank.models import Booking as BookingModel
    from tests.equipment_bank.factories import BookingFactory, kit_with

    owner, tent = bank["owner"], bank["tent"]
    room = ResourceFactory(owner=owner, room=True, name="Sala spotkań inkubatora")
    kit = kit_with(owner, (tent, 1), (room, 1))
    borrower = bank["pes"].organisation_memberships.get().organisation
    start = timezone.now() - timedelta(days=10)
    BookingFactory(
        resource=tent,
        organisation=borrower,
        status=BookingModel.Status.RETURNED,
        starts_at=start,
        ends_at=start + timedelta(days=1),
        returned_at=start + timedelta(days=1),
        in_kind_value=140,
    )
    saturday, _sunday = _weekend()
    for url in (
        "/bank-sprzetu/?kind=room",
        room.get_absolute_url(),
        f"{room.get_absolute_url()}?day={saturday.isoformat()}",
        tent.get_absolute_url(),
        kit.get_absolute_url(),
        borrower.get_absolute_url(),
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    page.goto(borrower.get_absolute_url())
    expect(page.locator("main")).to_contain_text("140")
