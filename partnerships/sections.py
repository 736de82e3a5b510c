"""Partnerships' sections of shared pages (registered in PartnershipsConfig.ready())."""

from pestor import related_rows
from pestor.sections import annotated

from . import permissions, selectors
from .models import Partnership


def organisation_annotations() -> dict:
    """The organisation page reads the section's short list with the organisation's row."""
    return {"partnerships_rows": selectors.partnerships_of_organisation_rows()}


def organisation_partnerships(*, organisation, request) -> dict | None:
    """ "Partnerships": the partnerships and clusters the organisation is a member of."""
    partnerships = related_rows.instances(Partnership, annotated(organisation, "partnerships_rows"))
    if not partnerships:
        return None
    return {"partnerships": partnerships}


def dashboard_panel(*, request):
    """Invitations to partnerships waiting for the user's answer."""
    user = request.user
    if not permissions.can_request_membership(user, None):
        return None
    invitations = list(
        selectors.invitations_for_user(user=user, acting=permissions.acting_for(user))[:20]
    )
    if not invitations:
        return None
    return {"invitations": invitations}
