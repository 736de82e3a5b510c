"""The exchange's reads: the catalogue's filters, the inbox, the matching of notices to PES, and
the monitoring indicators — each on hand-made data with known answers."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import timezone

from exchange import selectors, services
from exchange.models import Inquiry, Offer
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import InquiryFactory, OfferFactory, cpv_code
from tests.factories import MunicipalityFactory, make_business_buyer

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def titles(filterset):
    return [offer.title for offer in filterset.qs]


def catalogue(**filters):
    filterset = selectors.offer_list(filters=filters)
    assert not filters or filterset.is_valid(), filterset.errors
    return titles(filterset)


# --- the catalogue -----------------------------------------------------------------------------


def test_the_catalogue_shows_only_active_offers_of_verified_organisations(organisation):
    OfferFactory(organisation=organisation, title="Widoczna")
    OfferFactory(organisation=organisation, title="Zarchiwizowana", status="archived")
    OfferFactory(organisation=OrganisationFactory(pending=True), title="Niezweryfikowana")
    OfferFactory(organisation=OrganisationFactory(rejected=True), title="Odrzucona")
    assert catalogue() == ["Widoczna"]


def test_search_ignores_case_and_diacritics_and_finds_the_organisation(municipality):
    lodz = OrganisationFactory(
        name="Stowarzyszenie Łódzka Pracownia", seat_municipality=municipality
    )
    OfferFactory(organisation=lodz, title="Druk ulotek")
    OfferFactory(title="Żółte tulipany", description="Kwiaty cięte z naszej szklarni.")
    OfferFactory(title="Sprzątanie biur")
    assert catalogue(q="LODZKA druk") == ["Druk ulotek"]
    assert catalogue(q="zolte") == ["Żółte tulipany"]
    assert catalogue(q="szklarni tulipany") == ["Żółte tulipany"]
    assert catalogue(q="tulipany biur") == []


def test_a_category_filter_finds_everything_below_it(organisation):
    OfferFactory(organisation=organisation, title="Catering", cpv=cpv_code("55520000"))
    OfferFactory(organisation=organisation, title="Posiłki na kółkach", cpv=cpv_code("55521200"))
    OfferFactory(organisation=organisation, title="Stołówka", cpv=cpv_code("55500000"))
    OfferFactory(organisation=organisation, title="Sprzątanie", cpv=cpv_code("90910000"))
    assert sorted(catalogue(cpv="55000000")) == ["Catering", "Posiłki na kółkach", "Stołówka"]
    assert sorted(catalogue(cpv="55520000")) == ["Catering", "Posiłki na kółkach"]
    assert catalogue(cpv="55521200-0") == ["Posiłki na kółkach"]
    assert catalogue(cpv="90000000") == ["Sprzątanie"]


@pytest.mark.parametrize("value", ["55520000-2", "123", "99999999"])
def test_a_wrong_category_is_reported_on_the_field(organisation, value):
    OfferFactory(organisation=organisation)
    filterset = selectors.offer_list(filters={"cpv": value})
    assert not filterset.is_valid()
    assert "cpv" in filterset.errors


def test_any_code_of_the_vocabulary_filters_the_catalogue(organisation):
    office_supplies = cpv_code("30192000")  # not on the curated list
    OfferFactory(organisation=organisation, title="Materiały biurowe", cpv=office_supplies)
    OfferFactory(organisation=organisation, title="Catering")
    for given in ("30192000-1", "30192000", "30192", "30192000-1 Kategoria 30192000"):
        linked = selectors.offer_list(filters={"cpv": given})
        assert linked.is_valid()
        assert linked.form.cleaned_data["cpv"] == office_supplies
        assert titles(linked) == ["Materiały biurowe"]


def test_municipality_filter_uses_the_offers_own_list_or_the_organisations(municipality):
    lubicz = MunicipalityFactory(slug="lubicz")
    seated_in_torun = OrganisationFactory(
        seat_municipality=municipality, municipalities_served=[municipality, lubicz]
    )
    OfferFactory(organisation=seated_in_torun, title="Wszędzie, gdzie organizacja")
    OfferFactory(
        organisation=seated_in_torun, title="Tylko Toruń", municipalities_served=[municipality]
    )
    OfferFactory(
        organisation=OrganisationFactory(seat_municipality=municipality),
        title="Lubicz z listy oferty",
        municipalities_served=[lubicz],
    )
    assert sorted(catalogue(municipality="lubicz")) == [
        "Lubicz z listy oferty",
        "Wszędzie, gdzie organizacja",
    ]
    assert sorted(catalogue(municipality="torun")) == ["Tylko Toruń", "Wszędzie, gdzie organizacja"]


def test_legal_form_social_enterprise_and_kind_filters(municipality):
    cooperative = OrganisationFactory(
        legal_form="social_cooperative",
        is_social_enterprise=True,
        social_enterprise_since=date(2022, 1, 1),
        seat_municipality=municipality,
    )
    foundation = OrganisationFactory(legal_form="foundation", seat_municipality=municipality)
    OfferFactory(organisation=cooperative, title="Usługa spółdzielni")
    OfferFactory(organisation=cooperative, title="Produkt spółdzielni", kind="product")
    OfferFactory(organisation=foundation, title="Usługa fundacji")
    assert sorted(catalogue(legal_form="social_cooperative")) == [
        "Produkt spółdzielni",
        "Usługa spółdzielni",
    ]
    assert sorted(catalogue(social_enterprise="on")) == [
        "Produkt spółdzielni",
        "Usługa spółdzielni",
    ]
    assert catalogue(kind="product") == ["Produkt spółdzielni"]
    assert sorted(catalogue(legal_form="foundation", kind="service")) == ["Usługa fundacji"]


def test_a_price_range_leaves_out_offers_on_request(organisation):
    OfferFactory(organisation=organisation, title="Tania", price=Decimal("10.00"))
    OfferFactory(organisation=organisation, title="Średnia", price=Decimal("50.00"))
    OfferFactory(organisation=organisation, title="Droga", price=Decimal("500.00"))
    OfferFactory(
        organisation=organisation, title="Do uzgodnienia", price_type="on_request", price=None
    )
    assert len(catalogue()) == 4
    assert sorted(catalogue(price_min="10")) == ["Droga", "Tania", "Średnia"]
    assert sorted(catalogue(price_max="50")) == ["Tania", "Średnia"]
    assert catalogue(price_min="20", price_max="100") == ["Średnia"]


def test_an_inverted_price_range_is_reported(organisation):
    filterset = selectors.offer_list(filters={"price_min": "100", "price_max": "10"})
    assert not filterset.is_valid()
    assert "price_max" in filterset.errors


def test_sorting(organisation):
    for title, price, days_ago in [
        ("Bukiety", "120.00", 3),
        ("Autobus", "15.00", 1),
        ("Catering", None, 2),
        ("Druk", "40.00", 4),
    ]:
        offer = OfferFactory(
            organisation=organisation,
            title=title,
            price=Decimal(price) if price else None,
            price_type="fixed" if price else "on_request",
        )
        Offer.objects.filter(pk=offer.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    assert catalogue() == ["Autobus", "Catering", "Bukiety", "Druk"]
    assert catalogue(sort="newest") == ["Autobus", "Catering", "Bukiety", "Druk"]
    assert catalogue(sort="price_asc") == ["Autobus", "Druk", "Bukiety", "Catering"]
    assert catalogue(sort="price_desc") == ["Bukiety", "Druk", "Autobus", "Catering"]
    assert catalogue(sort="title") == ["Autobus", "Bukiety", "Catering", "Druk"]


def test_an_offer_is_seen_by_whom_it_may_concern(offer, pes_owner, official, admin_user):
    offer.status = Offer.Status.ARCHIVED
    offer.save()
    assert selectors.offer_get_for_user(user=pes_owner, pk=offer.pk) == offer
    assert selectors.offer_get_for_user(user=admin_user, pk=offer.pk) == offer
    with pytest.raises(Http404):
        selectors.offer_get_for_user(user=official, pk=offer.pk)
    with pytest.raises(Http404):
        selectors.offer_get_for_user(user=official, pk=offer.pk + 1000)


# --- the inbox ---------------------------------------------------------------------------------


def test_the_inbox_holds_what_the_user_asked_and_what_their_organisations_were_asked(
    offer, business_buyer, buyer_company, pes_owner, official, official_department
):
    asked = InquiryFactory(offer=offer, buyer=business_buyer, buyer_company=buyer_company)
    by_official = InquiryFactory(offer=offer, buyer=official, buyer_department=official_department)
    elsewhere = InquiryFactory(buyer=business_buyer, buyer_company=buyer_company)
    InquiryFactory()  # someone else's, about someone else's offer
    assert set(selectors.inquiry_list(user=business_buyer).qs) == {asked, elsewhere}
    assert set(selectors.inquiry_list(user=pes_owner).qs) == {asked, by_official}
    assert set(selectors.inquiry_list(user=official).qs) == {by_official}


def test_unread_counts_are_per_side(offer, business_buyer, buyer_company, pes_owner, pes_editor):
    first = services.inquiry_send(
        offer=offer, buyer=business_buyer, company=buyer_company, message="Pierwsze"
    )
    services.inquiry_send(
        offer=offer, buyer=business_buyer, company=buyer_company, message="Drugie"
    )
    assert selectors.unread_inquiry_count(user=pes_owner) == 2
    assert selectors.unread_inquiry_count(user=pes_editor) == 2
    assert selectors.unread_inquiry_count(user=business_buyer) == 0

    services.inquiry_reply(inquiry=first, author=pes_editor, body="Odpowiedź")
    # The editor's reply is read by the organisation's side: one left for the owner too.
    assert selectors.unread_inquiry_count(user=pes_owner) == 1
    assert selectors.unread_inquiry_count(user=business_buyer) == 1
    inbox = {inquiry.pk: inquiry for inquiry in selectors.inquiry_list(user=business_buyer).qs}
    assert inbox[first.pk].is_unread and inbox[first.pk].is_buyer_side

    services.inquiry_mark_read(inquiry=first, user=business_buyer)
    assert selectors.unread_inquiry_count(user=business_buyer) == 0
    unread_only = selectors.inquiry_list(user=pes_owner, filters={"unread": "on"}).qs
    assert [inquiry.messages.get().body for inquiry in unread_only] == ["Drugie"]


def test_the_inbox_lists_the_latest_conversation_first_and_filters_by_status(
    offer, business_buyer, buyer_company, pes_owner
):
    older = InquiryFactory(
        offer=offer,
        buyer=business_buyer,
        buyer_company=buyer_company,
        last_message_at=timezone.now() - timedelta(days=2),
    )
    newer = InquiryFactory(offer=offer, buyer=business_buyer, buyer_company=buyer_company)
    assert list(selectors.inquiry_list(user=pes_owner).qs) == [newer, older]
    services.inquiry_reply(inquiry=older, author=pes_owner, body="Odpowiedź")
    assert list(selectors.inquiry_list(user=pes_owner).qs) == [older, newer]
    answered = selectors.inquiry_list(user=pes_owner, filters={"status": "answered"}).qs
    assert list(answered) == [older]


@pytest.mark.parametrize(
    "role", ["official", "other_pes_member", "admin_user", "signed_in_user", "monitoring_member"]
)
def test_an_inquiry_is_a_404_for_everyone_but_the_two_sides(role, user_of, inquiry, official):
    with pytest.raises(Http404):
        selectors.inquiry_get_for_user(user=user_of(role), pk=inquiry.pk)


def test_the_two_sides_get_the_inquiry(inquiry, business_buyer, pes_editor):
    assert selectors.inquiry_get_for_user(user=business_buyer, pk=inquiry.pk).is_buyer_side
    assert not selectors.inquiry_get_for_user(user=pes_editor, pk=inquiry.pk).is_buyer_side


# --- matching notices to PES (used by the demand register) -------------------------------------


@pytest.fixture
def matching_world(municipality):
    """Toruń (``municipality``) and Lubicz, and PES with offers in and out of CPV group 555."""
    lubicz = MunicipalityFactory(name="Lubicz", slug="lubicz")
    catering_torun = OrganisationFactory(name="B Catering Toruń", seat_municipality=municipality)
    OfferFactory(organisation=catering_torun, cpv=cpv_code("55520000"))
    OfferFactory(organisation=catering_torun, cpv=cpv_code("55521200"))  # same group, twice
    canteen_everywhere = OrganisationFactory(
        name="A Stołówka Wszędzie",
        seat_municipality=lubicz,
        municipalities_served=[lubicz, municipality],
    )
    OfferFactory(organisation=canteen_everywhere, cpv=cpv_code("55500000"))
    offer_only_lubicz = OrganisationFactory(
        name="C Tylko Lubicz w ofercie",
        seat_municipality=municipality,
        municipalities_served=[municipality, lubicz],
    )
    OfferFactory(
        organisation=offer_only_lubicz, cpv=cpv_code("55520000"), municipalities_served=[lubicz]
    )
    other_group = OrganisationFactory(name="D Inna grupa 553", seat_municipality=municipality)
    OfferFactory(organisation=other_group, cpv=cpv_code("55300000"))
    cleaning = OrganisationFactory(name="E Sprzątanie", seat_municipality=municipality)
    OfferFactory(organisation=cleaning, cpv=cpv_code("90910000"))
    archived = OrganisationFactory(name="F Archiwum", seat_municipality=municipality)
    OfferFactory(organisation=archived, cpv=cpv_code("55520000"), status="archived")
    pending = OrganisationFactory(name="G Oczekuje", pending=True, seat_municipality=municipality)
    OfferFactory(organisation=pending, cpv=cpv_code("55520000"))
    OrganisationFactory(name="H Bez ofert", seat_municipality=municipality)
    return {"torun": municipality, "lubicz": lubicz}


def names(queryset):
    return [organisation.name for organisation in queryset]


def test_matching_finds_verified_pes_with_public_offers_in_the_group_serving_the_place(
    matching_world,
):
    torun, lubicz = matching_world["torun"], matching_world["lubicz"]
    assert names(selectors.offers_matching(cpv_codes=["55520000"], municipality=torun)) == [
        "A Stołówka Wszędzie",
        "B Catering Toruń",
    ]
    assert names(selectors.offers_matching(cpv_codes=["55512000"], municipality=lubicz)) == [
        "A Stołówka Wszędzie",
        "C Tylko Lubicz w ofercie",
    ]


def test_matching_accepts_codes_objects_and_check_digits_and_joins_groups(matching_world):
    torun = matching_world["torun"]
    matched = selectors.offers_matching(
        cpv_codes=[cpv_code("90911200"), "55300000-3"], municipality=torun.pk
    )
    assert names(matched) == ["D Inna grupa 553", "E Sprzątanie"]


def test_matching_a_division_code_matches_only_its_own_group(matching_world):
    """A notice classified as a whole division (55000000) shares group 550 with nothing here."""
    torun = matching_world["torun"]
    assert names(selectors.offers_matching(cpv_codes=["55000000"], municipality=torun)) == []


def test_matching_nothing(matching_world):
    torun = matching_world["torun"]
    assert names(selectors.offers_matching(cpv_codes=[], municipality=torun)) == []
    elsewhere = MunicipalityFactory()
    assert names(selectors.offers_matching(cpv_codes=["55520000"], municipality=elsewhere)) == []


def test_matching_runs_one_query(matching_world, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(
            selectors.offers_matching(
                cpv_codes=["55520000", "90910000"], municipality=matching_world["torun"]
            )
        )


# --- indicators for monitoring -----------------------------------------------------------------


def _at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WARSAW)


def _created(instance, when: datetime):
    type(instance).objects.filter(pk=instance.pk).update(created_at=when)
    return instance


@pytest.fixture
def indicator_world(municipality):
    """Offers and inquiries around Toruń (``municipality``) in 2026, with known counts."""
    lubicz = MunicipalityFactory(name="Lubicz", slug="lubicz")
    seated = OrganisationFactory(seat_municipality=municipality)
    serving = OrganisationFactory(
        seat_municipality=lubicz, municipalities_served=[lubicz, municipality]
    )
    elsewhere = OrganisationFactory(seat_municipality=lubicz, municipalities_served=[lubicz])
    pending = OrganisationFactory(pending=True, seat_municipality=municipality)

    offers = {
        # counted for Toruń at the end of 2026
        "seated": _created(OfferFactory(organisation=seated), _at(date(2026, 3, 1))),
        # the offer serves only Lubicz, but its organisation is seated in Toruń: counted once
        "seated_serving_lubicz": _created(
            OfferFactory(organisation=seated, municipalities_served=[lubicz]),
            _at(date(2026, 4, 1)),
        ),
        "via_organisation": _created(OfferFactory(organisation=serving), _at(date(2026, 5, 1))),
        "own_list": _created(
            OfferFactory(organisation=elsewhere, municipalities_served=[municipality, lubicz]),
            _at(date(2026, 12, 31), 23, 30),
        ),
        # not counted
        "too_late": _created(OfferFactory(organisation=seated), _at(date(2027, 1, 1), 0, 30)),
        "archived": _created(
            OfferFactory(organisation=seated, status="archived"), _at(date(2026, 2, 1))
        ),
        "pending": _created(OfferFactory(organisation=pending), _at(date(2026, 2, 1))),
        "not_here": _created(OfferFactory(organisation=elsewhere), _at(date(2026, 2, 1))),
    }
    buyer = make_business_buyer()
    company = buyer.buyer_memberships.get().company

    def inquiry(offer_key, when):
        return _created(
            InquiryFactory(offer=offers[offer_key], buyer=buyer, buyer_company=company), when
        )

    # In 2026 for Toruń, four: two to the seated organisation (on 1 January just after
    # midnight in Warsaw, still 31 December in UTC, and on 31 December late in the evening), one
    # about its offer delivered only in Lubicz, and one to the organisation serving Toruń.
    inquiry("seated", _at(date(2026, 1, 1), 0, 15))
    inquiry("seated_serving_lubicz", _at(date(2026, 6, 1)))
    inquiry("via_organisation", _at(date(2026, 7, 1)))
    inquiry("seated", _at(date(2026, 12, 31), 23, 45))
    # Not in 2026 or not for Toruń.
    inquiry("seated", _at(date(2025, 12, 31), 23, 45))
    inquiry("too_late", _at(date(2027, 1, 1), 0, 10))
    inquiry("not_here", _at(date(2026, 6, 1)))
    # An offer with its own list naming Toruń, of an organisation neither seated in nor serving
    # Toruń: the inquiry goes to an organisation outside Toruń.
    inquiry("own_list", _at(date(2026, 12, 31), 23, 50))
    return {"torun": municipality, "lubicz": lubicz}


def test_active_offers_at_the_end_of_the_period(indicator_world):
    torun, lubicz = indicator_world["torun"], indicator_world["lubicz"]
    year = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    assert selectors.indicator_active_offers(municipality=torun, **year) == 4
    assert selectors.indicator_active_offers(municipality=torun.pk, **year) == 4
    assert (
        selectors.indicator_active_offers(
            municipality=torun, start=date(2026, 1, 1), end=date(2026, 3, 31)
        )
        == 1
    )
    # Lubicz: seated_serving_lubicz (own list), via_organisation (seated there, organisation
    # serves it), own_list, not_here (organisation serves Lubicz); not "seated" (Toruń only).
    assert selectors.indicator_active_offers(municipality=lubicz, **year) == 4


def test_inquiries_sent_in_the_period_in_warsaw_days(indicator_world):
    torun, lubicz = indicator_world["torun"], indicator_world["lubicz"]
    assert (
        selectors.indicator_inquiries_sent(
            municipality=torun, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        == 4
    )
    assert (
        selectors.indicator_inquiries_sent(
            municipality=torun, start=date(2026, 1, 1), end=date(2026, 1, 1)
        )
        == 1
    )
    assert (
        selectors.indicator_inquiries_sent(
            municipality=torun, start=date(2026, 12, 31), end=date(2027, 1, 1)
        )
        == 2
    )
    # Lubicz: via_organisation (seated), not_here, own_list — all seated in Lubicz.
    assert (
        selectors.indicator_inquiries_sent(
            municipality=lubicz, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        == 3
    )


def test_indicators_are_zero_for_an_empty_municipality(indicator_world):
    empty = MunicipalityFactory()
    assert (
        selectors.indicator_active_offers(
            municipality=empty, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        == 0
    )
    assert (
        selectors.indicator_inquiries_sent(
            municipality=empty, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        == 0
    )


def test_an_inquiry_status_does_not_change_the_count(indicator_world):
    Inquiry.objects.update(status=Inquiry.Status.CLOSED)
    assert (
        selectors.indicator_inquiries_sent(
            municipality=indicator_world["torun"], start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        == 4
    )
