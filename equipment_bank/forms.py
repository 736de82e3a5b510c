"""Input of the bank's pages and its messages; the services check the rules again."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pestor.forms import DecimalField

from .filters import DateInput, sensible_date
from .models import RecurringSeries, Resource, ResourceAttachment
from .permissions import borrower_options
from .services import MAX_OCCURRENCES, MAX_PHOTOS, Borrower
from .validators import attachment_max_bytes, photo_max_bytes


def apply_service_error(form, error: ValidationError, aliases: dict | None = None) -> None:
    """A service's ValidationError next to the field it names (``aliases`` maps the service's
    names to the form's, e.g. the room form's "end" is its "end_time")."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__({"step": "3600", **(attrs or {})}, format="%H:%M")


class BorrowerChoiceMixin:
    def _set_borrowers(self, user, resource):
        self.options = borrower_options(user, resource)
        choices = [
            (
                f"{kind}:{obj.pk}",
                obj.display_name if kind == "organisation" else f"{obj.name} ({obj.municipality})",
            )
            for kind, obj in self.options
        ]
        self.fields["borrower"].choices = choices
        if len(choices) == 1:
            self.fields["borrower"].initial = choices[0][0]

    def borrower(self) -> Borrower:
        value = self.cleaned_data["borrower"]
        kind, _sep, pk = value.partition(":")
        for option_kind, obj in self.options:
            if option_kind == kind and str(obj.pk) == pk:
                return Borrower(**{kind: obj})
        return Borrower()


class BookingForm(BorrowerChoiceMixin, forms.Form):
    """Equipment by whole days (``start`` to ``end``, both included); a room by hours of one
    day (``start``, ``start_time`` to ``end_time``)."""

    borrower = forms.ChoiceField(label=_("You book for"))
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until (inclusive)"), widget=DateInput)
    start_time = forms.TimeField(label=_("From (hour)"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Until (hour)"), widget=TimeInput)
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=100, initial=1)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you need it for, e.g. a neighbourhood picnic."),
    )
    public_task = forms.CharField(
        label=_("Public task or event (optional)"),
        max_length=300,
        required=False,
        help_text=_("The public task, grant or event the booking serves, if any."),
    )
    accepted_rules = forms.BooleanField(
        label=_("I accept the owner's lending rules"), required=True
    )

    def __init__(self, *args, user, resource: Resource, units: int, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.resource = resource
        self._set_borrowers(user, resource)
        if resource.is_room:
            del self.fields["end"], self.fields["quantity"]
            self.fields["start"].label = _("Day")
        else:
            del self.fields["start_time"], self.fields["end_time"]
            self.fields["quantity"].max_value = max(units, 1)
            self.fields["quantity"].widget.attrs["max"] = max(units, 1)
            if units <= 1:
                self.fields["quantity"].widget = forms.HiddenInput()

    def clean(self):
        cleaned_data = super().clean()
        for name in ("start", "end"):
            if cleaned_data.get(name) is not None:
                try:
                    sensible_date(cleaned_data[name], name)
                except ValidationError as error:
                    self.add_error(None, error)
        return cleaned_data

    def period(self):
        from .services import period_of

        data = self.cleaned_data
        return period_of(
            self.resource,
            start_date=data["start"],
            end_date=data.get("end"),
            start_time=data.get("start_time"),
            end_time=data.get("end_time"),
        )

    @property
    def aliases(self) -> dict:
        return {"end": "end_time"} if self.resource.is_room else {}


class KitBookingForm(BorrowerChoiceMixin, forms.Form):
    borrower = forms.ChoiceField(label=_("You book for"))
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until (inclusive)"), widget=DateInput)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    public_task = forms.CharField(
        label=_("Public task or event (optional)"), max_length=300, required=False
    )
    accepted_rules = forms.BooleanField(
        label=_("I accept the owner's lending rules"), required=True
    )

    def __init__(self, *args, user, resource: Resource, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._set_borrowers(user, resource)

    def clean(self):
        cleaned_data = super().clean()
        for name in ("start", "end"):
            if cleaned_data.get(name) is not None:
                try:
                    sensible_date(cleaned_data[name], name)
                except ValidationError as error:
                    self.add_error(None, error)
        return cleaned_data


class SeriesForm(BorrowerChoiceMixin, forms.Form):
    """A room every week or every second week; the first press lists the occurrences and
    their conflicts, the second (``confirm``) books them."""

    borrower = forms.ChoiceField(label=_("You book for"))
    start = forms.DateField(label=_("First day"), widget=DateInput)
    start_time = forms.TimeField(label=_("From (hour)"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Until (hour)"), widget=TimeInput)
    frequency = forms.ChoiceField(
        label=_("Repeats"), choices=RecurringSeries.Frequency.choices, widget=forms.RadioSelect
    )
    occurrences = forms.IntegerField(
        label=_("How many times"), min_value=1, max_value=MAX_OCCURRENCES, initial=4
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    public_task = forms.CharField(
        label=_("Public task or event (optional)"), max_length=300, required=False
    )
    accepted_rules = forms.BooleanField(
        label=_("I accept the owner's lending rules"), required=True
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, resource: Resource, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._set_borrowers(user, resource)

    def clean_start(self):
        value = self.cleaned_data["start"]
        sensible_date(value, "start")
        return value


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note to the borrower"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject: say why."),
    )


class ConditionForm(forms.Form):
    """One unit's condition against its resource's checklist (prefixed by the booked unit)."""

    complete = forms.BooleanField(label=_("complete"), required=False, initial=True)
    clean = forms.BooleanField(label=_("clean"), required=False, initial=True)
    working = forms.BooleanField(label=_("working"), required=False, initial=True)
    checklist = forms.MultipleChoiceField(
        label=_("Checklist: tick what is in order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meter_reading = DecimalField(
        label=_("Meter reading"), required=False, max_digits=12, decimal_places=1, min_value=0
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, prefix=f"unit-{item.pk}", **kwargs)
        self.item = item
        items = item.resource.checklist_items
        self.fields["checklist"].choices = [(entry, entry) for entry in items]
        self.fields["checklist"].initial = items
        if not items:
            del self.fields["checklist"]
        if not item.resource.has_meter:
            del self.fields["meter_reading"]

    def service_data(self) -> dict:
        data = self.cleaned_data
        ticked = set(data.get("checklist") or [])
        return {
            "complete": data["complete"],
            "clean": data["clean"],
            "working": data["working"],
            "failed_items": [e for e in self.item.resource.checklist_items if e not in ticked],
            "meter_reading": data.get("meter_reading"),
            "notes": data["notes"],
            "photo": data.get("photo"),
        }


class HandOverForm(forms.Form):
    person = forms.CharField(
        label=_("Borrower's representative (name)"),
        max_length=200,
        help_text=_("The person who takes or brings back the units and signs the protocol."),
    )


class DamageClearForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. repaired at the borrower's cost, part replaced, written off."),
    )


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
        self.fields["image"].help_text = _(
            "PNG, JPEG or WebP, at most %(size)s; up to %(count)s photos."
        ) % {"size": filesizeformat(photo_max_bytes()), "count": MAX_PHOTOS}


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceAttachment.Kind.choices)
    file = forms.FileField(
        label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF of at most %(size)s.") % {
            "size": filesizeformat(attachment_max_bytes())
        }
