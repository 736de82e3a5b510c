from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting


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
