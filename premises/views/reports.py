"""The tenants' annual reports (filing, the officials' queue, accept or return) and the public
results page with its downloads."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from pestor.exports import NUMBER, Column, export_response
from pestor.forms import apply_validation_error
from pestor.permissions import has_permission, require

from .. import selectors, services
from ..charts import bar_chart
from ..forms import ReportForm, ResultsScopeForm, ReturnForm
from ..services.reports import reportable_years
from .leases import LeaseObjectMixin


class ReportCreateView(LeaseObjectMixin, FormView):
    template_name = "premises/report_form.html"
    form_class = ReportForm

    def get(self, request, *args, **kwargs):
        self._check()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check()
        return super().post(request, *args, **kwargs)

    def _check(self):
        require("premises.report", self.request.user, self.lease)
        if self.kwargs["year"] not in reportable_years(self.lease):
            raise Http404

    def get_initial(self):
        returned = self.lease.reports.filter(year=self.kwargs["year"]).first()
        if returned is None:
            return {"in_kind_contribution": 0}
        return {name: getattr(returned, name) for name in services.reports.REPORT_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            year=self.kwargs["year"],
            returned=self.lease.reports.filter(year=self.kwargs["year"], status="returned").first(),
            **kwargs,
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        photo, alt = data.pop("photo"), data.pop("photo_alt")
        try:
            report = services.report_submit(
                lease=self.lease,
                year=self.kwargs["year"],
                actor=self.request.user,
                photos=[(photo, alt)] if photo else [],
                **data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report has been filed. Thank you."))
        return redirect(report)


class ReportDetailView(LoginRequiredMixin, FormView):
    template_name = "premises/report_detail.html"
    form_class = ReturnForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.report = selectors.report_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report,
            photos=list(self.report.photos.all()),
            may_decide=has_permission("premises.decide_report", self.request.user, self.report),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        require("premises.decide_report", request.user, self.report)
        if "accept" in request.POST:
            services.report_accept(report=self.report, actor=request.user)
            messages.success(request, _("The report has been accepted."))
            return redirect(self.report)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.report_return(
                report=self.report, actor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report has been returned to the tenant."))
        return redirect(self.report)


class ReportQueueView(LoginRequiredMixin, TemplateView):
    """The officials' reports: filed ones to accept or return, and the overdue ones."""

    template_name = "premises/report_queue.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("premises.manage", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            to_decide=list(selectors.reports_to_decide(user=user)[:200]),
            overdue=selectors.overdue_reports(user=user),
            **kwargs,
        )


def _results_scope(request):
    """The year (the latest with data by default) and the municipality (all by default)."""
    years = selectors.results_years()
    year, municipality = ResultsScopeForm(request.GET, years=years).scope()
    return years, year, municipality


class ResultsView(TemplateView):
    """ "What the city gives and what comes of it": per year, by district and by sphere, with
    charts drawn on the server and the same figures in tables."""

    template_name = "premises/results.html"

    def get_context_data(self, **kwargs):
        years, year, municipality = _results_scope(self.request)
        data = selectors.results(year=year, municipality=municipality) if year else None
        charts = {}
        if data:
            charts = {
                "district": bar_chart(
                    rows=[(row["label"], row["support"]) for row in data["by_district"][:15]],
                    title=_("Support value by district in %(year)s, in PLN") % {"year": year},
                    chart_id="chart-district",
                    unit="zł",
                ),
                "sphere": bar_chart(
                    rows=[(row["label"], row["support"]) for row in data["by_sphere"][:15]],
                    title=_("Support value by sphere in %(year)s, in PLN") % {"year": year},
                    chart_id="chart-sphere",
                    unit="zł",
                ),
            }
        query = f"rok={year}" + (f"&gmina={municipality.slug}" if municipality else "")
        return super().get_context_data(
            years=years,
            year=year,
            municipality=municipality,
            data=data,
            charts=charts,
            query=query,
            **kwargs,
        )


RESULT_COLUMNS = (
    Column(gettext_lazy("Year"), lambda row: row.year, NUMBER),
    Column(gettext_lazy("Address"), lambda row: row.lease.premises.address),
    Column(gettext_lazy("District"), lambda row: row.district),
    Column(gettext_lazy("Area (m²)"), lambda row: row.area_m2, NUMBER),
    Column(gettext_lazy("Tenant"), lambda row: row.organisation.name),
    Column(gettext_lazy("Sphere"), lambda row: row.sphere.name),
    Column(gettext_lazy("Months"), lambda row: row.months, NUMBER),
    Column(gettext_lazy("Rent charged (PLN)"), lambda row: row.charged, NUMBER),
    Column(gettext_lazy("Support value (PLN)"), lambda row: row.support, NUMBER),
    Column(gettext_lazy("Beneficiaries"), lambda row: row.beneficiaries or 0, NUMBER),
)


class ResultsExportView(View):
    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        _years, year, municipality = _results_scope(request)
        if year is None:
            raise Http404
        rows = selectors.results_premises_rows(year=year, municipality=municipality)
        return export_response(
            rows=rows.iterator(chunk_size=500),
            columns=RESULT_COLUMNS,
            filename=f"wyniki-lokali-{year}",
            fmt=fmt,
            title=str(_("Premises results %(year)s") % {"year": year}),
        )


class ResultsGeoJsonView(View):
    def get(self, request):
        _years, year, municipality = _results_scope(request)
        if year is None:
            raise Http404
        rows = selectors.results_premises_rows(year=year, municipality=municipality)
        features = [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        float(row.lease.premises.longitude),
                        float(row.lease.premises.latitude),
                    ],
                }
                if row.lease.premises.has_position
                else None,
                "properties": {
                    "year": row.year,
                    "address": row.lease.premises.address,
                    "district": row.district,
                    "area_m2": str(row.area_m2),
                    "tenant": row.organisation.name,
                    "sphere": row.sphere.name,
                    "support_pln": str(row.support),
                    "beneficiaries": row.beneficiaries or 0,
                },
            }
            for row in rows.iterator(chunk_size=500)
        ]
        response = HttpResponse(
            json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
            content_type="application/geo+json",
        )
        response["Content-Disposition"] = f'attachment; filename="wyniki-lokali-{year}.geojson"'
        return response
