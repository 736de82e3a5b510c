"""Glue between HTTP and the demand register's services: permission → form → service →
response."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from directory.models import Organisation
from pestor.exports import DATE, NUMBER, Column
from pestor.forms import apply_validation_error
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require
from pestor.views import ListExportView

from . import selectors, services
from .forms import (
    AnswerForm,
    AwardForm,
    CancelForm,
    ClauseCheckForm,
    ExtendDeadlineForm,
    NoticeCorrectionForm,
    NoticeForm,
    QuestionAnswerForm,
    QuestionForm,
)
from .models import PROCUREMENT_LAW_THRESHOLD, procurement_law_applies
from .pdf import market_research_note_pdf
from .validators import DOCUMENT_CONTENT_TYPES, document_extension


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _serve_document(field_file, *, filename: str):
    """Streams a private document as a download, never rendered inline by the browser, with
    the content type of its checked format and a name the portal made."""
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=DOCUMENT_CONTENT_TYPES.get(
            document_extension(field_file.name), "application/octet-stream"
        ),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class FilteredListView(CappedPaginationMixin, ListView):
    """A filtered list that pages through at most ``pestor.pagination.RESULT_CAP`` rows
    (``SEARCH_RESULT_CAP`` when words are searched), so its last page costs what its first does
    (``pestor.pagination``)."""

    paginate_by = 20
    search_param = "q"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(filter=self.filterset, query_without_page=_query_without_page(self.request))
        return context


# --- public pages ------------------------------------------------------------------------------


class NoticeListView(FilteredListView):
    template_name = "demand/notice_list.html"
    context_object_name = "notices"

    def get_queryset(self):
        self.filterset = selectors.notice_list(filters=self.request.GET)
        return self.filterset.qs

    def get_page_rows(self, keys):
        return selectors.notice_cards(keys=keys)


class ResultListView(FilteredListView):
    template_name = "demand/result_list.html"
    context_object_name = "notices"

    def get_queryset(self):
        self.filterset = selectors.result_list(filters=self.request.GET)
        return self.filterset.qs

    def get_page_rows(self, keys):
        return selectors.notice_cards(keys=keys, awarded=True)


def _cpv_codes(notice) -> str:
    return "; ".join(code.full_code for code in notice.cpv_codes.all())


def _public_estimated_value(notice):
    return notice.estimated_value if notice.estimated_value_public else None


NOTICE_COLUMNS = (
    Column(gettext_lazy("Notice"), lambda n: n.title),
    Column(gettext_lazy("Buyer"), lambda n: n.buyer_name),
    Column(gettext_lazy("Municipality"), lambda n: n.municipality.name),
    Column(gettext_lazy("Categories (CPV)"), _cpv_codes),
    Column(gettext_lazy("Published"), lambda n: n.published_at, DATE),
    Column(gettext_lazy("Deadline for answers"), lambda n: n.answers_deadline, DATE),
    Column(gettext_lazy("Quantity"), lambda n: n.quantity, NUMBER),
    Column(gettext_lazy("Unit"), lambda n: n.unit),
    Column(gettext_lazy("Estimated value net (PLN)"), _public_estimated_value, NUMBER),
    Column(gettext_lazy("Place of delivery"), lambda n: n.delivery_place),
)


class NoticeExportView(ListExportView):
    """The open notices with the list's filters, as a file."""

    columns = NOTICE_COLUMNS
    filename = "ogloszenia"
    title = gettext_lazy("City needs")

    def get_rows(self):
        return selectors.notice_list(filters=self.request.GET).qs


def _winners(notice) -> str:
    return "; ".join(answer.organisation.name for answer in notice.awarded_answers)


RESULT_COLUMNS = (
    Column(gettext_lazy("Notice"), lambda n: n.title),
    Column(gettext_lazy("Buyer"), lambda n: n.buyer_name),
    Column(gettext_lazy("Municipality"), lambda n: n.municipality.name),
    Column(gettext_lazy("Categories (CPV)"), _cpv_codes),
    Column(gettext_lazy("Chosen PES"), _winners),
    Column(gettext_lazy("Awarded value net (PLN)"), lambda n: n.awarded_value, NUMBER),
    Column(gettext_lazy("Date of award"), lambda n: n.award_date, DATE),
)


class ResultExportView(ListExportView):
    """The awarded results with the list's filters, as a file."""

    columns = RESULT_COLUMNS
    filename = "wyniki"
    title = gettext_lazy("Awarded results")

    def get_rows(self):
        return selectors.result_list(filters=self.request.GET).qs


def _partner_names(answer) -> str:
    return "; ".join(partner.organisation.name for partner in answer.partners.all())


ANSWER_COLUMNS = (
    Column(gettext_lazy("Organisation"), lambda a: a.organisation.name),
    Column(gettext_lazy("Kind of answer"), lambda a: a.get_kind_display()),
    Column(gettext_lazy("Price net (PLN)"), lambda a: a.price_net, NUMBER),
    Column(gettext_lazy("Terms"), lambda a: a.terms),
    Column(gettext_lazy("Message"), lambda a: a.message),
    Column(gettext_lazy("Consortium partners"), _partner_names),
    Column(gettext_lazy("Submitted"), lambda a: a.created_at, DATE),
    Column(gettext_lazy("Awarded"), lambda a: _("yes") if a.is_awarded else _("no")),
)


class AnswerExportView(LoginRequiredMixin, ListExportView):
    """The answers to one notice, for its buyer side, as a file."""

    columns = ANSWER_COLUMNS
    title = gettext_lazy("Answers")

    def get_rows(self):
        user = self.request.user
        self.notice = selectors.notice_get_for_user(user=user, pk=self.kwargs["pk"])
        require("demand.manage_notice", user, self.notice)
        return selectors.notice_answers(notice=self.notice, user=user)

    def get_filename(self) -> str:
        return f"odpowiedzi-{self.notice.pk}"


class NoticeDetailView(TemplateView):
    template_name = "demand/notice_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        notice = selectors.notice_detail_get_for_user(user=user, pk=self.kwargs["pk"])
        buyer_side = has_permission("demand.manage_notice", user, notice)
        answers = (
            list(selectors.notice_answers(notice=notice, user=user))
            if user.is_authenticated
            else []
        )
        notice.awarded_answers = selectors.notice_awarded_answers(
            notice=notice, answers=answers if buyer_side else None
        )
        return super().get_context_data(
            notice=notice,
            clause_check=getattr(notice, "clause_check", None),
            buyer_side=buyer_side,
            answers=answers,
            matches=list(selectors.notice_matches(notice=notice)) if buyer_side else [],
            corrections=list(notice.corrections.all()),
            questions=selectors.notice_questions(notice=notice, user=user, buyer_side=buyer_side),
            history=list(selectors.notice_history(notice=notice)) if buyer_side else [],
            pending_partnerships=list(selectors.pending_partnerships(user=user, notice=notice))
            if user.is_authenticated
            else [],
            threshold=PROCUREMENT_LAW_THRESHOLD,
            **kwargs,
        )


class NoticeAttachmentView(View):
    """An attachment of a notice the user may see (anyone, once the notice is public)."""

    def get(self, request, *args, **kwargs):
        attachment = selectors.notice_attachment_get_for_user(user=request.user, pk=kwargs["pk"])
        return _serve_document(attachment.file, filename=attachment.download_name)


# --- the buyer side ----------------------------------------------------------------------------


class NoticeCreateView(LoginRequiredMixin, FormView):
    template_name = "demand/notice_form.html"
    form_class = NoticeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("demand.post_notice", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "departments": selectors.departments_of_user(user=user),
            "companies": selectors.companies_of_user(user=user),
            "user": user,
        }

    def form_valid(self, form):
        try:
            notice = services.notice_create(actor=self.request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if notice.department_id:
            messages.success(
                self.request,
                _(
                    "The draft is saved. Next, complete the social-clause check; then you can "
                    "publish the notice."
                ),
            )
            return redirect("demand:notice-clause-check", pk=notice.pk)
        messages.success(
            self.request,
            _("The draft is saved. Check it and publish it when it is ready."),
        )
        return redirect(notice)


class NoticeObjectMixin(LoginRequiredMixin):
    """Fetches the notice in the URL through the user-scoped selector and checks
    ``permission`` on it; a missing and an invisible notice are the same 404."""

    permission: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.notice = selectors.notice_get_for_user(user=request.user, pk=kwargs["pk"])
        require(self.permission, request.user, self.notice)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(notice=self.notice, **kwargs)


class NoticeEditView(NoticeObjectMixin, FormView):
    permission = "demand.edit_notice"
    template_name = "demand/notice_form.html"
    form_class = NoticeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.notice}

    def form_valid(self, form):
        try:
            notice = services.notice_update(
                notice=self.notice, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes have been saved."))
        return redirect(notice)


class ClauseCheckView(NoticeObjectMixin, FormView):
    permission = "demand.check_clauses"
    template_name = "demand/clause_check_form.html"
    form_class = ClauseCheckForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        check = getattr(self.notice, "clause_check", None)
        if check is not None:
            kwargs["instance"] = check
        elif self.notice.estimated_value is not None:
            kwargs["initial"] = {
                **kwargs.get("initial", {}),
                "estimated_value": self.notice.estimated_value,
            }
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        value = context["form"].typed_estimated_value()
        law_applies = procurement_law_applies(value) if value is not None else None
        context.update(
            threshold=PROCUREMENT_LAW_THRESHOLD, law_applies=law_applies, estimated_value=value
        )
        return context

    def form_valid(self, form):
        try:
            check = services.clause_check_save(
                notice=self.notice, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if check.procurement_law_applies:
            messages.success(
                self.request,
                _(
                    "The social-clause check is saved. The value reaches 130 000 PLN net, so "
                    "the Public Procurement Law applies to this purchase."
                ),
            )
        else:
            messages.success(
                self.request,
                _(
                    "The social-clause check is saved. The value is below 130 000 PLN net: you "
                    "may choose the contractor freely and the market-research note documents "
                    "the choice."
                ),
            )
        return redirect(self.notice)


class NoticePublishView(NoticeObjectMixin, View):
    permission = "demand.publish_notice"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            notice = services.notice_publish(notice=self.notice, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            if getattr(error, "code", None) == "clause_check_required":
                return redirect("demand:notice-clause-check", pk=self.notice.pk)
            if hasattr(error, "error_dict"):
                return redirect("demand:notice-edit", pk=self.notice.pk)
            return redirect(self.notice)
        messages.success(
            request,
            _("The notice is published. The matching PES listed below are being told by e-mail."),
        )
        return redirect(notice)


class NoticeExtendDeadlineView(NoticeObjectMixin, FormView):
    permission = "demand.extend_deadline"
    template_name = "demand/notice_extend.html"
    form_class = ExtendDeadlineForm

    def form_valid(self, form):
        try:
            notice = services.notice_extend_deadline(
                notice=self.notice,
                actor=self.request.user,
                answers_deadline=form.cleaned_data["answers_deadline"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The deadline for answers has been extended."))
        return redirect(notice)


class NoticeCorrectView(NoticeObjectMixin, FormView):
    permission = "demand.correct_notice"
    template_name = "demand/notice_correct.html"
    form_class = NoticeCorrectionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.notice}

    def form_valid(self, form):
        try:
            services.notice_correct(
                notice=self.notice, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "The correction is published on the notice; the PES that answered or were "
                "matched are told by e-mail."
            ),
        )
        return redirect(self.notice)


class QuestionAskView(NoticeObjectMixin, FormView):
    permission = "demand.ask_question"
    template_name = "demand/question_form.html"
    form_class = QuestionForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": Organisation.objects.public()
            .filter(memberships__user=self.request.user)
            .order_by("name"),
        }

    def form_valid(self, form):
        try:
            services.question_ask(notice=self.notice, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your question is sent to the buyer. Its answer will be published on the notice."),
        )
        return redirect(self.notice)


class QuestionAnswerView(LoginRequiredMixin, FormView):
    template_name = "demand/question_answer.html"
    form_class = QuestionAnswerForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.question = selectors.question_get_for_user(user=request.user, pk=kwargs["pk"])
        require("demand.answer_question", request.user, self.question)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            question=self.question, notice=self.question.notice, **kwargs
        )

    def form_valid(self, form):
        try:
            services.question_answer(
                question=self.question, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The answer is published on the notice and sent to the PES concerned."),
        )
        return redirect(self.question.notice)


class NoticeCancelView(NoticeObjectMixin, FormView):
    permission = "demand.cancel_notice"
    template_name = "demand/notice_cancel.html"
    form_class = CancelForm

    def form_valid(self, form):
        try:
            notice = services.notice_cancel(
                notice=self.notice, actor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The notice is cancelled."))
        return redirect(notice)


class NoticeAwardView(NoticeObjectMixin, FormView):
    permission = "demand.award_notice"
    template_name = "demand/notice_award.html"
    form_class = AwardForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "notice": self.notice}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            answers=selectors.notice_answers(notice=self.notice, user=self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            notice = services.notice_award(
                notice=self.notice, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The award is recorded and public. Every answering PES is told the outcome."),
        )
        return redirect(notice)


class NoticeNotePdfView(NoticeObjectMixin, View):
    """The market-research note (rozeznanie rynku) for the buyer's procurement file."""

    permission = "demand.download_note"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            market_research_note_pdf(self.notice), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="rozeznanie-rynku-{self.notice.pk}.pdf"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


class MyNoticesView(LoginRequiredMixin, FilteredListView):
    estimate_count = False  # one party's rows (pestor.pagination)
    template_name = "demand/my_notices.html"
    context_object_name = "notices"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("demand.view_my_notices", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = selectors.buyer_notice_list(
            user=self.request.user, filters=self.request.GET
        )
        return self.filterset.qs


# --- the PES side ------------------------------------------------------------------------------


class PesPageMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("demand.view_pes_pages", request.user)
        return super().dispatch(request, *args, **kwargs)


class MatchedNoticesView(PesPageMixin, FilteredListView):
    estimate_count = False  # one party's rows (pestor.pagination)
    template_name = "demand/matched_notices.html"
    context_object_name = "notices"

    def get_queryset(self):
        self.filterset = selectors.matched_notice_list(
            user=self.request.user, filters=self.request.GET
        )
        return self.filterset.qs


class MyAnswersView(PesPageMixin, FilteredListView):
    estimate_count = False  # one party's rows (pestor.pagination)
    template_name = "demand/my_answers.html"
    context_object_name = "answers"

    def get_queryset(self):
        self.filterset = selectors.answer_list_of_user(
            user=self.request.user, filters=self.request.GET
        )
        return self.filterset.qs


class AnswerCreateView(NoticeObjectMixin, FormView):
    permission = "demand.answer_notice"
    template_name = "demand/answer_form.html"
    form_class = AnswerForm

    def get_form_kwargs(self):
        self.organisations = selectors.answering_organisations_for_user(
            user=self.request.user, notice=self.notice
        )
        return {
            **super().get_form_kwargs(),
            "organisations": self.organisations,
            "partner_candidates": selectors.partner_candidates(notice=self.notice),
            "notice": self.notice,
        }

    def get_initial(self):
        """``?partner=<organisation id>`` (repeated) names consortium partners in advance (a
        partnership's page sends its PES members so); the answerer sees and may change them,
        and only the notice's partner candidates are taken."""
        initial = super().get_initial()
        wanted = [value for value in self.request.GET.getlist("partner") if value.isdigit()]
        if wanted:
            initial["partners"] = list(
                selectors.partner_candidates(notice=self.notice)
                .filter(pk__in=wanted)
                .values_list("pk", flat=True)
            )
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            own_answers=selectors.notice_answers(notice=self.notice, user=self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            answer = services.answer_submit(
                notice=self.notice, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if answer.partners.exists():
            messages.success(
                self.request,
                _(
                    "Your answer is sent. We asked the consortium partners to confirm; until "
                    "the deadline you can still change the answer."
                ),
            )
        else:
            messages.success(
                self.request,
                _("Your answer is sent. Until the deadline you can still change it."),
            )
        return redirect(self.notice)


class AnswerObjectMixin(LoginRequiredMixin):
    permission: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.answer = selectors.answer_get_for_user(user=request.user, pk=kwargs["pk"])
        require(self.permission, request.user, self.answer)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(answer=self.answer, notice=self.answer.notice, **kwargs)


class AnswerEditView(AnswerObjectMixin, FormView):
    permission = "demand.edit_answer"
    template_name = "demand/answer_form.html"
    form_class = AnswerForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.answer,
            "partner_candidates": selectors.partner_candidates(
                notice=self.answer.notice, answer=self.answer
            ),
        }

    def form_valid(self, form):
        try:
            services.answer_update(
                answer=self.answer, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your answer has been changed."))
        return redirect(self.answer.notice)


class AnswerWithdrawView(AnswerObjectMixin, TemplateView):
    """Asks before withdrawing: a withdrawn answer is gone, though the PES may answer again."""

    permission = "demand.withdraw_answer"
    template_name = "demand/answer_withdraw.html"

    def post(self, request, *args, **kwargs):
        try:
            notice = services.answer_withdraw(answer=self.answer, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.answer.notice)
        messages.success(
            request,
            _(
                "The answer of %(organisation)s is withdrawn. Until the deadline you may answer "
                "again."
            )
            % {"organisation": self.answer.organisation.name},
        )
        return redirect(notice)


class AnswerAttachmentView(AnswerObjectMixin, View):
    permission = "demand.view_answer"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if not self.answer.attachment:
            raise Http404
        return _serve_document(
            self.answer.attachment, filename=self.answer.attachment_download_name
        )


class PartnerConfirmView(LoginRequiredMixin, TemplateView):
    """A partner PES's member sees the consortium answer and confirms taking part."""

    template_name = "demand/partner_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partner = selectors.partner_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partner=self.partner,
            answer=self.partner.answer,
            notice=self.partner.answer.notice,
            may_confirm=has_permission(
                "demand.confirm_partnership", self.request.user, self.partner
            ),
            may_decline=has_permission(
                "demand.decline_partnership", self.request.user, self.partner
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        require("demand.confirm_partnership", request.user, self.partner)
        try:
            services.partner_confirm(partner=self.partner, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("demand:partner-confirm", pk=self.partner.pk)
        messages.success(
            request,
            _("%(organisation)s is confirmed as a partner of this answer.")
            % {"organisation": self.partner.organisation.name},
        )
        return redirect(self.partner.answer.notice)


class PartnerDeclineView(LoginRequiredMixin, View):
    """A partner PES's member declines the consortium (or leaves it) from the confirmation
    page."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partner = selectors.partner_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        require("demand.decline_partnership", request.user, self.partner)
        notice = self.partner.answer.notice
        try:
            services.partner_decline(partner=self.partner, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("demand:partner-confirm", pk=self.partner.pk)
        messages.success(
            request,
            _("%(organisation)s is no longer a partner of this answer; its lead has been told.")
            % {"organisation": self.partner.organisation.name},
        )
        return redirect(notice)
