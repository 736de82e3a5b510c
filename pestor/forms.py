from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(None, error)


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
