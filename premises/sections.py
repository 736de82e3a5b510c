"""The premises policy's sections of shared pages (registered in PremisesConfig.ready())."""

from . import selectors


def organisation_premises(*, organisation, request) -> dict | None:
    """ "Premises from the city": what the organisation holds and the support it received."""
    data = selectors.organisation_premises(organisation=organisation)
    return data if data["leases"] else None


def dashboard_panel(*, request) -> dict | None:
    """Links to the premises pages; no query of its own (the panel page is held to ten)."""
    if not request.user.is_authenticated:
        return None
    return {}
