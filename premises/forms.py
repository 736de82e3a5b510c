"""Input of the premises pages and its messages; the services check the rules again."""

from decimal import Decimal

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pestor.forms import (
    DecimalField,
    ModelMultipleChoiceField,
    MultipleFileField,
    coordinate_field,
)
from pestor.models import Municipality
from scoring.forms import CriteriaForm

from .models import Floor, Premises
from .validators import document_max_bytes, photo_max_bytes

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FIRST_YEAR, LAST_YEAR = 2000, 2100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def _sensible(value, field_label):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


class PremisesForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Administering unit"), queryset=None)
    address = forms.CharField(label=_("Address"), max_length=300)
    district = forms.CharField(label=_("District or estate"), max_length=100)
    latitude = coordinate_field("latitude")
    longitude = coordinate_field("longitude")
    floor = forms.ChoiceField(label=_("Floor"), choices=Floor.choices)
    area_m2 = DecimalField(label=_("Usable area (m²)"), max_digits=8, decimal_places=2)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=1, max_value=500)
    technical_state = forms.ChoiceField(label=_("Technical state"), choices=Premises.State.choices)
    step_free_entrance = forms.BooleanField(label=_("Step-free entrance"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    has_electricity = forms.BooleanField(label=_("Electricity"), required=False)
    has_water = forms.BooleanField(label=_("Water and sewage"), required=False)
    has_gas = forms.BooleanField(label=_("Gas"), required=False)
    has_heating = forms.BooleanField(label=_("Central heating"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea
    )
    market_rent_m2 = DecimalField(
        label=_("Reference market rent per m² net (PLN)"), max_digits=10, min_value=0
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_area_m2(self):
        area = self.cleaned_data["area_m2"]
        if area <= 0:
            raise forms.ValidationError(_("The area must be more than 0 m²."))
        return area


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (value, label)
            for value, label in Premises.Status.choices
            if value
            in (Premises.Status.VACANT, Premises.Status.LEASED_OTHER, Premises.Status.NOT_FOR_LEASE)
        ],
    )
    note = forms.CharField(label=_("Reason"), max_length=300)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Description of the photo"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("PNG, JPEG or WebP, at most %(size)s.") % {
            "size": filesizeformat(photo_max_bytes())
        }


class PlanForm(forms.Form):
    plan = forms.FileField(
        label=_("Plan (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].help_text = _("A PDF of at most %(size)s.") % {
            "size": filesizeformat(document_max_bytes())
        }


class LeaseForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Tenant"), queryset=None)
    sphere = forms.ModelChoiceField(label=_("Sphere of public tasks"), queryset=None)
    activity = forms.CharField(
        label=_("What the tenant does there"), max_length=2000, widget=forms.Textarea
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("Until (exclusive)"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: the municipality's lease term, or indefinite without one."),
    )
    basic_rent_m2 = DecimalField(label=_("Basic rent per m² net (PLN)"), max_digits=10, min_value=0)
    deposit = DecimalField(label=_("Deposit (PLN)"), max_digits=10, min_value=0, initial=0)
    discount_percent = DecimalField(
        label=_("Discount (%)"),
        max_digits=5,
        required=False,
        help_text=_("Empty: the discount the rules propose."),
    )
    override_reason = forms.CharField(
        label=_("Reason for another discount"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisations, spheres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["sphere"].queryset = spheres

    def clean_starts_on(self):
        return _sensible(self.cleaned_data.get("starts_on"), "starts_on")

    def clean_ends_on(self):
        return _sensible(self.cleaned_data.get("ends_on"), "ends_on")

    def clean_discount_percent(self):
        value = self.cleaned_data.get("discount_percent")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("A discount lies between 0% and 100%."))
        return value

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("starts_on"), cleaned_data.get("ends_on")
        if start and end and end <= start:
            self.add_error("ends_on", _("A lease must end after it starts."))
        return cleaned_data


class IndexationForm(forms.Form):
    valid_from = forms.DateField(label=_("New rates from"), widget=DateInput)
    basic_rent_m2 = DecimalField(label=_("Basic rent per m² (PLN)"), max_digits=10, min_value=0)
    market_rent_m2 = DecimalField(label=_("Market rent per m² (PLN)"), max_digits=10, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_valid_from(self):
        return _sensible(self.cleaned_data.get("valid_from"), "valid_from")


class LeaseEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Ends on (exclusive)"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_ends_on(self):
        return _sensible(self.cleaned_data.get("ends_on"), "ends_on")


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("e.g. a social shop and café"),
    )
    documents_required = forms.CharField(
        label=_("Documents required"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. the statute, the last financial and narrative report"),
    )
    opens_at = forms.DateTimeField(
        label=_("Applications from"), widget=_datetime_widget(), input_formats=[DATETIME_LOCAL]
    )
    closes_at = forms.DateTimeField(
        label=_("Applications until"), widget=_datetime_widget(), input_formats=[DATETIME_LOCAL]
    )
    premises = ModelMultipleChoiceField(
        label=_("Premises offered"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vacant premises of your municipality."),
    )

    def __init__(self, *args, premises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premises"].queryset = premises

    def clean_opens_at(self):
        return _sensible(self.cleaned_data.get("opens_at"), "opens_at")

    def clean_closes_at(self):
        value = _sensible(self.cleaned_data.get("closes_at"), "closes_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The call must close in the future."))
        return value

    def clean(self):
        cleaned_data = super().clean()
        opens, closes = cleaned_data.get("opens_at"), cleaned_data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        return cleaned_data


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    premises = forms.ModelChoiceField(label=_("Premises"), queryset=None)
    intended_use = forms.CharField(
        label=_("Intended use"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"), max_length=200, help_text=_("e.g. Mon-Fri 10:00-18:00")
    )
    beneficiaries = forms.IntegerField(
        label=_("Expected beneficiaries a year"), min_value=0, max_value=10_000_000
    )
    proposed_rent_m2 = DecimalField(
        label=_("Proposed rent per m² net (PLN)"), max_digits=10, min_value=0
    )
    documents = MultipleFileField(label=_("Documents (PDF)"))

    def __init__(self, *args, organisations, premises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["premises"].queryset = premises
        self.fields["documents"].help_text = _(
            "The documents the call requires, as PDF files of at most %(size)s each."
        ) % {"size": filesizeformat(document_max_bytes())}


# The criteria form is scoring's: the award and the contests (community) use it too.
CommitteeForm = CriteriaForm


class DecisionForm(forms.Form):
    """One choice and reason per premises of the call (fields named by the premises' id); with
    a committee, each application's total and rank beside its name."""

    def __init__(self, *args, premises, applications, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.premises = premises
        scores = scores or {}
        for item in premises:
            choices = [("", _("nobody (the premises stay vacant)"))] + [
                (
                    str(application.pk),
                    " — ".join(
                        [application.organisation.display_name]
                        + ([scores[application.pk]] if application.pk in scores else [])
                    ),
                )
                for application in applications
                if application.premises_id == item.pk and application.status == "submitted"
            ]
            self.fields[f"choice_{item.pk}"] = forms.ChoiceField(
                label=_("Chosen for %(premises)s") % {"premises": item},
                choices=choices,
                required=False,
            )
            self.fields[f"reason_{item.pk}"] = forms.CharField(
                label=_("Reason for %(premises)s") % {"premises": item},
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class AlertForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None)
    district = forms.CharField(label=_("District or estate"), max_length=100, required=False)
    min_area = DecimalField(label=_("Area from (m²)"), max_digits=8, min_value=0, required=False)
    max_area = DecimalField(label=_("Area up to (m²)"), max_digits=8, min_value=0, required=False)
    floor = forms.ChoiceField(
        label=_("Floor"), choices=[("", _("any")), *Floor.choices], required=False
    )
    step_free_only = forms.BooleanField(label=_("Only with a step-free entrance"), required=False)
    purpose = forms.CharField(
        label=_("Purpose (words to look for in a call)"), max_length=200, required=False
    )

    def __init__(self, *args, organisations, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("min_area"), cleaned_data.get("max_area")
        if low is not None and high is not None and high < low:
            self.add_error("max_area", _("The largest area cannot be smaller than the smallest."))
        return cleaned_data


class ReportForm(forms.Form):
    activities = forms.CharField(
        label=_("Activities"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), min_value=0, max_value=10_000_000)
    hours_per_week = forms.IntegerField(label=_("Hours open a week"), min_value=0, max_value=168)
    events = forms.IntegerField(label=_("Events"), min_value=0, max_value=100_000)
    volunteers = forms.IntegerField(label=_("Volunteers"), min_value=0, max_value=100_000)
    in_kind_contribution = DecimalField(
        label=_("In-kind contribution (PLN)"), max_digits=12, min_value=0, initial=0
    )
    narrative = forms.CharField(
        label=_("Narrative"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("Description of the photo (optional)"), max_length=200, required=False
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("photo") and not (cleaned_data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Describe what the photo shows."))
        return cleaned_data


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What to correct"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResultsScopeForm(forms.Form):
    """The public results page's GET parameters: ``rok`` (a year with data) and ``gmina`` (a
    municipality's slug). A value it cannot read is dropped, never an error: the page then
    shows its default scope (the latest year, every municipality)."""

    rok = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    gmina = forms.SlugField(max_length=100, required=False)

    def __init__(self, data, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.years = years
        # Only the years with data: anything else (a digit that is not ASCII, a number beyond
        # every integer, a NUL byte) is not among the choices.
        self.fields["rok"].choices = [(str(year), str(year)) for year in years]

    def scope(self) -> tuple[int | None, object]:
        """(year, municipality or None), what could be read of the parameters."""
        self.is_valid()
        cleaned = self.cleaned_data
        year = cleaned.get("rok") or (self.years[0] if self.years else None)
        slug = cleaned.get("gmina")
        municipality = Municipality.objects.filter(slug=slug).first() if slug else None
        return year, municipality


def _percent_field(label) -> DecimalField:
    """An optional share between 0 and 100, typed with a comma or a dot."""
    return DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        localize=True,
    )


class PolicyForm(forms.Form):
    """A municipality's discount rules: the maximum discount per sphere of art. 4 (empty: no
    discount), the extra points per floor, the discount period, the lease term, the report's
    due date, and why they change."""

    discount_months = forms.IntegerField(
        label=_("Discount period (months)"), min_value=1, max_value=240
    )
    lease_term_months = forms.IntegerField(
        label=_("Lease term (months)"),
        min_value=1,
        max_value=1200,
        required=False,
        help_text=_("Leave empty for leases of indefinite term."),
    )
    report_due_day = forms.IntegerField(
        label=_("Annual report due: day"), min_value=1, max_value=31
    )
    report_due_month = forms.IntegerField(
        label=_("Annual report due: month"), min_value=1, max_value=12
    )

    def __init__(self, *args, spheres, **kwargs):
        super().__init__(*args, **kwargs)
        self.spheres = list(spheres)
        for sphere in self.spheres:
            self.fields[f"sphere_{sphere.pk}"] = _percent_field(
                _("Maximum discount (%%) for: %(sphere)s") % {"sphere": sphere.name}
            )
        for value, label in Floor.choices:
            self.fields[f"floor_{value}"] = _percent_field(
                _("Extra percentage points: %(floor)s") % {"floor": label}
            )
        self.fields["reason"] = forms.CharField(
            label=_("Reason for the change"),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("e.g. the mayor's ordinance no. 123/2026; shown with the rules' history."),
        )

    def sphere_fields(self):
        return [self[f"sphere_{sphere.pk}"] for sphere in self.spheres]

    def floor_fields(self):
        return [self[f"floor_{value}"] for value, _label in Floor.choices]

    def rules(self) -> dict:
        data = self.cleaned_data
        return {
            "spheres": {
                sphere: data[f"sphere_{sphere.pk}"]
                for sphere in self.spheres
                if data.get(f"sphere_{sphere.pk}") is not None
            },
            "floors": {
                value: data[f"floor_{value}"]
                for value, _label in Floor.choices
                if data.get(f"floor_{value}")
            },
            "discount_months": data["discount_months"],
            "lease_term_months": data.get("lease_term_months"),
            "report_due_month": data["report_due_month"],
            "report_due_day": data["report_due_day"],
        }

    @staticmethod
    def initial_for(policy) -> dict:
        initial = {
            "discount_months": policy.discount_months,
            "lease_term_months": policy.lease_term_months,
            "report_due_month": policy.report_due_month,
            "report_due_day": policy.report_due_day,
        }
        for row in policy.sphere_discounts.all():
            initial[f"sphere_{row.sphere_id}"] = row.max_percent
        for row in policy.floor_discounts.all():
            initial[f"floor_{row.floor}"] = row.extra_points
        return initial
