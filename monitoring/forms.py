from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pestor.forms import DecimalField, ModelChoiceField, formfield_for
from pestor.models import Department

from .computed import source_choices
from .models import Action, CooperationProgramme, Goal, Indicator, Measurement, Report
from .services import PROGRAMME_FIELDS

DATE_WIDGET = {"type": "date"}


def _date_input():
    return forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")


class ServiceModelForm(forms.ModelForm):
    """A model form whose model validation is left to the service it feeds: the service's
    ValidationError is shown on the fields (``pestor.forms.apply_validation_error``)."""

    class Meta:
        formfield_callback = formfield_for

    def _post_clean(self):
        pass

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ProgrammeForm(ServiceModelForm):
    """The programme's identity, its council resolution and its strategic part."""

    municipality = ModelChoiceField(label=_("Municipality"), queryset=None)

    class Meta(ServiceModelForm.Meta):
        model = CooperationProgramme
        fields = list(PROGRAMME_FIELDS)
        widgets = {
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "resolution_date": _date_input(),
            "diagnosis": forms.Textarea(attrs={"rows": 6}),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "main_goal": forms.Textarea(attrs={"rows": 3}),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in CooperationProgramme.STATUTORY_ELEMENTS
            },
        }

    sections = (
        (
            _("Programme and resolution"),
            (
                "municipality",
                "title",
                "kind",
                "year_from",
                "year_to",
                "status",
                "resolution_number",
                "resolution_date",
            ),
        ),
        (_("Strategic part"), ("diagnosis", "vision", "main_goal")),
        (
            _("Other elements of the programme (art. 5a ust. 4)"),
            CooperationProgramme.STATUTORY_ELEMENTS,
        ),
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            if len(municipalities) == 1:
                self.fields["municipality"].initial = municipalities[0].pk

    def fieldsets(self):
        for legend, names in self.sections:
            yield legend, [self[name] for name in names if name in self.fields]


class FundsForm(forms.Form):
    """One amount per year of the programme; an empty field means no amount planned."""

    def __init__(self, *args, programme: CooperationProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        current = {funds.year: funds.amount for funds in programme.funds.all()}
        for year in programme.years:
            self.fields[f"year_{year}"] = DecimalField(
                label=_("Planned funds in %(year)s (PLN)") % {"year": year},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=current.get(year),
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )

    def amounts(self) -> dict:
        return {year: self.cleaned_data[f"year_{year}"] for year in self.programme.years}


class GoalForm(ServiceModelForm):
    position = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("The goal's number in the resolution. Leave empty to add it as the last one."),
    )

    class Meta(ServiceModelForm.Meta):
        model = Goal
        fields = ["position", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ActionForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = Action
        fields = [
            "goal",
            "title",
            "rationale",
            "novelty",
            "department",
            "partners",
            "schedule",
            "starts_on",
            "ends_on",
            "status",
        ]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "novelty": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "starts_on": _date_input(),
            "ends_on": _date_input(),
        }

    def __init__(self, *args, programme: CooperationProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = programme.goals.order_by("position", "pk")
        self.fields["department"].queryset = Department.objects.filter(
            municipality_id=programme.municipality_id
        ).order_by("name")


class IndicatorForm(ServiceModelForm):
    attached_to = forms.ChoiceField(
        label=_("Indicator of"), help_text=_("A specific goal, or one action under a goal.")
    )
    source = forms.ChoiceField(
        label=_("Source of the value"),
        help_text=_(
            "Entered by the team as measurements, or computed by the portal from its own data "
            "for the period of each report."
        ),
    )

    class Meta(ServiceModelForm.Meta):
        model = Indicator
        fields = ["name", "unit", "baseline", "target", "target_year", "source"]
        widgets = {
            "baseline": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            "target": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        }

    field_order = ["attached_to", *Meta.fields]

    def __init__(self, *args, programme: CooperationProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        goals = list(programme.goals.order_by("position", "pk"))
        actions = list(Action.objects.filter(goal__programme=programme).select_related("goal"))
        self.fields["attached_to"].choices = [
            ("", "---------"),
            (_("Goals"), [(f"goal:{goal.pk}", str(goal)) for goal in goals]),
            (
                pgettext_lazy("cooperation programme", "Actions"),
                [
                    (f"action:{action.pk}", f"{action.goal.position}. {action}")
                    for action in actions
                ],
            ),
        ]
        self.fields["source"].choices = source_choices()
        self._goals = {goal.pk: goal for goal in goals}
        self._actions = {action.pk: action for action in actions}
        if self.instance.pk:
            self.initial["attached_to"] = (
                f"goal:{self.instance.goal_id}"
                if self.instance.goal_id
                else f"action:{self.instance.action_id}"
            )

    def clean_attached_to(self):
        kind, _sep, pk = self.cleaned_data["attached_to"].partition(":")
        objects = {"goal": self._goals, "action": self._actions}.get(kind, {})
        try:
            return kind, objects[int(pk)]
        except (KeyError, ValueError):
            raise ValidationError(_("Choose a goal or an action of this programme.")) from None

    def service_kwargs(self) -> dict:
        kind, obj = self.cleaned_data["attached_to"]
        return {
            "goal": obj if kind == "goal" else None,
            "action": obj if kind == "action" else None,
            **{name: self.cleaned_data[name] for name in self.Meta.fields},
        }


class MeasurementForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = Measurement
        fields = ["period_start", "period_end", "value", "comment"]
        widgets = {
            "period_start": _date_input(),
            "period_end": _date_input(),
            "value": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "period_end": _("Entering the same period again corrects its value."),
        }

    def __init__(self, *args, programme: CooperationProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        year = min(max(timezone.localdate().year, programme.year_from), programme.year_to)
        self.fields["period_start"].initial = date(year, 1, 1)
        self.fields["period_end"].initial = date(year, 12, 31)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end cannot come before the start."))
        return cleaned


class ReportOrderForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of report"),
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
        initial=Report.Kind.STATUTORY,
        help_text=_(
            "The annual report covers a whole year and is due to the council by 31 May of the "
            "next year; a progress report covers any period."
        ),
    )
    year = forms.TypedChoiceField(label=_("Year (annual report)"), coerce=int, required=False)
    period_start = forms.DateField(
        label=_("Period from (progress report)"), required=False, widget=_date_input()
    )
    period_end = forms.DateField(
        label=_("Period until (progress report)"), required=False, widget=_date_input()
    )

    def __init__(self, *args, programme: CooperationProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        today = timezone.localdate()
        self.fields["year"].choices = [("", "---------")] + [
            (year, str(year)) for year in programme.years
        ]
        last_year = today.year - 1
        if programme.covers(last_year):
            self.fields["year"].initial = last_year
        current = min(max(today.year, programme.year_from), programme.year_to)
        self.fields["period_start"].initial = date(current, 1, 1)
        self.fields["period_end"].initial = min(today, date(current, 12, 31))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Report.Kind.STATUTORY:
            if not cleaned.get("year"):
                self.add_error("year", _("Choose the year the annual report covers."))
            else:
                year = cleaned["year"]
                cleaned["period_start"], cleaned["period_end"] = (
                    date(year, 1, 1),
                    date(year, 12, 31),
                )
        elif kind == Report.Kind.PROGRESS:
            for name in ("period_start", "period_end"):
                if not cleaned.get(name):
                    self.add_error(name, _("Give the period the progress report covers."))
        return cleaned

    def service_kwargs(self) -> dict:
        return {
            "kind": self.cleaned_data["kind"],
            "period_start": self.cleaned_data["period_start"],
            "period_end": self.cleaned_data["period_end"],
        }


class ReportCommentForm(forms.Form):
    goal = ModelChoiceField(
        label=_("Goal"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("the programme as a whole"),
    )
    body = forms.CharField(
        label=_("Comment of the team"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Printed in the report. Build the report again to include new comments."),
    )

    def __init__(self, *args, programme: CooperationProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = programme.goals.order_by("position", "pk")


class PartDeleteForm(forms.Form):
    """The confirmation of deleting a part of the programme; the team ticks the box when the
    measurements entered for it are meant to go too."""

    with_measurements = forms.BooleanField(
        label=_("Delete the measurements as well"),
        required=False,
        help_text=_("Their values stay in the event log of the programme."),
    )
