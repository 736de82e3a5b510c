from functools import cache

from . import selectors


def inquiries(request):
    """``unread_inquiries``: conversations where the other side wrote since the signed-in user
    last looked. A callable, so that the count is queried once, and only by pages that show it
    (templates call it when they resolve the variable)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_inquiries": 0}

    @cache
    def unread_inquiries():
        return selectors.unread_inquiry_count(user=user)

    return {"unread_inquiries": unread_inquiries}
