"""One way to ask "may this user do that to this object?", for views and templates alike.

Each app declares its rules in its own ``permissions.py`` with ``@rule("app.action")``; views call
``require()``, templates use ``{% can "app.action" obj as allowed %}``.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

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
