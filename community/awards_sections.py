"""The award's section of the organisation page (registered in CommunityConfig.ready())."""

from pestor.sections import annotated

from . import awards_selectors


def organisation_annotations() -> dict:
    """The organisation page reads the section's short list with the organisation's row."""
    return {"community_distinctions": awards_selectors.organisation_distinctions_rows()}


def organisation_distinctions(*, organisation, request) -> dict | None:
    """ "Awards and distinctions": the organisation's places in published awards and contests."""
    distinctions = awards_selectors.distinctions_of_rows(
        annotated(organisation, "community_distinctions")
    )
    if not distinctions:
        return None
    return {"distinctions": distinctions, "organisation": organisation}
