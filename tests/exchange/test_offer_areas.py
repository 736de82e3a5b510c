"""The municipalities of the public offers (``OfferArea``, issue 8): the table always holds what
the rule of ``Offer.objects.serving`` says of the public offers, whatever changes the offer,
its own list, its organisation's status or its organisation's area; the catalogue's
municipality filter pages through it and shows what the rule finds, in the same order."""

import importlib
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organisation
from directory.services import organisations as organisation_services
from directory.services import standing
from exchange import selectors, services
from exchange.models import Offer, OfferArea, insert_offer_areas
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import (
    InquiryFactory,
    OfferFactory,
    cpv_code,
    offer_area_rows,
    offer_areas_by_rule,
)
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def expected_rows() -> set:
    return offer_areas_by_rule()


def table_rows() -> set:
    return set(offer_area_rows())


def assert_exact():
    rows = table_rows()
    assert rows == expected_rows()
    assert len(rows) == OfferArea.objects.count()  # no row twice


@pytest.fixture
def lubicz(db):
    return MunicipalityFactory(name="Lubicz", slug="lubicz")


@pytest.fixture
def mixed_world(municipality, lubicz, official):
    """Every way an offer is delivered in Toruń or not, public or not (as in test_scale's
    serving_world), with two more municipalities and a kept deleted offer."""
    chelmza = MunicipalityFactory(name="Chełmża", slug="chelmza-x")
    serves_torun = OrganisationFactory(
        seat_municipality=municipality, municipalities_served=[municipality, lubicz, chelmza]
    )
    serves_lubicz = OrganisationFactory(seat_municipality=lubicz, municipalities_served=[lubicz])
    pending = OrganisationFactory(
        pending=True, seat_municipality=municipality, municipalities_served=[municipality]
    )
    OfferFactory(organisation=serves_lubicz, title="own list", municipalities_served=[municipality])
    OfferFactory(organisation=serves_torun, title="via organisation")
    OfferFactory(
        organisation=serves_torun, title="both", municipalities_served=[municipality, lubicz]
    )
    OfferFactory(
        organisation=serves_torun, title="own list elsewhere", municipalities_served=[lubicz]
    )
    OfferFactory(organisation=serves_lubicz, title="organisation elsewhere")
    OfferFactory(organisation=serves_torun, title="archived", status="archived")
    OfferFactory(organisation=pending, title="pending organisation")
    OfferFactory(
        organisation=serves_torun, title="deleted", status="deleted", municipalities_served=[lubicz]
    )
    return {"serves_torun": serves_torun, "serves_lubicz": serves_lubicz, "pending": pending}


def offers_in(municipality) -> list[str]:
    return sorted(
        OfferArea.objects.filter(municipality=municipality).values_list("offer__title", flat=True)
    )


def test_the_table_holds_the_public_offers_each_municipality_is_served_by(
    mixed_world, municipality, lubicz
):
    assert offers_in(municipality) == ["both", "own list", "via organisation"]
    assert offers_in(lubicz) == [
        "both",
        "organisation elsewhere",
        "own list elsewhere",
        "via organisation",
    ]
    assert_exact()


def test_the_migrations_fill_and_the_generators_insert_give_the_same_rows(mixed_world):
    kept = table_rows()
    assert kept
    OfferArea.objects.all().delete()
    migration = importlib.import_module("exchange.migrations.0012_offer_areas")
    migration.fill(apps, None)
    assert table_rows() == kept
    OfferArea.objects.all().delete()
    first = Offer.objects.order_by("pk").values_list("pk", flat=True)[3]
    insert_offer_areas(Offer.objects.filter(pk__lt=first))
    insert_offer_areas(Offer.objects.filter(pk__gte=first))
    assert table_rows() == kept


def test_every_change_of_an_offer_keeps_the_table_exact(
    mixed_world, municipality, lubicz, pes_owner, organisation, business_buyer, buyer_company
):
    fields = {
        "title": "Catering",
        "description": "Obiady.",
        "cpv": cpv_code("55520000"),
        "price_type": "fixed",
        "price": Decimal(20),
    }
    # Listed with a list of its own, and without one (the organisation's area, else its seat).
    listed = services.offer_create(
        organisation=organisation, actor=pes_owner, municipalities_served=[lubicz], **fields
    )
    assert offers_in(lubicz).count("Catering") == 1
    assert_exact()
    services.offer_create(organisation=organisation, actor=pes_owner, **fields)
    assert offers_in(municipality).count("Catering") == 1
    assert_exact()
    # Edited: its list, its title (not its rows), its list again.
    services.offer_update(offer=listed, actor=pes_owner, municipalities_served=[municipality])
    assert_exact()
    services.offer_update(offer=listed, actor=pes_owner, title="Catering weselny")
    assert_exact()
    # Archived (leaves), reactivated (comes back), deleted outright and deleted but kept.
    services.offer_archive(offer=listed, actor=pes_owner)
    assert "Catering weselny" not in offers_in(municipality)
    assert_exact()
    services.offer_reactivate(offer=listed, actor=pes_owner)
    assert "Catering weselny" in offers_in(municipality)
    assert_exact()
    InquiryFactory(offer=listed, buyer=business_buyer, buyer_company=buyer_company)
    assert services.offer_delete(offer=listed, actor=pes_owner)
    assert "Catering weselny" not in offers_in(municipality)
    assert_exact()
    gone = Offer.objects.get(title="via organisation")
    services.offer_delete(offer=gone, actor=pes_owner)
    assert not OfferArea.objects.filter(offer_id=gone.pk).exists()
    assert_exact()


def test_changes_of_an_offers_own_list_from_either_side_keep_the_table_exact(
    mixed_world, municipality, lubicz
):
    offer = Offer.objects.get(title="both")
    offer.municipalities_served.remove(municipality)
    assert_exact()
    offer.municipalities_served.clear()  # now the organisation's area
    assert "both" in offers_in(municipality)
    assert_exact()
    municipality.offers.add(offer)
    assert_exact()
    lubicz.offers.remove(Offer.objects.get(title="own list elsewhere"))  # its list is empty
    assert "own list elsewhere" in offers_in(municipality)
    assert_exact()
    lubicz.offers.add(Offer.objects.get(title="own list elsewhere"))
    municipality.offers.clear()
    assert_exact()
    Offer.objects.get(title="archived").municipalities_served.set([lubicz])
    assert_exact()


def test_an_organisations_status_keeps_the_table_exact(mixed_world, municipality, official):
    serves_torun = mixed_world["serves_torun"]
    standing.organisation_suspend(organisation=serves_torun, official=official, reason="Kontrola.")
    assert offers_in(municipality) == ["own list"]
    assert_exact()
    standing.organisation_restore(
        organisation=Organisation.objects.get(pk=serves_torun.pk), official=official
    )
    assert offers_in(municipality) == ["both", "own list", "via organisation"]
    assert_exact()
    # An organisation verified: its offers listed while it waited become public.
    organisation_services.organisation_verify(
        organisation=mixed_world["pending"], official=official
    )
    assert "pending organisation" in offers_in(municipality)
    assert_exact()


def test_an_organisations_area_keeps_the_table_exact(
    mixed_world, municipality, lubicz, pes_owner, organisation
):
    serves_lubicz = mixed_world["serves_lubicz"]
    serves_lubicz.municipalities_served.add(municipality)
    assert "organisation elsewhere" in offers_in(municipality)
    assert "own list elsewhere" not in offers_in(municipality)  # its own list decides
    assert_exact()
    # Through the directory's service, as the organisation's form changes it.
    OfferFactory(organisation=organisation, title="of the organisation")
    assert "of the organisation" in offers_in(municipality)
    organisation_services.organisation_update(
        organisation=organisation, actor=pes_owner, municipalities_served=[lubicz]
    )
    assert "of the organisation" not in offers_in(municipality)
    assert "of the organisation" in offers_in(lubicz)
    assert_exact()
    # From the municipality's side: added, removed, cleared.
    municipality.served_by_organisations.add(organisation)
    assert_exact()
    lubicz.served_by_organisations.remove(mixed_world["serves_torun"])
    assert "via organisation" not in offers_in(lubicz)
    assert_exact()
    municipality.served_by_organisations.clear()
    assert offers_in(municipality) == ["both", "own list"]
    assert_exact()
    serves_lubicz.municipalities_served.clear()
    assert "organisation elsewhere" not in offers_in(lubicz)
    assert_exact()


# --- the catalogue's municipality filter -------------------------------------------------------


@pytest.fixture
def thirty_in_torun(municipality, lubicz):
    """Thirty-five offers delivered in Toruń (half by their own list, half by their
    organisation's area), dated apart and some at the same moment, and others elsewhere."""
    area = OrganisationFactory(municipalities_served=[municipality, lubicz])
    elsewhere = OrganisationFactory(municipalities_served=[lubicz])
    for number in range(35):
        offer = OfferFactory(
            organisation=area if number % 2 else elsewhere,
            title=f"Oferta {number:02}",
            kind="product" if number % 3 else "service",
            municipalities_served=[] if number % 2 else [municipality],
        )
        when = datetime(2026, 1, 1 + number % 20, 12, tzinfo=WARSAW)
        Offer.objects.filter(pk=offer.pk).update(created_at=when)
        services_refresh(offer)
    OfferFactory(organisation=elsewhere, title="W Lubiczu", municipalities_served=[lubicz])


def services_refresh(offer):
    """A date changed by ``QuerySet.update()`` reaches the table as the demo does it."""
    from exchange.models import refresh_offer_areas

    refresh_offer_areas(Offer.objects.filter(pk=offer.pk))


def old_order(municipality, **filters) -> list[str]:
    return list(
        Offer.objects.public()
        .serving(municipality)
        .filter(**filters)
        .order_by("-created_at", "-pk")
        .values_list("title", flat=True)
    )


@pytest.mark.parametrize("page", ["1", "2", "last"])
def test_the_filter_alone_pages_through_the_table_in_the_catalogues_order(
    client, thirty_in_torun, municipality, page
):
    expected = old_order(municipality)
    assert len(expected) == 35
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            reverse("exchange:offer-list"), {"municipality": "torun", "page": page}
        )
    assert response.status_code == 200
    start = {"1": 0, "2": 20, "last": 20}[page]
    assert [offer.title for offer in response.context["offers"]] == expected[start : start + 20]
    assert response.context["paginator"].count == 35
    reads = [q["sql"] for q in captured if not q["sql"].startswith("EXPLAIN")]
    # The municipality by its slug, the count and the page's keys (from the table alone), the
    # cards, their photos.
    assert len(reads) == 5, reads
    table = OfferArea._meta.db_table
    count, keys = reads[1], reads[2]
    for query in (count, keys):
        assert table in query and '"exchange_offer"' not in query, query


def test_the_filter_with_others_finds_what_the_rule_finds(client, thirty_in_torun, municipality):
    response = client.get(
        reverse("exchange:offer-list"), {"municipality": "torun", "kind": "product"}
    )
    assert [offer.title for offer in response.context["offers"]] == old_order(
        municipality, kind="product"
    )[:20]
    assert response.context["paginator"].count == len(old_order(municipality, kind="product"))
    by_title = client.get(
        reverse("exchange:offer-list"), {"municipality": "torun", "sort": "title"}
    )
    assert [offer.title for offer in by_title.context["offers"]] == sorted(old_order(municipality))[
        :20
    ]
    # A price bound of 0 is a filter (it leaves out "price on request"), not an empty field.
    filterset = selectors.offer_list(filters={"municipality": "torun", "price_min": "0"})
    assert selectors.offer_page_keys(filterset) is None
    alone = selectors.offer_list(filters={"municipality": "torun", "sort": "newest"})
    assert selectors.offer_page_keys(alone) is not None
    assert selectors.offer_page_keys(selectors.offer_list(filters={})) is None
    invalid = selectors.offer_list(filters={"municipality": "nowhere"})
    assert selectors.offer_page_keys(invalid) is None
