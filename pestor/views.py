from datetime import date

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from . import jobs, roles, sections
from .models import Municipality
from .permissions import require


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


class JobListView(LoginRequiredMixin, TemplateView):
    """For operators: the background jobs that were interrupted or failed, of every kind."""

    template_name = "pestor/job_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("pestor.view_jobs", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            jobs=jobs.jobs_needing_attention(), limit=jobs.ATTENTION_LIMIT, **kwargs
        )
