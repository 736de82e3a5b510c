"""The bank's sections of shared pages (registered in EquipmentBankConfig.ready())."""

from . import selectors


def organisation_in_kind(*, organisation, request) -> dict | None:
    """ "Equipment and rooms from the city": the in-kind value the organisation received."""
    data = selectors.organisation_in_kind(organisation=organisation)
    return data if data["rows"] else None


def dashboard_panel(*, request) -> dict | None:
    """Links to the catalogue (which, for owner managers, links their queues) and to one's
    bookings."""
    user = request.user
    if not user.is_authenticated:
        return None
    # No query of its own (the panel page is held to ten): the catalogue links the queues of the
    # owners the user manages.
    return {}
