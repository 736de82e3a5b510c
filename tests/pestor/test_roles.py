"""The roles of DESIGN.md: each comes from its membership row and carries its scope."""

import pytest
from django.contrib.auth.models import AnonymousUser

from pestor import roles
from pestor.models import LocalAdministratorMembership
from tests.factories import (
    AdminUserFactory,
    BusinessBuyerFactory,
    CompanyFactory,
    DepartmentFactory,
    MonitoringMemberFactory,
    OfficialFactory,
    UserFactory,
    activate_totp,
    make_business_buyer,
    make_local_administrator,
    make_monitoring_member,
    make_official,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("user", [None, AnonymousUser()], ids=["none", "anonymous_user"])
def test_anonymous_holds_no_role(user, municipality):
    assert roles.official_municipality_ids(user) == frozenset()
    assert roles.monitoring_municipality_ids(user) == frozenset()
    assert roles.buyer_company_ids(user) == frozenset()
    assert not roles.is_administrator(user)
    assert not roles.is_official(user)
    assert not roles.is_official(user, municipality)
    assert not roles.is_monitoring_member(user)
    assert not roles.is_business_buyer(user)


def test_signed_in_user_without_memberships_holds_no_role(municipality):
    user = UserFactory()

    assert not roles.is_official(user)
    assert not roles.is_monitoring_member(user)
    assert not roles.is_business_buyer(user)
    assert not roles.is_administrator(user)


def test_official_acts_for_the_municipality_of_their_department(municipality, other_municipality):
    official = make_official(municipality)

    assert roles.is_official(official)
    assert roles.is_official(official, municipality)
    assert roles.is_official(official, municipality.pk)
    assert not roles.is_official(official, other_municipality)
    assert roles.official_municipality_ids(official) == frozenset({municipality.pk})
    assert list(roles.official_municipalities(official)) == [municipality]


def test_official_in_two_departments_of_one_municipality_counts_it_once(municipality):
    official = make_official(municipality)
    OfficialFactory(user=official, department=DepartmentFactory(municipality=municipality))

    assert roles.official_municipality_ids(official) == frozenset({municipality.pk})
    assert list(roles.official_municipalities(official)) == [municipality]


def test_official_of_two_municipalities_acts_for_both(municipality, other_municipality):
    official = make_official(municipality)
    OfficialFactory(user=official, department=DepartmentFactory(municipality=other_municipality))

    assert roles.official_municipality_ids(official) == frozenset(
        {municipality.pk, other_municipality.pk}
    )


def test_monitoring_member_sits_on_their_municipalitys_team(municipality, other_municipality):
    member = make_monitoring_member(municipality)

    assert roles.is_monitoring_member(member)
    assert roles.is_monitoring_member(member, municipality)
    assert not roles.is_monitoring_member(member, other_municipality)
    assert not roles.is_official(member)


def test_business_buyer_acts_for_their_company():
    company = CompanyFactory()
    buyer = make_business_buyer(company)

    assert roles.is_business_buyer(buyer)
    assert roles.buyer_company_ids(buyer) == frozenset({company.pk})
    assert not roles.is_official(buyer)


def test_one_person_may_hold_several_roles(municipality):
    person = make_official(municipality)
    MonitoringMemberFactory(user=person, municipality=municipality)
    BusinessBuyerFactory(user=person)

    assert roles.is_official(person, municipality)
    assert roles.is_monitoring_member(person, municipality)
    assert roles.is_business_buyer(person)


def test_administrator_is_a_superuser_not_merely_staff():
    assert roles.is_administrator(AdminUserFactory())
    assert not roles.is_administrator(UserFactory(is_staff=True))


def test_deactivated_users_hold_no_role(municipality):
    official = make_official(municipality, is_active=False)
    admin = AdminUserFactory(is_active=False)

    assert not roles.is_official(official)
    assert not roles.is_administrator(admin)


def test_roles_are_asked_of_the_database_once_per_user_object(
    municipality, django_assert_num_queries
):
    official = make_official(municipality)

    with django_assert_num_queries(1):
        for _ in range(3):
            assert roles.is_official(official, municipality)
            assert roles.official_municipality_ids(official) == frozenset({municipality.pk})


def test_two_step_verification_is_required_of_staff_only(municipality):
    assert roles.mfa_required(AdminUserFactory(totp=False))
    assert roles.mfa_required(UserFactory(is_staff=True))
    assert roles.mfa_required(UserFactory(is_superuser=True))
    assert not roles.mfa_required(make_official(municipality))
    assert not roles.mfa_required(UserFactory())
    assert not roles.mfa_required(AnonymousUser())
    assert not roles.mfa_required(UserFactory(is_staff=True, is_active=False))


def test_two_step_verification_is_required_of_local_administrators(
    municipality, other_municipality
):
    local_admin = make_local_administrator(municipality, totp=False)
    assert roles.mfa_required(local_admin)
    assert roles.is_local_administrator(local_admin)
    assert not roles.is_local_administrator(local_admin, other_municipality)
    # Only while active: a deactivated account is asked for nothing.
    local_admin.is_active = False
    assert not roles.mfa_required(local_admin)


def test_the_holdings_query_compiled_once_answers_for_each_user(municipality, other_municipality):
    """The UNION is compiled once per database with a stand-in's id; each user's id takes its
    places. Two people holding every kind of thing get exactly what the ORM's query gives."""
    from directory.models import OrganisationMembership
    from tests.directory.factories import make_pes_member
    from tests.exchange.factories import InquiryFactory, OfferFactory

    people = []
    for seat in (municipality, other_municipality):
        person = make_official(seat)
        MonitoringMemberFactory(user=person, municipality=seat)
        BusinessBuyerFactory(user=person)
        LocalAdministratorMembership.objects.create(user=person, municipality=seat)
        activate_totp(person)
        organisation = OrganisationMembership.objects.get(user=make_pes_member()).organisation
        OrganisationMembership.objects.create(user=person, organisation=organisation, role="editor")
        offer = OfferFactory(organisation=organisation)
        InquiryFactory(offer=offer)  # unread by the organisation: a badge of 1
        people.append(person)
    roles._compiled_holdings.clear()
    answers = [sorted(roles._run_holdings_query(person.pk)) for person in people]
    assert len(roles._compiled_holdings) == 1
    for person, answer in zip(people, answers, strict=True):
        assert answer == sorted(roles._holdings_queryset(person))
        kinds = {kind for kind, _ref, _note in answer}
        assert set(roles._holding_kinds()) == kinds  # every part, the apps' included
    assert answers[0] != answers[1]
    assert roles.held_notes(people[1], roles.MONITORING) == {other_municipality.pk: ""}
