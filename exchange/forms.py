from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pestor.forms import formfield_for
from pestor.models import Company, Department
from pestor.widgets import MunicipalityMultipleField

from .models import Offer, OfferPhoto
from .services import EDITABLE_FIELDS, MAX_PHOTOS
from .validators import photo_max_bytes
from .widgets import CpvAutocomplete, CpvField


class OfferForm(forms.ModelForm):
    """An offer, listed or edited by a member of the organisation."""

    cpv = CpvField(
        label=_("Category (CPV)"),
        required=True,
        error_messages={"required": _("Choose a category or type a CPV code.")},
        widget=CpvAutocomplete(attrs={"data-empty-label": _("— choose a category —")}),
        help_text=_(
            "Type a few letters of the category's name or the beginning of its code and choose "
            "the closest one; any code of the Common Procurement Vocabulary, e.g. 55520000-1."
        ),
    )
    price_type = forms.ChoiceField(
        label=_("How the price is given"),
        choices=Offer.PriceType.choices,
        initial=Offer.PriceType.FIXED,
        widget=forms.RadioSelect,
    )
    municipalities_served = MunicipalityMultipleField(
        label=_("Municipalities where you deliver it"),
        help_text=_(
            "Several names separated by semicolons. If you give none, the municipalities your "
            "organisation serves are assumed."
        ),
    )

    class Meta:
        formfield_callback = formfield_for
        model = Offer
        fields = [
            "kind",
            "title",
            "description",
            "cpv",
            "price_type",
            "price",
            "unit",
            "lead_time_days",
            "municipalities_served",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 8}),
            "price": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            "lead_time_days": forms.NumberInput(attrs={"min": "0"}),
        }
        help_texts = {
            "price": _("Net, in PLN. Leave empty if the price is on request."),
            "lead_time_days": _("How many days you usually need from order to delivery."),
        }

    sections = (
        (_("What you offer"), ("kind", "title", "description")),
        (_("Category"), ("cpv",)),
        (_("Price"), ("price_type", "price", "unit")),
        (_("Where and when"), ("municipalities_served", "lead_time_days")),
    )

    def __init__(self, *args, organisation=None, **kwargs):
        # Legends of radio and checkbox groups read like labels: without a colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.instance.pk and organisation is not None and not self.is_bound:
            self.initial["municipalities_served"] = list(
                organisation.municipalities_served.all()
            ) or [organisation.seat_municipality]

    def fieldsets(self):
        for legend, names in self.sections:
            yield legend, [self[name] for name in names]

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
        if data["unit"] is None:
            data["unit"] = ""
        return {**data, "municipalities_served": self.cleaned_data["municipalities_served"]}


class OfferPhotoForm(forms.ModelForm):
    class Meta:
        model = OfferPhoto
        fields = ["image", "alt_text"]
        # Not Django's ImageField, which opens the image with Pillow before the service counts
        # its pixels; validate_offer_photo reads the header and says what is wrong.
        field_classes = {"image": forms.FileField}
        widgets = {
            "image": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["image"].help_text = _(
            "PNG, JPEG or WebP, at most %(size)s. Large photos are made smaller; an offer can "
            "have up to %(count)s photos."
        ) % {"size": filesizeformat(photo_max_bytes()), "count": MAX_PHOTOS}

    def _post_clean(self):
        # The service validates, resizes and stores the file.
        pass


class PhotoAltTextForm(forms.ModelForm):
    class Meta:
        model = OfferPhoto
        fields = ["alt_text"]


def _on_behalf_choices(user) -> list[tuple[str, str]]:
    from pestor import roles

    choices = [
        (f"department:{department.pk}", f"{department.name} — {department.municipality}")
        for department in Department.objects.filter(officials__user=user)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    ]
    choices += [
        (f"company:{company.pk}", company.name)
        for company in Company.objects.filter(pk__in=roles.buyer_company_ids(user))
    ]
    return choices


class InquiryForm(forms.Form):
    on_behalf = forms.ChoiceField(label=_("You ask for"))
    quantity = forms.CharField(
        label=_("Quantity"),
        max_length=100,
        required=False,
        help_text=_("e.g. 80 lunches, 3 days, 200 m²"),
    )
    needed_by = forms.DateField(
        label=_("Needed by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    message = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the organisation's members will read it."),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        choices = _on_behalf_choices(user)
        self.fields["on_behalf"].choices = choices
        if len(choices) == 1:
            self.fields["on_behalf"].initial = choices[0][0]
            self.fields["on_behalf"].widget = forms.HiddenInput()
            self.on_behalf_label = choices[0][1]
        else:
            self.on_behalf_label = None

    def clean_needed_by(self):
        value = self.cleaned_data["needed_by"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("This date has already passed."))
        return value

    def service_kwargs(self) -> dict:
        kind, _sep, pk = self.cleaned_data["on_behalf"].partition(":")
        return {
            "department": Department.objects.get(pk=pk) if kind == "department" else None,
            "company": Company.objects.get(pk=pk) if kind == "company" else None,
            "quantity": self.cleaned_data["quantity"],
            "needed_by": self.cleaned_data["needed_by"],
            "message": self.cleaned_data["message"],
        }


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
