from decimal import Decimal

from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .models import Department, Municipality, StaffInvitation
from .validators import compact_nip, validate_nip


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(None, error)


class DecimalField(forms.DecimalField):
    """Every amount and number typed into a portal form (money, coordinates, indicator values).

    It refuses what is not an ordinary number before anything computes with it: "NaN" and
    "Infinity" (a Decimal compares with nothing and formats as nothing), and numbers beyond
    what ``max_digits`` and ``decimal_places`` hold, such as "1e999999999", which has one digit
    but overflows every rounding to two places. The bounds are also checked as values, so a
    field declared without ``min_value``/``max_value`` still has them.
    """

    default_error_messages = {
        "invalid": _("Enter a number, e.g. 1250.50."),
        "not_finite": _("Enter an ordinary number; this one is not finite."),
        "out_of_range": _("Enter a number between %(min)s and %(max)s."),
    }

    def __init__(self, *, max_digits=14, decimal_places=2, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        whole_digits = max_digits - decimal_places
        self.largest = Decimal(10) ** whole_digits - Decimal(10) ** -decimal_places

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        if not value.is_finite():
            raise ValidationError(self.error_messages["not_finite"], code="not_finite")
        # copy_abs() and the comparison are exact; abs() would round to the context's
        # precision and overflow on "1e999999999" itself.
        if value.copy_abs() > self.largest:
            lowest = self.min_value if self.min_value is not None else -self.largest
            highest = self.max_value if self.max_value is not None else self.largest
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"min": lowest, "max": highest},
            )
        return value


def coordinate_field(axis: str) -> DecimalField:
    """An optional map coordinate in degrees, as the models store it (six decimal places):
    ``"latitude"`` (-90 to 90) or ``"longitude"`` (-180 to 180)."""
    limit = 90 if axis == "latitude" else 180
    return DecimalField(
        label=_("Latitude") if axis == "latitude" else _("Longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-limit,
        max_value=limit,
        required=False,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (PDF documents by default); cleans to a list, empty when
    nothing was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ChoicesInOneQuery(forms.models.ModelChoiceIterator):
    """Reads a model choice field's rows with one ordinary query. Django's iterator reads them
    through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE,
    FETCH, CLOSE: three round trips, 3 to 5 ms) for the few dozen options of a select, on every
    list page whose filter form has one."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field with its options read in one query (:class:`ChoicesInOneQuery`)."""

    iterator = ChoicesInOneQuery


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows (checkboxes, a multiple select) that checks each submitted key
    as its column would, before the rows are looked up: Django's own field passes a key such as
    "99999999999999999999" to an ``IN (…)`` query, which the database driver cannot send
    (OverflowError on SQLite, a DataError on PostgreSQL), a server error. Its options are read in
    one query (:class:`ChoicesInOneQuery`)."""

    iterator = ChoicesInOneQuery

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        column = (
            self.queryset.model._meta.pk
            if key == "pk"
            else self.queryset.model._meta.get_field(key)
        )
        if isinstance(value, list | tuple):
            for submitted in value:
                try:
                    column.run_validators(column.to_python(submitted))
                except ValidationError:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": submitted},
                    ) from None
        return super()._check_values(value)


def formfield_for(db_field, **kwargs):
    """``formfield_callback`` of the portal's model forms: decimal columns get the portal's
    :class:`DecimalField`, many-to-many ones its :class:`ModelMultipleChoiceField`."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", DecimalField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class PortalFormRenderer(TemplatesSetting):
    """Renders fields with the portal's own field template (``templates/forms/field.html``)."""

    field_template_name = "forms/field.html"


def _ask_for_app_code(field, *, recovery_codes_accepted: bool) -> None:
    field.label = _("Code from the app")
    field.help_text = (
        _("Six digits shown by your authenticator app, or one of your backup codes.")
        if recovery_codes_accepted
        else _("Six digits shown by your authenticator app.")
    )
    # A visible label says what to type; a placeholder would only repeat it, faintly.
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update(inputmode="numeric", autocomplete="one-time-code")


class MFAAuthenticateForm(mfa_forms.AuthenticateForm):
    """The second step of signing in (settings.MFA_FORMS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_for_app_code(self.fields["code"], recovery_codes_accepted=True)


class MFAReauthenticateForm(mfa_forms.ReauthenticateForm):
    """Confirming it is still you before a sensitive change (settings.MFA_FORMS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_for_app_code(self.fields["code"], recovery_codes_accepted=True)


class MFAActivateTOTPForm(totp_forms.ActivateTOTPForm):
    """Turning the authenticator app on: the first code proves it works (settings.MFA_FORMS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_for_app_code(self.fields["code"], recovery_codes_accepted=False)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Type your password to confirm that you want to delete the account."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your password."), code="wrong_password")
        return password


class StaffInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Role"), choices=StaffInvitation.Kind.choices, widget=forms.RadioSelect
    )
    department = ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Required for an official; leave empty for the monitoring team."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            municipality=municipality
        ).order_by("name")
        # The municipality is the page's own: the options name only the departments.
        self.fields["department"].label_from_instance = lambda department: department.name

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == StaffInvitation.Kind.OFFICIAL and not cleaned_data.get(
            "department"
        ):
            self.add_error("department", _("Choose the department the official will work in."))
        return cleaned_data


class BuyerRoleRequestForm(forms.Form):
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    nip = forms.CharField(
        label=_("NIP of the company"),
        max_length=20,
        help_text=_("Ten digits; dashes and spaces are ignored."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    municipality = ModelChoiceField(
        label=_("Municipality of the company's seat"),
        queryset=Municipality.objects.order_by("name"),
        help_text=_("Its local administrator decides the request."),
    )

    def clean_nip(self):
        nip = compact_nip(self.cleaned_data["nip"])
        validate_nip(nip)
        return nip


class BuyerRoleRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the request refused?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person reads this text in the e-mail that tells them of the decision."),
    )
