"""The portal's middleware: the request log, the health check for load balancers, and
two-factor authentication where a role requires it (``pestor.roles.mfa_required``)."""

import logging
import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.shortcuts import redirect
from django.utils.functional import empty

from . import health, roles

request_logger = logging.getLogger("pestor.requests")

# URL arguments that are secrets (invitation tokens, allauth's e-mail confirmation and password
# reset keys): the request log shows their name instead of their value.
SECRET_URL_ARGUMENTS = frozenset({"token", "key", "uidb36"})


class _QueryCounter:
    """Counts the SQL statements a request runs and the time they take, whatever DEBUG says
    (``connection.execute_wrapper``: one function call per statement)."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start


def _logged_path(request) -> str:
    path = request.path
    match = request.resolver_match
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_ARGUMENTS and str(value):
                path = path.replace(str(value), f"<{name}>")
    return path


def _user_id(request):
    """The signed-in user's id, if the request looked the user up (the log asks nothing more
    of the database)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """One line per request in the log ``pestor.requests``: method, path (query parameters by
    name only: their values may be personal data, and secrets in the path by name), status,
    duration, SQL statements and their time, the signed-in user's id. ``LOG_FORMAT=json``
    writes it as a JSON object (pestor.settings.LOGGING). Health checks are logged at DEBUG
    when they pass, so that a load balancer's polling does not fill the log. A streamed
    response (a large export) is timed and counted until the view hands it over, not while
    its body is sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        start = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        duration_ms = (time.perf_counter() - start) * 1000
        level = logging.INFO
        if request.path_info == health.PATH:
            level = logging.DEBUG if response.status_code == 200 else logging.WARNING
        if request_logger.isEnabledFor(level):
            fields = {
                "method": request.method,
                "path": _logged_path(request),
                "query_params": sorted(request.GET.keys()),
                "status": response.status_code,
                "duration_ms": round(duration_ms, 1),
                "queries": counter.count,
                "sql_ms": round(counter.seconds * 1000, 1),
                "user_id": _user_id(request),
            }
            request_logger.log(
                level,
                "%(method)s %(path)s %(status)s %(duration_ms).1f ms, %(queries)s queries "
                "(%(sql_ms).1f ms SQL), user %(user_id)s",
                fields,
                extra=fields,
            )
        return response


class HealthCheckMiddleware:
    """Answers the load balancer's health check (``pestor.health``) before the rest of the
    middleware: no host check (a balancer asks by the instance's address), no HTTPS redirect,
    no session, no CSRF. The URL is also in pestor.urls, so that it resolves and is crawled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == health.PATH:
            return health.response()
        return self.get_response(request)


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
            and not roles.has_two_step(user)
        ):
            return redirect("mfa_activate_totp")
        return None
