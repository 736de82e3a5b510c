"""Form fields that name organisations of the directory without listing them all.

A select of every verified PES is 120 000 options at national scale (10 MB of HTML). Who works
with a partner knows its NIP or KRS number, as every procurement form asks for it: the field
takes the numbers and finds the organisations among those the form allows.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pestor.forms import ModelMultipleChoiceField

# Lines or commas/semicolons separate entries; what follows a dash or a bracket after the number
# ("526-10-00-648 — Fundacja Nadzieja") is the name the field itself writes back.
_ENTRIES = re.compile(r"[\n;,]+")
_NAME_AFTER_NUMBER = re.compile("\\s+[\u2014\u2013(].*$|\\s{2,}.*$")
MAX_ENTRIES = 20


def _number(entry: str) -> str:
    """The digits of an entry (NIP written with dashes or "PL" in front, KRS with zeros)."""
    return re.sub(r"\D", "", _NAME_AFTER_NUMBER.sub("", entry.strip()))


class OrganisationNumbersField(ModelMultipleChoiceField):
    """Organisations given by NIP or KRS, one per line; the value is a queryset like
    ``ModelMultipleChoiceField``'s. Unknown numbers are a message naming them, and what was
    typed stays in the field."""

    widget = forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"})
    default_error_messages = {
        **ModelMultipleChoiceField.default_error_messages,
        "not_a_number": _(
            "“%(entry)s” is not a NIP or KRS number. Write the 10 digits of each partner's NIP "
            "or KRS, one per line."
        ),
        "not_found": _(
            "No organisation that may be chosen here has the NIP or KRS number %(numbers)s. "
            "Check the number; the partner must be a verified PES in the portal."
        ),
        "too_many": _("At most %(limit)d partners."),
    }

    def clean(self, value):
        if isinstance(value, list | tuple):  # keys, as the field's initial value carries them
            return super().clean(value)
        entries = [entry for entry in _ENTRIES.split(value or "") if entry.strip()]
        if not entries:
            return super().clean([])
        if len(entries) > MAX_ENTRIES:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_ENTRIES}
            )
        numbers = []
        for entry in entries:
            number = _number(entry)
            if len(number) != 10:
                raise ValidationError(
                    self.error_messages["not_a_number"],
                    code="not_a_number",
                    params={"entry": entry.strip()[:40]},
                )
            numbers.append(number)
        found = list(self.queryset.filter(Q(nip__in=numbers) | Q(krs__in=numbers)))
        known = {o.nip for o in found} | {o.krs for o in found}
        missing = [number for number in numbers if number not in known]
        if missing:
            raise ValidationError(
                self.error_messages["not_found"],
                code="not_found",
                params={"numbers": ", ".join(missing)},
            )
        return self.queryset.filter(pk__in=[o.pk for o in found])

    def prepare_value(self, value):
        """Chosen organisations (keys or rows) as the lines the field takes back."""
        if isinstance(value, str) or value is None:
            return value
        keys = [getattr(item, "pk", item) for item in value]
        if not keys:
            return ""
        rows = self.queryset.model._default_manager.filter(pk__in=keys).only("name", "nip", "krs")
        return "\n".join(f"{o.nip or o.krs} — {o.name}" for o in rows)

    def has_changed(self, initial, data):
        return self.prepare_value(initial or []) != (data or "")
