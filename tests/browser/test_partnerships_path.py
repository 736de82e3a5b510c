"""Partnerships and finance in a browser (issue 15): a cluster coordinator invites two PES and
a company, they accept, and the cluster page shows their combined offer by theme; a PES checks
its eligibility, asks for a bridging loan for a grant it won, the lender grants it and records
a repayment, the public totals change, and another PES sees none of it. axe-core's WCAG 2.1 AA
rules on every public page of the app."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships import services
from partnerships.models import Lender, LenderStaff, LoanRequest, Product, Theme
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory
from tests.factories import PASSWORD, UserFactory, make_business_buyer, next_nip

pytestmark = pytest.mark.django_db(transaction=True)

# The data migration's themes (a transactional test flushes them).
THEMES = [
    ("edukacja", "edukacja"),
    ("uslugi-komunalne", "usługi komunalne"),
    ("uslugi-spoleczne", "usługi społeczne"),
    ("turystyka", "turystyka"),
]


@pytest.fixture
def themes(transactional_db):
    return {
        slug: Theme.objects.update_or_create(slug=slug, defaults={"name": name, "position": n})[0]
        for n, (slug, name) in enumerate(THEMES)
    }


@pytest.fixture
def cluster_data(municipality, themes):
    coordinator_org = OrganisationFactory(
        name="Fundacja Płocka Akademia", seat_municipality=municipality
    )
    coordinator = make_pes_member(coordinator_org, email="koordynator@example.org")
    school = OrganisationFactory(
        name="Spółdzielnia Socjalna Szkolna",
        legal_form="social_cooperative",
        seat_municipality=municipality,
    )
    green = OrganisationFactory(name="Spółdzielnia Zielona Gmina", seat_municipality=municipality)
    OfferFactory(organisation=school, title="Warsztaty ekologiczne dla szkół")
    OfferFactory(organisation=green, title="Koszenie terenów zielonych")
    cluster = services.partnership_create(
        actor=coordinator,
        name="Klaster Subregionu Płockiego",
        kind="cluster",
        territory=[municipality],
        themes=list(themes.values()),
        results="Wspólny katalog usług.",
        coordinator_organisation=coordinator_org,
    )
    buyer = make_business_buyer(email="firma@example.org")
    return {
        "cluster": cluster,
        "coordinator": coordinator,
        "school": school,
        "school_owner": make_pes_member(school, email="szkolna@example.org"),
        "green": green,
        "green_owner": make_pes_member(green, email="zielona@example.org"),
        "buyer": buyer,
        "company": buyer.buyer_memberships.get().company,
    }


def _login(page, email):
    page.context.clear_cookies()
    page.goto("/konto/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def _invite(page, cluster, *, kind, nip, theme_label=None):
    page.goto(f"/partnerstwa/{cluster.slug}/czlonkowie/")
    page.check(f"input[name=kind][value={kind}]")
    page.fill("#id_nip", nip)
    if theme_label:
        page.get_by_label(theme_label, exact=True).check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages, [role=status]").first).to_be_visible()


def test_a_coordinator_invites_two_pes_and_a_company_and_the_page_shows_their_offer(
    page, assert_accessible, cluster_data
):
    cluster = cluster_data["cluster"]
    _login(page, "koordynator@example.org")
    _invite(
        page, cluster, kind="organisation", nip=cluster_data["school"].nip, theme_label="edukacja"
    )
    _invite(
        page,
        cluster,
        kind="organisation",
        nip=cluster_data["green"].nip,
        theme_label="usługi komunalne",
    )
    _invite(page, cluster, kind="company", nip=cluster_data["company"].nip)
    assert cluster.members.filter(status="invited").count() == 3
    assert_accessible(page)

    for email in ("szkolna@example.org", "zielona@example.org", "firma@example.org"):
        _login(page, email)
        page.goto(cluster.get_absolute_url())
        page.locator("#invitation-title ~ ul button[value=accept]").first.click()
        expect(page.get_by_text(re.compile("jest teraz członkiem"))).to_be_visible()
    assert cluster.members.filter(status="active").count() == 4

    page.context.clear_cookies()
    page.goto(cluster.get_absolute_url())
    offer = page.locator("#offer-title").locator("..")
    expect(offer.get_by_text("Warsztaty ekologiczne dla szkół")).to_be_visible()
    expect(offer.get_by_text("Koszenie terenów zielonych")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="usługi komunalne", exact=True).click()
    expect(offer.get_by_text("Koszenie terenów zielonych")).to_be_visible()
    expect(offer.get_by_text("Warsztaty ekologiczne dla szkół")).to_have_count(0)
    assert_accessible(page)


@pytest.fixture
def finance_data(organisation, pes_owner, other_pes_member):
    lender = Lender.objects.create(
        name="Fundusz Pożyczkowy ES", slug="fundusz-es", kind="loan_fund", nip=next_nip()
    )
    staff = UserFactory(email="doradca@fundusz.example.org")
    LenderStaff.objects.create(lender=lender, user=staff)
    product = Product.objects.create(
        lender=lender,
        name="Pożyczka pomostowa na dotację",
        kind="bridging_loan",
        amount_min=Decimal("5000"),
        amount_max=Decimal("100000"),
        term_months=24,
        interest_rate=Decimal("0.50"),
        purposes="Prefinansowanie dotacji.",
        how_to_apply="Przez portal.",
    )
    # Two loans to other organisations, so that the public totals show the group.
    for number in range(2):
        request = services.request_submit(
            actor=None,
            product=product,
            organisation=OrganisationFactory(),
            amount=Decimal("10000"),
            need="Dotacja",
            purpose_kind="grant",
            purpose=f"Dotacja {number}",
        )
        services.request_accept(actor=None, loan_request=request)
        services.loan_record(
            actor=None,
            loan_request=request,
            amount=Decimal("10000"),
            granted_on=timezone.localdate() - timedelta(days=10),
            due_on=timezone.localdate() + timedelta(days=300),
        )
    return {"product": product, "staff": staff}


def test_a_pes_gets_a_bridging_loan_and_the_totals_change(
    page, assert_accessible, finance_data, organisation, pes_owner, other_pes_member
):
    page.goto("/finansowanie/wyniki/")
    expect(page.get_by_text("nie pokazano: za mało organizacji").first).to_be_visible()
    assert_accessible(page)

    _login(page, pes_owner.email)
    page.goto("/finansowanie/sprawdz/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Złóż wniosek")).first.click()
    page.fill("#id_amount", "500000")
    page.fill("#id_need", "Prefinansowanie dotacji gminy na usługi opiekuńcze.")
    page.select_option("#id_purpose_kind", "grant")
    page.fill("#id_purpose", "Dotacja: usługi opiekuńcze 2026")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(re.compile(r"Podaj kwotę od 5\s000,00")).first).to_be_visible()
    assert_accessible(page)
    page.fill("#id_amount", "30000")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/finansowanie/wnioski/\d+/$"))
    loan_request = LoanRequest.objects.get(organisation=organisation)
    assert loan_request.status == "submitted"

    _login(page, "doradca@fundusz.example.org")
    page.goto(loan_request.get_absolute_url())
    page.check("input[name=decision-decision][value=accept]")
    page.get_by_role("button", name="Zapisz decyzję").click()
    page.fill("#id_loan-amount", "30000")
    today = timezone.localdate()
    page.fill("#id_loan-granted_on", today.isoformat())
    page.fill("#id_loan-due_on", (today + timedelta(days=365)).isoformat())
    page.get_by_role("button", name="Zapisz pożyczkę").click()
    page.fill("#id_repayment-paid_on", today.isoformat())
    page.fill("#id_repayment-amount", "2500")
    page.get_by_role("button", name="Zapisz spłatę").click()
    expect(page.get_by_text(re.compile(r"2\s500,00 zł")).first).to_be_visible()
    assert_accessible(page)
    loan_request.refresh_from_db()
    assert loan_request.status == "granted"

    page.context.clear_cookies()
    page.goto("/finansowanie/wyniki/")
    expect(page.get_by_role("row", name=re.compile("Razem"))).to_contain_text(
        re.compile(r"50\s000,00")
    )

    _login(page, other_pes_member.email)
    response = page.goto(loan_request.get_absolute_url())
    assert response.status == 404
    page.goto("/finansowanie/wnioski/")
    expect(page.get_by_text(organisation.name)).to_have_count(0)


@pytest.mark.parametrize(
    "path", ["/partnerstwa/", "/partnerstwa/?kind=cluster&theme=edukacja", "/finansowanie/"]
)
def test_public_pages_have_no_wcag_violations(page, assert_accessible, cluster_data, path):
    assert page.goto(path).status == 200
    assert_accessible(page)


def test_product_and_meeting_pages_have_no_wcag_violations(
    page, assert_accessible, finance_data, cluster_data
):
    from partnerships.models import Meeting

    meeting = services.meeting_save(
        actor=None,
        meeting=Meeting(partnership=cluster_data["cluster"]),
        held_on=timezone.localdate(),
        title="Przestrzeń do refleksji",
        minutes="Protokół.",
        decisions="Decyzje.",
        is_published=True,
    )
    for path in [finance_data["product"].get_absolute_url(), meeting.get_absolute_url()]:
        assert page.goto(path).status == 200
        assert_accessible(page)


def test_the_partnership_page_lists_its_events_without_wcag_violations(
    page, assert_accessible, cluster_data
):
    from datetime import timedelta

    from community import services as community_services

    cluster = cluster_data["cluster"]
    start = timezone.now() + timedelta(days=10)
    event = community_services.event_create(
        actor=cluster_data["coordinator"],
        municipality=cluster.coordinator_organisation.seat_municipality,
        organiser=cluster.coordinator_organisation,
        partnership=cluster.pk,
        kind="fair",
        title="Targi Klastra Subregionu",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        registration_deadline=start - timedelta(days=1),
        venue="Płock, Stary Rynek",
        audience="everyone",
        capacity=50,
    )
    community_services.event_publish(event=event, actor=cluster_data["coordinator"])
    assert page.goto(cluster.get_absolute_url()).status == 200
    events = page.locator("#events-title").locator("..")
    expect(events.get_by_role("link", name="Targi Klastra Subregionu")).to_be_visible()
    assert_accessible(page)
    events.get_by_role("link", name=re.compile("Wszystkie wydarzenia partnerstwa")).click()
    expect(page.get_by_role("link", name="Targi Klastra Subregionu")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Targi Klastra Subregionu").click()
    expect(page.get_by_role("link", name="Klaster Subregionu Płockiego")).to_be_visible()
    assert_accessible(page)
