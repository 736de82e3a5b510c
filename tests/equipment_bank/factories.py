"""Factories of the equipment bank: owners, resources with units, bookings."""

from datetime import time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from equipment_bank.availability import local
from equipment_bank.models import (
    Booking,
    BookingItem,
    Category,
    DamageCase,
    Kit,
    KitItem,
    Owner,
    Resource,
    ResourcePhoto,
    ResourceUnit,
)
from tests.factories import DepartmentFactory, UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kategoria {n}")
    slug = factory.Sequence(lambda n: f"kategoria-{n}")


class OwnerFactory(factory.django.DjangoModelFactory):
    """A department of the city lending its equipment (``organisation=`` for a PES owner,
    with ``department=None``)."""

    class Meta:
        model = Owner

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Bank sprzętu {n}")
    pickup_address = "ul. Szeroka 1, 87-100 Toruń"
    pickup_latitude = Decimal("53.010000")
    pickup_longitude = Decimal("18.604000")
    municipality = factory.LazyAttribute(
        lambda o: o.department.municipality if o.department else o.organisation.seat_municipality
    )


class ResourceFactory(factory.django.DjangoModelFactory):
    """Equipment lent by the day, approved by hand, with ``units`` units (2 by default)."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    owner = factory.SubFactory(OwnerFactory)
    category = factory.SubFactory(CategoryFactory)
    kind = Resource.Kind.EQUIPMENT
    name = factory.Sequence(lambda n: f"Namiot 3 x 6 m nr {n}")
    description = "Namiot na festyny."
    period_unit = Resource.PeriodUnit.DAY
    min_period = 1
    max_period = 7
    horizon_days = 90
    max_active_per_organisation = 2
    fee = Decimal("10.00")
    deposit = Decimal("100.00")
    reference_value = Decimal("150.00")
    checklist = "Stelaż\nPoszycie\nŚledzie"

    class Params:
        room = factory.Trait(
            kind=Resource.Kind.ROOM,
            name=factory.Sequence(lambda n: f"Sala spotkań {n}"),
            period_unit=Resource.PeriodUnit.HOUR,
            min_period=1,
            max_period=8,
            capacity=20,
            area_m2=Decimal("45.0"),
            opens_at=time(8),
            closes_at=time(20),
            open_weekdays="1234567",
            fee=Decimal("0"),
            reference_value=Decimal("60.00"),
            checklist="Krzesła\nRzutnik",
        )

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if not create:
            return
        count = 1 if self.kind == Resource.Kind.ROOM else (2 if extracted is None else extracted)
        for number in range(count):
            ResourceUnit.objects.create(resource=self, inventory_number=f"INV-{self.pk}-{number}")


class ResourcePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourcePhoto

    resource = factory.SubFactory(ResourceFactory)
    image = factory.django.ImageField(filename="zdjecie.png", width=8, height=8)
    alt_text = "Rozłożony namiot"


class KitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kit

    owner = factory.SubFactory(OwnerFactory)
    name = factory.Sequence(lambda n: f"Zestaw eventowy {n}")


def kit_with(owner, *parts):
    kit = KitFactory(owner=owner)
    for resource, quantity in parts:
        KitItem.objects.create(kit=kit, resource=resource, quantity=quantity)
    return kit


def days_ahead(days: int):
    return timezone.localdate() + timedelta(days=days)


def day_period(first_day, last_day=None):
    last_day = last_day or first_day
    return local(first_day), local(last_day + timedelta(days=1))


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written directly (as the demo does), holding the first free unit."""

    class Meta:
        model = Booking
        skip_postgeneration_save = True

    resource = factory.SubFactory(ResourceFactory)
    owner = factory.LazyAttribute(lambda o: o.resource.owner)
    requested_by = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: local(days_ahead(10)))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=1))
    status = Booking.Status.REQUESTED
    purpose = "Festyn sąsiedzki"
    accepted_rules = True
    reference_value = Decimal("150.00")
    fee = Decimal("10.00")
    expires_at = factory.LazyFunction(lambda: timezone.now() + Booking.DECISION_TIME)

    @factory.post_generation
    def unit(self, create, extracted, **kwargs):
        if not create:
            return
        unit = extracted or self.resource.units.order_by("pk").first()
        BookingItem.objects.create(
            booking=self,
            unit=unit,
            resource=self.resource,
            blocked_from=self.starts_at - self.resource.buffer_before,
            blocked_until=self.ends_at + self.resource.buffer_after,
            holds_slot=self.status in Booking.HOLDING,
            tentative=self.status == Booking.Status.REQUESTED,
        )


class DamageCaseFactory(factory.django.DjangoModelFactory):
    """An open damage case of ``unit`` attributed to ``booking``'s borrower (give
    ``organisation`` and ``person`` without a booking)."""

    class Meta:
        model = DamageCase

    booking = None
    organisation = factory.LazyAttribute(lambda o: o.booking.organisation if o.booking else None)
    person = factory.LazyAttribute(lambda o: o.booking.requested_by if o.booking else None)
    description = "Rozdarte poszycie"
