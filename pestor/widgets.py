"""The municipality autocomplete: a filter or form field for one of the 2 477 municipalities
that does not render 2 477 ``<option>`` elements (150 KB and 150 ms per form).

Without JavaScript it is a text input: the person types the municipality's name, and the server
resolves it (``pestor.selectors.municipality_by_name``): a unique name, a slug (the value links
and bookmarks carry, ``?municipality=torun``) or a TERYT code is accepted; an unknown or
ambiguous name is a form error in Polish that lists the candidates, each with its kind,
voivodeship and TERYT code, to be typed as shown. static/js/municipality-autocomplete.js turns
the input into a combobox (the vendored Tom Select in remote-load mode) that asks
``pestor:municipality-suggestions`` (JSON, at most 20 names matching the folded query) as the
person types, and submits the chosen municipality's slug.

API:

- ``MunicipalityField(required=False, **field_kwargs)``: a form field whose cleaned value is a
  ``pestor.models.Municipality`` (or ``None`` when left empty).
- ``MunicipalityFilter(field_name=..., label=...)``: the django-filter filter on a foreign key
  or many-to-many to ``Municipality``; swapping a ``ModelChoiceFilter(queryset=Municipality…,
  to_field_name="slug")`` for it is one line, and the URLs that carry a slug keep working::

      municipality = MunicipalityFilter(label=_("Municipality"), field_name="municipality")

- ``MunicipalityAutocomplete``: the widget (the text input with the data attributes the script
  reads). A form that renders it must include the widget's ``Media`` (``{{ form.media }}``) or
  load the same files.
- ``municipality_label(municipality)``: "Toruń (urban municipality, kujawsko-pomorskie
  voivodeship, TERYT 0463011)", the text the input shows and the error lists.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Municipality, Voivodeship

# The last digit of a TERYT (TERC) code of a municipality: its kind.
MUNICIPALITY_KINDS = {
    "1": gettext_lazy("urban municipality"),
    "2": gettext_lazy("rural municipality"),
    "3": gettext_lazy("urban-rural municipality"),
    "4": gettext_lazy("town in an urban-rural municipality"),
    "5": gettext_lazy("rural area of an urban-rural municipality"),
    "8": gettext_lazy("district of the capital"),
    "9": gettext_lazy("delegation of a city"),
}
# Candidates an error message lists at most.
CANDIDATES_LISTED = 8


def municipality_detail(municipality: Municipality) -> str:
    """Its kind and voivodeship: what tells apart municipalities of the same name."""
    kind = MUNICIPALITY_KINDS.get((municipality.teryt or "")[-1:], gettext_lazy("municipality"))
    voivodeship = dict(Voivodeship.choices).get(municipality.voivodeship, "")
    return _("%(kind)s, %(voivodeship)s voivodeship") % {"kind": kind, "voivodeship": voivodeship}


def municipality_label(municipality: Municipality) -> str:
    """The name with its kind, voivodeship and TERYT code, unique in the country."""
    return _("%(name)s (%(detail)s, TERYT %(teryt)s)") % {
        "name": municipality.name,
        "detail": municipality_detail(municipality),
        "teryt": municipality.teryt,
    }


class MunicipalityAutocomplete(forms.TextInput):
    """A text input for a municipality's name, which the script makes a remote combobox."""

    suggestions_url = reverse_lazy("pestor:municipality-suggestions")

    class Media:
        css = {"all": ("vendor/tom-select/tom-select.min.css",)}
        js = ("vendor/tom-select/tom-select.complete.min.js", "js/municipality-autocomplete.js")

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "data-municipality-autocomplete": "",
                **(attrs or {}),
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-url"] = str(self.suggestions_url)
        if isinstance(value, Municipality):
            widget_attrs["data-value"] = value.slug
            widget_attrs["data-name"] = value.name
            widget_attrs["data-detail"] = municipality_detail(value)
        return context

    def format_value(self, value):
        if isinstance(value, Municipality):
            return municipality_label(value)
        return super().format_value(value)


class MunicipalityField(forms.Field):
    """One municipality, typed by name (or given by its slug or TERYT code)."""

    widget = MunicipalityAutocomplete
    default_error_messages = {
        "unknown": gettext_lazy(
            "No municipality is called “%(text)s”. Type the name of a municipality, "
            "for example “Toruń”."
        ),
        "unknown_suggest": gettext_lazy(
            "No municipality is called “%(text)s”. Did you mean: %(candidates)s? "
            "Type the name as it is shown here."
        ),
        "ambiguous": gettext_lazy(
            "More than one municipality is called “%(text)s”: %(candidates)s. Type the name as "
            "it is shown here, with its TERYT code."
        ),
    }

    def __init__(self, *, required=False, **kwargs):
        super().__init__(required=required, **kwargs)
        self._resolved = {}

    def __deepcopy__(self, memo):
        # Each form gets its copy of the field (Form.__init__ deep-copies base_fields); the
        # names it resolved belong to that form's data only, never to the next request's.
        copied = super().__deepcopy__(memo)
        copied._resolved = {}
        return copied

    def to_python(self, value):
        if isinstance(value, Municipality):
            return value
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text:
            return None
        if text in self._resolved:
            return self._resolved[text]
        from . import selectors

        candidates = selectors.municipality_by_name(text=text)
        if len(candidates) == 1:
            self._resolved[text] = candidates[0]
            return candidates[0]
        shown = text[:100]
        if candidates:
            raise ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": shown, "candidates": _listed(candidates)},
            )
        suggestions = selectors.municipality_suggestions(
            query=text.partition("(")[0], limit=CANDIDATES_LISTED
        )
        if suggestions:
            raise ValidationError(
                self.error_messages["unknown_suggest"],
                code="unknown",
                params={"text": shown, "candidates": _listed(suggestions)},
            )
        raise ValidationError(
            self.error_messages["unknown"], code="unknown", params={"text": shown}
        )

    def prepare_value(self, value):
        """A bound value already resolved shows as the municipality's label."""
        if isinstance(value, str) and value.strip() in self._resolved:
            return self._resolved[value.strip()]
        return value


def _listed(municipalities) -> str:
    return "; ".join(municipality_label(m) for m in municipalities[:CANDIDATES_LISTED])


class MunicipalityFilter(django_filters.Filter):
    """Filters by one municipality given by name, slug or TERYT code (``MunicipalityField``)."""

    field_class = MunicipalityField
