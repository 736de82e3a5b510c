from datetime import date

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.static import serve

from . import content_security, exports, roles, sections
from .images import CONTENT_TYPES, PUBLIC_PATH
from .models import Municipality


class HomeView(TemplateView):
    template_name = "pestor/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sections=sections.home.render(request=self.request), **kwargs
        )


class DashboardView(LoginRequiredMixin, TemplateView):
    """ "My panel": what the signed-in user can do, one panel per part of the product."""

    template_name = "pestor/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            official_memberships=user.official_memberships.select_related(
                "department__municipality"
            ),
            monitoring_municipalities=Municipality.objects.filter(
                pk__in=roles.monitoring_municipality_ids(user)
            ),
            buyer_memberships=user.buyer_memberships.select_related("company"),
            sections=sections.dashboard.render(request=self.request),
            two_step_enabled=is_mfa_enabled(user, [Authenticator.Type.TOTP]),
            **kwargs,
        )


class AccessibilityStatementView(TemplateView):
    template_name = "pestor/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            published=date.fromisoformat(settings.ACCESSIBILITY_PUBLISHED),
            updated=date.fromisoformat(settings.ACCESSIBILITY_UPDATED),
            contact_phone=settings.CONTACT_PHONE,
            operator_address=settings.PORTAL_OPERATOR_ADDRESS,
            **kwargs,
        )


class PrivacyView(TemplateView):
    template_name = "pestor/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator_address=settings.PORTAL_OPERATOR_ADDRESS,
            dpo_email=settings.DATA_PROTECTION_OFFICER_EMAIL,
            **kwargs,
        )


# Browsers post reports without a CSRF token or cookies; the view only writes to the log.
@method_decorator(csrf_exempt, name="dispatch")
class ContentSecurityReportView(View):
    """Where browsers report what the Content Security Policy blocked (the policy's report-uri),
    so that operators see a broken page or an injection attempt in the log. Always answers 204
    to a report; oversized bodies are refused unread and a chatty client is only counted."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > content_security.REPORT_MAX_BYTES:
            return HttpResponse(status=413)
        body = request.read(content_security.REPORT_MAX_BYTES + 1)
        if len(body) > content_security.REPORT_MAX_BYTES:
            return HttpResponse(status=413)
        try:
            violations = content_security.violations_in(body)
        except (ValueError, RecursionError):
            return HttpResponse(status=400)
        client = request.META.get("REMOTE_ADDR", "")
        for violation in violations:
            if content_security.report_accepted(client=client):
                content_security.violation_log(violation, client=client)
        return HttpResponse(status=204)


def public_media(request, path):
    """A public upload, when Django serves MEDIA_ROOT itself (SERVE_MEDIA): only the images the
    portal wrote, with the content type of their format. Anything else that may lie in the
    folder (a file copied there by hand, an upload from before re-encoding) is not found."""
    match = PUBLIC_PATH.fullmatch(path)
    if match is None:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = CONTENT_TYPES[match["extension"]]
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, an image may not run or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check, explained in the portal's layout (CSRF_FAILURE_VIEW).
    The reason is for developers and stays out of the page."""
    return render(request, "403_csrf.html", status=403)


def _bare_error_page(template_name) -> str:
    """An error page rendered without the request and the context processors, which read the
    signed-in user and the database: either may be what failed, and a second error here would
    leave the visitor with a blank page."""
    context = {"site_name": settings.SITE_NAME, "contact_email": settings.CONTACT_EMAIL}
    return loader.get_template(template_name).render(context)


def bad_request(request, exception):
    """The 400 page (handler400). A request refused before the middleware ran (an unknown Host)
    has no user, so Django's own view, which renders with the request, would fail."""
    return HttpResponseBadRequest(_bare_error_page("400.html"))


def server_error(request):
    """The 500 page (handler500)."""
    return HttpResponseServerError(_bare_error_page("500.html"))


class ListExportView(View):
    """A list an official uses, as CSV or XLSX through pestor.exports: the same rows as the page
    (its filters from the query string), all of them, not one page. The URL gives ``fmt``; a
    subclass checks access as the list does and gives the rows, the columns and the file name.
    Rows come from the database in chunks, so a long CSV streams without filling memory."""

    columns: tuple = ()
    filename = ""
    title = ""
    chunk_size = 500

    def get_rows(self):
        raise NotImplementedError

    def get_filename(self) -> str:
        return self.filename

    def get(self, request, *args, fmt, **kwargs):
        if fmt not in exports.FORMATS:
            raise Http404
        rows = self.get_rows()
        if hasattr(rows, "iterator"):
            rows = rows.iterator(chunk_size=self.chunk_size)
        return exports.export_response(
            rows=rows,
            columns=self.columns,
            filename=self.get_filename(),
            fmt=fmt,
            title=str(self.title),
        )
