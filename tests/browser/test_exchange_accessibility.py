"""The exchange in a browser: axe-core's WCAG 2.1 AA rules on the catalogue, a filtered
catalogue, an offer and the members' and buyers' pages; and the inquiry path clicked through —
a business buyer finds an offer, asks, the PES answers, the buyer reads the answer."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from exchange import services
from exchange.models import CpvCode, Inquiry
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory, image_file
from tests.factories import PASSWORD, make_business_buyer

pytestmark = pytest.mark.django_db(transaction=True)

# A small curated tree (transactional tests flush what the data migration loaded).
CPV_TREE = [
    ("55000000", "Usługi hotelarskie, restauracyjne i handlu detalicznego"),
    ("55500000", "Usługi stołówek i usługi cateringowe"),
    ("55520000", "Usługi dostarczania posiłków"),
    ("90000000", "Usługi odbioru ścieków, usuwania odpadów, czyszczenia i ekologiczne"),
    ("90910000", "Usługi sprzątania"),
    ("79800000", "Usługi drukowania i powiązane"),
]


@pytest.fixture
def cpv_tree(transactional_db):
    return {
        code: CpvCode.objects.update_or_create(
            code=code, defaults={"name_pl": name, "is_curated": True}
        )[0]
        for code, name in CPV_TREE
    }


@pytest.fixture
def exchange_data(municipality, cpv_tree):
    cooperative = OrganisationFactory(
        name="Spółdzielnia Socjalna Łódzki Smak",
        short_name="Łódzki Smak",
        legal_form="social_cooperative",
        is_social_enterprise=True,
        social_enterprise_since="2023-03-01",
        seat_municipality=municipality,
        employees=12,
        employees_at_risk=7,
    )
    owner = make_pes_member(cooperative, email="smak@example.org")
    catering = services.offer_create(
        organisation=cooperative,
        actor=owner,
        kind="service",
        title="Catering na konferencje",
        description=(
            "Przerwy kawowe i obiady **z dowozem**.\n\n### W cenie\n\n- zastawa\n- obsługa\n\n"
            "[Menu](https://smak.example.org/menu)"
        ),
        cpv=cpv_tree["55520000"],
        price_type="from",
        price="25.00",
        unit="osoba",
        lead_time_days=5,
    )
    services.offer_photo_add(
        offer=catering,
        actor=owner,
        image=image_file("stol.jpg", size=(2400, 1600), image_format="JPEG"),
        alt_text="Stół z przekąskami na konferencji",
    )
    for number in range(22):
        OfferFactory(
            organisation=OrganisationFactory(seat_municipality=municipality),
            title=f"Sprzątanie biur {number}",
            cpv=cpv_tree["90910000"],
            price_type="on_request" if number % 3 == 0 else "fixed",
            price=None if number % 3 == 0 else "100.00",
        )
    return {"offer": catering, "organisation": cooperative, "owner": owner}


PUBLIC_PAGES = [
    "/gielda/",
    "/gielda/?q=catering&cpv=55000000&legal_form=social_cooperative&social_enterprise=on"
    "&price_max=100&sort=price_asc",
    "/gielda/?page=2",
    "/gielda/?q=nic-takiego",
    "/gielda/?cpv=55520000-9&price_min=50&price_max=10",  # both fields with errors
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_catalogue_has_no_wcag_violations(page, assert_accessible, exchange_data, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_an_offer_page_has_no_wcag_violations(page, assert_accessible, exchange_data):
    offer = exchange_data["offer"]
    page.goto(offer.get_absolute_url())
    assert page.locator("h1").inner_text() == offer.title
    expect(page.locator("img[alt='Stół z przekąskami na konferencji']")).to_be_visible()
    assert_accessible(page)


def test_the_organisation_page_with_its_offers_has_no_wcag_violations(
    page, assert_accessible, exchange_data
):
    page.goto(exchange_data["organisation"].get_absolute_url())
    expect(page.get_by_role("link", name="Catering na konferencje")).to_be_visible()
    assert_accessible(page)


def _login(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def test_member_and_buyer_pages_have_no_wcag_violations(page, assert_accessible, exchange_data):
    offer, organisation = exchange_data["offer"], exchange_data["organisation"]
    buyer = make_business_buyer(email="kupujaca@firma.example.org")
    services.inquiry_send(
        offer=offer,
        buyer=buyer,
        company=buyer.buyer_memberships.get().company,
        quantity="80 porcji",
        message="Czy przygotujecie obiad dla 80 osób?",
    )
    _login(page, exchange_data["owner"])
    for path in [
        f"/gielda/organizacja/{organisation.slug}/",
        f"/gielda/organizacja/{organisation.slug}/nowa-oferta/",
        f"/gielda/oferty/{offer.pk}/edytuj/",
        f"/gielda/oferty/{offer.pk}/usun/",
        f"/gielda/oferty/{offer.pk}/zdjecia/",
        "/gielda/zapytania/",
        Inquiry.objects.get().get_absolute_url(),
    ]:
        page.goto(path)
        assert_accessible(page)
    # The offer form after a failed submission, with its error summary.
    page.goto(f"/gielda/organizacja/{organisation.slug}/nowa-oferta/")
    page.fill("#id_title", "Bez ceny")
    page.check("#id_price_type_1")  # "price from", without a price
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-error-summary")).to_be_visible()  # waits for the reply
    assert_accessible(page)

    page.context.clear_cookies()
    _login(page, buyer)
    page.goto(offer.get_absolute_url())
    expect(page.locator("#id_message")).to_be_visible()
    assert_accessible(page)


def test_a_business_buyer_asks_and_the_pes_answers(page, exchange_data, assert_accessible):
    offer, owner = exchange_data["offer"], exchange_data["owner"]
    buyer = make_business_buyer(email="zakupy@firma.example.org")

    # 1. The buyer searches without Polish letters and narrows to social cooperatives.
    _login(page, buyer)
    page.get_by_role("link", name=re.compile("Offers of PES|Oferty PES")).click()
    page.fill("#id_q", "konferencje")
    # The category is typed into its autocomplete and picked from the suggestions.
    page.locator("#id_cpv-ts-control").focus()
    page.keyboard.type("55000000")
    page.locator("#id_cpv-ts-dropdown .option", has_text="55000000").first.click()
    page.select_option("#id_legal_form", "social_cooperative")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*cpv=55000000.*"))
    assert page.locator(".cards > li").count() == 1
    page.get_by_role("link", name="Catering na konferencje").click()
    page.wait_for_url(f"**{offer.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Catering na konferencje"

    # 2. It sends an inquiry; the organisation's member is told by e-mail.
    page.fill("#id_quantity", "80 porcji")
    page.fill("#id_message", "Czy przygotujecie obiad dla 80 osób 12 maja?")
    page.locator("form[action$='/zapytaj/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/gielda/zapytania/\d+/$"))
    assert "Czy przygotujecie obiad dla 80 osób 12 maja?" in page.content()
    inquiry = Inquiry.objects.get()
    assert inquiry.buyer == buyer
    assert any(owner.email in message.to for message in mail.outbox)

    # 3. The PES member sees it unread in the inbox and replies.
    page.context.clear_cookies()
    _login(page, owner)
    inbox_link = page.get_by_role("link", name=re.compile("Inquiries|Zapytania"))
    assert "1" in inbox_link.inner_text()
    inbox_link.click()
    row = page.locator("tr.unread")
    assert row.count() == 1
    row.get_by_role("link", name="Catering na konferencje").click()
    assert_accessible(page)
    page.fill("#id_body", "Tak, 35 zł za osobę, z dowozem.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/gielda/zapytania/\d+/$"))
    assert page.locator("tr.unread").count() == 0
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert any(buyer.email in message.to for message in mail.outbox)

    # 4. The buyer reads the answer.
    page.context.clear_cookies()
    _login(page, buyer)
    page.get_by_role("link", name=re.compile("Inquiries|Zapytania")).click()
    page.locator("tr.unread").get_by_role("link").click()
    expect(page.get_by_text("Tak, 35 zł za osobę, z dowozem.")).to_be_visible()
