"""Offer and inquiry invariants: prices, search text, where an offer is delivered."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from exchange.models import Inquiry, Offer
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import InquiryFactory, OfferFactory
from tests.factories import CompanyFactory, DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("price_type", "price", "unit", "english", "polish"),
    [
        ("from", "25", "osoba", "from 25.00 PLN / osoba", "25,00"),
        ("fixed", "1250.5", "", "1,250.50 PLN", "1\xa0250,50"),
        ("fixed", "0", "szt.", "0.00 PLN / szt.", "0,00"),
        ("on_request", None, "osoba", "price on request", None),
    ],
)
def test_the_price_reads_as_a_buyer_expects(price_type, price, unit, english, polish):
    offer = Offer(
        price_type=price_type, price=Decimal(price) if price else None, unit=unit, title="x"
    )
    with translation.override("en"):
        assert offer.price_display == english
    if polish:
        with translation.override("pl"):
            assert polish in offer.price_display


def test_a_price_is_required_unless_on_request(organisation, catering):
    offer = Offer(
        organisation=organisation,
        title="Catering",
        description="Obiady",
        cpv=catering,
        price_type=Offer.PriceType.FIXED,
    )
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "price" in error.value.message_dict


def test_a_price_on_request_forgets_a_price_typed_before(organisation, catering):
    offer = Offer(
        organisation=organisation,
        title="Catering",
        description="Obiady",
        cpv=catering,
        price_type=Offer.PriceType.ON_REQUEST,
        price=Decimal("10"),
    )
    offer.full_clean()
    assert offer.price is None


def test_the_database_refuses_a_priced_offer_without_a_price(organisation, catering):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(organisation=organisation, price_type="fixed", price=None)


def test_search_text_folds_title_description_and_organisation_name(municipality):
    organisation = OrganisationFactory(
        name="Spółdzielnia Socjalna Łączka", short_name="Łączka", seat_municipality=municipality
    )
    offer = OfferFactory(
        organisation=organisation, title="Koszenie TRAWNIKÓW", description="Żywopłoty też."
    )
    assert (
        offer.search_text == "koszenie trawnikow zywoploty tez. spoldzielnia socjalna laczka laczka"
    )


def test_renaming_the_organisation_updates_its_offers_search_text(organisation):
    offer = OfferFactory(organisation=organisation)
    other = OfferFactory()
    organisation.name = "Fundacja Zielony Gród"
    organisation.save()
    offer.refresh_from_db()
    other_text = other.search_text
    other.refresh_from_db()
    assert "fundacja zielony grod" in offer.search_text
    assert other.search_text == other_text


def test_a_status_change_of_the_organisation_leaves_offers_alone(organisation):
    offer = OfferFactory(organisation=organisation)
    stamp = offer.updated_at
    organisation.status = "pending"
    organisation.save(update_fields=["status"])
    offer.refresh_from_db()
    assert offer.updated_at == stamp


def test_an_offer_with_its_own_municipalities_serves_only_those(municipality):
    lubicz, chelmza = MunicipalityFactory(), MunicipalityFactory()
    organisation = OrganisationFactory(
        seat_municipality=municipality, municipalities_served=[municipality, chelmza]
    )
    own_list = OfferFactory(organisation=organisation, municipalities_served=[lubicz])
    no_list = OfferFactory(organisation=organisation)
    assert set(Offer.objects.serving(lubicz)) == {own_list}
    assert set(Offer.objects.serving(chelmza)) == {no_list}
    assert set(Offer.objects.serving(municipality.pk)) == {no_list}


def test_public_offers_are_active_offers_of_verified_organisations(organisation):
    public = OfferFactory(organisation=organisation)
    OfferFactory(organisation=organisation, status=Offer.Status.ARCHIVED)
    OfferFactory(organisation=OrganisationFactory(pending=True))
    OfferFactory(organisation=OrganisationFactory(rejected=True))
    assert list(Offer.objects.public()) == [public]


def test_unread_compares_the_last_message_with_each_sides_reading(offer):
    now = timezone.now()
    inquiry = Inquiry(last_message_at=now, buyer_read_at=now, organisation_read_at=None)
    assert not inquiry.is_unread_by_buyer()
    assert inquiry.is_unread_by_organisation()
    inquiry.organisation_read_at = now - timedelta(seconds=1)
    assert inquiry.is_unread_by_organisation()
    inquiry.organisation_read_at = now
    assert not inquiry.is_unread_by_organisation()


def test_an_inquiry_is_for_a_department_or_a_company_never_both(offer):
    with pytest.raises(IntegrityError), transaction.atomic():
        InquiryFactory(
            offer=offer, buyer_department=DepartmentFactory(), buyer_company=CompanyFactory()
        )
