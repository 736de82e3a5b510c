"""The grants' sections of shared pages (registered in GrantsConfig.ready())."""

from . import selectors


def organisation_grants(*, organisation, request) -> dict | None:
    """ "Grants from the city": what the organisation was awarded in open competitions."""
    grants = selectors.organisation_grants(organisation=organisation)
    if not grants:
        return None
    return {"grants": grants, "total": sum(offer.awarded_amount for offer in grants)}
