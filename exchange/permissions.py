"""Who may do what in the exchange. Pure functions; views and templates ask through
``pestor.permissions`` (``require("exchange.edit_offer", user, offer)``)."""

from directory.models import Organisation
from directory.permissions import membership_roles
from pestor import roles
from pestor.permissions import rule

from .models import Inquiry, Offer

# Organisations whose members list offers: a verified one, and one awaiting verification (its
# offers go public the day it is verified). One returned for correction must correct first.
LISTING_STATUSES = {Organisation.Status.VERIFIED, Organisation.Status.PENDING}


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def member_roles(user) -> dict[int, str]:
    """{organisation id: role} for the user (loaded once a request with the user's roles,
    ``pestor.roles``)."""
    if not _signed_in(user):
        return {}
    return membership_roles(user)


def is_member(user, organisation_id) -> bool:
    return organisation_id in member_roles(user)


def is_buyer(user) -> bool:
    """Officials ask for their department, business buyers for their company."""
    return _signed_in(user) and (roles.is_official(user) or roles.is_business_buyer(user))


@rule("exchange.manage_offers")
def can_manage_offers(user, organisation: Organisation):
    """List, edit, archive and reactivate the organisation's offers; see "My offers"."""
    if not _signed_in(user) or organisation.status not in LISTING_STATUSES:
        return False
    return roles.is_administrator(user) or is_member(user, organisation.pk)


@rule("exchange.edit_offer")
def can_edit_offer(user, offer: Offer):
    return can_manage_offers(user, offer.organisation)


@rule("exchange.archive_offer")
def can_archive_offer(user, offer: Offer):
    return offer.status == Offer.Status.ACTIVE and can_edit_offer(user, offer)


@rule("exchange.reactivate_offer")
def can_reactivate_offer(user, offer: Offer):
    return offer.status == Offer.Status.ARCHIVED and can_edit_offer(user, offer)


@rule("exchange.delete_offer")
def can_delete_offer(user, offer: Offer):
    return offer.status != Offer.Status.DELETED and can_edit_offer(user, offer)


@rule("exchange.send_inquiry")
def can_send_inquiry(user, offer: Offer):
    """A buyer asks about a public offer of an organisation they are not a member of."""
    return offer.is_public and is_buyer(user) and not is_member(user, offer.organisation_id)


@rule("exchange.view_inbox")
def can_view_inbox(user, obj=None):
    return _signed_in(user)


@rule("exchange.view_inquiry")
def can_view_inquiry(user, inquiry: Inquiry):
    """Only the two sides: the buyer who asked and the members of the organisation asked."""
    if not _signed_in(user):
        return False
    return inquiry.buyer_id == user.pk or is_member(user, inquiry.organisation_id)


@rule("exchange.reply_inquiry")
def can_reply_inquiry(user, inquiry: Inquiry):
    return not inquiry.is_closed and can_view_inquiry(user, inquiry)


@rule("exchange.close_inquiry")
def can_close_inquiry(user, inquiry: Inquiry):
    return not inquiry.is_closed and can_view_inquiry(user, inquiry)
