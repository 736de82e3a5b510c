"""Fixtures of the bank's tests: the city's bank (a department of Toruń, whose official is
``official``) lending a tent and a room; the shared verified organisation borrows."""

import pytest

from tests.equipment_bank.factories import OwnerFactory, ResourceFactory


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
