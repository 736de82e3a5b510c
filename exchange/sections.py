"""The exchange's sections of shared pages (registered in ExchangeConfig.ready())."""

from directory import selectors as directory_selectors
from pestor.permissions import has_permission

from . import selectors
from .permissions import LISTING_STATUSES, is_buyer


def organisation_offers(*, organisation, request) -> dict:
    """The organisation's public offers on its page in the directory."""
    return {
        "offers": list(selectors.public_offers_of_organisation(organisation=organisation)),
        "may_manage": has_permission("exchange.manage_offers", request.user, organisation),
    }


def home_figures() -> dict:
    return selectors.offer_counts()


def dashboard_panel(*, request) -> dict | None:
    """Links to each organisation's offers and to the inquiries, for PES members and buyers."""
    user = request.user
    organisations = [
        organisation
        for organisation in directory_selectors.organisations_of_user(user=user)
        if organisation.status in LISTING_STATUSES
    ]
    if not organisations and not is_buyer(user):
        return None
    return {"organisations": organisations, "is_buyer": is_buyer(user)}
