"""Leases: signing one for premises, its page with the months it computes, indexation and end,
the list, and the support totals (with their export)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from directory.models import Organisation, PublicBenefitSphere
from pestor import roles
from pestor.exports import NUMBER, Column
from pestor.forms import apply_validation_error
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require
from pestor.views import ListExportView

from .. import selectors, services
from ..forms import IndexationForm, LeaseEndForm, LeaseForm
from .registry import ManagedPremisesMixin


class LeaseCreateView(ManagedPremisesMixin, FormView):
    template_name = "premises/lease_form.html"
    form_class = LeaseForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": Organisation.objects.filter(
                status=Organisation.Status.VERIFIED
            ).order_by("name"),
            "spheres": PublicBenefitSphere.objects.order_by("position"),
        }

    def get_initial(self):
        initial = {"starts_on": timezone.localdate(), "deposit": 0}
        application = self.request.GET.get("wniosek")
        chosen = (
            self.premises.applications.filter(pk=application, status="chosen")
            .select_related("organisation")
            .first()
            if application and application.isdigit()
            else None
        )
        if chosen is not None:
            initial.update(
                organisation=chosen.organisation,
                activity=chosen.intended_use,
                basic_rent_m2=chosen.proposed_rent_m2,
            )
        return initial

    def get_context_data(self, **kwargs):
        policy = services.leases.policy_of(self.premises.municipality_id)
        return super().get_context_data(policy=policy, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        application = self.request.GET.get("wniosek")
        chosen = (
            self.premises.applications.filter(
                pk=application, status="chosen", organisation=data["organisation"]
            ).first()
            if application and application.isdigit()
            else None
        )
        try:
            lease = services.lease_sign(
                premises=self.premises, actor=self.request.user, application=chosen, **data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The lease has been registered."))
        return redirect(lease)


class LeaseListView(LoginRequiredMixin, CappedPaginationMixin, ListView):
    template_name = "premises/lease_list.html"
    paginate_by = 50
    context_object_name = "leases"

    def get_queryset(self):
        return selectors.lease_list(user=self.request.user).order_by("-starts_on", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_manage=has_permission("premises.manage", self.request.user),
            today=timezone.localdate(),
            **kwargs,
        )


class LeaseObjectMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.lease = selectors.lease_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(lease=self.lease, **kwargs)


class LeaseDetailView(LeaseObjectMixin, TemplateView):
    template_name = "premises/lease_detail.html"

    def get_context_data(self, **kwargs):
        from ..services.reports import reportable_years

        lease = self.lease
        user = self.request.user
        reports = {report.year: report for report in lease.reports.all()}
        years = [
            {"year": year, "report": reports.get(year)}
            for year in reversed(reportable_years(lease))
        ]
        months = selectors.lease_months_table(lease=lease)
        return super().get_context_data(
            rates=list(lease.rates.all()),
            months=months,
            support_years=list(lease.support_years.order_by("-year")),
            report_years=years,
            may_manage=has_permission("premises.manage_lease", user, lease),
            may_report=has_permission("premises.report", user, lease),
            index_form=IndexationForm(),
            end_form=LeaseEndForm(),
            **kwargs,
        )


class LeaseIndexView(LeaseObjectMixin, FormView):
    template_name = "premises/lease_action.html"
    form_class = IndexationForm

    def get(self, request, *args, **kwargs):
        require("premises.manage_lease", request.user, self.lease)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        require("premises.manage_lease", request.user, self.lease)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Indexation of the rent"), **kwargs)

    def form_valid(self, form):
        try:
            services.lease_index(lease=self.lease, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The new rates have been saved."))
        return redirect(self.lease)


class LeaseEndView(LeaseIndexView):
    form_class = LeaseEndForm

    def get_context_data(self, **kwargs):
        return super(LeaseIndexView, self).get_context_data(title=_("End of the lease"), **kwargs)

    def form_valid(self, form):
        try:
            services.lease_end(lease=self.lease, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The end of the lease has been recorded."))
        return redirect(self.lease)


GROUPS = {
    "year": gettext_lazy("year"),
    "tenant": gettext_lazy("tenant"),
    "district": gettext_lazy("district"),
    "sphere": gettext_lazy("sphere"),
}


def _group(request) -> str:
    by = request.GET.get("by", "year")
    return by if by in GROUPS else "year"


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def _official_municipality(user):
    """The officials' totals cover their municipality (the administrator's: all)."""
    if roles.is_administrator(user):
        return None
    ids = sorted(roles.official_municipality_ids(user))
    return ids[0] if ids else -1


class SupportTotalsView(LoginRequiredMixin, TemplateView):
    """The support value per year, tenant, district or sphere (its municipality's officials)."""

    template_name = "premises/support_totals.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("premises.manage", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        by = _group(self.request)
        year = _year(self.request)
        return super().get_context_data(
            by=by,
            year=year,
            groups=GROUPS,
            years=selectors.results_years(),
            rows=selectors.support_totals(
                municipality=_official_municipality(self.request.user), by=by, year=year
            ),
            query=self.request.GET.urlencode(),
            **kwargs,
        )


def _label(row) -> str:
    return str(
        row.get("year")
        or row.get("organisation__name")
        or row.get("district")
        or row.get("sphere__name")
        or ""
    )


SUPPORT_COLUMNS = (
    Column(gettext_lazy("Group"), _label),
    Column(gettext_lazy("Leases"), lambda row: row["leases"], NUMBER),
    Column(gettext_lazy("Rent charged (PLN)"), lambda row: row["charged"], NUMBER),
    Column(gettext_lazy("Support value (PLN)"), lambda row: row["support"], NUMBER),
)


class SupportExportView(LoginRequiredMixin, ListExportView):
    columns = SUPPORT_COLUMNS
    filename = "wsparcie-lokalowe"
    title = gettext_lazy("Support value of the premises")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("premises.manage", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_rows(self):
        return selectors.support_totals(
            municipality=_official_municipality(self.request.user),
            by=_group(self.request),
            year=_year(self.request),
        )
