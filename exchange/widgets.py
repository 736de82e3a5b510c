"""The CPV autocomplete: a filter or form field for one (or several) of the ~9 500 codes of the
Common Procurement Vocabulary, built on pestor.widgets' remote autocomplete.

Without JavaScript it is a text input: the person types a code ("55520000-1" or "55520000"),
the beginning of one ("5552" is 55520000) or a category's whole Polish name, several separated by
semicolons where the field takes several; the server resolves it (``exchange.selectors.
cpv_by_text``), and text that names nothing is a form error in Polish that suggests similar
codes. static/js/autocomplete.js turns the input into a combobox that asks
``exchange:cpv-suggestions`` (JSON, at most 20 codes matching the code or the Polish name, each
with the names of the codes above it) as the person types, and submits the chosen codes.
"""

import re

import django_filters
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from pestor.widgets import Autocomplete, AutocompleteField, AutocompleteMultipleField

from .models import CpvCode

# Codes an error message suggests at most.
CANDIDATES_LISTED = 8


def cpv_label(code: CpvCode) -> str:
    """ "55520000-1 Usługi dostarczania posiłków": what the input shows and the field reads."""
    return f"{code.full_code} {code.name}"


class CpvAutocomplete(Autocomplete):
    suggestions_url = reverse_lazy("exchange:cpv-suggestions")
    kind = "cpv"
    empty_label = _("any category")

    def choice(self, code):
        return {
            "value": code.code,
            "code": code.full_code,
            "name": code.name,
            "detail": getattr(code, "path", ""),
        }

    def label(self, code):
        return cpv_label(code)


class CpvAutocompleteMultiple(CpvAutocomplete):
    multiple = True


class CpvResolving:
    """How a typed text names CPV codes."""

    default_error_messages = {
        "unknown": _(
            "No CPV code is called “%(text)s”. Type a code (e.g. 55520000-1), its beginning "
            "(e.g. 5552) or the whole name of a category."
        ),
        "unknown_suggest": _(
            "No CPV code is called “%(text)s”. Did you mean: %(candidates)s? Type the code as "
            "it is shown here."
        ),
        "ambiguous": _(
            "More than one CPV code is called “%(text)s”: %(candidates)s. Type the code."
        ),
    }
    candidates_listed = CANDIDATES_LISTED

    def resolve(self, text):
        from . import selectors

        return selectors.cpv_by_text(text=text)

    def suggest(self, text):
        from . import selectors

        return selectors.cpv_suggestions(query=text, limit=CANDIDATES_LISTED)

    def is_key(self, value):
        return isinstance(value, str) and re.fullmatch(r"\d{8}", value) is not None

    def get_many(self, keys):
        return list(CpvCode.objects.filter(pk__in=keys))


class CpvField(CpvResolving, AutocompleteField):
    """One CPV code, typed as a code, its beginning or its name."""

    widget = CpvAutocomplete


class CpvMultipleField(CpvResolving, AutocompleteMultipleField):
    """Several CPV codes; without JavaScript typed into one input, separated by semicolons (or,
    when all of them are codes, by commas or spaces)."""

    widget = CpvAutocompleteMultiple

    def split(self, text):
        tokens = [token for token in re.split(r"[\s,;]+", text) if token]
        if tokens and all(re.fullmatch(r"\d{2,8}(-\d)?", token) for token in tokens):
            return tokens
        return super().split(text)


class CpvFilter(django_filters.Filter):
    """Filters by one CPV code given as a code, its beginning or its name (``CpvField``)."""

    field_class = CpvField
