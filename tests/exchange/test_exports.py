"""The offer catalogue as CSV and XLSX, and its count in Polish."""

from decimal import Decimal

import pytest
from django.urls import reverse

from exchange.models import Offer
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import OfferFactory
from tests.export_files import column, csv_rows, xlsx_rows
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
def test_everyone_downloads_the_offers(role, fmt, as_role, client, organisation):
    OfferFactory(organisation=organisation)
    as_role(role)
    assert outcome(client.get(reverse("exchange:offer-export", args=[fmt]))) == 200


def test_the_offers_file_follows_the_filters_with_prices_as_numbers(client, organisation):
    OfferFactory(organisation=organisation, title="Catering", price=Decimal("1234.50"))
    OfferFactory(organisation=organisation, title="Sprzątanie", price=Decimal("99.00"))
    OfferFactory(organisation=organisation, title="Wycofana", status=Offer.Status.ARCHIVED)
    url = reverse("exchange:offer-export", args=["csv"])

    rows = csv_rows(client.get(url, {"price_min": "100"}))
    assert column(rows, "Oferta") == ["Catering"]
    assert column(rows, "Cena netto (zł)") == ["1234,50"]

    sheet = xlsx_rows(client.get(reverse("exchange:offer-export", args=["xlsx"])))
    prices = dict(zip(column(sheet, "Oferta"), column(sheet, "Cena netto (zł)"), strict=True))
    assert prices == {"Catering": 1234.5, "Sprzątanie": 99}
    assert all(isinstance(price, int | float) for price in prices.values())  # numbers, not text


def test_the_catalogue_links_to_its_files_with_its_filters(client, organisation):
    OfferFactory(organisation=organisation)
    content = client.get(reverse("exchange:offer-list"), {"q": "usługa"}).content.decode()
    assert reverse("exchange:offer-export", args=["csv"]) + "?q=" in content


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "1 ofertę"),
        (2, "2 oferty"),
        (5, "5 ofert"),
        (22, "22 oferty"),
        (25, "25 ofert"),
        (112, "112 ofert"),
    ],
)
def test_the_catalogue_counts_offers_in_polish(count, words, client):
    OfferFactory.create_batch(count, organisation=OrganisationFactory())
    content = client.get(reverse("exchange:offer-list")).content.decode()
    assert f"Znaleziono {words}" in content
