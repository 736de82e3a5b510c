"""The demand register's public pages, and the forms buyers and PES use, pass axe-core's
WCAG 2.1 AA rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demand.models import NoticeQuestion
from tests.demand.factories import AnswerFactory, ClauseCheckFactory, NoticeFactory, PartnerFactory
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import cpv_code
from tests.factories import DepartmentFactory, make_official

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demand_data(municipality, settings, tmp_path):
    """Open notices (one reserved for PES), an awarded one with a consortium, in Toruń."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    catering = cpv_code("55520000", is_curated=True)
    cpv_code("55000000", is_curated=True)
    cleaning = cpv_code("90910000", is_curated=True)
    department = DepartmentFactory(
        municipality=municipality, name="Wydział Zdrowia i Pomocy Społecznej"
    )
    reserved = NoticeFactory(
        department=department,
        published=True,
        title="Catering na Forum Ekonomii Społecznej",
        cpv_codes=[catering],
        delivery_from=timezone.localdate() + timedelta(days=20),
        delivery_to=timezone.localdate() + timedelta(days=21),
        answers_deadline=timezone.now() + timedelta(days=5),
    )
    ClauseCheckFactory(notice=reserved, employment_requirement=True, is_social_service=True)
    for number in range(22):
        notice = NoticeFactory(
            department=department,
            published=True,
            title=f"Sprzątanie skwerów, etap {number}",
            cpv_codes=[cleaning],
        )
        ClauseCheckFactory(
            notice=notice, reserved_for_pes=False, no_clause_reason="Usługa specjalistyczna."
        )
    winner = OrganisationFactory(
        name="Spółdzielnia Socjalna Łódzki Smak", seat_municipality=municipality
    )
    partner = OrganisationFactory(name="Fundacja Wspólny Stół", seat_municipality=municipality)
    awarded = NoticeFactory(
        department=department,
        awarded=True,
        title="Obiady dla seniorów w Dziennym Domu Pomocy",
        cpv_codes=[catering],
        awarded_value=Decimal("48250.00"),
    )
    ClauseCheckFactory(notice=awarded)
    answer = AnswerFactory(notice=awarded, organisation=winner, is_awarded=True)
    PartnerFactory(answer=answer, organisation=partner, confirmed_at=timezone.now())
    return {"reserved": reserved, "awarded": awarded, "winner": winner, "department": department}


PUBLIC_PAGES = [
    "/zapotrzebowanie/",
    "/zapotrzebowanie/?page=2",
    "/zapotrzebowanie/?q=catering&cpv=55000000&buyer=city&reserved=on&closing_soon=on",
    "/zapotrzebowanie/?q=nic-takiego",
    "/zapotrzebowanie/wyniki/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_demand_page_has_no_wcag_violations(page, assert_accessible, demand_data, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "pl"
    assert_accessible(page)


def test_a_published_notice_with_clauses_has_no_wcag_violations(
    page, assert_accessible, demand_data
):
    notice = demand_data["reserved"]
    page.goto(notice.get_absolute_url())
    assert page.locator("h1").inner_text() == notice.title
    assert page.locator(".badge", has_text="96").count() >= 1
    assert_accessible(page)


def test_an_awarded_notice_has_no_wcag_violations(page, assert_accessible, demand_data):
    notice = demand_data["awarded"]
    page.goto(notice.get_absolute_url())
    assert demand_data["winner"].name in page.locator("main").inner_text()
    assert_accessible(page)


def _login(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", "test-pass-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def test_the_buyers_pages_have_no_wcag_violations(
    page, assert_accessible, demand_data, municipality
):
    official = make_official(municipality)
    notice = demand_data["reserved"]
    AnswerFactory(notice=notice)
    asker = OrganisationFactory(name="Spółdzielnia Pytająca", legal_form="social_cooperative")
    question = NoticeQuestion.objects.create(notice=notice, organisation=asker, question="Ile?")
    NoticeQuestion.objects.create(
        notice=notice,
        organisation=asker,
        question="Czy z dowozem?",
        answer="Tak.",
        answered_at=timezone.now(),
    )
    draft = NoticeFactory(department=official.official_memberships.get().department)
    _login(page, official)
    for path in [
        f"/zapotrzebowanie/{notice.pk}/korekta/",
        f"/zapotrzebowanie/pytania/{question.pk}/odpowiedz/",
        "/zapotrzebowanie/nowe/",
        "/zapotrzebowanie/moje/",
        notice.get_absolute_url(),
        f"/zapotrzebowanie/{draft.pk}/klauzule/",
        f"/zapotrzebowanie/{notice.pk}/termin/",
        f"/zapotrzebowanie/{notice.pk}/anuluj/",
    ]:
        page.goto(path)
        assert_accessible(page)
    # The clause check after a failed submission, with its error summary.
    page.goto(f"/zapotrzebowanie/{draft.pk}/klauzule/")
    page.fill("#id_estimated_value", "150000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_pes_pages_have_no_wcag_violations(page, assert_accessible, demand_data):
    member = make_pes_member(demand_data["winner"])
    _login(page, member)
    own = AnswerFactory(notice=demand_data["reserved"], organisation=demand_data["winner"])
    for path in [
        f"/zapotrzebowanie/odpowiedzi/{own.pk}/wycofaj/",
        f"/zapotrzebowanie/{demand_data['reserved'].pk}/odpowiedz/",
        f"/zapotrzebowanie/{demand_data['reserved'].pk}/pytania/nowe/",
        "/zapotrzebowanie/dla-nas/",
        "/zapotrzebowanie/moje-odpowiedzi/",
    ]:
        page.goto(path)
        assert_accessible(page)
