"""The committee of a call for premises, through the ``scoring`` app: an official sets the
criteria (maximum points, "not applicable" where allowed), which creates the call's panel; its
members are added and removed on scoring's own page, they declare conflicts of interest and
score there. The decision (``calls.call_decide``) closes the panel, so that the scores the
results page publishes are final.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from scoring import selectors as scoring_selectors
from scoring import services as scoring_services
from scoring.models import Panel

from ..models import PremisesCall
from ..permissions import can_manage_call

MAX_CRITERIA = 10


@transaction.atomic
def committee_create(*, call: PremisesCall, actor, criteria: list[dict]) -> Panel:
    """The call's panel with its ``criteria`` (dicts of ``name``, ``max_points`` and optionally
    ``allow_not_applicable``, ``description``). Once; the criteria then stay as they are, so that
    every member scores by the same rules."""
    call = PremisesCall.objects.select_for_update().get(pk=call.pk)
    if not can_manage_call(actor, call):
        raise ValidationError(_("Only the officials of the municipality can do this."))
    if call.status == PremisesCall.Status.DECIDED:
        raise ValidationError(
            _("The results of this call are published already."), code="call_decided"
        )
    if scoring_selectors.panel_for_owner(owner=call) is not None:
        raise ValidationError(
            _("The committee of this call is formed already."), code="committee_exists"
        )
    if not criteria:
        raise ValidationError(_("Give at least one criterion."), code="no_criteria")
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError(
            _("Give at most %(count)s criteria.") % {"count": MAX_CRITERIA}, code="too_many"
        )
    names = [item["name"].strip().casefold() for item in criteria]
    if len(set(names)) != len(names):
        raise ValidationError(_("Give each criterion a different name."), code="duplicate_name")
    with translation.override(settings.LANGUAGE_CODE):  # stored: in the portal's language
        title = _("Committee: %(title)s") % {"title": call.title}
    return scoring_services.panel_create(
        owner=call,
        title=title[:200],
        criteria=criteria,
        actor=actor,
        # The call's page publishes the scores with the results.
        results_visibility=Panel.ResultsVisibility.PUBLIC,
    )


def committee_close(*, call: PremisesCall, actor) -> None:
    """Close the call's panel if it is still open (the decision makes its scores final; drafts
    never submitted do not count). Runs inside ``call_decide``'s transaction."""
    panel = scoring_selectors.panel_for_owner(owner=call)
    if panel is not None and panel.is_open:
        scoring_services.panel_close(panel=panel, actor=actor)
