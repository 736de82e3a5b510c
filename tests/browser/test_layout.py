"""The portal on a phone and on paper: the main pages fit a 390 px screen (wide tables scroll
inside their own box, which a keyboard can reach), and printing leaves the navigation, the
forms and the buttons out while the content stays."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.demand.factories import NoticeFactory
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import OfferFactory, cpv_code
from tests.factories import make_monitoring_member
from tests.monitoring.factories import (
    ActionFactory,
    FundsFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def programme(municipality):
    programme = ProgrammeFactory(
        municipality=municipality,
        title="Wieloletni program współpracy Gminy Miasta Toruń na lata 2026-2027",
    )
    for position in (1, 2):
        goal = GoalFactory(programme=programme, position=position)
        MeasurementFactory(
            indicator=IndicatorFactory(
                goal=goal,
                name="Liczba organizacji pozarządowych korzystających z lokali gminnych",
                target=Decimal(40),
            ),
            value=Decimal(50),
        )
        action = ActionFactory(goal=goal)
        IndicatorFactory(goal=None, action=action, programme=programme, target=Decimal(10))
    FundsFactory(programme=programme)
    return programme


@pytest.fixture
def pages(municipality, programme):
    catering = cpv_code("55520000", is_curated=True)
    organisation = OrganisationFactory(seat_municipality=municipality)
    offer = OfferFactory(organisation=organisation, cpv=catering, title="Catering na konferencje")
    notice = NoticeFactory(
        published=True,
        title="Catering na Forum Ekonomii Społecznej w Toruniu",
        cpv_codes=[catering],
    )
    return {"offer": offer, "notice": notice, "organisation": organisation}


def _login(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", "test-pass-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def _assert_fits(page, path):
    response = page.goto(path)
    assert response.status == 200, path
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide"


def test_the_main_pages_fit_a_phone(page, pages, programme, municipality, assert_accessible):
    page.set_viewport_size(PHONE)
    for path in [
        "/",
        "/organizacje/",
        "/gielda/",
        pages["offer"].get_absolute_url(),
        pages["notice"].get_absolute_url(),
        pages["organisation"].get_absolute_url(),
        f"/monitoring/gmina/{municipality.slug}/",
    ]:
        _assert_fits(page, path)

    _login(page, make_monitoring_member(municipality))
    _assert_fits(page, f"/monitoring/programy/{programme.pk}/")
    # The indicators' tables are wider than the phone: they scroll in a named, focusable box.
    region = page.locator(".table-wrap").first
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label")
    assert page.evaluate("(el) => el.scrollWidth > el.clientWidth", region.element_handle())
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle(), timeout=5_000)
    assert_accessible(page)


def test_printing_leaves_out_the_navigation_and_keeps_the_content(page, pages, municipality):
    for path in [
        pages["notice"].get_absolute_url(),
        pages["offer"].get_absolute_url(),
        pages["organisation"].get_absolute_url(),
        f"/monitoring/gmina/{municipality.slug}/",
    ]:
        page.emulate_media(media="screen")
        page.goto(path)
        expect(page.locator("nav.main-nav")).to_be_visible()
        page.emulate_media(media="print")
        assert not page.locator("nav.main-nav").is_visible(), path
        assert not page.locator("header.site-header").is_visible(), path
        assert not page.locator("footer.site-footer").is_visible(), path
        assert page.locator("main h1").is_visible(), path
        assert all(not button.is_visible() for button in page.locator("main button").all()), path
        assert all(not form.is_visible() for form in page.locator("main form").all()), path
        colour = page.evaluate("getComputedStyle(document.querySelector('main h1')).color")
        assert colour == "rgb(0, 0, 0)", path
