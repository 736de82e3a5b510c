"""The events' sections of shared pages (registered in CommunityConfig.ready())."""

from pestor import related_rows
from pestor.sections import annotated

from . import selectors
from .models import Event


def organisation_annotations() -> dict:
    """The organisation page reads the events' short list with the organisation's row."""
    return {"community_events": selectors.organisation_events_rows()}


def organisation_events(*, organisation, request) -> dict | None:
    """ "Events": those the organisation organises or speaks at (the latest 20)."""
    events = related_rows.instances(Event, annotated(organisation, "community_events"))
    if not events:
        return None
    return {"events": events, "organisation": organisation}
