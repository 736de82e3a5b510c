"""Who may do what with a panel. Pure functions; views and templates ask through
``pestor.permissions`` (``require("scoring.manage_panel", user, panel)``).

- Members see their own panels, declare, and score the items they declared no conflict with.
- Managers are the panel's chair, whoever the owner's registration names (``can_manage``) and the
  installation's administrators: they add and remove members, close scoring and see the results.
- Members see the results only when the panel lets them (``results_visibility``) and only once
  they have submitted every item they may score, or the panel is closed: nobody reads the
  others' scores before committing to their own.
- Anyone else is not told the panel exists: the views answer 404.
"""

from pestor import roles
from pestor.permissions import rule

from . import registry
from .models import Member, Panel


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def membership(user, panel: Panel) -> Member | None:
    """The user's membership of the panel, read once per panel object."""
    if not _signed_in(user):
        return None
    cache = panel.__dict__.setdefault("_scoring_members", {})
    if user.pk not in cache:
        member = Member.objects.filter(panel=panel, user=user).first()
        if member is not None:
            member.panel = panel  # the same object: what is read of the panel is read once
        cache[user.pk] = member
    return cache[user.pk]


def manages(user, panel: Panel) -> bool:
    if not _signed_in(user):
        return False
    cache = panel.__dict__.setdefault("_scoring_manages", {})
    if user.pk not in cache:
        member = membership(user, panel)
        cache[user.pk] = bool(
            roles.is_administrator(user)
            or (member is not None and member.is_chair)
            or registry.owner_type_for(panel.owner_type.model_class()).can_manage(user, panel.owner)
        )
    return cache[user.pk]


@rule("scoring.view_panel")
def can_view_panel(user, panel: Panel):
    return membership(user, panel) is not None or manages(user, panel)


@rule("scoring.manage_panel")
def can_manage_panel(user, panel: Panel):
    """Add and remove members, close scoring, see the results and export them."""
    return manages(user, panel)


@rule("scoring.change_members")
def can_change_members(user, panel: Panel):
    return panel.is_open and manages(user, panel)


@rule("scoring.close_panel")
def can_close_panel(user, panel: Panel):
    return panel.is_open and manages(user, panel)


@rule("scoring.view_results")
def can_view_results(user, panel: Panel):
    if manages(user, panel):
        return True
    member = membership(user, panel)
    if member is None or panel.results_visibility == Panel.ResultsVisibility.MANAGERS:
        return False
    if not panel.is_open:
        return True
    from .selectors import member_has_submitted_everything

    return member_has_submitted_everything(member=member)


def can_view_others_scores(member: Member | None, panel: Panel, *, own_submitted: bool) -> bool:
    """Whether a member sees the other members' submitted scores of one item on its sheet: only
    where the panel shows results to members at all (``results_visibility``), and only once the
    member has submitted their own sheet for that item (or the panel is closed), so that nobody
    is swayed by the others before committing. A member excluded by a conflict never reaches
    the sheet."""
    if member is None or panel.results_visibility == Panel.ResultsVisibility.MANAGERS:
        return False
    return own_submitted or not panel.is_open
