"""Calls for premises: the public list and page, the officials' forms, applications by PES,
the decision, and the PES's vacancy alerts."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from pestor import roles
from pestor.forms import apply_validation_error
from pestor.models import Municipality
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require
from scoring.mixins import PanelCriteriaFormMixin

from .. import selectors, services
from ..forms import AlertForm, ApplicationForm, CallForm, CommitteeForm, DecisionForm
from ..models import Premises, PremisesCall
from .registry import pdf_download


class CallListView(CappedPaginationMixin, ListView):
    template_name = "premises/call_list.html"
    paginate_by = 20
    context_object_name = "calls"

    def get_queryset(self):
        return selectors.call_list_public()

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_manage = has_permission("premises.manage", user)
        return super().get_context_data(
            drafts=list(selectors.call_drafts(user=user)[:50]) if may_manage else [],
            may_manage=may_manage,
            now=timezone.now(),
            **kwargs,
        )


def _vacant_premises(user):
    queryset = Premises.objects.filter(status__in=[Premises.Status.VACANT, Premises.Status.IN_CALL])
    if not roles.is_administrator(user):
        queryset = queryset.filter(municipality_id__in=roles.official_municipality_ids(user))
    return queryset.order_by("district", "address")


class CallCreateView(LoginRequiredMixin, FormView):
    template_name = "premises/call_form.html"
    form_class = CallForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("premises.manage", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "premises": _vacant_premises(self.request.user).filter(status=Premises.Status.VACANT),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        premises = list(data.pop("premises"))
        municipality = Municipality.objects.get(pk=premises[0].municipality_id)
        try:
            call = services.call_create(
                municipality=municipality, actor=self.request.user, premises=premises, **data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The call has been saved as a draft. Publish it when ready.")
        )
        return redirect(call)


class CallObjectMixin:
    def dispatch(self, request, *args, **kwargs):
        self.call = selectors.call_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, **kwargs)


class CallFormMixin(LoginRequiredMixin, CallObjectMixin):
    """A signed-in official's form about a call: showing it requires ``view_rule``, posting it
    ``change_rule`` (permission names, checked against the call)."""

    view_rule = change_rule = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        require(self.view_rule, request.user, self.call)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        require(self.change_rule, request.user, self.call)
        return super().post(request, *args, **kwargs)


class CallUpdateView(CallFormMixin, FormView):
    template_name = "premises/call_form.html"
    form_class = CallForm
    view_rule = change_rule = "premises.publish_call"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "premises": _vacant_premises(self.request.user).filter(
                municipality_id=self.call.municipality_id
            ),
        }

    def get_initial(self):
        call = self.call
        return {
            "title": call.title,
            "purpose": call.purpose,
            "documents_required": call.documents_required,
            "opens_at": timezone.localtime(call.opens_at),
            "closes_at": timezone.localtime(call.closes_at),
            "premises": list(call.premises.all()),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        premises = list(data.pop("premises"))
        try:
            services.call_update(call=self.call, actor=self.request.user, premises=premises, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The call has been saved."))
        return redirect(self.call)


def _committee_context(user, call) -> dict:
    """The "Ocena komisji" section: the criteria (public once set), the links of the members
    and managers, and the scores per criterion once the results are published."""
    panel = selectors.committee_panel(call=call)
    context = {
        "panel": panel,
        "may_form_committee": has_permission("premises.form_committee", user, call),
        "committee_criteria": [],
        "committee_ranking": [],
        "sits_on_committee": False,
        "manages_committee": False,
    }
    if panel is None:
        return context
    decided = call.status == PremisesCall.Status.DECIDED
    manages = has_permission("scoring.manage_panel", user, panel)
    context.update(
        sits_on_committee=has_permission("scoring.view_panel", user, panel),
        manages_committee=manages,
    )
    if decided or manages:
        criteria, ranking = selectors.committee_ranking(panel=panel)
        context.update(committee_criteria=criteria, committee_ranking=ranking)
    else:
        context["committee_criteria"] = selectors.committee_criteria(panel=panel)
    return context


class CallDetailView(CallObjectMixin, TemplateView):
    """The call: what is offered, until when, its committee's criteria and (once decided) its
    results with the committee's scores per criterion (section "Ocena komisji", ``scoring``)."""

    template_name = "premises/call_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        call = self.call
        may_manage = has_permission("premises.manage_call", user, call)
        decided = call.status == PremisesCall.Status.DECIDED
        return super().get_context_data(
            premises_list=selectors.call_premises(call=call),
            is_open=call.is_open(),
            may_apply=has_permission("premises.apply", user, call),
            may_publish=has_permission("premises.publish_call", user, call),
            may_decide=has_permission("premises.decide_call", user, call)
            and timezone.now() >= call.closes_at,
            may_manage=may_manage,
            applications=list(selectors.call_applications(call=call)) if may_manage else [],
            results=selectors.call_results(call=call) if decided else [],
            applicants=list(selectors.call_result_applicants(call=call)) if decided else [],
            **_committee_context(user, call),
            **kwargs,
        )


class CallCommitteeView(PanelCriteriaFormMixin, CallFormMixin, FormView):
    """The official sets the criteria of the call's committee, which forms its panel; members
    are then added on scoring's page of the panel."""

    template_name = "premises/call_committee.html"
    form_class = CommitteeForm
    view_rule = "premises.manage_call"
    change_rule = "premises.form_committee"
    created_message = gettext_lazy(
        "The criteria are set. Now add the committee's members by their e-mail."
    )

    def get_context_data(self, **kwargs):
        panel = selectors.committee_panel(call=self.call)
        return super().get_context_data(
            panel=panel,
            criteria=selectors.committee_criteria(panel=panel) if panel else [],
            members=selectors.committee_members(panel=panel) if panel else [],
            may_form=panel is None
            and has_permission("premises.form_committee", self.request.user, self.call),
            **kwargs,
        )

    def create_panel(self, criteria):
        return services.committee_create(call=self.call, actor=self.request.user, criteria=criteria)


class CallPublishView(LoginRequiredMixin, CallObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        require("premises.publish_call", request.user, self.call)
        try:
            services.call_publish(call=self.call, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The call has been published."))
        return redirect(self.call)


class CallDecideView(LoginRequiredMixin, CallObjectMixin, FormView):
    """The official records the decision, with the committee's ranking (``scoring``) beside the
    form: each premises' applications by total, with the means per criterion."""

    template_name = "premises/call_decide.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        return super().post(request, *args, **kwargs)

    def _load(self):
        require("premises.decide_call", self.request.user, self.call)
        self.premises_list = selectors.call_premises(call=self.call)
        self.applications = list(selectors.call_applications(call=self.call))
        self.panel = selectors.committee_panel(call=self.call)
        self.criteria, self.ranking = (
            selectors.committee_ranking(panel=self.panel) if self.panel else ([], [])
        )

    def get_form_kwargs(self):
        scores = {
            row.application.pk: _("rank %(rank)s, %(total)s points")
            % {"rank": row.rank, "total": number_format(row.result.total, 2, use_l10n=True)}
            for ranking in self.ranking
            for row in ranking.rows
            if row.rank
        }
        return {
            **super().get_form_kwargs(),
            "premises": self.premises_list,
            "applications": self.applications,
            "scores": scores,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            applications=self.applications,
            panel=self.panel,
            committee_criteria=self.criteria,
            committee_ranking=self.ranking,
            **kwargs,
        )

    def form_valid(self, form):
        by_pk = {application.pk: application for application in self.applications}
        decisions = {}
        for item in self.premises_list:
            choice = form.cleaned_data.get(f"choice_{item.pk}")
            decisions[item] = (
                by_pk.get(int(choice)) if choice else None,
                form.cleaned_data.get(f"reason_{item.pk}", ""),
            )
        try:
            services.call_decide(call=self.call, actor=self.request.user, decisions=decisions)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The results have been published and the applicants informed.")
        )
        return redirect(self.call)


class ApplicationCreateView(LoginRequiredMixin, CallObjectMixin, FormView):
    template_name = "premises/application_form.html"
    form_class = ApplicationForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        require("premises.apply", request.user, self.call)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": selectors.applying_organisations(user=self.request.user),
            "premises": self.call.premises.order_by("address"),
        }

    def get_initial(self):
        """The premises from the link followed, and the organisation or premises when there is
        only one to choose."""
        organisations = list(selectors.applying_organisations(user=self.request.user)[:2])
        premises = list(self.call.premises.values_list("pk", flat=True)[:2])
        wanted = self.request.GET.get("lokal", "")
        return {
            "organisation": organisations[0] if len(organisations) == 1 else None,
            "premises": int(wanted)
            if wanted.isdigit()
            else (premises[0] if len(premises) == 1 else None),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        files = data.pop("documents")
        try:
            application = services.application_submit(
                call=self.call,
                actor=self.request.user,
                documents=[(file.name, file) for file in files],
                **data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your application has been submitted."))
        return redirect(application)


class MyApplicationsView(LoginRequiredMixin, CappedPaginationMixin, ListView):
    template_name = "premises/my_applications.html"
    paginate_by = 20
    context_object_name = "applications"

    def get_queryset(self):
        return selectors.applications_of_user(user=self.request.user)


class ApplicationObjectMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = selectors.application_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class ApplicationDetailView(ApplicationObjectMixin, TemplateView):
    template_name = "premises/application_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application,
            documents=list(self.application.documents.all()),
            may_withdraw=has_permission(
                "premises.withdraw_application", self.request.user, self.application
            ),
            **kwargs,
        )


class ApplicationDocumentView(ApplicationObjectMixin, View):
    def get(self, request, pk, document_pk):
        document = get_object_or_404(self.application.documents.all(), pk=document_pk)
        return pdf_download(
            document.file, filename=f"wniosek-{self.application.pk}-{document.pk}.pdf"
        )


class ApplicationWithdrawView(ApplicationObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        require("premises.withdraw_application", request.user, self.application)
        services.application_withdraw(application=self.application, actor=request.user)
        messages.success(request, _("The application has been withdrawn."))
        return redirect(self.application)


class AlertListView(LoginRequiredMixin, FormView):
    template_name = "premises/alert_list.html"
    form_class = AlertForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("premises.set_alerts", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        organisations = selectors.applying_organisations(user=self.request.user)
        return {
            **super().get_form_kwargs(),
            "organisations": organisations,
            "municipalities": Municipality.objects.filter(
                Q(pk__in=Premises.objects.values("municipality_id"))
                | Q(pk__in=organisations.values("seat_municipality_id"))
            ).order_by("name"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            alerts=list(selectors.alerts_of_user(user=self.request.user)), **kwargs
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            services.alert_save(actor=self.request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The alert has been saved. We will e-mail you when something matches.")
        )
        return redirect("premises:alert-list")


class AlertDeleteView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        alert = selectors.alert_get_for_user(user=request.user, pk=pk)
        try:
            services.alert_delete(alert=alert, actor=request.user)
        except ValidationError:
            raise Http404 from None
        messages.success(request, _("The alert has been deleted."))
        return redirect("premises:alert-list")


class AlertUnsubscribeView(TemplateView):
    """The link in an alert's e-mails: the page asks to confirm (a GET changes nothing: mail
    scanners follow links), the button withdraws the alert; no sign-in needed, the signed
    token is the key."""

    template_name = "premises/alert_unsubscribe.html"

    def dispatch(self, request, *args, token, **kwargs):
        self.token = token
        self.alert = services.alert_from_token(token)
        if self.alert is None and request.method != "POST":
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(alert=self.alert, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.alert_unsubscribe(token=self.token, actor=request.user)
        except ValidationError as error:
            raise Http404 from error
        return self.render_to_response(self.get_context_data(withdrawn=True))
