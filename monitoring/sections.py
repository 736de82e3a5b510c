"""The monitoring team's panel on "My panel"."""

from pestor import roles

from . import selectors


def dashboard_panel(*, request):
    user = request.user
    if not (roles.is_monitoring_member(user) or roles.is_administrator(user)):
        return None
    return {"programmes": selectors.programme_list_for_team(user=user)[:10]}
