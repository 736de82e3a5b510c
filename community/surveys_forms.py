"""Input of the survey pages: the team's builder (the survey and its questions, one row each,
no JavaScript) and the answering form built from the questions. The services check again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms import FIRST_YEAR, LAST_YEAR, _datetime_field
from .surveys_models import RespondentGroup, Survey, SurveyQuestion
from .surveys_services import MAX_OPTION_LENGTH, MAX_OPTIONS, MAX_QUESTIONS

# Empty question rows offered under the filled ones (save to get more).
EXTRA_ROWS = 3


class SurveyForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"))
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the survey is for; shown above the questions."),
    )
    audience = forms.ChoiceField(label=_("Addressed to"), choices=Survey.Audience.choices)
    deadline = _datetime_field(_("Answers until"))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {str(m.pk): m for m in municipalities}
        self.fields["municipality"].choices = [(k, m.name) for k, m in self.municipalities.items()]

    def clean_municipality(self):
        return self.municipalities[self.cleaned_data["municipality"]]

    def clean_deadline(self):
        return _within_years(self.cleaned_data["deadline"])


def _within_years(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


class SurveyDeadlineForm(forms.Form):
    """A later deadline for an open survey (the service checks it is later)."""

    deadline = _datetime_field(_("New deadline for answers"))

    def clean_deadline(self):
        return _within_years(self.cleaned_data["deadline"])


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to remove the row."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=SurveyQuestion.Kind.choices,
        initial=SurveyQuestion.Kind.SCALE,
    )
    choices = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        max_length=MAX_OPTIONS * (MAX_OPTION_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For single and multiple choice only."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    def clean_choices(self):
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=EXTRA_ROWS, max_num=MAX_QUESTIONS, absolute_max=MAX_QUESTIONS + EXTRA_ROWS
)


def questions_initial(questions) -> list[dict]:
    return [
        {
            "text": question.text,
            "kind": question.kind,
            "choices": "\n".join(question.choices),
            "required": question.required,
        }
        for question in questions
    ]


def questions_from(formset) -> list[dict]:
    """The rows with a question, in their order on the page."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and (form.cleaned_data.get("text") or "").strip()
    ]


class AnswerForm(forms.Form):
    """One field per question (``q<id>``), and the group when the person belongs to both."""

    def __init__(self, *args, questions, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        if len(groups) > 1:
            labels = dict(RespondentGroup.choices)
            self.fields["group"] = forms.ChoiceField(
                label=_("I answer as one of the"),
                choices=[(group, labels[group]) for group in groups],
                widget=forms.RadioSelect,
            )
        self.single_group = groups[0] if len(groups) == 1 else None
        for question in questions:
            self.fields[f"q{question.pk}"] = self._field(question)

    def _field(self, question):
        required = question.required
        messages = {"required": _("Answer this question.")}
        if question.kind == SurveyQuestion.Kind.TEXT:
            return forms.CharField(
                label=question.text,
                required=required,
                max_length=500,
                error_messages=messages,
                widget=forms.TextInput(attrs={"maxlength": 500}),
            )
        choices = [(str(value), label) for value, label in question.options()]
        messages["invalid_choice"] = _("Choose one of the options given.")
        if question.kind == SurveyQuestion.Kind.MULTIPLE:
            messages["invalid_list"] = _("Choose one of the options given.")
            return forms.MultipleChoiceField(
                label=question.text,
                required=required,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages=messages,
            )
        return forms.ChoiceField(
            label=question.text,
            required=required,
            choices=choices,
            widget=forms.RadioSelect,
            error_messages=messages,
            help_text=(
                _("1 means “I do not need it at all”, 5 “I need it very much”.")
                if question.kind == SurveyQuestion.Kind.SCALE
                else ""
            ),
        )

    def answers(self) -> dict[int, object]:
        data = self.cleaned_data
        return {question.pk: data.get(f"q{question.pk}") for question in self.questions}

    def group(self) -> str:
        return self.single_group or self.cleaned_data["group"]
