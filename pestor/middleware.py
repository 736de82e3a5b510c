"""Two-factor authentication, where a role requires it (``pestor.roles.mfa_required``)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect

from . import roles

# What a user who still has to set up an authenticator app may open: the two-factor pages
# themselves, the password prompt allauth asks for before activation, the e-mail confirmation
# allauth asks for first when the address is unverified, signing out, and the language switch.
SETUP_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "account_email",
        "account_email_verification_sent",
        "account_confirm_email",
        "set_language",
        "javascript-catalog",
    }
)


def _is_setup_page(request) -> bool:
    if request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    match = request.resolver_match
    name = match.url_name if match else None
    return bool(name) and (name.startswith("mfa_") or name in SETUP_URL_NAMES)


class MFARequiredMiddleware:
    """Sends a signed-in user whose role requires two-factor authentication, and who has no
    authenticator app yet, to its activation page, from every page but the setup pages. The
    Django admin is therefore out of reach until the second factor is set up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            roles.mfa_required(user)
            and not _is_setup_page(request)
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            return redirect("mfa_activate_totp")
        return None
