"""The bank's sections of shared pages (registered in EquipmentBankConfig.ready())."""

from pestor.sections import annotated

from . import selectors


def organisation_annotations() -> dict:
    """The organisation page reads the section's rows with the organisation's row."""
    return {
        "equipment_bank_in_kind": selectors.organisation_in_kind_rows(),
        "equipment_bank_in_kind_years": selectors.organisation_in_kind_years(),
    }


def organisation_in_kind(*, organisation, request) -> dict | None:
    """ "Equipment and rooms from the city": the in-kind value the organisation received."""
    data = selectors.organisation_in_kind_of_rows(
        annotated(organisation, "equipment_bank_in_kind"),
        annotated(organisation, "equipment_bank_in_kind_years"),
    )
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
