"""Computed indicators: each app's selector against hand-made data with a known answer, and the
registry that names them."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from directory import selectors as directory_selectors
from monitoring.computed import COMPUTED_INDICATORS, Evaluator, evaluate
from tests.demand.factories import ClauseCheckFactory, NoticeFactory, company_notice
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import InquiryFactory, OfferFactory
from tests.factories import DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


# --- the registry -------------------------------------------------------------------------------


def test_every_registered_indicator_names_a_selector_with_the_common_signature():
    for key, indicator in COMPUTED_INDICATORS.items():
        function = import_string(indicator.path)
        assert callable(function), key
        assert indicator.path.split(".")[1] == "selectors", "computations live in selectors"


def test_the_registry_covers_what_the_issue_asks_for():
    assert set(COMPUTED_INDICATORS) >= {
        "verified_organisations",
        "new_registrations",
        "active_offers",
        "notices_published",
        "social_clause_share",
        "awards_to_pes",
        "awards_value",
        "inquiries_sent",
    }


def test_an_indicator_whose_app_is_missing_evaluates_to_none(monkeypatch, municipality):
    from monitoring import computed

    missing = computed.ComputedIndicator("missing", "x", "x", "nowhere.selectors.nothing")
    monkeypatch.setitem(computed.COMPUTED_INDICATORS, "missing", missing)
    assert (
        evaluate(
            "missing", municipality=municipality, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        is None
    )


def test_the_evaluator_computes_each_key_and_period_once(municipality, django_assert_num_queries):
    OrganisationFactory(seat_municipality=municipality, verified_at=at(2026, 3, 1))
    evaluator = Evaluator(municipality)
    with django_assert_num_queries(1):
        first = evaluator("verified_organisations", start=date(2026, 1, 1), end=date(2026, 12, 31))
        second = evaluator("verified_organisations", start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert first == second == Decimal(1)


# --- directory ---------------------------------------------------------------------------------


def test_verified_organisations_counts_those_verified_by_the_end_of_the_last_day(municipality):
    other = MunicipalityFactory()
    # Verified on the last evening of the year (Warsaw time): counted.
    OrganisationFactory(seat_municipality=municipality, verified_at=at(2026, 12, 31, 23, 30))
    # Verified earlier: counted.
    OrganisationFactory(seat_municipality=municipality, verified_at=at(2025, 5, 5))
    # Verified just after midnight on 1 January: not yet.
    OrganisationFactory(seat_municipality=municipality, verified_at=at(2027, 1, 1, 0, 10))
    # Pending and rejected ones are not verified.
    OrganisationFactory(seat_municipality=municipality, pending=True)
    OrganisationFactory(seat_municipality=municipality, rejected=True)
    # Seated elsewhere (even if serving this municipality).
    OrganisationFactory(
        seat_municipality=other, verified_at=at(2026, 3, 3), municipalities_served=[municipality]
    )

    result = directory_selectors.indicator_verified_organisations(
        municipality=municipality, start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert result == 2


def test_new_registrations_counts_the_period_inclusive_whatever_the_outcome(municipality):
    other = MunicipalityFactory()
    OrganisationFactory(seat_municipality=municipality, created_at=at(2026, 1, 1, 0, 5))
    OrganisationFactory(
        seat_municipality=municipality, created_at=at(2026, 6, 30, 23, 55), pending=True
    )
    OrganisationFactory(seat_municipality=municipality, created_at=at(2026, 3, 3), rejected=True)
    # Outside the period: the evening before, and the first minutes after it.
    OrganisationFactory(seat_municipality=municipality, created_at=at(2025, 12, 31, 23, 59))
    OrganisationFactory(seat_municipality=municipality, created_at=at(2026, 7, 1, 0, 1))
    OrganisationFactory(seat_municipality=other, created_at=at(2026, 3, 3))

    result = directory_selectors.indicator_new_registrations(
        municipality=municipality, start=date(2026, 1, 1), end=date(2026, 6, 30)
    )
    assert result == 3


def test_directory_indicators_through_the_registry(municipality):
    OrganisationFactory(
        seat_municipality=municipality, created_at=at(2026, 2, 2), verified_at=at(2026, 2, 3)
    )
    period = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    assert evaluate("verified_organisations", municipality=municipality, **period) == 1
    assert evaluate("new_registrations", municipality=municipality, **period) == 1
    assert (
        evaluate(
            "new_registrations",
            municipality=municipality,
            start=date(2027, 1, 1),
            end=date(2027, 12, 31),
        )
        == 0
    )


# --- exchange and demand, read through the registry --------------------------------------------


@pytest.fixture
def portal_month(municipality):
    """A month of the portal's life in Toruń, with every figure known by hand."""
    department = DepartmentFactory(municipality=municipality)
    seated = OrganisationFactory(seat_municipality=municipality)
    elsewhere = OrganisationFactory(seat_municipality=MunicipalityFactory())
    # offers: two active ones of a Toruń PES, one withdrawn, one of a PES from elsewhere
    offer = OfferFactory(organisation=seated)
    OfferFactory(organisation=seated)
    OfferFactory(organisation=seated, status="archived")
    OfferFactory(organisation=elsewhere)
    # inquiries: one to the Toruń PES, one to the other
    InquiryFactory(offer=offer)
    InquiryFactory(offer=OfferFactory(organisation=elsewhere))
    # the city's notices: three published in the period, two with a social clause, one
    # awarded for 12 500 PLN; a company's notice and a draft do not count
    with_clause = NoticeFactory(department=department, published=True)
    ClauseCheckFactory(notice=with_clause)
    awarded = NoticeFactory(department=department, awarded=True)
    ClauseCheckFactory(notice=awarded, reserved_for_pes=False, employment_requirement=True)
    NoticeFactory(department=department, published=True)
    NoticeFactory(department=department)
    company_notice(municipality=municipality, published=True)
    return municipality


EXPECTED_THIS_MONTH = {
    "active_offers": Decimal(2),
    "inquiries_sent": Decimal(1),
    "notices_published": Decimal(3),
    "social_clause_share": Decimal("66.67"),
    "awards_to_pes": Decimal(1),
    "awards_value": Decimal("12500.00"),
}


@pytest.mark.parametrize(("key", "expected"), EXPECTED_THIS_MONTH.items())
def test_exchange_and_demand_indicators_through_the_registry(portal_month, key, expected):
    today = timezone.localdate()
    value = evaluate(key, municipality=portal_month, start=today - timedelta(days=30), end=today)
    assert value == expected


def test_nothing_counts_in_a_period_before_it_all_happened(portal_month):
    end = timezone.localdate() - timedelta(days=60)
    start = end - timedelta(days=30)
    for key in ("inquiries_sent", "notices_published", "awards_to_pes", "active_offers"):
        assert evaluate(key, municipality=portal_month, start=start, end=end) == 0, key


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        (1, "organizacja"),
        (2, "organizacje"),
        (5, "organizacji"),
        (22, "organizacje"),
        (25, "organizacji"),
        (112, "organizacji"),
        (None, "organizacji"),
    ],
)
def test_a_computed_count_names_its_unit_in_the_form_the_number_needs(value, unit):
    from django.utils import translation

    from monitoring.computed import COMPUTED_INDICATORS

    with translation.override("pl"):
        assert COMPUTED_INDICATORS["verified_organisations"].unit_for(value) == unit


def test_the_computed_value_of_contracts_is_in_zloty():
    from django.utils import translation

    from monitoring.computed import COMPUTED_INDICATORS

    with translation.override("pl"):
        assert COMPUTED_INDICATORS["awards_value"].unit_for(Decimal("12.50")) == "zł"
        assert COMPUTED_INDICATORS["social_clause_share"].unit_for(Decimal(20)) == "%"
