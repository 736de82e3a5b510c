"""Pages of the grants: the strategy, the competitions (public list, page, Atom feed, the
officials' forms), offers of PES, the formal check, the ranking with the decision and its
exports. The committee scores on the ``scoring`` pages."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from pestor.documents import pdf_download
from pestor.exports import FORMATS, export_response
from pestor.forms import ModelChoiceField, apply_validation_error
from pestor.models import Municipality
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require

from . import exports, opendata, selectors, services
from . import pdf as pdf_module
from .forms import (
    AreaForm,
    CardForm,
    CompetitionForm,
    DecisionForm,
    FormalCheckForm,
    GoalForm,
    OfferForm,
    OutcomeForm,
    StrategyForm,
    SupplementCallForm,
)
from .models import Competition, Offer, Strategy, StrategyArea, StrategyGoal, StrategyOutcome


class SignedInMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


# --- the strategy ------------------------------------------------------------------------------


class StrategyListView(CappedPaginationMixin, ListView):
    template_name = "grants/strategy_list.html"
    paginate_by = 20
    context_object_name = "strategies"

    def get_queryset(self):
        return selectors.strategy_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_manage=has_permission("grants.manage", self.request.user), **kwargs
        )


class StrategyDetailView(TemplateView):
    template_name = "grants/strategy_detail.html"

    def get_context_data(self, **kwargs):
        strategy = selectors.strategy_get(pk=kwargs["pk"])
        return super().get_context_data(
            strategy=strategy,
            may_edit=has_permission("grants.edit_strategy", self.request.user, strategy),
            **kwargs,
        )


class StrategyCreateView(SignedInMixin, FormView):
    template_name = "grants/form_page.html"
    form_class = StrategyForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("grants.manage", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["municipality"] = _municipality_field(self.request.user)
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("New strategy"), **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            strategy = services.strategy_create(actor=self.request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The strategy has been saved. Add its areas now."))
        return redirect(strategy)


def _municipality_field(user):

    from pestor import roles

    queryset = Municipality.objects.order_by("name")
    if not roles.is_administrator(user):
        queryset = queryset.filter(pk__in=roles.official_municipality_ids(user))
    return ModelChoiceField(label=_("Municipality"), queryset=queryset)


# Each part of a strategy: its form, its parent (for a new one) and the heading of its page.
PARTS = {
    "strategy": (Strategy, None, StrategyForm),
    "area": (StrategyArea, Strategy, AreaForm),
    "goal": (StrategyGoal, StrategyArea, GoalForm),
    "outcome": (StrategyOutcome, StrategyGoal, OutcomeForm),
}
PARENT_FIELD = {StrategyArea: "strategy", StrategyGoal: "area", StrategyOutcome: "goal"}


class StrategyPartView(SignedInMixin, FormView):
    """Add an area to a strategy, a goal to an area, an outcome to a goal (``new``), or change
    any of them."""

    template_name = "grants/form_page.html"
    part = "strategy"
    new = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        model, parent_model, self.form_class = PARTS[self.part]
        if self.new:
            parent = selectors.strategy_part_get(model=parent_model, pk=kwargs["pk"])
            self.instance = model(**{PARENT_FIELD[model]: parent})
        else:
            self.instance = selectors.strategy_part_get(model=model, pk=kwargs["pk"])
        self.strategy = services._strategy_of(self.instance)
        require("grants.edit_strategy", request.user, self.strategy)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"{self.strategy.name}: {self.instance._meta.verbose_name}",
            back=self.strategy.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.strategy_part_save(
                instance=self.instance, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.strategy)


# --- competitions ------------------------------------------------------------------------------


class CompetitionListView(CappedPaginationMixin, ListView):
    template_name = "grants/competition_list.html"
    paginate_by = 20
    context_object_name = "competitions"

    def get_queryset(self):
        self.filterset = selectors.competition_list(filters=self.request.GET or None)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_manage = has_permission("grants.manage", user)
        return super().get_context_data(
            filter=self.filterset,
            drafts=list(selectors.competition_drafts(user=user)[:50]) if may_manage else [],
            may_manage=may_manage,
            now=timezone.now(),
            **kwargs,
        )


class CompetitionFormMixin:
    template_name = "grants/competition_form.html"
    form_class = CompetitionForm

    def get_form_kwargs(self):
        municipality_id = getattr(getattr(self, "competition", None), "municipality_id", None)
        return {
            **super().get_form_kwargs(),
            "outcomes": selectors.outcomes_for(
                user=self.request.user, municipality_id=municipality_id
            ),
        }


class CompetitionCreateView(SignedInMixin, CompetitionFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("grants.manage", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["municipality"] = _municipality_field(self.request.user)
        return form

    def form_valid(self, form):
        data = form.service_data()
        try:
            competition = services.competition_create(actor=self.request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The competition has been saved as a draft. Announce it when ready.")
        )
        return redirect(competition)


class CompetitionObjectMixin:
    with_card = False  # the card's outcomes and criteria read with the competition's row

    def dispatch(self, request, *args, **kwargs):
        self.competition = selectors.competition_get_for_user(
            user=request.user, pk=kwargs["pk"], with_card=self.with_card
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(competition=self.competition, **kwargs)


class CompetitionUpdateView(SignedInMixin, CompetitionObjectMixin, CompetitionFormMixin, FormView):
    def get(self, request, *args, **kwargs):
        require("grants.edit_competition", request.user, self.competition)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        require("grants.edit_competition", request.user, self.competition)
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        competition = self.competition
        initial = {
            name: getattr(competition, name)
            for name in ("title", "description", "sphere", "budget", "alignment_points")
        }
        initial.update(
            offers_from=timezone.localtime(competition.offers_from),
            offers_until=timezone.localtime(competition.offers_until),
            task_starts_on=competition.task_starts_on,
            task_ends_on=competition.task_ends_on,
            outcomes=list(competition.outcomes.all()),
            formal_criteria="\n".join(c.name for c in competition.formal_criteria.all()),
        )
        points = {c.name: c.max_points for c in competition.merit_criteria.all()}
        for index, (name, _points) in enumerate(services.MERIT_CRITERIA):
            initial[f"merit_{index}"] = points.get(name, 0)
        return initial

    def form_valid(self, form):
        try:
            services.competition_update(
                competition=self.competition, actor=self.request.user, **form.service_data()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The competition has been saved."))
        return redirect(self.competition)


RESULTS_PER_PAGE = 50


def _results_page(request, ranking):
    """A page of the ranked offers (a competition may rank hundreds)."""
    items = ranking.results.items if ranking and ranking.results else []
    return Paginator(items, RESULTS_PER_PAGE).get_page(request.GET.get("page"))


class CompetitionDetailView(CompetitionObjectMixin, TemplateView):
    """The competition, its card and dates; its results once published."""

    template_name = "grants/competition_detail.html"
    with_card = True

    def get_context_data(self, **kwargs):
        user = self.request.user
        competition = self.competition
        may_manage = has_permission("grants.manage_competition", user, competition)
        decided = competition.status == Competition.Status.DECIDED
        # Read first, with the reader's seat on the committee (the permissions below ask it)
        # and what the results count: a fixed number of queries whoever reads (issue 8).
        panel = selectors.competition_panel(
            competition=competition, reader=user, with_results=decided
        )
        # The officials' table of offers; the ranking takes the failed ones from it.
        offers = selectors.competition_offer_list(competition=competition) if may_manage else []
        outcomes = selectors.competition_outcomes(competition=competition)
        ranking = selectors.competition_ranking(competition=competition) if decided else None
        return super().get_context_data(
            outcomes=outcomes,
            alignment=services.alignment_criteria(competition, outcomes=outcomes),
            merit_criteria=selectors.competition_merit_criteria(competition=competition),
            formal_criteria=selectors.competition_formal_criteria(competition=competition),
            accepts_offers=competition.accepts_offers(),
            may_submit=has_permission("grants.submit_offer", user, competition),
            may_edit=has_permission("grants.edit_competition", user, competition),
            may_manage=may_manage,
            may_rank=has_permission("grants.view_ranking", user, competition),
            panel=panel,
            offers=offers,
            ranking=ranking,
            page_obj=_results_page(self.request, ranking) if decided else None,
            today=timezone.localdate(),
            **kwargs,
        )


class CompetitionPublishView(SignedInMixin, CompetitionObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        require("grants.edit_competition", request.user, self.competition)
        try:
            services.competition_publish(competition=self.competition, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The competition has been announced. Add the committee's members on its panel."),
            )
        return redirect(self.competition)


class RankingView(SignedInMixin, CompetitionObjectMixin, FormView):
    """The committee's ranking with every criterion's mean, the offers that failed the formal
    check apart, and (once the chair has closed scoring) the amounts and the decision."""

    template_name = "grants/ranking.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def _load(self):
        # The panel first, with the reader's seat and what the results count (one query).
        selectors.competition_panel(
            competition=self.competition, reader=self.request.user, with_results=True
        )
        require("grants.view_ranking", self.request.user, self.competition)
        self.ranking = selectors.competition_ranking(competition=self.competition)
        self.may_decide = has_permission("grants.decide", self.request.user, self.competition)
        # The amounts' form only while a decision can be made (500 fields cost a page).
        self.fundable = [
            result.item
            for result in (self.ranking.results.items if self.ranking.results else [])
            if self.may_decide and result.item.formal_status == Offer.Formal.PASSED
        ]

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        if not self.may_decide:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "offers": self.fundable}

    def get_context_data(self, **kwargs):
        # While deciding, every offer stands beside its amount; after, the ranking is paged.
        page = None if self.may_decide else _results_page(self.request, self.ranking)
        return super().get_context_data(
            ranking=self.ranking,
            rows=page.object_list if page else self.ranking.results.items,
            page_obj=page,
            panel=selectors.competition_panel(competition=self.competition),
            may_decide=self.may_decide,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.competition_decide(
                competition=self.competition, actor=self.request.user, amounts=form.amounts()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The results have been published and every applicant informed.")
        )
        return redirect(self.competition)


# htmx stops polling on this status (the PDF is built, or failed).
HTMX_STOP_POLLING = 286


def _analysis_page(request, *, competition=None, area=None):
    """The cost-benefit analysis of a competition or a strategy area, with its PDF's state. An
    htmx request (polling while the PDF is built) gets the PDF's state only."""
    subject = competition if competition is not None else area
    job = selectors.analysis_pdf(competition=competition, area=area)
    name = "competition" if competition is not None else "area"
    context = {
        "pdf": job,
        "pdf_order_url": reverse(f"grants:{name}-analysis-pdf", args=[subject.pk]),
        "pdf_download_url": reverse(f"grants:{name}-analysis-download", args=[subject.pk]),
        "page_url": reverse(f"grants:{name}-analysis", args=[subject.pk]),
        "may_order_pdf": has_permission("grants.order_analysis_pdf", request.user, subject),
    }
    if request.headers.get("HX-Request"):
        return TemplateResponse(
            request,
            "grants/analysis.html#pdf-status",
            context,
            status=200 if job is not None and job.is_active else HTMX_STOP_POLLING,
        )
    context.update(pdf_module.analysis_context(competition=competition, area=area))
    return TemplateResponse(request, "grants/analysis.html", context)


class AnalysisView(CompetitionObjectMixin, View):
    """The cost-benefit analysis of a competition: public once the results are published."""

    def get(self, request, *args, **kwargs):
        if self.competition.status != Competition.Status.DECIDED:
            raise Http404
        return _analysis_page(request, competition=self.competition)


class AreaAnalysisView(View):
    """The analysis of a strategy area over its competitions with published results: public."""

    def get(self, request, *args, **kwargs):
        return _analysis_page(request, area=selectors.area_get(pk=kwargs["pk"]))


class AnalysisPdfOrderView(SignedInMixin, View):
    """Build (or build again) the analysis's PDF in the background."""

    http_method_names = ["post"]
    subject = "competition"

    def post(self, request, *args, **kwargs):
        if self.subject == "competition":
            subject = selectors.competition_get_for_user(user=request.user, pk=kwargs["pk"])
        else:
            subject = selectors.area_get(pk=kwargs["pk"])
        require("grants.order_analysis_pdf", request.user, subject)
        try:
            job = services.analysis_pdf_order(actor=request.user, **{self.subject: subject})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            job.refresh_from_db()
            if job.status == job.Status.DONE:
                messages.success(request, _("The PDF is ready."))
            else:
                messages.success(
                    request,
                    _("The PDF is being prepared. Its state is shown below; it takes a minute."),
                )
        return redirect(reverse(f"grants:{self.subject}-analysis", args=[subject.pk]) + "#pdf")


class AnalysisPdfDownloadView(View):
    """The latest PDF, for whoever reads the analysis."""

    subject = "competition"

    def get(self, request, *args, **kwargs):
        if self.subject == "competition":
            subject = selectors.competition_get_for_user(user=request.user, pk=kwargs["pk"])
            if subject.status != Competition.Status.DECIDED:
                raise Http404
            job = selectors.analysis_pdf(competition=subject)
        else:
            subject = selectors.area_get(pk=kwargs["pk"])
            job = selectors.analysis_pdf(area=subject)
        if job is None or not job.file:
            raise Http404
        kind = "konkurs" if self.subject == "competition" else "obszar"
        try:
            response = pdf_download(job.file, filename=f"analiza-{kind}-{subject.pk}.pdf")
        except FileNotFoundError:
            raise Http404 from None
        response["Cache-Control"] = "no-cache"  # built again, the same address serves the new one
        return response


class ResultsExportView(CompetitionObjectMixin, View):
    """The ranking with every criterion's mean: public once the results are published, before
    that the panel's managers only."""

    def get(self, request, pk, fmt):
        if fmt not in FORMATS:
            raise Http404
        competition = self.competition
        # The panel first, with the reader's seat and what the results count (one query).
        selectors.competition_panel(competition=competition, reader=request.user, with_results=True)
        if competition.status != Competition.Status.DECIDED and not has_permission(
            "grants.view_ranking", request.user, competition
        ):
            raise Http404
        ranking = selectors.competition_ranking(competition=competition)
        rows, columns = exports.results_table(ranking)
        return export_response(
            rows=rows,
            columns=columns,
            filename=f"konkurs-{competition.pk}-wyniki",
            fmt=fmt,
            title=_("Results"),
        )


class OpenDataView(View):
    """Every grant awarded as open data following the 360Giving standard: JSON or CSV, public,
    streamed a grant at a time."""

    FORMATS = {
        "json": (opendata.json_package, "application/json; charset=utf-8"),
        "csv": (opendata.csv_rows, "text/csv; charset=utf-8"),
    }

    def get(self, request, fmt):
        if fmt not in self.FORMATS:
            raise Http404
        build, content_type = self.FORMATS[fmt]
        response = StreamingHttpResponse(
            build(selectors.awarded_grants().iterator(chunk_size=500)), content_type=content_type
        )
        response["Content-Disposition"] = f'inline; filename="dotacje-360giving.{fmt}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Access-Control-Allow-Origin"] = "*"
        return response


# --- offers ------------------------------------------------------------------------------------


class OfferCreateView(SignedInMixin, CompetitionObjectMixin, FormView):
    template_name = "grants/offer_form.html"
    form_class = OfferForm

    def get(self, request, *args, **kwargs):
        require("grants.submit_offer", request.user, self.competition)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": selectors.submitting_organisations(
                user=self.request.user, competition=self.competition
            ),
            "outcomes": selectors.competition_outcomes(competition=self.competition),
        }

    def get_initial(self):
        """The organisation, when the user may submit for one only."""
        organisations = list(
            selectors.submitting_organisations(
                user=self.request.user, competition=self.competition
            )[:2]
        )
        return {"organisation": organisations[0] if len(organisations) == 1 else None}

    def form_valid(self, form):
        try:
            offer = services.offer_submit(
                competition=self.competition, actor=self.request.user, **form.service_data()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your offer has been submitted. You can change it until the deadline."),
        )
        return redirect(offer)


class OfferObjectMixin(SignedInMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.offer = selectors.offer_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            offer=self.offer, competition=self.offer.competition, **kwargs
        )


class OfferFormMixin(OfferObjectMixin):
    """A form about one offer, shown and accepted only while ``rule`` allows it."""

    rule = ""

    def get(self, request, *args, **kwargs):
        require(self.rule, request.user, self.offer)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        require(self.rule, request.user, self.offer)
        return super().post(request, *args, **kwargs)


class OfferDetailView(OfferObjectMixin, TemplateView):
    template_name = "grants/offer_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            contributions=selectors.offer_contributions(offer=self.offer),
            documents=list(self.offer.documents.all()),
            may_edit=has_permission("grants.edit_offer", user, self.offer),
            may_check=has_permission("grants.check_offer", user, self.offer),
            may_call_supplement=has_permission("grants.call_supplement", user, self.offer),
            may_supplement=has_permission("grants.supplement_offer", user, self.offer),
            may_fill_card=has_permission("grants.fill_card", user, self.offer),
            may_verify_card=has_permission("grants.verify_card", user, self.offer),
            **kwargs,
        )


class OfferUpdateView(OfferFormMixin, FormView):
    template_name = "grants/offer_form.html"
    form_class = OfferForm
    rule = "grants.edit_offer"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": None,
            "outcomes": selectors.competition_outcomes(competition=self.offer.competition),
            "editing": True,
        }

    def get_initial(self):
        initial = {name: getattr(self.offer, name) for name in services.OFFER_FIELDS}
        initial.update(task_description=self.offer.task_description, schedule=self.offer.schedule)
        for row in self.offer.outcomes.all():
            initial[f"contribution_{row.outcome_id}"] = row.contribution
            initial[f"quantity_{row.outcome_id}"] = row.promised_quantity
        return initial

    def save(self, **data):
        services.offer_update(offer=self.offer, actor=self.request.user, **data)
        return _("Your offer has been saved.")

    def form_valid(self, form):
        try:
            message = self.save(**form.service_data())
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.offer)


class OfferWithdrawView(OfferObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        require("grants.edit_offer", request.user, self.offer)
        try:
            services.offer_withdraw(offer=self.offer, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The offer has been withdrawn."))
        return redirect(self.offer)


class OfferDocumentView(OfferObjectMixin, View):
    def get(self, request, pk, document_pk):
        document = get_object_or_404(self.offer.documents.all(), pk=document_pk)
        return pdf_download(document.file, filename=f"oferta-{self.offer.pk}-{document.pk}.pdf")


class OfferCheckView(OfferFormMixin, FormView):
    template_name = "grants/offer_check.html"
    form_class = FormalCheckForm
    rule = "grants.check_offer"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "criteria": list(self.offer.competition.formal_criteria.all()),
        }

    def form_valid(self, form):
        try:
            services.offer_check(
                offer=self.offer,
                actor=self.request.user,
                failed_criteria=form.failed_criteria(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The formal check has been recorded."))
        return redirect(self.offer.competition)


class OfferCallSupplementView(OfferFormMixin, FormView):
    """The formal check finds a gap: the official calls the PES to supplement it by a date."""

    template_name = "grants/form_page.html"
    form_class = SupplementCallForm
    rule = "grants.call_supplement"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Call to supplement: %(title)s") % {"title": self.offer.task_title},
            intro=_(
                "The organisation is e-mailed and may change its offer and attach files until "
                "the end of the day you give. Then record the formal check as passed or failed."
            ),
            back=self.offer.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.offer_call_supplement(
                offer=self.offer, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The organisation has been called to supplement its offer.")
        )
        return redirect(self.offer)


class OfferSupplementView(OfferUpdateView):
    """The PES supplements its offer after a call, until the day named."""

    rule = "grants.supplement_offer"

    def save(self, **data):
        services.offer_supplement(offer=self.offer, actor=self.request.user, **data)
        return _("Your offer has been supplemented. The official will check it again.")


class OfferCardView(OfferFormMixin, FormView):
    """The funded PES's card after the task: the same outcomes, with what was achieved."""

    template_name = "grants/offer_card.html"
    form_class = CardForm
    rule = "grants.fill_card"

    def get_form_kwargs(self):
        self.rows = selectors.offer_contributions(offer=self.offer)
        return {**super().get_form_kwargs(), "rows": self.rows}

    def get_initial(self):
        initial = {}
        for row in selectors.offer_contributions(offer=self.offer):
            initial[f"achieved_{row.outcome_id}"] = row.achieved_quantity
            initial[f"evidence_{row.outcome_id}"] = row.evidence
        return initial

    def form_valid(self, form):
        try:
            services.card_submit(
                offer=self.offer, actor=self.request.user, achievements=form.achievements()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The card has been returned. Thank you."))
        return redirect(self.offer)


class OfferCardVerifyView(OfferObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        require("grants.verify_card", request.user, self.offer)
        services.card_verify(offer=self.offer, actor=request.user)
        messages.success(request, _("The card has been verified."))
        return redirect(self.offer)


class MyOffersView(SignedInMixin, CappedPaginationMixin, ListView):
    template_name = "grants/my_offers.html"
    paginate_by = 20
    context_object_name = "offers"
    estimate_count = False

    def get_queryset(self):
        return selectors.offers_of_user(user=self.request.user)
