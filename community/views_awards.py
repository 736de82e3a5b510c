"""Pages of the President's award and the best product or service contest: the public calls,
laureates and contest entries with the public vote; nominating and one's own nominations; the
officials' forms, the list of nominations with its export, the jury's criteria (the jury itself
scores on ``scoring``'s pages) and the publication of the results."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from pestor import roles
from pestor.exports import FORMATS, export_response
from pestor.forms import apply_validation_error
from pestor.models import Municipality
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require
from scoring import selectors as scoring_selectors
from scoring.forms import CriteriaForm
from scoring.mixins import PanelCriteriaFormMixin

from . import awards_selectors as selectors
from . import awards_services as services
from .awards_exports import NOMINATION_COLUMNS
from .awards_forms import AwardCallForm, NominationForm, RemoveLettersForm, VoteForm
from .permissions import publisher_municipality_ids


class SignedInMixin(LoginRequiredMixin):
    pass


# --- public pages ------------------------------------------------------------------------------


class AwardCallListView(ListView):
    template_name = "community/awards/call_list.html"
    paginate_by = 20
    context_object_name = "calls"

    def get_queryset(self):
        return selectors.call_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_open=has_permission("community.open_award_call", self.request.user), **kwargs
        )


class AwardCallDetailView(TemplateView):
    template_name = "community/awards/call_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        call = kwargs.pop("call", None) or selectors.call_get(pk=kwargs["pk"])
        may_manage = has_permission("community.manage_award", user, call)
        entries = None
        if call.is_contest and (call.public_vote or call.results_published):
            entries = Paginator(selectors.contest_entries(call=call), 50).get_page(
                self.request.GET.get("page")
            )
        panel = scoring_selectors.panel_for_owner(owner=call) if may_manage else None
        return super().get_context_data(
            call=call,
            nominations=selectors.nomination_count(call=call),
            laureates=selectors.call_laureates(call=call),
            entries=entries,
            page_obj=entries,
            my_vote=selectors.my_vote(user=user, call=call),
            may_nominate=has_permission("community.nominate", user, call),
            may_vote=has_permission("community.vote", user, call),
            may_manage=may_manage,
            may_publish=has_permission("community.publish_award_results", user, call),
            panel=panel,
            now=timezone.now(),
            **kwargs,
        )


class LaureateListView(CappedPaginationMixin, ListView):
    template_name = "community/awards/laureate_list.html"
    paginate_by = 30
    context_object_name = "laureates"

    def get_queryset(self):
        year = self.request.GET.get("year", "")
        self.year = int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None
        return selectors.laureate_list(year=self.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=selectors.laureate_years(), year=self.year, **kwargs)


# --- nominating --------------------------------------------------------------------------------


class NominateView(SignedInMixin, FormView):
    template_name = "community/awards/nomination_form.html"
    form_class = NominationForm

    def dispatch(self, request, *args, **kwargs):
        self.call = selectors.call_get(pk=kwargs["pk"])
        if request.user.is_authenticated and not has_permission(
            "community.nominate", request.user, self.call
        ):
            messages.error(request, _("Nominations for this call are closed."))
            return redirect(self.call)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        reference = self.request.GET.get("organisation", "")[:300]
        return {"organisation": reference} if reference else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "call": self.call}

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, heading=_("Nominate"), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            nomination = services.nomination_create(
                call=self.call,
                actor=self.request.user,
                organisation=data.get("organisation"),
                person_name=data.get("person_name", ""),
                offer=data.get("offer"),
                on_behalf_of=data["on_behalf_of"],
                justification=data["justification"],
                letters=data["letters"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            self.request,
            _("Your nomination is saved. You may change it until the deadline."),
        )
        return redirect(nomination)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MyNominationsView(SignedInMixin, CappedPaginationMixin, ListView):
    template_name = "community/awards/my_nominations.html"
    paginate_by = 30
    estimate_count = False
    context_object_name = "nominations"

    def get_queryset(self):
        return selectors.my_nominations(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(now=timezone.now(), **kwargs)


class NominationDetailView(SignedInMixin, TemplateView):
    """The nomination as its nominator (who changes it until the deadline) and the call's
    managers see it."""

    template_name = "community/awards/nomination_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.nomination = selectors.nomination_get_for_user(user=request.user, pk=kwargs["pk"])
        self.may_edit = has_permission("community.edit_nomination", request.user, self.nomination)
        return super().dispatch(request, *args, **kwargs)

    def _forms(self, data=None, files=None):
        letters = list(self.nomination.letters.all())
        initial = {
            "justification": self.nomination.justification,
            "on_behalf_of": self.nomination.on_behalf_of,
            "person_name": self.nomination.person_name,
        }
        form = NominationForm(
            data,
            files,
            call=self.nomination.call,
            nomination=self.nomination,
            initial=initial,
        )
        return form, RemoveLettersForm(data, letters=letters), letters

    def get_context_data(self, **kwargs):
        form, remove_form, letters = kwargs.pop("forms", None) or self._forms()
        return super().get_context_data(
            nomination=self.nomination,
            call=self.nomination.call,
            letters=letters,
            form=form if self.may_edit else None,
            remove_form=remove_form if self.may_edit and letters else None,
            may_edit=self.may_edit,
            **kwargs,
        )

    def post(self, request, pk):
        if not self.may_edit:
            messages.error(request, _("Nominations for this call are closed; nothing was saved."))
            return redirect(self.nomination)
        forms = self._forms(request.POST, request.FILES)
        form, remove_form, _letters = forms
        if form.is_valid() and remove_form.is_valid():
            try:
                services.nomination_update(
                    nomination=self.nomination,
                    actor=request.user,
                    justification=form.cleaned_data["justification"],
                    on_behalf_of=form.cleaned_data["on_behalf_of"],
                    person_name=form.cleaned_data.get("person_name"),
                    letters=form.cleaned_data["letters"],
                    remove_letters=remove_form.cleaned_data["remove"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The nomination is saved."))
                return redirect(self.nomination)
        return self.render_to_response(self.get_context_data(forms=forms), status=400)


class NominationWithdrawView(SignedInMixin, TemplateView):
    template_name = "community/awards/nomination_withdraw.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.nomination = selectors.nomination_get_for_user(user=request.user, pk=kwargs["pk"])
        require("community.edit_nomination", request.user, self.nomination)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(nomination=self.nomination, **kwargs)

    def post(self, request, pk):
        try:
            services.nomination_withdraw(nomination=self.nomination, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.nomination)
        messages.success(request, _("The nomination is withdrawn."))
        return redirect("community:my-nominations")


class LetterDownloadView(SignedInMixin, View):
    """A letter of support as a download that runs nothing when opened: for the nominator, the
    call's managers and the jurors who declared no conflict of interest with the nomination."""

    def get(self, request, pk, letter_pk):
        nomination = selectors.nomination_get_for_letters(user=request.user, pk=pk)
        letter = selectors.letter_get(nomination=nomination, pk=letter_pk)
        response = FileResponse(
            letter.file.open("rb"),
            as_attachment=True,
            filename=f"list-poparcia-{letter.pk}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class VoteView(SignedInMixin, View):
    def post(self, request, pk):
        call = selectors.call_get(pk=pk)
        form = VoteForm(request.POST, call=call)
        if not has_permission("community.vote", request.user, call):
            messages.error(request, _("The public vote is closed."))
        elif not form.is_valid():
            messages.error(request, " ".join(form.errors.get("nomination", [])))
        else:
            try:
                services.vote_cast(
                    call=call, nomination=form.cleaned_data["nomination"], actor=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Your vote for %(nominee)s is counted. Thank you!")
                    % {"nominee": form.cleaned_data["nomination"].nominee},
                )
        return redirect(call)

    def get(self, request, pk):
        return redirect("community:award-detail", pk=pk)


# --- the officials' pages ----------------------------------------------------------------------


def _municipalities(user):
    if roles.is_administrator(user):
        return Municipality.objects.order_by("name")[:100]
    return Municipality.objects.filter(pk__in=publisher_municipality_ids(user)).order_by("name")


class AwardCallCreateView(SignedInMixin, FormView):
    template_name = "community/awards/call_form.html"
    form_class = AwardCallForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("community.open_award_call", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        from .awards_models import AWARD_CATEGORY

        return {"year": timezone.localdate().year, "category": AWARD_CATEGORY}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipalities": _municipalities(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("New award or contest call"), **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        municipality = data.pop("municipality")
        try:
            call = services.call_create(actor=self.request.user, municipality=municipality, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The call is open for nominations."))
        return redirect(call)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ManageMixin(SignedInMixin):
    permission = "community.manage_award"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.call = selectors.call_get(pk=kwargs["pk"])
        require(self.permission, request.user, self.call)
        return super().dispatch(request, *args, **kwargs)


class AwardCallUpdateView(ManageMixin, FormView):
    template_name = "community/awards/call_form.html"
    form_class = AwardCallForm
    permission = "community.publish_award_results"  # editable until the results are out

    def get_initial(self):
        call = self.call
        return {
            "municipality": str(call.municipality_id),
            "kind": call.kind,
            "year": call.year,
            "category": call.category,
            "description": call.description,
            "nominations_until": timezone.localtime(call.nominations_until),
            "laureate_places": call.laureate_places,
            "public_vote": call.public_vote,
            "votes_until": timezone.localtime(call.votes_until) if call.votes_until else None,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipalities": [self.call.municipality]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, heading=_("Edit the call"), **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data.pop("municipality")
        try:
            services.call_update(call=self.call, actor=self.request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The call is saved."))
        return redirect(self.call)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class NominationsManageView(ManageMixin, ListView):
    template_name = "community/awards/nominations.html"
    paginate_by = 50
    context_object_name = "nominations"

    def get_queryset(self):
        return selectors.nominations_for_managers(call=self.call)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            call=self.call,
            csv_url=reverse("community:nomination-export", args=[self.call.pk, "csv"]),
            xlsx_url=reverse("community:nomination-export", args=[self.call.pk, "xlsx"]),
            **kwargs,
        )


class NominationsExportView(ManageMixin, View):
    def get(self, request, pk, fmt):
        if fmt not in FORMATS:
            raise Http404
        return export_response(
            rows=selectors.nominations_for_managers(call=self.call).iterator(),
            columns=NOMINATION_COLUMNS,
            filename=f"zgloszenia-{self.call.pk}",
            fmt=fmt,
            title=_("Nominations"),
        )


class JuryView(PanelCriteriaFormMixin, ManageMixin, FormView):
    """The jury's criteria form its scoring panel; its members are then added, and score, on
    the scoring pages."""

    template_name = "community/awards/jury.html"
    form_class = CriteriaForm
    created_message = gettext_lazy(
        "The jury's criteria are set. Add the jurors: officials and PES representatives."
    )

    def get(self, request, *args, **kwargs):
        panel = scoring_selectors.panel_for_owner(owner=self.call)
        if panel is not None:
            return redirect(panel)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, **kwargs)

    def create_panel(self, criteria):
        return services.jury_create(call=self.call, actor=self.request.user, criteria=criteria)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ResultsPublishView(ManageMixin, TemplateView):
    """The jury's ranking as it stands, and the button that publishes the laureates."""

    template_name = "community/awards/results_publish.html"
    permission = "community.publish_award_results"

    def get_context_data(self, **kwargs):
        panel = scoring_selectors.panel_for_owner(owner=self.call)
        results = scoring_selectors.panel_results(panel=panel) if panel is not None else None
        return super().get_context_data(call=self.call, panel=panel, results=results, **kwargs)

    def post(self, request, pk):
        try:
            services.results_publish(call=self.call, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("community:award-results", pk=self.call.pk)
        messages.success(request, _("The laureates are published and every nominator is told."))
        return redirect(self.call)
