"""Factories of the premises policy: administering units and premises."""

from datetime import timedelta
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


def make_call(premises, actor, *, publish=True, **fields):
    """A call for ``premises`` (a list) drafted by the official ``actor`` through the service,
    open from a day ago for a week unless told otherwise, and published unless ``publish`` is
    False."""
    from django.utils import timezone

    from premises import services

    now = timezone.now()
    data = {
        "title": "Nabór: sklep społeczny z kawiarnią",
        "purpose": "Sklep społeczny z kawiarnią",
        "documents_required": "Statut",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=7),
        **fields,
    }
    call = services.call_create(
        municipality=premises[0].municipality, actor=actor, premises=premises, **data
    )
    return services.call_publish(call=call, actor=actor) if publish else call


def make_alert(organisation, actor, municipality, **fields):
    """A vacancy alert of ``organisation`` saved by its member ``actor``; it matches anything
    in ``municipality`` unless ``fields`` narrow it."""
    from premises import services

    data = {
        "district": "",
        "min_area": None,
        "max_area": None,
        "floor": "",
        "step_free_only": False,
        "purpose": "",
        **fields,
    }
    return services.alert_save(
        organisation=organisation, actor=actor, municipality=municipality, **data
    )
