import json
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView
from django.views.static import serve

from . import (
    content_security,
    exports,
    health,
    jobs,
    personal_data,
    roles,
    sections,
    selectors,
    services,
)
from .forms import (
    AccountDeleteForm,
    BuyerRoleRefuseForm,
    BuyerRoleRequestForm,
    ProfileForm,
    StaffInvitationForm,
    apply_validation_error,
)
from .images import CONTENT_TYPES, PUBLIC_PATH
from .models import Municipality
from .pagination import RESULT_CAP
from .permissions import require
from .widgets import MunicipalityAutocomplete


class HomeView(TemplateView):
    template_name = "pestor/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=sections.home.render(), **kwargs)


class DashboardView(LoginRequiredMixin, TemplateView):
    """ "My panel": what the signed-in user can do, one panel per part of the product."""

    template_name = "pestor/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        manages_people = roles.is_local_administrator(user) or roles.is_administrator(user)
        # Each list is asked for only when the user's roles (one query, pestor.roles) say it
        # holds something.
        return super().get_context_data(
            official_memberships=user.official_memberships.select_related(
                "department__municipality"
            )
            if roles.is_official(user)
            else (),
            monitoring_municipalities=Municipality.objects.filter(
                pk__in=roles.monitoring_municipality_ids(user)
            ),
            buyer_memberships=user.buyer_memberships.select_related("company")
            if roles.is_business_buyer(user)
            else (),
            administered_municipalities=roles.administered_municipalities(user)
            if manages_people
            else Municipality.objects.none(),
            buyer_request_count=selectors.buyer_request_queue(user=user).count()
            if manages_people
            else None,
            sections=sections.dashboard.render(request=self.request),
            two_step_enabled=roles.has_two_step(user),
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


def health_check(request):
    """The load balancer's health check (pestor.health)."""
    return health.response()


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


class AccountView(LoginRequiredMixin, FormView):
    """The person's own account: their name, their data, deleting the account."""

    template_name = "pestor/account.html"
    form_class = ProfileForm

    def get_initial(self):
        return {
            "first_name": self.request.user.first_name,
            "last_name": self.request.user.last_name,
        }

    def form_valid(self, form):
        try:
            services.user_profile_update(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your name has been saved."))
        return redirect("pestor:account")


class AccountDataView(LoginRequiredMixin, View):
    """Everything the portal holds about the person, as a JSON file (RODO art. 15 and 20)."""

    def get(self, request):
        data = selectors.personal_data_export(user=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        filename = f"pestor-dane-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class AccountDeleteView(LoginRequiredMixin, FormView):
    """Deleting one's own account (RODO art. 17), confirmed with the password."""

    template_name = "pestor/account_delete.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            blockers=personal_data.deletion_blockers(user=self.request.user), **kwargs
        )

    def form_valid(self, form):
        user = self.request.user
        try:
            services.user_delete_own(user=user)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        logout(self.request)
        messages.success(self.request, _("Your account has been deleted."))
        return redirect("pestor:home")


class MunicipalityMixin(LoginRequiredMixin):
    """A municipality whose people the signed-in user manages; any other is not found."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.municipality = selectors.administered_municipality_get(
                user=request.user, slug=kwargs["slug"]
            )
            require("pestor.manage_people", request.user, self.municipality)
        return super().dispatch(request, *args, **kwargs)


class MunicipalityPeopleView(MunicipalityMixin, FormView):
    """A local administrator's page: the officials and the monitoring team, and invitations."""

    template_name = "pestor/municipality_people.html"
    form_class = StaffInvitationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            municipality=self.municipality,
            officials=selectors.municipality_officials(municipality=self.municipality),
            monitoring_team=selectors.municipality_monitoring_team(municipality=self.municipality),
            invitations=selectors.open_staff_invitations(municipality=self.municipality),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            invitation = services.staff_invitation_send(
                municipality=self.municipality, invited_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
        )
        return redirect("pestor:municipality-people", slug=self.municipality.slug)


class OfficialRemoveView(MunicipalityMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            selectors.municipality_officials(municipality=self.municipality), pk=kwargs["pk"]
        )
        services.official_remove(membership=membership, actor=request.user)
        messages.success(
            request, _("%(person)s is no longer an official.") % {"person": membership.user}
        )
        return redirect("pestor:municipality-people", slug=self.municipality.slug)


class MonitoringMemberRemoveView(MunicipalityMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            selectors.municipality_monitoring_team(municipality=self.municipality),
            pk=kwargs["pk"],
        )
        services.monitoring_member_remove(membership=membership, actor=request.user)
        messages.success(
            request,
            _("%(person)s is no longer on the monitoring team.") % {"person": membership.user},
        )
        return redirect("pestor:municipality-people", slug=self.municipality.slug)


class StaffInvitationAcceptView(LoginRequiredMixin, TemplateView):
    template_name = "pestor/invitation_accept.html"

    def get_context_data(self, **kwargs):
        invitation = selectors.staff_invitation_get_by_token(token=self.kwargs["token"])
        return super().get_context_data(invitation=invitation, **kwargs)

    def post(self, request, *args, **kwargs):
        invitation = selectors.staff_invitation_get_by_token(token=kwargs["token"])
        try:
            services.staff_invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("pestor:invitation-accept", token=invitation.token)
        messages.success(
            request,
            _("You are now %(role)s in %(municipality)s.")
            % {"role": invitation.get_kind_display(), "municipality": invitation.municipality},
        )
        return redirect("pestor:dashboard")


class BuyerRoleRequestView(LoginRequiredMixin, FormView):
    """A person asks to buy for a company; their earlier requests and the decisions."""

    template_name = "pestor/buyer_request.html"
    form_class = BuyerRoleRequestForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            buyer_requests=selectors.buyer_requests_of_user(user=self.request.user), **kwargs
        )

    def form_valid(self, form):
        try:
            services.buyer_request_submit(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your request has been sent. You will get an e-mail when it is decided."),
        )
        return redirect("pestor:buyer-request")


class BuyerRoleRequestQueueView(LoginRequiredMixin, TemplateView):
    """Requests for the business-buyer role awaiting the local administrator's decision."""

    template_name = "pestor/buyer_request_queue.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            roles.is_local_administrator(request.user) or roles.is_administrator(request.user)
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            buyer_requests=selectors.buyer_request_queue(user=self.request.user), **kwargs
        )


class BuyerRoleRequestDecisionView(LoginRequiredMixin, FormView):
    """Approve a request, or refuse it with a reason the person reads."""

    template_name = "pestor/buyer_request_decision.html"
    form_class = BuyerRoleRefuseForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.buyer_request = get_object_or_404(
                selectors.buyer_request_queue(user=request.user), pk=kwargs["pk"]
            )
            require("pestor.decide_buyer_request", request.user, self.buyer_request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(buyer_request=self.buyer_request, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("decision") == "approve":
            try:
                services.buyer_request_approve(request=self.buyer_request, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(person)s now buys for %(company)s.")
                    % {
                        "person": self.buyer_request.user,
                        "company": self.buyer_request.company_name,
                    },
                )
            return redirect("pestor:buyer-requests")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.buyer_request_refuse(
                request=self.buyer_request,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The request has been refused; the person is told why."))
        return redirect("pestor:buyer-requests")


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
    # A file is built by a web worker while the reader waits: longer lists are narrowed first
    # (the list page says so and offers no link). Open data (whole registers) is another matter.
    max_rows = RESULT_CAP

    def get_rows(self):
        raise NotImplementedError

    def get_filename(self) -> str:
        return self.filename

    def _back_url(self) -> str:
        referer = self.request.headers.get("referer", "")
        allowed = url_has_allowed_host_and_scheme(
            referer,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        )
        return referer if allowed else reverse("pestor:home")

    def get(self, request, *args, fmt, **kwargs):
        if fmt not in exports.FORMATS:
            raise Http404
        rows = self.get_rows()
        if isinstance(rows, QuerySet):
            if rows[: self.max_rows + 1].count() > self.max_rows:
                return render(
                    request,
                    "pestor/export_too_large.html",
                    {"limit": self.max_rows, "back_url": self._back_url()},
                )
            rows = rows.iterator(chunk_size=self.chunk_size)
        return exports.export_response(
            rows=rows,
            columns=self.columns,
            filename=self.get_filename(),
            fmt=fmt,
            title=str(self.title),
        )


class SuggestionsView(View):
    """The source of an autocomplete (pestor.widgets.Autocomplete): at most ``LIMIT`` objects
    matching ``q``, as JSON, each as the widget shows a chosen one plus its ``label`` (the text
    the field resolves). Subclasses give ``widget`` and ``suggestions(query, limit)``."""

    LIMIT = 20
    widget = None

    def suggestions(self, query: str, limit: int) -> list:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        from django.http import JsonResponse

        widget = self.widget()
        found = self.suggestions(request.GET.get("q", ""), self.LIMIT)
        return JsonResponse(
            {"results": [{**widget.choice(obj), "label": widget.label(obj)} for obj in found]}
        )


class MunicipalitySuggestionsView(SuggestionsView):
    """Municipalities whose name holds every word of ``q``, case and Polish letters ignored."""

    widget = MunicipalityAutocomplete

    def suggestions(self, query, limit):
        return selectors.municipality_suggestions(query=query, limit=limit)
