"""The municipality autocomplete (pestor/widgets.py) in the directory's filter and, several at a
time, in the offer form, with and without JavaScript, and the directory's map, which loads its
points from the GeoJSON endpoint."""

import re

import pytest
from playwright.sync_api import expect

from pestor.models import Voivodeship
from tests.browser.test_cpv_picker import _login
from tests.directory.factories import OrganisationFactory
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db(transaction=True)

LABEL = "Działa w gminie"


@pytest.fixture
def places(municipality, spheres):
    zgierz = [
        MunicipalityFactory(
            name="Zgierz",
            slug=f"zgierz-{kind}",
            teryt=f"102001{kind}",
            voivodeship=Voivodeship.LODZKIE,
        )
        for kind in "12"
    ]
    lodz = MunicipalityFactory(
        name="Łódź", slug="lodz", teryt="1061011", voivodeship=Voivodeship.LODZKIE
    )
    OrganisationFactory(
        name="Fundacja Toruńska", seat_municipality=municipality, latitude="53.01", longitude="18.6"
    )
    OrganisationFactory(
        name="Stowarzyszenie Łódzkie", seat_municipality=lodz, latitude="51.76", longitude="19.46"
    )
    return {"zgierz": zgierz, "lodz": lodz}


def test_without_javascript_the_name_is_typed_and_resolved(page, assert_accessible, places):
    # The page's own scripts do not run (axe is injected by the test all the same).
    page.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    page.goto("/organizacje/")
    field = page.get_by_role("textbox", name=LABEL)
    field.fill("lodz")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**municipality=lodz**")
    expect(page.get_by_role("link", name="Stowarzyszenie Łódzkie")).to_be_visible()
    assert page.get_by_role("link", name="Fundacja Toruńska").count() == 0
    expect(page.get_by_role("textbox", name=LABEL)).to_have_value(
        "Łódź (gmina miejska, woj. łódzkie, TERYT 1061011)"
    )
    assert_accessible(page)

    page.get_by_role("textbox", name=LABEL).fill("Zgierz")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**municipality=Zgierz**")
    error = page.get_by_text(re.compile("Jest więcej niż jedna gmina o nazwie „Zgierz”"))
    expect(error).to_be_visible()
    expect(error).to_contain_text("Zgierz (gmina wiejska, woj. łódzkie, TERYT 1020012)")
    assert_accessible(page)

    page.get_by_role("textbox", name=LABEL).fill(
        "Zgierz (gmina wiejska, woj. łódzkie, TERYT 1020012)"
    )
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**TERYT**")
    expect(page.get_by_text("Nie znaleziono")).to_have_count(0)
    expect(page.get_by_role("textbox", name=LABEL)).to_have_value(
        "Zgierz (gmina wiejska, woj. łódzkie, TERYT 1020012)"
    )


def _status(page):
    return page.locator("#id_municipality-ts-control").locator(
        "xpath=ancestor::div[contains(@class, 'ts-wrapper')]//*[@role='status']"
    )


def test_with_javascript_a_municipality_is_picked_from_suggestions(page, assert_accessible, places):
    page.goto("/organizacje/")
    combobox = page.get_by_role("combobox", name=LABEL)
    combobox.focus()
    page.keyboard.type("lodz")
    expect(_status(page)).to_have_text("1 gmina")
    options = page.locator("#id_municipality-ts-dropdown").get_by_role("option")
    expect(options.filter(has_text="Łódź")).to_contain_text("gmina miejska, woj. łódzkie")
    assert_accessible(page)
    page.keyboard.press("Enter")
    assert page.locator("select#id_municipality").input_value() == "lodz"
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**municipality=lodz**")
    expect(page.get_by_role("link", name="Stowarzyszenie Łódzkie")).to_be_visible()
    assert page.get_by_role("link", name="Fundacja Toruńska").count() == 0
    # The chosen municipality stays chosen, by name.
    expect(page.locator("#id_municipality-ts-control").locator("xpath=..")).to_contain_text("Łódź")
    assert_accessible(page)

    page.get_by_role("combobox", name=LABEL).focus()
    page.keyboard.type("zgierz")
    expect(_status(page)).to_have_text("2 gminy")
    page.keyboard.press("Escape")
    page.keyboard.press("Backspace")
    for _ in range(6):
        page.keyboard.press("Backspace")
    page.keyboard.type("xyzzy")
    expect(_status(page)).to_have_text("Brak gminy o takiej nazwie")


def test_the_map_loads_the_points_of_its_area(page, assert_accessible, places):
    page.goto("/organizacje/mapa/?municipality=torun")
    expect(page.locator("#organisations-map-status")).to_have_text(
        re.compile(r"\d+ miejsc[ea]? w tym obszarze mapy\.")
    )
    assert page.locator(".leaflet-marker-icon").count() >= 1
    # The table is the map's text equivalent, filtered alike.
    table = page.get_by_role("table")
    expect(table).to_contain_text("Fundacja Toruńska")
    expect(table).not_to_contain_text("Stowarzyszenie Łódzkie")
    assert_accessible(page)


def test_the_whole_country_comes_in_groups_that_open_into_places(
    page, assert_accessible, places, municipality, monkeypatch
):
    from directory import selectors

    for number in range(3):
        OrganisationFactory(
            name=f"Spółdzielnia Toruńska {number}",
            seat_municipality=municipality,
            latitude=f"53.0{number}",
            longitude="18.61",
        )
    # The two fixtures' places and these three: more than one answer carries.
    monkeypatch.setattr(selectors, "MAP_FEATURES_LIMIT", 4)
    page.goto("/organizacje/mapa/")
    status = page.locator("#organisations-map-status")
    expect(status).to_have_text(re.compile(r"^5 miejsc w tym obszarze mapy, pokazanych w grupach"))
    groups = page.locator(".leaflet-marker-icon.marker-cluster")
    expect(groups).to_have_count(2)
    torun = page.get_by_role("button", name="4 miejsca tutaj: przybliż")
    expect(torun).to_have_count(1)
    assert_accessible(page)
    # Choosing Toruń's group zooms into its four places, which now come one by one.
    torun.click()
    expect(status).to_have_text("4 miejsca w tym obszarze mapy.")


def test_several_municipalities_served_are_picked_and_removed(
    page, assert_accessible, places, municipality
):
    from tests.directory.factories import make_pes_member
    from tests.exchange.factories import OfferFactory

    organisation = OrganisationFactory(seat_municipality=municipality)
    offer = OfferFactory(organisation=organisation, municipalities_served=[municipality])
    member = make_pes_member(organisation, email="czlonek@example.org")
    _login(page, member.email)
    page.goto(f"/gielda/oferty/{offer.pk}/edytuj/")
    label = "Gminy, w których realizujesz ofertę"
    field = page.locator("select#id_municipalities_served")
    # The municipality served already is chosen, by name.
    assert field.evaluate("el => [...el.selectedOptions].map(o => o.value)") == ["torun"]
    page.get_by_role("combobox", name=label).focus()
    page.keyboard.type("lodz")
    status = page.locator("#id_municipalities_served-ts-control").locator(
        "xpath=ancestor::div[contains(@class, 'ts-wrapper')]//*[@role='status']"
    )
    expect(status).to_have_text("1 gmina")
    assert_accessible(page)
    page.keyboard.press("Enter")
    page.keyboard.type("zgierz")
    expect(status).to_have_text("2 gminy")
    page.locator("#id_municipalities_served-ts-dropdown .option", has_text="gmina wiejska").click()
    page.keyboard.press("Escape")
    assert sorted(field.evaluate("el => [...el.selectedOptions].map(o => o.value)")) == [
        "lodz",
        "torun",
        "zgierz-2",
    ]
    # Toruń goes: the item's remove button.
    page.locator(".ts-control .item", has_text="Toruń").locator(".remove").click()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "edytuj" not in url)
    served = sorted(offer.municipalities_served.values_list("slug", flat=True))
    assert served == ["lodz", "zgierz-2"]


def test_without_javascript_municipalities_served_are_typed(page, places, municipality):
    from tests.directory.factories import make_pes_member
    from tests.exchange.factories import OfferFactory

    page.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    organisation = OrganisationFactory(seat_municipality=municipality)
    offer = OfferFactory(organisation=organisation, municipalities_served=[municipality])
    member = make_pes_member(organisation, email="czlonek@example.org")
    _login(page, member.email)
    page.goto(f"/gielda/oferty/{offer.pk}/edytuj/")
    field = page.get_by_role("textbox", name="Gminy, w których realizujesz ofertę")
    expect(field).to_have_value("Toruń (gmina miejska, woj. kujawsko-pomorskie, TERYT 0463011)")
    field.fill("Toruń (gmina miejska, woj. kujawsko-pomorskie, TERYT 0463011); lodz; Zgierz")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#id_municipalities_served_error")).to_contain_text(
        "Jest więcej niż jedna gmina o nazwie „Zgierz”"
    )
    # Nothing typed is lost; what was resolved shows as its label.
    expect(field).to_have_value(
        "Toruń (gmina miejska, woj. kujawsko-pomorskie, TERYT 0463011); "
        "Łódź (gmina miejska, woj. łódzkie, TERYT 1061011); Zgierz"
    )
    field.fill("torun, Łódź, Zgierz (gmina wiejska)")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "edytuj" not in url)
    served = sorted(offer.municipalities_served.values_list("slug", flat=True))
    assert served == ["lodz", "torun", "zgierz-2"]
