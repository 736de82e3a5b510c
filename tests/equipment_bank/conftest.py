"""Fixtures of the bank's tests: the city's bank (a department of Toruń, whose official is
``official``) lending a tent and a room; the shared verified organisation borrows."""

import pytest

from tests.equipment_bank.factories import OwnerFactory, ResourceFactory, day_period, days_ahead


@pytest.fixture
def official_department(official):
    return official.official_memberships.get().department


@pytest.fixture
def city_bank(official_department):
    return OwnerFactory(department=official_department, name="Bank sprzętu miasta Toruń")


@pytest.fixture
def tent(city_bank):
    """Equipment with two units, approved by hand."""
    return ResourceFactory(owner=city_bank, name="Namiot 3 x 6 m")


@pytest.fixture
def room(city_bank):
    return ResourceFactory(owner=city_bank, room=True, name="Sala spotkań inkubatora")


@pytest.fixture
def borrower(organisation, pes_owner):
    from equipment_bank.services import Borrower

    return Borrower(organisation=organisation)


@pytest.fixture
def book():
    """``book(resource, user, borrower, first=10, last=None)``: a request through the booking
    service for whole days ``first`` to ``last`` days ahead (or for ``start=`` and ``end=``),
    for a "Festyn" with the owner's rules accepted unless the test says otherwise."""
    from equipment_bank import services

    def request(resource, user, borrower, *, first=10, last=None, start=None, end=None, **extra):
        if start is None:
            start, end = day_period(days_ahead(first), days_ahead(last or first))
        extra.setdefault("purpose", "Festyn")
        extra.setdefault("accepted_rules", True)
        return services.booking_request(
            user=user, resource=resource, borrower=borrower, start=start, end=end, **extra
        )

    return request


@pytest.fixture
def tent_manual(tent, official):
    """The tent's manual, a PDF attached by the city's official."""
    from django.core.files.base import ContentFile

    from equipment_bank import services

    return services.resource_attachment_add(
        resource=tent,
        actor=official,
        file=ContentFile(b"%PDF-1.7 instrukcja", name="instrukcja.pdf"),
        title="Instrukcja rozkładania",
        kind="manual",
    )
