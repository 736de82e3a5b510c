"""Who may do what with the award and the contests. Pure functions; views and templates ask
through ``pestor.permissions`` (``require("community.manage_award", user, call)``).

- Officials and the monitoring team of the municipality (and administrators) open calls, set
  up the jury, see every nomination with its letters, export them and publish the results.
- Every signed-in user nominates while the call is open, and sees and changes their own
  nominations until the deadline.
- Jurors (the call's scoring panel) read a nomination's letters once they have declared no
  conflict of interest with it.
- Every account with a verified e-mail address votes once per contest while the vote is open.
- Everyone sees the calls and the published laureates.
"""

from directory.permissions import verified_organisation_ids
from pestor import roles
from pestor.permissions import rule

from .awards_models import AwardCall, Nomination
from .permissions import is_city_organiser, publisher_municipality_ids


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rule("community.open_award_call")
def can_open_call(user, obj=None):
    return _signed_in(user) and (
        roles.is_administrator(user) or bool(publisher_municipality_ids(user))
    )


@rule("community.manage_award")
def can_manage_call(user, call: AwardCall):
    return _signed_in(user) and is_city_organiser(user, call.municipality_id)


@rule("community.nominate")
def can_nominate(user, call: AwardCall):
    """The service checks the deadline again under the call's row lock."""
    return _signed_in(user) and call.accepts_nominations()


@rule("community.view_nomination")
def can_view_nomination(user, nomination: Nomination):
    if not _signed_in(user):
        return False
    return nomination.nominator_id == user.pk or can_manage_call(user, nomination.call)


@rule("community.edit_nomination")
def can_edit_nomination(user, nomination: Nomination):
    return (
        _signed_in(user)
        and nomination.nominator_id == user.pk
        and nomination.call.accepts_nominations()
    )


def can_read_letters(user, nomination: Nomination) -> bool:
    if can_view_nomination(user, nomination):
        return True
    from scoring import selectors as scoring_selectors

    panel = scoring_selectors.panel_for_owner(owner=nomination.call)
    return panel is not None and scoring_selectors.cleared_for_item(
        panel=panel, user=user, item=nomination
    )


@rule("community.vote")
def can_vote(user, call: AwardCall):
    """The service checks the account, the clock and the one vote under the call's lock."""
    return _signed_in(user) and call.voting_open()


@rule("community.publish_award_results")
def can_publish_results(user, call: AwardCall):
    return not call.results_published and can_manage_call(user, call)


def jury_refusal(user, call: AwardCall, represents_pes: bool) -> str:
    """The jury: officials (or the monitoring team) of the call's municipality, and members of
    verified PES as their representatives."""
    from django.utils.translation import gettext as _

    if represents_pes:
        if verified_organisation_ids(user):
            return ""
        return _("A PES representative on the jury must belong to a verified organisation.")
    if is_city_organiser(user, call.municipality_id):
        return ""
    return _(
        "The jury is made of officials of the municipality and representatives of PES: tick "
        '"representative of a PES" for a member of a verified organisation.'
    )
