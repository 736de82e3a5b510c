from .ledger import ledger


def organisation_ledger(*, organisation, request) -> dict | None:
    """The organisation page's ledger, shown once there is anything in it."""
    found = ledger(organisation=organisation)
    return {"ledger": found, "organisation": organisation} if found else None
