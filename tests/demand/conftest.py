"""Fixtures of the demand register's tests: a department's notices in each state, answers of
the shared organisation and of another PES, and the roles of tests/directory/test_views.py."""

import pytest

from tests.demand.factories import AnswerFactory, ClauseCheckFactory, NoticeFactory
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import cpv_code


@pytest.fixture
def other_organisation(other_municipality):
    """A foundation that qualifies for reserved notices by its staff (4 of 10 at risk)."""
    return OrganisationFactory(
        name="Fundacja Inny Świat",
        seat_municipality=other_municipality,
        employees=10,
        employees_at_risk=4,
    )


@pytest.fixture
def other_pes_member(other_organisation):
    return make_pes_member(other_organisation, email="inna-pes@example.org")


@pytest.fixture
def catering(db):
    return cpv_code("55520000")


@pytest.fixture
def department(official):
    """The department of the ``official`` fixture (in ``municipality``)."""
    return official.official_memberships.get().department


@pytest.fixture
def draft(department, catering):
    return NoticeFactory(department=department, title="Obiad dla seniorów", cpv_codes=[catering])


@pytest.fixture
def notice(department, catering):
    """A published notice of the official's department, reserved for PES (art. 94)."""
    published = NoticeFactory(
        department=department,
        published=True,
        title="Catering na Forum Ekonomii Społecznej",
        cpv_codes=[catering],
    )
    ClauseCheckFactory(notice=published)
    return published


@pytest.fixture
def answer(notice, organisation, pes_owner):
    return AnswerFactory(notice=notice, organisation=organisation, submitted_by=pes_owner)


@pytest.fixture
def other_answer(notice, other_organisation, other_pes_member):
    return AnswerFactory(
        notice=notice,
        organisation=other_organisation,
        submitted_by=other_pes_member,
        price_net="4100.00",
        message="Oferta Fundacji Inny Świat",
    )
