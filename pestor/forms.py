from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


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


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows (checkboxes, a multiple select) that checks each submitted key
    as its column would, before the rows are looked up: Django's own field passes a key such as
    "99999999999999999999" to an ``IN (…)`` query, which the database driver cannot send
    (OverflowError on SQLite, a DataError on PostgreSQL), a server error."""

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
