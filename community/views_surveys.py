"""Pages of the competence surveys: the list (open surveys for the signed-in user, the team's
surveys), the team's builder, answering, the results with charts and their export, and a
training created from a gap the results show."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from pestor import roles
from pestor.exports import FORMATS, export_response
from pestor.forms import apply_validation_error
from pestor.models import Municipality
from pestor.permissions import has_permission, require

from . import surveys_selectors, surveys_services
from .surveys_exports import RESULT_COLUMNS
from .surveys_forms import (
    AnswerForm,
    QuestionFormSet,
    SurveyDeadlineForm,
    SurveyForm,
    questions_from,
    questions_initial,
)
from .surveys_models import MIN_GROUP_ANSWERS, Survey
from .views import EventCreateView, _where


class SurveyListView(LoginRequiredMixin, TemplateView):
    template_name = "community/surveys/survey_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_create = has_permission("community.create_survey", user)
        return super().get_context_data(
            open_surveys=surveys_selectors.surveys_open_for_user(user=user),
            managed=surveys_selectors.surveys_managed(user=user) if may_create else [],
            may_create=may_create,
            now=timezone.now(),
            **kwargs,
        )


def _team_municipalities(user):
    if roles.is_administrator(user):
        return Municipality.objects.order_by("name")[:100]
    return Municipality.objects.filter(pk__in=roles.monitoring_municipality_ids(user)).order_by(
        "name"
    )


class SurveyFormView(LoginRequiredMixin, TemplateView):
    """The builder: the survey and a row per question (empty rows below; save for more)."""

    template_name = "community/surveys/survey_form.html"
    survey = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.survey = surveys_selectors.survey_get_for_user(user=request.user, pk=kwargs["pk"])
            require("community.edit_survey", request.user, self.survey)
        else:
            require("community.create_survey", request.user)
        return super().dispatch(request, *args, **kwargs)

    def _municipalities(self):
        if self.survey is not None:
            return [self.survey.municipality]
        return list(_team_municipalities(self.request.user))

    def _forms(self, data=None):
        survey = self.survey
        initial = None
        questions = None
        if survey is not None:
            initial = {name: getattr(survey, name) for name in surveys_services.SURVEY_FIELDS}
            initial["deadline"] = timezone.localtime(survey.deadline)
            initial["municipality"] = str(survey.municipality_id)
            questions = questions_initial(surveys_selectors.survey_questions(survey=survey))
        form = SurveyForm(data, initial=initial, municipalities=self._municipalities())
        formset = QuestionFormSet(data, initial=questions, prefix="questions")
        return form, formset

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["formset"] = self._forms()
        heading = (
            _("Edit the survey: %(title)s") % {"title": self.survey.title}
            if self.survey
            else _("New competence survey")
        )
        return super().get_context_data(survey=self.survey, heading=heading, **kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self._forms(request.POST)
        if form.is_valid() and formset.is_valid():
            data = dict(form.cleaned_data)
            municipality = data.pop("municipality")
            try:
                if self.survey is None:
                    survey = surveys_services.survey_create(
                        actor=request.user,
                        municipality=municipality,
                        questions=questions_from(formset),
                        **data,
                    )
                else:
                    survey = surveys_services.survey_update(
                        survey=self.survey,
                        actor=request.user,
                        questions=questions_from(formset),
                        **data,
                    )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("The survey is saved as a draft. Publish it when the questions are ready."),
                )
                return redirect("community:survey-answer", pk=survey.pk)
        context = self.get_context_data(form=form, formset=formset)
        return self.render_to_response(context, status=400)


class SurveyPublishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        survey = surveys_selectors.survey_get_for_user(user=request.user, pk=pk)
        require("community.manage_survey", request.user, survey)
        try:
            surveys_services.survey_publish(survey=survey, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The survey is published: those addressed may answer."))
        return redirect("community:survey-answer", pk=pk)


class SurveyDeadlineView(LoginRequiredMixin, TemplateView):
    """The team gives an open survey a later deadline."""

    template_name = "community/surveys/survey_deadline.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.survey = surveys_selectors.survey_get_for_user(user=request.user, pk=kwargs["pk"])
        require("community.extend_survey", request.user, self.survey)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form",
            SurveyDeadlineForm(
                initial={"deadline": timezone.localtime(self.survey.deadline)},
            ),
        )
        return super().get_context_data(survey=self.survey, **kwargs)

    def post(self, request, pk):
        form = SurveyDeadlineForm(request.POST)
        if form.is_valid():
            try:
                surveys_services.survey_deadline_extend(
                    survey=self.survey, actor=request.user, deadline=form.cleaned_data["deadline"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The survey's deadline is extended."))
                return redirect("community:survey-answer", pk=pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SurveyAnswerView(LoginRequiredMixin, TemplateView):
    """The survey's page: the questions to answer (for those addressed, while open), or what
    the team sees of its draft."""

    template_name = "community/surveys/survey_answer.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.survey = surveys_selectors.survey_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        from .surveys_permissions import respondent_groups

        groups = respondent_groups(self.request.user, self.survey)
        if not groups:
            return None
        return AnswerForm(data, questions=self.questions, groups=groups)

    def get_context_data(self, **kwargs):
        user = self.request.user
        survey = self.survey
        self.questions = getattr(self, "questions", None) or surveys_selectors.survey_questions(
            survey=survey
        )
        answered = surveys_selectors.has_answered(user=user, survey=survey)
        may_answer = not answered and has_permission("community.answer_survey", user, survey)
        form = kwargs.pop("form", None)
        if form is None and may_answer:
            form = self._form()
        return super().get_context_data(
            survey=survey,
            questions=self.questions,
            form=form,
            answered=answered,
            may_answer=may_answer,
            may_manage=has_permission("community.manage_survey", user, survey),
            may_edit=has_permission("community.edit_survey", user, survey),
            may_extend=has_permission("community.extend_survey", user, survey),
            is_open=survey.is_open(),
            **kwargs,
        )

    def post(self, request, pk):
        survey = self.survey
        self.questions = surveys_selectors.survey_questions(survey=survey)
        form = self._form(request.POST)
        if form is None:
            raise Http404
        if not survey.is_open():
            form.is_valid()
            form.add_error(None, _("This survey is closed and takes no more answers."))
        elif form.is_valid():
            try:
                surveys_services.survey_answer(
                    survey=survey, actor=request.user, group=form.group(), answers=form.answers()
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("Thank you: your answers are saved, without your name.")
                )
                return redirect("community:survey-list")
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=400)


class SurveyResultsView(LoginRequiredMixin, TemplateView):
    template_name = "community/surveys/survey_results.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.survey = surveys_selectors.survey_get_for_user(user=request.user, pk=kwargs["pk"])
        require("community.manage_survey", request.user, self.survey)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            survey=self.survey,
            results=surveys_selectors.survey_results(survey=self.survey),
            minimum=MIN_GROUP_ANSWERS,
            may_create_event=has_permission("community.publish", self.request.user),
            **kwargs,
        )


class SurveyExportView(LoginRequiredMixin, View):
    def get(self, request, pk, fmt):
        survey = surveys_selectors.survey_get_for_user(user=request.user, pk=pk)
        require("community.manage_survey", request.user, survey)
        if fmt not in FORMATS:
            raise Http404
        return export_response(
            rows=surveys_selectors.survey_export_rows(survey=survey),
            columns=RESULT_COLUMNS,
            filename=f"ankieta-{survey.pk}-wyniki",
            fmt=fmt,
            title=_("Survey results"),
        )


class SurveyGapEventView(EventCreateView):
    """The event form, filled in for a training on the gap a question showed; the event is
    linked back to the question."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.question = surveys_selectors.question_get_for_manager(
            user=request.user, survey_pk=kwargs["pk"], pk=kwargs["question_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        question = self.question
        survey = question.survey
        audience = {
            Survey.Audience.PES: "pes",
            Survey.Audience.OFFICIALS: "officials",
            Survey.Audience.BOTH: "everyone",
        }[survey.audience]
        return {
            "publisher": f"m{survey.municipality_id}",
            "kind": "training",
            "title": (_("Training: %(topic)s") % {"topic": question.text})[:200],
            "public_task": question.text[:300],
            "audience": audience,
            "programme": _("Answers the gap shown by the survey “%(survey)s”: %(question)s")
            % {"survey": survey.title, "question": question.text},
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("New training for a survey gap")
        context["gap"] = self.question
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        publisher = data.pop("publisher")
        try:
            link = surveys_services.gap_training_create(
                actor=self.request.user, question=self.question, **_where(publisher), **data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "The training is saved as a draft, linked to the survey's gap. Publish it when it "
                "is ready."
            ),
        )
        return redirect(link.event)
