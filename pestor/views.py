from datetime import date

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView
from django.views.static import serve

from . import roles, sections
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
