"""The bank's sections of shared pages (registered in EquipmentBankConfig.ready())."""

from . import selectors
from .permissions import is_manager_anywhere


def organisation_in_kind(*, organisation, request) -> dict | None:
    """ "Equipment and rooms from the city": the in-kind value the organisation received."""
    data = selectors.organisation_in_kind(organisation=organisation)
    return data if data["rows"] else None


def dashboard_panel(*, request) -> dict | None:
    """Links to one's bookings and, for owner managers, to their queues."""
    user = request.user
    if not user.is_authenticated:
        return None
    owners = list(selectors.owners_managed(user=user)[:10]) if is_manager_anywhere(user) else []
    return {"owners": owners}
