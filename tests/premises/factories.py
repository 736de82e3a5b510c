"""Factories of the premises policy: administering units and premises."""

from decimal import Decimal

import factory

from premises.models import AdministeringUnit, Floor, Premises
from tests.factories import DepartmentFactory


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministeringUnit

    department = factory.SubFactory(DepartmentFactory)
    municipality = factory.LazyAttribute(lambda o: o.department.municipality)
    name = factory.Sequence(lambda n: f"Dział Lokali Użytkowych {n}")
    contact_email = "lokale@example.org"


class PremisesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Premises

    unit = factory.SubFactory(UnitFactory)
    municipality = factory.LazyAttribute(lambda o: o.unit.municipality)
    address = factory.Sequence(lambda n: f"ul. Szeroka {n}, 87-100 Toruń")
    district = "Stare Miasto"
    latitude = Decimal("53.010300")
    longitude = Decimal("18.607800")
    floor = Floor.GROUND
    area_m2 = Decimal("50.00")
    rooms = 2
    step_free_entrance = True
    market_rent_m2 = Decimal("40.00")
