"""Every directory rule against every role, asked the way views and templates ask."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from pestor.permissions import has_permission, require
from tests.directory.factories import MembershipFactory, OrganisationFactory, make_pes_member
from tests.factories import (
    AdminUserFactory,
    UserFactory,
    make_business_buyer,
    make_monitoring_member,
    make_official,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "signed_in",
    "owner",
    "editor",
    "member_of_other_organisation",
    "official",
    "official_of_other_municipality",
    "monitoring_member",
    "business_buyer",
    "administrator",
)


def person(role, organisation, other_municipality):
    """A user holding ``role`` with respect to ``organisation`` (seated in its municipality)."""
    seat = organisation.seat_municipality
    match role:
        case "anonymous":
            return AnonymousUser()
        case "signed_in":
            return UserFactory()
        case "owner" | "editor":
            return make_pes_member(organisation, role=role)
        case "member_of_other_organisation":
            return make_pes_member(OrganisationFactory(seat_municipality=seat), role="owner")
        case "official":
            return make_official(seat)
        case "official_of_other_municipality":
            return make_official(other_municipality)
        case "monitoring_member":
            return make_monitoring_member(seat)
        case "business_buyer":
            return make_business_buyer()
        case "administrator":
            return AdminUserFactory()
    raise AssertionError(role)


def expectations(*allowed):
    assert set(allowed) <= set(ROLES)
    return [pytest.param(role, role in allowed, id=role) for role in ROLES]


@pytest.fixture
def verified(municipality):
    return OrganisationFactory(seat_municipality=municipality)


@pytest.fixture
def pending(municipality):
    return OrganisationFactory(pending=True, seat_municipality=municipality)


@pytest.fixture
def rejected(municipality):
    return OrganisationFactory(rejected=True, seat_municipality=municipality)


@pytest.mark.parametrize(
    ("role", "allowed"),
    expectations(
        "signed_in",
        "owner",
        "editor",
        "member_of_other_organisation",
        "official",
        "official_of_other_municipality",
        "monitoring_member",
        "business_buyer",
        "administrator",
    ),
)
def test_who_may_register_an_organisation(role, allowed, verified, other_municipality):
    user = person(role, verified, other_municipality)

    assert has_permission("directory.register_organisation", user) is allowed


def test_nobody_signed_out_may_register_an_organisation():
    assert has_permission("directory.register_organisation", None) is False


@pytest.mark.parametrize(("role", "allowed"), expectations("owner", "editor", "administrator"))
@pytest.mark.parametrize("state", ["verified", "pending", "rejected"])
def test_who_may_edit_an_organisation(request, role, allowed, state, other_municipality):
    organisation = request.getfixturevalue(state)
    user = person(role, organisation, other_municipality)

    assert has_permission("directory.edit_organisation", user, organisation) is allowed


@pytest.mark.parametrize(("role", "allowed"), expectations("owner", "administrator"))
def test_who_may_manage_members(role, allowed, verified, other_municipality):
    user = person(role, verified, other_municipality)

    assert has_permission("directory.manage_members", user, verified) is allowed


@pytest.mark.parametrize(("role", "allowed"), expectations("official", "administrator"))
def test_who_may_verify_a_pending_organisation(role, allowed, pending, other_municipality):
    user = person(role, pending, other_municipality)

    assert has_permission("directory.verify_organisation", user, pending) is allowed


@pytest.mark.parametrize(("role", "allowed"), expectations())
@pytest.mark.parametrize("state", ["verified", "rejected"])
def test_nobody_may_verify_a_decided_organisation(
    request, role, allowed, state, other_municipality
):
    organisation = request.getfixturevalue(state)
    user = person(role, organisation, other_municipality)

    assert has_permission("directory.verify_organisation", user, organisation) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"), expectations("owner", "editor", "official", "administrator")
)
def test_who_may_view_the_history_of_an_organisation(role, allowed, pending, other_municipality):
    user = person(role, pending, other_municipality)

    assert has_permission("directory.view_history", user, pending) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    expectations("official", "official_of_other_municipality", "administrator"),
)
def test_who_may_view_the_verification_queue(role, allowed, verified, other_municipality):
    user = person(role, verified, other_municipality)

    assert has_permission("directory.view_verification_queue", user) is allowed


def test_official_of_other_municipality_cannot_verify(pending, other_official):
    with pytest.raises(PermissionDenied):
        require("directory.verify_organisation", other_official, pending)


def test_official_who_is_also_a_member_elsewhere_verifies_only_in_own_municipality(
    pending, other_municipality
):
    official = make_official(other_municipality)
    make_pes_member(pending, role="editor", email="podwojna.rola@example.org")

    assert has_permission("directory.verify_organisation", official, pending) is False


def test_deactivated_owner_may_no_longer_edit(verified):
    owner = make_pes_member(verified, role="owner", is_active=False)

    assert has_permission("directory.edit_organisation", owner, verified) is False
    assert has_permission("directory.register_organisation", owner) is False


def test_deactivated_official_may_no_longer_verify(pending):
    official = make_official(pending.seat_municipality, is_active=False)

    assert has_permission("directory.verify_organisation", official, pending) is False
    assert has_permission("directory.view_verification_queue", official) is False


def test_staff_without_superuser_rights_is_not_an_administrator(verified):
    staff = UserFactory(is_staff=True)

    assert has_permission("directory.edit_organisation", staff, verified) is False


def test_unknown_rule_is_an_error():
    with pytest.raises(LookupError):
        has_permission("directory.no_such_rule", None)


def test_an_official_cannot_verify_an_organisation_they_belong_to(municipality, official):
    """A conflict of interest: the official's own organisation goes to a colleague."""
    own = OrganisationFactory(pending=True, seat_municipality=municipality)
    MembershipFactory(organisation=own, user=official, role="owner")
    assert not has_permission("directory.verify_organisation", official, own)
