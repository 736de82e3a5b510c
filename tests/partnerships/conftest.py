"""A cluster coordinated by the ``organisation`` fixture (so by ``pes_owner`` and
``pes_editor``), working in the municipality, with the four seeded themes."""

import pytest

from partnerships import services
from partnerships.models import Theme


@pytest.fixture
def themes(db):
    return list(Theme.objects.order_by("position"))


@pytest.fixture
def cluster(organisation, municipality, themes):
    return services.partnership_create(
        actor=None,
        name="Klaster Ekonomii Społecznej Subregionu",
        kind="cluster",
        territory=[municipality],
        themes=themes,
        description="Wspólna sprzedaż usług PES.",
        results="Trzy wspólne zamówienia w 2025 r.",
        coordinator_organisation=organisation,
    )


@pytest.fixture
def lender(db):
    from partnerships.models import Lender
    from tests.factories import next_nip

    return Lender.objects.create(
        name="Fundusz Pożyczkowy Mazowsze",
        slug="fundusz-mazowsze",
        kind="loan_fund",
        nip=next_nip(),
    )


@pytest.fixture
def lender_staff(lender):
    from partnerships.models import LenderStaff
    from tests.factories import UserFactory

    user = UserFactory(email="doradca@fundusz.example.org")
    LenderStaff.objects.create(lender=lender, user=user)
    return user


@pytest.fixture
def bridging_loan(lender):
    from decimal import Decimal

    from partnerships.models import Product

    return Product.objects.create(
        lender=lender,
        name="Pożyczka pomostowa na dotację",
        kind="bridging_loan",
        amount_min=Decimal("5000"),
        amount_max=Decimal("100000"),
        term_months=24,
        interest_rate=Decimal("2.50"),
        purposes="Prefinansowanie dotacji i projektów UE.",
        how_to_apply="Wyślij wniosek przez portal.",
    )
