from functools import cache

from . import selectors


def inquiries(request):
    """``unread_inquiries``: conversations where the other side wrote since the signed-in user
    last looked, counted in the roles' one query of the request (``unread_inquiry_badge``).
    A callable, so that only pages that show it ask (templates call it when they resolve the
    variable)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_inquiries": 0}

    @cache
    def unread_inquiries():
        return selectors.unread_inquiry_badge(user=user)

    return {"unread_inquiries": unread_inquiries}
