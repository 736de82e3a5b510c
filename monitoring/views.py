"""Glue between HTTP and the monitoring services: permission → form → service → response."""

from operator import itemgetter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from pestor.exports import DATE, NUMBER, Column, export_response
from pestor.forms import apply_validation_error
from pestor.permissions import require
from pestor.storage import private_storage

from . import selectors, services
from .figures import flat_rows, programme_figures, year_bounds
from .forms import (
    ActionForm,
    FundsForm,
    GoalForm,
    IndicatorForm,
    MeasurementForm,
    PartDeleteForm,
    ProgrammeForm,
    ReportCommentForm,
    ReportOrderForm,
)
from .models import Report

# htmx swaps a response with this status and stops polling: the report is no longer changing.
HTMX_STOP_POLLING = 286

# --- the public dashboard ----------------------------------------------------------------------


class DashboardIndexView(ListView):
    template_name = "monitoring/dashboard_index.html"
    paginate_by = 30
    context_object_name = "municipalities"

    def get_queryset(self):
        return selectors.dashboard_municipalities()


class DashboardMixin:
    """The municipality in the URL, its adopted programme and the year whose figures to show."""

    def load(self):
        self.municipality = selectors.dashboard_municipality(slug=self.kwargs["slug"])
        today = timezone.localdate()
        programme_pk = _int_or_none(self.request.GET.get("program"))
        self.programmes = list(selectors.public_programmes(municipality=self.municipality))
        self.programme = selectors.public_programme_among(
            self.programmes, year=today.year, pk=programme_pk
        )
        year = _int_or_none(self.request.GET.get("rok"))
        if year is None or not self.programme.covers(year):
            year = min(max(today.year, self.programme.year_from), self.programme.year_to)
        self.year = year
        start, end = year_bounds(year)
        self.goals = selectors.programme_goals(programme=self.programme)
        # Computed indicators are read from their snapshots (one query), never computed here.
        self.goal_figures = programme_figures(
            self.goals, municipality=self.municipality, start=start, end=end
        )


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class DashboardView(DashboardMixin, TemplateView):
    template_name = "monitoring/dashboard.html"

    def get_context_data(self, **kwargs):
        self.load()
        return super().get_context_data(
            municipality=self.municipality,
            programme=self.programme,
            programmes=self.programmes,
            year=self.year,
            goal_figures=self.goal_figures,
            funds=selectors.programme_funds(programme=self.programme),
            published_reports=selectors.published_reports(municipality=self.municipality),
            **kwargs,
        )


EXPORT_COLUMNS = (
    Column(gettext_lazy("Goal"), itemgetter(0)),
    Column(pgettext_lazy("cooperation programme", "Action"), itemgetter(1)),
    Column(gettext_lazy("Indicator"), lambda row: row[2].name),
    Column(gettext_lazy("Unit"), lambda row: row[2].unit),
    Column(gettext_lazy("Baseline"), lambda row: row[2].baseline, NUMBER),
    Column(gettext_lazy("Target"), lambda row: row[2].target, NUMBER),
    Column(gettext_lazy("Year of the target"), lambda row: row[2].target_year, NUMBER),
    Column(gettext_lazy("Value"), lambda row: row[2].value, NUMBER),
    Column(gettext_lazy("Progress (%)"), lambda row: row[2].progress, NUMBER),
    Column(gettext_lazy("Source"), lambda row: row[2].source_label),
    # When a computed value was taken (its snapshot), or that it has not been yet.
    Column(gettext_lazy("Taken"), lambda row: _taken(row[2]), DATE),
)


def _taken(figure):
    if figure.missing:
        return _("not computed yet")
    return figure.taken_at


class DashboardExportView(DashboardMixin, View):
    """The dashboard's figures as CSV or XLSX (pestor.exports), numbers as numbers."""

    format = "csv"

    def get(self, request, *args, **kwargs):
        self.load()
        return export_response(
            rows=flat_rows(self.goal_figures),
            columns=EXPORT_COLUMNS,
            filename=f"program-wspolpracy-{self.municipality.slug}-{self.year}",
            fmt=self.format,
            title=str(self.year),
        )


# --- the team's pages --------------------------------------------------------------------------


class TeamMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("monitoring.use_team_pages", request.user)
        return super().dispatch(request, *args, **kwargs)


class TeamHomeView(TeamMixin, ListView):
    template_name = "monitoring/team.html"
    paginate_by = 30
    context_object_name = "programmes"

    def get_queryset(self):
        return selectors.programme_list_for_team(user=self.request.user)


class ProgrammeCreateView(TeamMixin, FormView):
    template_name = "monitoring/programme_form.html"
    form_class = ProgrammeForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "municipalities": selectors.team_municipalities(user=self.request.user),
        }

    def form_valid(self, form):
        municipality = form.cleaned_data["municipality"]
        require("monitoring.create_programme", self.request.user, municipality)
        try:
            programme = services.programme_create(
                municipality=municipality, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The programme has been created. Add its goals and actions.")
        )
        return redirect(programme)


class ProgrammeMixin(LoginRequiredMixin):
    """The programme in the URL, through the user-scoped selector (a draft of another team is
    404), and the permission to keep it (an adopted programme of another team is 403)."""

    permission = "monitoring.manage_programme"
    # The programme's goals and funds read with it (``selectors.programme_get_for_user``).
    with_parts = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.programme = selectors.programme_get_for_user(
            user=request.user, pk=kwargs["pk"], with_parts=self.with_parts
        )
        require(self.permission, request.user, self.programme)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}


def _programme_year(programme) -> int:
    """The year whose figures the team's page shows: this one, within the programme."""
    return min(max(timezone.localdate().year, programme.year_from), programme.year_to)


class ProgrammeDetailView(ProgrammeMixin, TemplateView):
    template_name = "monitoring/programme_detail.html"
    with_parts = True

    def snapshot_job(self):
        start, end = year_bounds(_programme_year(self.programme))
        return selectors.snapshot_refresh_latest(
            municipality=self.programme.municipality_id, start=start, end=end
        )

    def get(self, request, *args, **kwargs):
        if request.headers.get("HX-Request"):
            # htmx polls the progress of "compute now" alone while it runs.
            job = self.snapshot_job()
            return TemplateResponse(
                request,
                "monitoring/programme_detail.html#snapshot-status",
                {"programme": self.programme, "snapshot_job": job, "polled": True},
                status=200 if job and job.is_active else HTMX_STOP_POLLING,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        year = _programme_year(self.programme)
        start, end = year_bounds(year)
        goals = selectors.programme_goals(programme=self.programme)
        goal_figures = programme_figures(
            goals, municipality=self.programme.municipality, start=start, end=end
        )
        computed = [figure for *_, figure in flat_rows(goal_figures) if not figure.is_manual]
        return super().get_context_data(
            year=year,
            goal_figures=goal_figures,
            has_computed=bool(computed),
            any_missing=any(figure.missing for figure in computed),
            snapshot_job=self.snapshot_job() if computed else None,
            funds=selectors.programme_funds(programme=self.programme),
            latest_reports=self.programme.reports.select_related("requested_by")[:5],
            **kwargs,
        )


class SnapshotRefreshView(ProgrammeMixin, View):
    """The team's "compute now": the portal's indicators of the programme's municipality for the
    year shown, computed again in the background (a job with progress on the programme's page)."""

    permission = "monitoring.refresh_snapshots"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        year = _int_or_none(request.POST.get("rok"))
        if year is None or not self.programme.covers(year):
            year = _programme_year(self.programme)
        start, end = year_bounds(year)
        job = services.snapshot_refresh_order(
            municipality=self.programme.municipality,
            start=start,
            end=end,
            requested_by=request.user,
        )
        job.refresh_from_db()
        if job.status == job.Status.DONE:
            messages.success(request, _("The portal's indicators have been computed."))
        elif job.status == job.Status.FAILED:
            messages.error(
                request, _("Computing the indicators failed: %(error)s") % {"error": job.error}
            )
        else:
            messages.success(
                request,
                _(
                    "The portal's indicators are being computed in the background; this page "
                    "shows the progress."
                ),
            )
        return redirect(self.programme)


class ProgrammeEditView(ProgrammeMixin, FormView):
    template_name = "monitoring/programme_form.html"
    form_class = ProgrammeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("programme")
        return {**kwargs, "instance": self.programme}

    def form_valid(self, form):
        try:
            services.programme_update(
                programme=self.programme, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes have been saved."))
        return redirect(self.programme)


class ProgrammeFundsView(ProgrammeMixin, FormView):
    template_name = "monitoring/part_form.html"
    form_class = FundsForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Planned funds"),
            intro=_(
                "The funds planned for carrying out the programme in each year (art. 5a ust. 4 "
                "of the Act on public benefit activity), in PLN. Leave a year empty if no amount "
                "is planned."
            ),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.programme_funds_set(
                programme=self.programme, actor=self.request.user, amounts=form.amounts()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The planned funds have been saved."))
        return redirect(self.programme)


class ProgrammePartView(ProgrammeMixin, FormView):
    """Adding or editing a goal, an action or an indicator of the programme; the part in the
    URL is fetched within the programme (another programme's part is 404)."""

    template_name = "monitoring/part_form.html"
    intro = ""
    object = None

    def get_object(self):
        raise NotImplementedError

    def get_form_kwargs(self):
        self.object = self.get_object()
        kwargs = super().get_form_kwargs()
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object, heading=self.heading(), intro=self.intro, **kwargs
        )

    def heading(self) -> str:
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes have been saved."))
        return redirect(self.programme)


class GoalFormView(ProgrammePartView):
    form_class = GoalForm

    def heading(self):
        return _("Edit the goal") if self.object else _("Add a specific goal")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("programme")
        return kwargs

    def get_object(self):
        if "goal_pk" not in self.kwargs:
            return None
        return selectors.goal_get(programme=self.programme, pk=self.kwargs["goal_pk"])

    def save(self, form):
        services.goal_save(
            programme=self.programme,
            actor=self.request.user,
            goal=self.object,
            **form.service_kwargs(),
        )


class ActionFormView(ProgrammePartView):
    form_class = ActionForm

    def heading(self):
        return _("Edit the action") if self.object else _("Add an action")

    def get_object(self):
        if "action_pk" not in self.kwargs:
            return None
        return selectors.action_get(programme=self.programme, pk=self.kwargs["action_pk"])

    def get_initial(self):
        goal = _int_or_none(self.request.GET.get("cel"))
        return {"goal": goal} if goal else {}

    def save(self, form):
        services.action_save(
            programme=self.programme,
            actor=self.request.user,
            action=self.object,
            **form.service_kwargs(),
        )


class IndicatorFormView(ProgrammePartView):
    form_class = IndicatorForm
    intro = _(
        "An indicator measures a goal or an action. Its value is entered by the team as "
        "measurements, or computed by the portal from its own data for the period shown."
    )

    def heading(self):
        return _("Edit the indicator") if self.object else _("Add an indicator")

    def get_object(self):
        if "indicator_pk" not in self.kwargs:
            return None
        return selectors.indicator_get(programme=self.programme, pk=self.kwargs["indicator_pk"])

    def get_initial(self):
        for kind, param in (("goal", "cel"), ("action", "dzialanie")):
            pk = _int_or_none(self.request.GET.get(param))
            if pk:
                return {"attached_to": f"{kind}:{pk}"}
        return {}

    def save(self, form):
        services.indicator_save(
            programme=self.programme,
            actor=self.request.user,
            indicator=self.object,
            **form.service_kwargs(),
        )


class MeasurementListView(ProgrammeMixin, FormView):
    """A manual indicator's measurements, and the form to enter one."""

    template_name = "monitoring/measurement_list.html"
    form_class = MeasurementForm

    def get_indicator(self):
        if not hasattr(self, "indicator"):
            self.indicator = selectors.indicator_get(
                programme=self.programme, pk=self.kwargs["indicator_pk"]
            )
            if not self.indicator.is_manual:
                raise Http404
        return self.indicator

    paginate_by = 50

    def get_context_data(self, **kwargs):
        indicator = self.get_indicator()
        paginator = Paginator(selectors.measurement_list(indicator=indicator), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            indicator=indicator,
            measurements=page.object_list,
            page_obj=page,
            paginator=paginator,
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        self.get_indicator()
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.measurement_record(
                indicator=self.get_indicator(), actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The measurement has been saved."))
        return redirect(
            "monitoring:measurement-list", pk=self.programme.pk, indicator_pk=self.indicator.pk
        )


class ProgrammePartDeleteView(ProgrammeMixin, FormView):
    """The confirmation page of deleting a goal, an action or an indicator: what goes with it,
    what must go first, and the box for deleting its measurements too."""

    template_name = "monitoring/part_delete.html"
    form_class = PartDeleteForm

    def get_part(self):
        raise NotImplementedError

    def remove(self, *, with_measurements: bool) -> None:
        raise NotImplementedError

    def heading(self) -> str:
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("programme")
        return kwargs

    def get_context_data(self, **kwargs):
        part = self.get_part()
        return super().get_context_data(
            part=part, heading=self.heading(), impact=self.impact(), **kwargs
        )

    def impact(self) -> dict:
        if not hasattr(self, "_impact"):
            self._impact = services.deletion_impact(**{self.part_kind: self.get_part()})
        return self._impact

    def form_valid(self, form):
        try:
            self.remove(with_measurements=form.cleaned_data["with_measurements"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Deleted. The event log of the programme keeps it."))
        return redirect(self.programme)


class GoalDeleteView(ProgrammePartDeleteView):
    part_kind = "goal"

    def get_part(self):
        if not hasattr(self, "part"):
            self.part = selectors.goal_get(programme=self.programme, pk=self.kwargs["goal_pk"])
        return self.part

    def heading(self):
        return _("Delete the goal %(goal)s?") % {"goal": self.get_part()}

    def remove(self, *, with_measurements):
        services.goal_delete(
            goal=self.get_part(), actor=self.request.user, with_measurements=with_measurements
        )


class ActionDeleteView(ProgrammePartDeleteView):
    part_kind = "action"

    def get_part(self):
        if not hasattr(self, "part"):
            self.part = selectors.action_get(programme=self.programme, pk=self.kwargs["action_pk"])
        return self.part

    def heading(self):
        return _("Delete the action „%(action)s”?") % {"action": self.get_part()}

    def remove(self, *, with_measurements):
        services.action_delete(
            action=self.get_part(), actor=self.request.user, with_measurements=with_measurements
        )


class IndicatorDeleteView(ProgrammePartDeleteView):
    part_kind = "indicator"

    def get_part(self):
        if not hasattr(self, "part"):
            self.part = selectors.indicator_get(
                programme=self.programme, pk=self.kwargs["indicator_pk"]
            )
        return self.part

    def heading(self):
        return _("Delete the indicator „%(indicator)s”?") % {"indicator": self.get_part()}

    def remove(self, *, with_measurements):
        services.indicator_delete(
            indicator=self.get_part(), actor=self.request.user, with_measurements=with_measurements
        )


class MeasurementDeleteView(ProgrammeMixin, TemplateView):
    """The confirmation page of deleting one measurement entered by mistake."""

    template_name = "monitoring/measurement_delete.html"

    def get_measurement(self):
        if not hasattr(self, "measurement"):
            indicator = selectors.indicator_get(
                programme=self.programme, pk=self.kwargs["indicator_pk"]
            )
            self.measurement = get_object_or_404(
                selectors.measurement_list(indicator=indicator), pk=self.kwargs["measurement_pk"]
            )
        return self.measurement

    def get_context_data(self, **kwargs):
        measurement = self.get_measurement()
        return super().get_context_data(
            measurement=measurement, indicator=measurement.indicator, **kwargs
        )

    def post(self, request, *args, **kwargs):
        measurement = self.get_measurement()
        services.measurement_delete(measurement=measurement, actor=request.user)
        messages.success(request, _("The measurement has been deleted; the event log keeps it."))
        return redirect(
            "monitoring:measurement-list",
            pk=self.programme.pk,
            indicator_pk=measurement.indicator_id,
        )


# --- reports ----------------------------------------------------------------------------------


class ReportListView(ProgrammeMixin, FormView):
    """The programme's reports with their status (refreshed by htmx while any is being built),
    and the form to order one."""

    permission = "monitoring.order_report"
    template_name = "monitoring/report_list.html"
    form_class = ReportOrderForm
    paginate_by = 20

    def get_context_data(self, **kwargs):
        filterset = selectors.report_list(programme=self.programme, filters=self.request.GET)
        paginator = Paginator(filterset.qs, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        reports = list(page.object_list)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            paginator=paginator,
            reports=reports,
            any_active=any(report.is_active for report in reports),
            query=query.urlencode(),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        if request.headers.get("HX-Request"):
            # htmx polls the table alone while a report is being built.
            context = self.get_context_data()
            return TemplateResponse(
                request,
                "monitoring/report_list.html#report-table",
                context,
                status=200 if context["any_active"] else HTMX_STOP_POLLING,
            )
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            report = services.report_order(
                programme=self.programme, requested_by=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        report.refresh_from_db()
        if report.status == report.Status.DONE:
            messages.success(self.request, _("The report is ready."))
        else:
            messages.success(
                self.request,
                _(
                    "The report has been ordered. It is being prepared in the background; "
                    "this page shows its progress and we will e-mail you when it is ready."
                ),
            )
        return redirect(report)


class ReportMixin(LoginRequiredMixin):
    permission = "monitoring.view_report"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.report = selectors.report_get_for_user(user=request.user, pk=kwargs["pk"])
        require(self.permission, request.user, self.report)
        return super().dispatch(request, *args, **kwargs)


class ReportDetailView(ReportMixin, FormView):
    template_name = "monitoring/report_detail.html"
    form_class = ReportCommentForm
    http_method_names = ["get"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.report.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report,
            programme=self.report.programme,
            comments=selectors.report_comments(report=self.report),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        if request.headers.get("HX-Request"):
            return TemplateResponse(
                request,
                "monitoring/report_detail.html#report-status",
                {"report": self.report},
                status=200 if self.report.is_active else HTMX_STOP_POLLING,
            )
        return super().get(request, *args, **kwargs)


class ReportCommentView(ReportMixin, FormView):
    permission = "monitoring.comment_report"
    template_name = "monitoring/report_detail.html"
    form_class = ReportCommentForm
    http_method_names = ["post"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.report.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report,
            programme=self.report.programme,
            comments=selectors.report_comments(report=self.report),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.report_comment_add(
                report=self.report,
                author=self.request.user,
                body=form.cleaned_data["body"],
                goal=form.cleaned_data["goal"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The comment has been added. Build the report again to include it in the PDF."),
        )
        return redirect(self.report)


class ReportRerunView(ReportMixin, View):
    permission = "monitoring.rerun_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            report = services.report_rerun(report=self.report, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.report)
        report.refresh_from_db()
        if report.status == report.Status.DONE:
            messages.success(request, _("The report has been built again and is ready."))
        else:
            messages.success(request, _("The report is being built again."))
        return redirect(report)


def _report_file_response(report: Report, *, cache_control: str) -> FileResponse:
    try:
        handle = private_storage().open(report.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report.download_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ReportDownloadView(ReportMixin, View):
    permission = "monitoring.view_report"

    def get(self, request, *args, **kwargs):
        report = self.report
        if report.status != report.Status.DONE or not report.file:
            raise Http404
        require("monitoring.download_report", request.user, report)
        return _report_file_response(report, cache_control="private, no-store")


class PublishedReportDownloadView(View):
    """A published report, for anyone; withdrawn from publication it is a 404 again."""

    def get(self, request, *args, **kwargs):
        report = selectors.published_report_get(municipality_slug=kwargs["slug"], pk=kwargs["pk"])
        if not report.file:
            raise Http404
        require("monitoring.download_report", request.user, report)
        # Revalidated on every download, so that an unpublished report stops being served.
        return _report_file_response(report, cache_control="no-cache")


class ReportPublishView(ReportMixin, View):
    permission = "monitoring.publish_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.report_publish(report=self.report, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The report is published: the public page of %(municipality)s lists it and "
                    "anyone can download it."
                )
                % {"municipality": self.report.programme.municipality},
            )
        return redirect(self.report)


class ReportUnpublishView(ReportMixin, View):
    permission = "monitoring.unpublish_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.report_unpublish(report=self.report, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is no longer public."))
        return redirect(self.report)
