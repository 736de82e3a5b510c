"""One way to ask "may this user do that to this object?", for views and templates alike.

Each app declares its rules in its own ``permissions.py`` with ``@rule("app.action")``; views call
``require()``, templates use ``{% can "app.action" obj as allowed %}``.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from . import roles

_RULES: dict[str, Callable] = {}


def rule(name: str):
    def register(func):
        if name in _RULES:
            raise ValueError(f"Permission rule {name!r} is declared twice.")
        _RULES[name] = func
        return func

    return register


def has_permission(action: str, user, obj=None) -> bool:
    try:
        check = _RULES[action]
    except KeyError:
        raise LookupError(f"No permission rule named {action!r}.") from None
    return bool(check(user, obj))


def require(action: str, user, obj=None) -> None:
    if not has_permission(action, user, obj):
        raise PermissionDenied


@rule("pestor.view_jobs")
def can_view_jobs(user, obj=None) -> bool:
    """Operators (staff) see the interrupted and failed background jobs of every part."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


# The portal's own rules: the people of a municipality, granted by its local administrators.


@rule("pestor.manage_people")
def can_manage_people(user, municipality):
    """Invite and remove a municipality's officials and monitoring team, and decide on the
    requests for the business-buyer role of companies seated there."""
    return roles.is_administrator(user) or roles.is_local_administrator(user, municipality)


@rule("pestor.decide_buyer_request")
def can_decide_buyer_request(user, buyer_request):
    return buyer_request.status == buyer_request.Status.PENDING and can_manage_people(
        user, buyer_request.municipality
    )
