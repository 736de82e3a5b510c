"""Input of the grants pages and its messages; the services check the rules again."""

from decimal import Decimal

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import PublicBenefitSphere
from pestor.forms import DecimalField, ModelChoiceField, ModelMultipleChoiceField, MultipleFileField

from .models import Contribution, Strategy, StrategyArea, StrategyGoal, StrategyOutcome
from .services import FORMAL_CRITERIA, MAX_DOCUMENTS, MERIT_CRITERIA, document_max_bytes

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_MONEY = Decimal("9999999999.99")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        input_formats=[DATETIME_LOCAL],
    )


def _money(label, **kwargs):
    return DecimalField(label=label, max_digits=12, min_value=0, max_value=MAX_MONEY, **kwargs)


def _sensible(value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


# --- the strategy ------------------------------------------------------------------------------


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["name", "first_year", "last_year", "resolution"]


class AreaForm(forms.ModelForm):
    class Meta:
        model = StrategyArea
        fields = ["name", "order"]


class GoalForm(forms.ModelForm):
    class Meta:
        model = StrategyGoal
        fields = ["name", "order"]


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = StrategyOutcome
        fields = ["name", "measure", "unit", "order"]
        help_texts = {
            "measure": _("e.g. residents taking part in cultural events"),
            "unit": _("e.g. persons/year"),
        }


# --- competitions ------------------------------------------------------------------------------


class CompetitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("The public task"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    sphere = ModelChoiceField(
        label=_("Sphere of public tasks (art. 4)"),
        queryset=PublicBenefitSphere.objects.order_by("position"),
    )
    outcomes = ModelMultipleChoiceField(
        label=_("Strategy outcomes the competition serves"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    budget = _money(_("Budget (PLN)"))
    offers_from = _datetime_field(_("Offers from"))
    offers_until = _datetime_field(_("Offers until"))
    task_starts_on = forms.DateField(label=_("The task starts on"), widget=DateInput())
    task_ends_on = forms.DateField(label=_("The task ends on"), widget=DateInput())
    formal_criteria = forms.CharField(
        label=_("Formal criteria (yes/no), one a line"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="\n".join(FORMAL_CRITERIA),
    )
    alignment_points = DecimalField(
        label=_("Points for the contribution to the strategy"),
        max_digits=6,
        min_value=Decimal("0.01"),
        max_value=Decimal("1000"),
        initial=Decimal(20),
        help_text=_("The weight of the strategy-alignment part, shared equally by its outcomes."),
    )

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = outcomes
        for index, (name, points) in enumerate(MERIT_CRITERIA):
            self.fields[f"merit_{index}"] = DecimalField(
                label=_("Maximum points: %(criterion)s") % {"criterion": name},
                max_digits=6,
                min_value=0,
                max_value=Decimal("1000"),
                initial=Decimal(points),
                help_text=_("0 leaves the criterion out of the card."),
            )

    def clean_offers_from(self):
        return _sensible(self.cleaned_data.get("offers_from"))

    def clean_offers_until(self):
        value = _sensible(self.cleaned_data.get("offers_until"))
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The deadline for offers must be in the future."))
        return value

    def clean_task_starts_on(self):
        return _sensible(self.cleaned_data.get("task_starts_on"))

    def clean_task_ends_on(self):
        return _sensible(self.cleaned_data.get("task_ends_on"))

    def clean_formal_criteria(self):
        lines = [line.strip() for line in self.cleaned_data["formal_criteria"].splitlines()]
        lines = [line[:200] for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Give at least one formal criterion."))
        return lines

    def service_data(self) -> dict:
        """The cleaned data as ``services.competition_create`` takes it."""
        data = dict(self.cleaned_data)
        merit = []
        for index, (name, _points) in enumerate(MERIT_CRITERIA):
            points = data.pop(f"merit_{index}")
            if points:
                merit.append((name, points))
        data["merit_criteria"] = merit
        return data


# --- offers ------------------------------------------------------------------------------------


class OfferForm(forms.Form):
    organisation = ModelChoiceField(label=_("Organisation"), queryset=None)
    task_title = forms.CharField(label=_("Title of the task"), max_length=300)
    task_description = forms.CharField(
        label=_("The task: what, for whom, where"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    schedule = forms.CharField(
        label=_("Schedule"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    total_cost = _money(_("Total cost (PLN)"))
    grant_requested = _money(_("Grant requested (PLN)"))
    own_funds = _money(_("Own funds (PLN)"))
    in_kind_value = _money(_("In-kind contribution (PLN)"))
    volunteer_hours = forms.IntegerField(
        label=_("Volunteer work (hours)"), min_value=0, max_value=10_000_000
    )
    volunteer_value = _money(_("Value of volunteer work (PLN)"))
    documents = MultipleFileField(label=_("Attachments (PDF)"), required=False)

    def __init__(self, *args, organisations, outcomes, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["documents"].help_text = _(
            "At most %(count)s PDF files of at most %(size)s each; private to your organisation, "
            "the officials and the committee."
        ) % {"count": MAX_DOCUMENTS, "size": filesizeformat(document_max_bytes())}
        for outcome in outcomes:
            self.fields[f"contribution_{outcome.pk}"] = forms.ChoiceField(
                label=_("Contribution to: %(outcome)s") % {"outcome": outcome.name},
                choices=Contribution.choices,
                initial=Contribution.NONE,
                widget=forms.RadioSelect,
            )
            self.fields[f"quantity_{outcome.pk}"] = DecimalField(
                label=_("Quantity promised (%(unit)s)") % {"unit": outcome.unit},
                max_digits=12,
                min_value=0,
                max_value=MAX_MONEY,
                required=False,
                help_text=outcome.measure,
            )

    def contribution_fields(self):
        return [
            (outcome, self[f"contribution_{outcome.pk}"], self[f"quantity_{outcome.pk}"])
            for outcome in self.outcomes
        ]

    def plain_fields(self):
        return [
            self[name]
            for name in self.fields
            if not name.startswith(("contribution_", "quantity_")) and name != "documents"
        ]

    def clean(self):
        cleaned_data = super().clean()
        cost, requested = cleaned_data.get("total_cost"), cleaned_data.get("grant_requested")
        if cost is not None and requested is not None and requested > cost:
            self.add_error(
                "grant_requested", _("The grant requested cannot exceed the total cost.")
            )
        return cleaned_data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        contributions = {}
        for outcome in self.outcomes:
            contributions[outcome.pk] = (
                data.pop(f"contribution_{outcome.pk}"),
                data.pop(f"quantity_{outcome.pk}"),
            )
        files = data.pop("documents")
        data["contributions"] = contributions
        data["documents"] = [(file.name, file) for file in files]
        return data


class FormalCheckForm(forms.Form):
    note = forms.CharField(
        label=_("Note (e.g. what is missing)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"met_{criterion.pk}"] = forms.BooleanField(
                label=criterion.name, required=False
            )

    def failed_criteria(self):
        return [c for c in self.criteria if not self.cleaned_data.get(f"met_{c.pk}")]


class SupplementCallForm(forms.Form):
    """The call to supplement a formal gap by a date."""

    note = forms.CharField(
        label=_("What the organisation is to supplement"),
        help_text=_("Name the parts of the offer to change or the attachments to add."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the organisation is to supplement.")},
    )
    until = forms.DateField(
        label=_("Supplement by (inclusive)"),
        widget=DateInput(),
        error_messages={"required": _("Give the date to supplement by.")},
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("The date to supplement by cannot be in the past."))
        return until


class DecisionForm(forms.Form):
    """One amount per offer that passed the formal check (fields named by the offer's id)."""

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = offers
        for offer in offers:
            self.fields[f"amount_{offer.pk}"] = DecimalField(
                label=_("Grant for %(organisation)s (PLN)")
                % {"organisation": offer.organisation.display_name},
                max_digits=12,
                min_value=0,
                max_value=MAX_MONEY,
                required=False,
                help_text=_("Requested: %(amount)s PLN") % {"amount": offer.grant_requested},
            )

    def amounts(self) -> dict:
        return {
            offer.pk: self.cleaned_data.get(f"amount_{offer.pk}") or Decimal(0)
            for offer in self.offers
        }


class CardForm(forms.Form):
    """The card after funding: the quantity achieved for each outcome, with its evidence."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"achieved_{row.outcome_id}"] = DecimalField(
                label=_("Achieved (%(unit)s): %(outcome)s")
                % {"unit": row.outcome.unit, "outcome": row.outcome.name},
                max_digits=12,
                min_value=0,
                max_value=MAX_MONEY,
                help_text=row.outcome.measure,
            )
            self.fields[f"evidence_{row.outcome_id}"] = forms.CharField(
                label=_("Evidence: %(outcome)s") % {"outcome": row.outcome.name},
                max_length=3000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("e.g. attendance lists, photos, the report's page"),
            )

    def card_rows(self):
        return [
            (row, self[f"achieved_{row.outcome_id}"], self[f"evidence_{row.outcome_id}"])
            for row in self.rows
        ]

    def achievements(self) -> dict:
        return {
            row.outcome_id: (
                self.cleaned_data.get(f"achieved_{row.outcome_id}"),
                self.cleaned_data.get(f"evidence_{row.outcome_id}", ""),
            )
            for row in self.rows
        }
