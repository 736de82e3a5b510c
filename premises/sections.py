"""The premises policy's sections of shared pages (registered in PremisesConfig.ready())."""

from pestor.sections import annotated

from . import selectors


def organisation_annotations() -> dict:
    """The organisation page reads the section's leases and years with the organisation's row."""
    return selectors.organisation_premises_rows()


def organisation_premises(*, organisation, request) -> dict | None:
    """ "Premises from the city": what the organisation holds and the support it received."""
    data = selectors.organisation_premises_of_rows(
        leases=annotated(organisation, "premises_lease_rows"),
        years=annotated(organisation, "premises_year_rows"),
    )
    return data if data["leases"] else None


def dashboard_panel(*, request) -> dict | None:
    """Links to the premises pages; no query of its own (the panel page is held to ten)."""
    if not request.user.is_authenticated:
        return None
    return {}
