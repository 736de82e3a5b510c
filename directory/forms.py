from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pestor.forms import ModelMultipleChoiceField, formfield_for
from pestor.validators import compact_nip, compact_regon, validate_nip
from pestor.widgets import MunicipalityField, MunicipalityMultipleField

from .models import CooperativeFounder, Organisation, PublicBenefitSphere
from .services import EDITABLE_FIELDS


class OrganisationForm(forms.ModelForm):
    """Registration and editing of an organisation's profile by its members."""

    # Wider than the model's columns so that numbers pasted with dashes or spaces are accepted.
    nip = forms.CharField(
        label=_("NIP"), max_length=20, help_text=_("10 digits, with or without dashes.")
    )
    # Declared so that an address typed without a scheme gets https:// (Django 6's default).
    website = forms.URLField(
        label=_("website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
    )
    regon = forms.CharField(label=_("REGON"), max_length=20, help_text=_("9 or 14 digits."))
    spheres = ModelMultipleChoiceField(
        label=_("Spheres of public tasks"),
        queryset=PublicBenefitSphere.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The spheres of art. 4 of the Act on public benefit activity you work in."),
    )
    seat_municipality = MunicipalityField(
        label=capfirst(Organisation._meta.get_field("seat_municipality").verbose_name),
        required=True,
        help_text=Organisation._meta.get_field("seat_municipality").help_text,
    )
    municipalities_served = MunicipalityMultipleField(
        label=_("Municipalities served"),
        help_text=_(
            "Several names separated by semicolons. If you give none, the seat municipality "
            "is assumed."
        ),
    )

    class Meta:
        formfield_callback = formfield_for
        model = Organisation
        fields = [*EDITABLE_FIELDS, "spheres", "municipalities_served"]
        # Not Django's ImageField, which opens the image with Pillow before the model's
        # validator counts its pixels and would answer a decompression bomb with a generic
        # message; validate_logo reads the header and says what is wrong.
        field_classes = {"logo": forms.FileField}
        widgets = {
            "social_enterprise_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "postal_code": forms.TextInput(
                attrs={
                    "autocomplete": "postal-code",
                    "inputmode": "numeric",
                    "pattern": r"\d{2}-\d{3}",
                }
            ),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    # Groups of fields, each rendered as a <fieldset> with a legend.
    sections = (
        (_("Name and legal form"), ("name", "short_name", "legal_form", "year_founded")),
        (
            _("Registers and status"),
            (
                "krs",
                "nip",
                "regon",
                "is_public_benefit",
                "is_social_enterprise",
                "social_enterprise_since",
            ),
        ),
        (
            _("Seat"),
            ("street", "postal_code", "city", "seat_municipality", "latitude", "longitude"),
        ),
        (_("What you do and where"), ("description", "spheres", "municipalities_served")),
        (_("Contact"), ("website", "email", "phone", "logo")),
        (_("Employment"), ("employees", "employees_at_risk")),
    )

    def __init__(self, *args, legal_data=True, profile=True, **kwargs):
        """``legal_data=False`` leaves out Organisation.LEGAL_FIELDS (for members who may not
        change them, and on a verified organisation, whose legal data change through an
        official's review); ``profile=False`` keeps only them (the proposal of a change)."""
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            is_legal = name in Organisation.LEGAL_FIELDS
            if (is_legal and not legal_data) or (not is_legal and not profile):
                del self.fields[name]

    def clean_nip(self):
        return compact_nip(self.cleaned_data["nip"])

    def clean_regon(self):
        return compact_regon(self.cleaned_data["regon"])

    def fieldsets(self):
        for legend, names in self.sections:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield legend, fields

    def service_kwargs(self) -> dict:
        names = [*EDITABLE_FIELDS, "spheres", "municipalities_served"]
        data = {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
        if data.get("logo") is False:  # "clear" ticked on the logo
            data["logo"] = None
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("What must the organisation correct?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The organisation's owner sees this text and can correct the data."),
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the organisation suspended?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "The organisation's members receive this text by e-mail and see it on its page."
        ),
    )


class ReturnLegalChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can the change not be accepted?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The organisation's owners see this text; the verified data stay as they are."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the new editor"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class FounderForm(forms.Form):
    """A founding member of a cooperative: a municipality typed by name, an organisation of
    the directory given by its NIP, or another legal person by name and NIP or REGON."""

    kind = forms.ChoiceField(
        label=_("Founding member"),
        choices=CooperativeFounder.Kind.choices,
        widget=forms.RadioSelect,
    )
    municipality = MunicipalityField(
        label=_("Municipality"), help_text=_("For a municipality: its name.")
    )
    organisation_nip = forms.CharField(
        label=_("NIP of the organisation from the directory"),
        max_length=20,
        required=False,
        help_text=_("For an organisation registered in the portal."),
    )
    name = forms.CharField(
        label=_("Name of the legal person"),
        max_length=300,
        required=False,
        help_text=_("For another legal person, e.g. a parish or a water company."),
    )
    nip = forms.CharField(label=_("NIP"), max_length=20, required=False)
    regon = forms.CharField(label=_("REGON"), max_length=20, required=False)

    def clean_organisation_nip(self):
        nip = compact_nip(self.cleaned_data["organisation_nip"])
        if nip:
            validate_nip(nip)
        return nip

    def clean_nip(self):
        return compact_nip(self.cleaned_data["nip"])

    def clean_regon(self):
        return compact_regon(self.cleaned_data["regon"])

    def clean(self):
        from .selectors import organisation_by_nip

        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == CooperativeFounder.Kind.MUNICIPALITY and not cleaned.get("municipality"):
            self.add_error("municipality", _("Give the name of the municipality."))
        if kind == CooperativeFounder.Kind.ORGANISATION:
            nip = cleaned.get("organisation_nip")
            found = organisation_by_nip(nip=nip) if nip else None
            if not nip:
                self.add_error("organisation_nip", _("Give the NIP of the organisation."))
            elif found is None:
                self.add_error(
                    "organisation_nip",
                    _(
                        "No organisation with this NIP is registered in the portal; add it as "
                        "another legal person."
                    ),
                )
            cleaned["organisation"] = found
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "kind": kind,
            "municipality": data.get("municipality")
            if kind == CooperativeFounder.Kind.MUNICIPALITY
            else None,
            "organisation": data.get("organisation")
            if kind == CooperativeFounder.Kind.ORGANISATION
            else None,
            "name": data.get("name", "") if kind == CooperativeFounder.Kind.LEGAL_PERSON else "",
            "nip": data.get("nip", "") if kind == CooperativeFounder.Kind.LEGAL_PERSON else "",
            "regon": data.get("regon", "") if kind == CooperativeFounder.Kind.LEGAL_PERSON else "",
        }
