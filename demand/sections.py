"""The demand register's sections of shared pages (registered in DemandConfig.ready())."""

from pestor.permissions import has_permission

from . import selectors
from .models import DemandNotice


def home_figures() -> dict:
    return {"open_notices": DemandNotice.objects.open_for_answers().count()}


def dashboard_panel(*, request) -> dict | None:
    """Links for buyers (their notices) and PES members (notices for them, their answers)."""
    user = request.user
    is_buyer = has_permission("demand.view_my_notices", user)
    is_pes = has_permission("demand.view_pes_pages", user)
    if not is_buyer and not is_pes:
        return None
    return {
        "is_buyer": is_buyer,
        "may_post": has_permission("demand.post_notice", user),
        "is_pes": is_pes,
        **(selectors.dashboard_counts(user=user) if is_pes else {}),
    }
