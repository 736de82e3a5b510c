"""The grants' sections of shared pages (registered in GrantsConfig.ready())."""

from django.template.loader import render_to_string

from pestor import related_rows
from pestor.sections import annotated

from . import selectors
from .models import Offer


def organisation_annotations() -> dict:
    """The organisation page reads the section's short list with the organisation's row."""
    return {"grants_funded": selectors.organisation_grants_rows()}


def organisation_grants(*, organisation, request) -> dict | None:
    """ "Grants from the city": what the organisation was awarded in open competitions."""
    grants = related_rows.instances(Offer, annotated(organisation, "grants_funded"))
    if not grants:
        return None
    return {"grants": grants, "total": sum(offer.awarded_amount for offer in grants)}


def offer_for_committee(offer, member) -> str:
    """What a committee member reads of an offer on its scoring sheet (scoring's ``detail``):
    the offer with its promised contribution to the strategy, read in one query."""
    return render_to_string(
        "grants/_offer_for_committee.html",
        {"item": offer, "contributions": selectors.offer_contributions(offer=offer)},
    )
