from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import LegalForm
from pestor.forms import DecimalField, ModelMultipleChoiceField, formfield_for
from pestor.validators import compact_nip, validate_nip
from pestor.widgets import MunicipalityField, MunicipalityMultipleField

from .models import Loan, LoanRequest, Meeting, Partnership, PartnershipMember, Product, Theme
from .services.finance import PRODUCT_FIELDS, VENTURE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _themes_field(queryset=None, label=None):
    return ModelMultipleChoiceField(
        label=label or _("Themes"),
        queryset=queryset if queryset is not None else Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PartnershipForm(forms.ModelForm):
    """A partnership's data; on creation also who coordinates it (``coordinators``: the
    choices the user may make, as (value, label))."""

    coordinator = forms.ChoiceField(
        label=_("Coordinator"),
        help_text=_("The organisation or municipality you act for that coordinates it."),
    )
    themes = _themes_field()
    territory = MunicipalityMultipleField(
        label=_("Territory"), help_text=_("Municipalities separated by semicolons.")
    )
    charter = forms.FileField(
        label=_("Charter (PDF)"),
        required=False,
        # Not the clearable input: it links the current file, and a charter is kept in private
        # storage (served by the charter's own view).
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Partnership
        formfield_callback = formfield_for
        fields = ["name", "kind", "description", "results", "themes", "territory", "charter"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, coordinators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if coordinators is None:
            del self.fields["coordinator"]
        else:
            self.fields["coordinator"].choices = coordinators
        if self.instance.pk:
            self.initial["territory"] = list(self.instance.territory.all())

    def service_kwargs(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in ("name", "kind", "description", "results", "themes", "territory")
        }
        charter = self.cleaned_data.get("charter")
        data["charter"] = charter
        return data


class InviteForm(forms.Form):
    """The coordinator invites a member: an organisation or a company by its NIP, a
    municipality by name, or a department of a municipality of the territory."""

    kind = forms.ChoiceField(
        label=_("Who is invited"), choices=PartnershipMember.Kind.choices, widget=forms.RadioSelect
    )
    nip = forms.CharField(
        label=_("NIP of the organisation or company"),
        max_length=20,
        required=False,
        help_text=_(
            "For an organisation from the directory or a company registered in the portal."
        ),
    )
    municipality = MunicipalityField(label=_("Municipality"))
    department = forms.ChoiceField(label=_("Department"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=PartnershipMember.Role.choices)
    themes = _themes_field()

    def __init__(self, *args, departments=(), themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—")] + [
            (str(department.pk), str(department)) for department in departments
        ]
        self._departments = {str(department.pk): department for department in departments}
        if themes is not None:
            self.fields["themes"].queryset = themes

    def clean_nip(self):
        nip = compact_nip(self.cleaned_data["nip"])
        if nip:
            validate_nip(nip)
        return nip

    def clean(self):
        from . import selectors

        cleaned = super().clean()
        kind = cleaned.get("kind")
        target = None
        if kind in (PartnershipMember.Kind.ORGANISATION, PartnershipMember.Kind.COMPANY):
            nip = cleaned.get("nip")
            if not nip:
                self.add_error("nip", _("Give the NIP."))
            else:
                target = selectors.target_by_nip(kind=kind, nip=nip)
                if target is None:
                    self.add_error(
                        "nip",
                        _("No organisation with this NIP is in the directory.")
                        if kind == PartnershipMember.Kind.ORGANISATION
                        else _("No company with this NIP is registered in the portal."),
                    )
        elif kind == PartnershipMember.Kind.MUNICIPALITY:
            target = cleaned.get("municipality")
            if target is None:
                self.add_error("municipality", _("Give the name of the municipality."))
        elif kind == PartnershipMember.Kind.DEPARTMENT:
            target = self._departments.get(cleaned.get("department") or "")
            if target is None:
                self.add_error("department", _("Choose the department."))
        cleaned["target"] = target
        return cleaned


class JoinForm(forms.Form):
    """A member's people ask to join for what they act for."""

    member = forms.ChoiceField(label=_("Join as"))
    themes = _themes_field(label=_("Themes you would work in"))

    def __init__(self, *args, candidates=(), themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._candidates = {value: (kind, target) for value, kind, target in candidates}
        self.fields["member"].choices = [(value, str(target)) for value, _k, target in candidates]
        if themes is not None:
            self.fields["themes"].queryset = themes

    def clean_member(self):
        return self._candidates[self.cleaned_data["member"]]


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "title", "minutes", "decisions", "is_published"]
        widgets = {
            "held_on": DateInput,
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }


# --- the financial instrument ------------------------------------------------------------------


class ProductForm(forms.ModelForm):
    legal_forms = forms.MultipleChoiceField(
        label=_("Legal forms that may apply"),
        choices=LegalForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every legal form may apply."),
    )

    class Meta:
        model = Product
        formfield_callback = formfield_for
        fields = ["lender", *PRODUCT_FIELDS]
        widgets = {
            "collateral": forms.Textarea(attrs={"rows": 2}),
            "purposes": forms.Textarea(attrs={"rows": 3}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, lenders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lender"].queryset = lenders
        self.fields["lender"].empty_label = None
        if self.instance.pk:
            del self.fields["lender"]


class LoanRequestForm(forms.Form):
    organisation = forms.ChoiceField(label=_("For the organisation"))
    amount = DecimalField(label=_("Amount (PLN)"), min_value=0)
    need = forms.CharField(
        label=_("What is needed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    purpose_kind = forms.ChoiceField(label=_("Purpose"), choices=LoanRequest.Purpose.choices)
    purpose = forms.CharField(
        label=_("Purpose in detail"),
        max_length=300,
        help_text=_("e.g. the title of the notice won or the grant, the address of the premises"),
    )

    purpose_ref = forms.ChoiceField(
        label=_("What the purpose is about"),
        required=False,
        help_text=_(
            "A notice your organisation won, a grant it received or a premises call it applied to."
        ),
    )

    def __init__(self, *args, organisations=(), targets=None, **kwargs):
        """``targets``: ``{organisation: [partnerships.purposes.Target, …]}``."""
        super().__init__(*args, **kwargs)
        self._organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        kinds = dict(LoanRequest.Purpose.choices)
        groups = [
            (
                organisation.name,
                [
                    (
                        f"{organisation.pk}:{target.kind}:{target.pk}",
                        f"{kinds[target.kind]}: {target.title}",
                    )
                    for target in found
                ],
            )
            for organisation, found in (targets or {}).items()
            if found
        ]
        if groups:
            self.fields["purpose_ref"].choices = [("", _("none of these")), *groups]
        else:
            del self.fields["purpose_ref"]

    def clean_organisation(self):
        return self._organisations[self.cleaned_data["organisation"]]

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("purpose_ref")
        if not value:
            cleaned["purpose_ref"] = None
            return cleaned
        organisation_pk, kind, pk = value.split(":")
        organisation = cleaned.get("organisation")
        if organisation is not None and str(organisation.pk) != organisation_pk:
            self.add_error(
                "purpose_ref", _("Choose what the purpose is about for the organisation chosen.")
            )
        elif cleaned.get("purpose_kind") and kind != cleaned["purpose_kind"]:
            self.add_error(
                "purpose_ref",
                _("You chose %(chosen)s; choose it as the purpose too, or choose none of these.")
                % {"chosen": dict(LoanRequest.Purpose.choices)[kind]},
            )
        else:
            cleaned["purpose_ref"] = int(pk)
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when declining; the PES reads it."),
    )


class LoanForm(forms.Form):
    amount = DecimalField(label=_("Amount granted (PLN)"), min_value=0)
    granted_on = forms.DateField(label=_("Granted on"), widget=DateInput)
    due_on = forms.DateField(label=_("To be repaid by"), widget=DateInput)
    schedule = forms.CharField(
        label=_("Repayment schedule"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    amount = DecimalField(label=_("Amount (PLN)"), min_value=Decimal("0.01"))


class VentureForm(forms.ModelForm):
    class Meta:
        model = Loan
        formfield_callback = formfield_for
        fields = list(VENTURE_FIELDS)
