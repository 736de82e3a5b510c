"""Input of the committee's pages: the declaration, the score sheet, the members' list."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from pestor.forms import DecimalField

from .models import Member, points_text
from .services import ScoreInput


def apply_service_error(form, error: ValidationError) -> None:
    """A service's ValidationError next to the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else NON_FIELD_ERRORS, errors)


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("no", _("I declare that I have no conflict of interest with this item")),
            ("yes", _("I have a conflict of interest with this item and will not score it")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two statements.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required with a conflict: what links you to the applicant."),
    )


class PointsField(forms.Field):
    """Points typed as a person writes them ("7", "7,5", "7.5"); the range is the service's
    check, repeated here for the message by the field."""

    def __init__(self, *, max_points: Decimal, **kwargs):
        self.max_points = max_points
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = str(value or "").strip().replace(" ", "").replace(",", ".")
        if len(text) > 20:
            raise ValidationError(_("Enter a number, e.g. 7 or 7,5."), code="invalid")
        if not text:
            return None
        try:
            points = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError(_("Enter a number, e.g. 7 or 7,5."), code="invalid") from error
        if not points.is_finite():
            raise ValidationError(_("Enter a number, e.g. 7 or 7,5."), code="invalid")
        if points < 0:
            raise ValidationError(_("Points cannot be negative."), code="min")
        if points > self.max_points:
            raise ValidationError(
                _("At most %(max)s points.") % {"max": points_text(self.max_points)}, code="max"
            )
        if points.as_tuple().exponent < -2:
            raise ValidationError(_("Use at most two decimal places."), code="places")
        return points


class SheetForm(forms.Form):
    """One row of fields per criterion: points, "not applicable" where allowed, a comment.
    Field names carry the criterion's id: ``points_<id>``, ``na_<id>``, ``comment_<id>``."""

    def __init__(self, *args, criteria, sheet=None, initial=None, **kwargs):
        initial = dict(initial or {})
        for criterion in criteria:
            score = sheet.scores.get(criterion.pk) if sheet else None
            if score is not None:
                initial[f"points_{criterion.pk}"] = points_text(score.points)
                initial[f"na_{criterion.pk}"] = score.points is None
                initial[f"comment_{criterion.pk}"] = score.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"points_{criterion.pk}"] = PointsField(
                label=_("Points (0 to %(max)s)") % {"max": points_text(criterion.max_points)},
                max_points=criterion.max_points,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        "size": 6,
                        "data-max-points": str(criterion.max_points),
                        "data-weight": str(criterion.weight),
                        "data-points": "",
                    }
                ),
            )
            if criterion.allow_not_applicable:
                self.fields[f"na_{criterion.pk}"] = forms.BooleanField(
                    label=_("Not applicable"),
                    required=False,
                    widget=forms.CheckboxInput(attrs={"data-not-applicable": ""}),
                )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """(criterion, points field, n/a field or None, comment field) for the template."""
        for criterion in self.criteria:
            na = f"na_{criterion.pk}"
            yield (
                criterion,
                self[f"points_{criterion.pk}"],
                self[na] if na in self.fields else None,
                self[f"comment_{criterion.pk}"],
            )

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            if cleaned.get(f"na_{criterion.pk}") and cleaned.get(f"points_{criterion.pk}"):
                self.add_error(
                    f"points_{criterion.pk}",
                    _('Give points or mark "not applicable", not both.'),
                )
        return cleaned

    def values(self) -> dict[int, ScoreInput]:
        return {
            criterion.pk: ScoreInput(
                points=self.cleaned_data.get(f"points_{criterion.pk}"),
                not_applicable=bool(self.cleaned_data.get(f"na_{criterion.pk}")),
                comment=self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("The person must already have an account on the portal."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Member.Role.choices, initial="member")
    represents_pes = forms.BooleanField(label=_("Representative of a PES"), required=False)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("Nobody with this e-mail address has an account."))
        self.user = user
        return email


CRITERIA_ROWS = 6


class CriteriaForm(forms.Form):
    """The criteria of a panel (a premises call's committee, the award's jury): up to six rows
    of a name, the maximum points and whether "not applicable" is allowed; rows left without a
    name are ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(1, CRITERIA_ROWS + 1):
            self.fields[f"name_{index}"] = forms.CharField(
                label=_("Name of criterion %(number)s") % {"number": index},
                max_length=200,
                required=False,
            )
            self.fields[f"max_points_{index}"] = DecimalField(
                label=_("Maximum points of criterion %(number)s") % {"number": index},
                max_digits=6,
                decimal_places=2,
                min_value=Decimal("0.01"),
                required=False,
                localize=True,
            )
            self.fields[f"not_applicable_{index}"] = forms.BooleanField(
                label=_('Criterion %(number)s may be marked "not applicable"') % {"number": index},
                required=False,
            )

    def rows(self):
        for index in range(1, CRITERIA_ROWS + 1):
            yield (
                index,
                self[f"name_{index}"],
                self[f"max_points_{index}"],
                self[f"not_applicable_{index}"],
            )

    def clean(self):
        cleaned = super().clean()
        criteria = []
        for index in range(1, CRITERIA_ROWS + 1):
            name = (cleaned.get(f"name_{index}") or "").strip()
            points = cleaned.get(f"max_points_{index}")
            if not name:
                if points is not None and f"name_{index}" not in self.errors:
                    self.add_error(f"name_{index}", _("Name the criterion or clear its points."))
                continue
            if points is None:
                if f"max_points_{index}" not in self.errors:
                    self.add_error(
                        f"max_points_{index}", _("Give the most points this criterion gives.")
                    )
                continue
            criteria.append(
                {
                    "name": name,
                    "max_points": points,
                    "allow_not_applicable": bool(cleaned.get(f"not_applicable_{index}")),
                }
            )
        if not criteria and not self.errors:
            raise forms.ValidationError(_("Give at least one criterion."))
        cleaned["criteria"] = criteria
        return cleaned
