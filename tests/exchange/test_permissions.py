"""The exchange's rules against every role: who manages offers, who asks, who reads inquiries."""

import pytest

from directory.models import Organisation
from exchange.models import Inquiry, Offer
from pestor.permissions import has_permission
from tests.directory.factories import MembershipFactory, OrganisationFactory, make_pes_member
from tests.exchange.factories import InquiryFactory, OfferFactory
from tests.factories import make_business_buyer, make_official
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

MANAGERS = {"pes_owner", "pes_editor", "admin_user"}
BUYERS = {"official", "other_official", "business_buyer"}
PARTIES = {"pes_owner", "pes_editor", "business_buyer"}


def _fresh(user):
    # Rules memoise the user's memberships on the object: a new object sees the database.
    return None if user is None else type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_members_and_administrators_manage_a_verified_organisations_offers(
    role, user_of, organisation, pes_owner, pes_editor
):
    assert has_permission("exchange.manage_offers", user_of(role), organisation) == (
        role in MANAGERS
    )


@pytest.mark.parametrize("role", ROLES)
def test_offers_of_an_organisation_awaiting_verification_are_managed_by_its_members(
    role, user_of, municipality, pes_owner
):
    pending = OrganisationFactory(pending=True, seat_municipality=municipality)
    member = make_pes_member(pending, role="editor")
    user = user_of(role)
    assert has_permission("exchange.manage_offers", user, pending) == (role == "admin_user")
    assert has_permission("exchange.manage_offers", member, pending)


def test_a_returned_registration_lists_no_offers_until_corrected(municipality):
    rejected = OrganisationFactory(rejected=True, seat_municipality=municipality)
    owner = make_pes_member(rejected)
    offer = OfferFactory(organisation=rejected)
    assert not has_permission("exchange.manage_offers", owner, rejected)
    assert not has_permission("exchange.edit_offer", owner, offer)
    rejected.status = Organisation.Status.PENDING
    assert has_permission("exchange.manage_offers", owner, rejected)


@pytest.mark.parametrize("role", ROLES)
def test_archive_and_reactivate_follow_the_status(role, user_of, offer):
    user = user_of(role)
    assert has_permission("exchange.edit_offer", user, offer) == (role in MANAGERS)
    assert has_permission("exchange.archive_offer", user, offer) == (role in MANAGERS)
    assert not has_permission("exchange.reactivate_offer", user, offer)
    offer.status = Offer.Status.ARCHIVED
    assert not has_permission("exchange.archive_offer", user, offer)
    assert has_permission("exchange.reactivate_offer", user, offer) == (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_officials_and_business_buyers_ask_about_a_public_offer(
    role, user_of, offer, monitoring_member
):
    assert has_permission("exchange.send_inquiry", user_of(role), offer) == (role in BUYERS)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_asks_about_an_archived_offer(role, user_of, offer):
    offer.status = Offer.Status.ARCHIVED
    assert not has_permission("exchange.send_inquiry", user_of(role), offer)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_asks_about_an_offer_of_an_unverified_organisation(role, user_of, municipality):
    offer = OfferFactory(organisation=OrganisationFactory(pending=True))
    assert not has_permission("exchange.send_inquiry", user_of(role), offer)


def test_a_pes_member_who_is_also_a_buyer_cannot_ask_their_own_organisation(
    offer, organisation, municipality
):
    official = make_official(municipality)
    buyer = make_business_buyer()
    assert has_permission("exchange.send_inquiry", official, offer)
    assert has_permission("exchange.send_inquiry", buyer, offer)
    MembershipFactory(organisation=organisation, user=official, role="editor")
    MembershipFactory(organisation=organisation, user=buyer, role="owner")
    assert not has_permission("exchange.send_inquiry", _fresh(official), offer)
    assert not has_permission("exchange.send_inquiry", _fresh(buyer), offer)


def test_an_inactive_buyer_asks_nothing(offer, business_buyer):
    business_buyer.is_active = False
    assert not has_permission("exchange.send_inquiry", business_buyer, offer)


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_has_an_inbox(role, user_of):
    assert has_permission("exchange.view_inbox", user_of(role)) == (role != "resident")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_sides_read_an_inquiry(role, user_of, inquiry, official, admin_user):
    """Not the seat municipality's official, not another PES, not even an administrator (the
    Django admin is where an operator looks, to resolve a complaint)."""
    user = user_of(role)
    allowed = role in PARTIES
    assert has_permission("exchange.view_inquiry", user, inquiry) == allowed
    assert has_permission("exchange.reply_inquiry", user, inquiry) == allowed
    assert has_permission("exchange.close_inquiry", user, inquiry) == allowed


@pytest.mark.parametrize("role", ROLES)
def test_a_closed_conversation_is_read_but_not_answered(role, user_of, inquiry):
    inquiry.status = Inquiry.Status.CLOSED
    user = user_of(role)
    assert has_permission("exchange.view_inquiry", user, inquiry) == (role in PARTIES)
    assert not has_permission("exchange.reply_inquiry", user, inquiry)
    assert not has_permission("exchange.close_inquiry", user, inquiry)


def test_an_official_who_asked_reads_their_own_inquiry(offer, official, official_department):
    inquiry = InquiryFactory(offer=offer, buyer=official, buyer_department=official_department)
    assert has_permission("exchange.view_inquiry", official, inquiry)
    colleague = make_official(official_department.municipality)
    assert not has_permission("exchange.view_inquiry", colleague, inquiry)
