"""Remote autocompletes: form and filter fields for one (or several) of thousands of rows that
do not render thousands of ``<option>`` elements (2 477 municipalities were 150 KB and 150 ms per
form; the CPV vocabulary's curated part 75 KB and 100 to 150 ms). Municipalities are here; CPV codes
build on the same classes in exchange.widgets.

Without JavaScript the field is a text input: the person types a name (or a code), several
separated by semicolons in a multiple field, and the server resolves each: for a municipality
(``pestor.selectors.municipality_by_name``) a unique name, a slug (the value links and bookmarks
carry, ``?municipality=torun``) or a TERYT code; an unknown or ambiguous name is a form error in
Polish that lists the candidates, each with its kind, voivodeship and TERYT code, to be typed as
shown, and nothing typed is lost. static/js/autocomplete.js turns the input into a combobox (the
vendored Tom Select in remote-load mode; ``data-multiple``: several items with a remove button)
that asks the field's JSON source (``pestor:municipality-suggestions``: at most 20 names matching
the folded query) as the person types, and submits the chosen values (slugs).

API:

- ``MunicipalityField(required=False, **field_kwargs)``: a form field whose cleaned value is a
  ``pestor.models.Municipality`` (or ``None`` when left empty); ``MunicipalityMultipleField``:
  a list of them (possibly empty), for a many-to-many field of a model form.
- ``MunicipalityFilter(field_name=..., label=...)``: the django-filter filter on a foreign key
  or many-to-many to ``Municipality``; swapping a ``ModelChoiceFilter(queryset=Municipality…,
  to_field_name="slug")`` for it is one line, and the URLs that carry a slug keep working::

      municipality = MunicipalityFilter(label=_("Municipality"), field_name="municipality")

- ``MunicipalityAutocomplete`` / ``MunicipalityAutocompleteMultiple``: the widgets (the text
  input with the data attributes the script reads; ``attrs={"data-empty-label": …}`` names the
  "none" option of a single one). A form that renders them must include the widget's ``Media``
  (``{{ form.media }}``, e.g. through ``includes/autocomplete_assets.html``) or load the same
  files.
- ``municipality_label(municipality)``: "Toruń (urban municipality, kujawsko-pomorskie
  voivodeship, TERYT 0463011)", the text the input shows and the error lists.
- Another kind of row: subclass ``Autocomplete`` (``suggestions_url``, ``kind``, ``choice()``,
  ``label()``), ``AutocompleteField`` / ``AutocompleteMultipleField`` (``resolve()``,
  ``suggest()``, ``get_many()``, the error messages) and ``pestor.views.SuggestionsView``, and
  give ``kind`` its messages in static/js/autocomplete.js, as exchange.widgets does for CPV.
"""

import json
import re
import uuid

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import ChoicesInOneQuery
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


class Autocomplete(forms.TextInput):
    """A text input for a name or code that static/js/autocomplete.js makes a remote combobox.

    Subclasses say where the suggestions come from (``suggestions_url``), what the script calls
    the things (``kind``, which picks its messages), and how a chosen object shows
    (``choice()``: the value submitted, its name and a detail line; ``label()``: the text the
    input shows without JavaScript, which the field resolves again)."""

    suggestions_url = None
    kind = ""
    multiple = False
    # The script's option for "none" (a single choice only).
    empty_label = gettext_lazy("any")
    # Between several values typed into one input (a name may hold a comma, never this).
    separator = "; "

    class Media:
        css = {"all": ("vendor/tom-select/tom-select.min.css",)}
        js = ("vendor/tom-select/tom-select.complete.min.js", "js/autocomplete.js")

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def choice(self, obj) -> dict:
        raise NotImplementedError

    def label(self, obj) -> str:
        raise NotImplementedError

    def _values(self, value) -> list:
        if value is None or value == "":
            return []
        return list(value) if isinstance(value, list | tuple) else [value]

    def _is_object(self, value) -> bool:
        return isinstance(value, models.Model)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-autocomplete"] = self.kind
        widget_attrs["data-url"] = str(self.suggestions_url)
        if self.multiple:
            widget_attrs["data-multiple"] = ""
        else:
            widget_attrs.setdefault("data-empty-label", str(self.empty_label))
        chosen = [self.choice(item) for item in self._values(value) if self._is_object(item)]
        if chosen:
            widget_attrs["data-chosen"] = json.dumps(chosen, ensure_ascii=False)
        return context

    def format_value(self, value):
        shown = [
            self.label(item) if self._is_object(item) else str(item).strip()
            for item in self._values(value)
        ]
        return self.separator.join(text for text in shown if text) or None

    def value_from_datadict(self, data, files, name):
        if self.multiple and hasattr(data, "getlist"):
            return data.getlist(name)
        return super().value_from_datadict(data, files, name)


class AutocompleteField(forms.Field):
    """One object typed by its name or code (``resolve()``), which the autocomplete offers.

    Subclasses set ``widget`` and the error messages ``unknown``, ``unknown_suggest`` and
    ``ambiguous`` (with ``%(text)s`` and ``%(candidates)s``), and give ``resolve(text)`` (the
    objects the text names: one, several when it is ambiguous, none), ``suggest(text)`` (similar
    ones, for the message when nothing is named so; listed by the widget's ``label()``, to be
    typed so) and ``get_many(keys)`` (objects by primary key: a form's initial values)."""

    candidates_listed = 8

    def __init__(self, *, required=False, **kwargs):
        super().__init__(required=required, **kwargs)
        self._resolved = {}

    def __deepcopy__(self, memo):
        # Each form gets its copy of the field (Form.__init__ deep-copies base_fields); the
        # names it resolved belong to that form's data only, never to the next request's.
        copied = super().__deepcopy__(memo)
        copied._resolved = {}
        return copied

    def resolve(self, text: str) -> list:
        raise NotImplementedError

    def suggest(self, text: str) -> list:
        raise NotImplementedError

    def get_many(self, keys) -> list:
        raise NotImplementedError

    def is_key(self, value) -> bool:
        """Whether a value is an object's primary key (a form's initial value), not text."""
        return isinstance(value, int | uuid.UUID)

    def _listed(self, found) -> str:
        return "; ".join(self.widget.label(obj) for obj in found[: self.candidates_listed])

    def resolve_one(self, text: str):
        """The object ``text`` names, or a ValidationError that says why there is none."""
        if text in self._resolved:
            return self._resolved[text]
        candidates = self.resolve(text)
        if len(candidates) == 1:
            self._resolved[text] = candidates[0]
            return candidates[0]
        shown = text[:100]
        if candidates:
            raise ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": shown, "candidates": self._listed(candidates)},
            )
        suggestions = self.suggest(text)
        if suggestions:
            raise ValidationError(
                self.error_messages["unknown_suggest"],
                code="unknown",
                params={"text": shown, "candidates": self._listed(suggestions)},
            )
        raise ValidationError(
            self.error_messages["unknown"], code="unknown", params={"text": shown}
        )

    def to_python(self, value):
        if isinstance(value, models.Model):
            return value
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            return None
        return self.resolve_one(text)

    def prepare_value(self, value):
        """A bound value already resolved shows as its object's label; an initial key is read
        as its object."""
        if isinstance(value, str) and value.strip() in self._resolved:
            return self._resolved[value.strip()]
        if self.is_key(value):
            found = self.get_many([value])
            return found[0] if found else value
        return value


class AutocompleteMultipleField(AutocompleteField):
    """Several objects: one value per choice from the script, or, without JavaScript, names
    or codes typed into one input and separated by semicolons (``split()``). The cleaned value is
    a list without repeats."""

    max_values = 100

    def split(self, text: str) -> list[str]:
        return [part.strip() for part in re.split(r"[;\n]+", text) if part.strip()]

    def to_python(self, value):
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        found, errors = [], []
        for item in values:
            if isinstance(item, models.Model):
                found.append(item)
                continue
            if not isinstance(item, str):
                continue
            for text in self.split(item)[: self.max_values]:
                try:
                    found.append(self.resolve_one(text))
                except ValidationError as error:
                    errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(found))

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value):
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        keys = [item for item in values if self.is_key(item)]
        by_key = {obj.pk: obj for obj in self.get_many(keys)} if keys else {}
        prepared = []
        for item in values:
            if self.is_key(item) and item in by_key:
                prepared.append(by_key[item])
            elif isinstance(item, str):
                prepared.extend(self._resolved.get(text, text) for text in self.split(item))
            else:
                prepared.append(item)
        return list(dict.fromkeys(prepared))

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        before = {getattr(item, "pk", item) for item in (initial or [])}
        return before != {item.pk for item in chosen}


class MunicipalityAutocomplete(Autocomplete):
    """A text input for a municipality's name, which the script makes a remote combobox."""

    suggestions_url = reverse_lazy("pestor:municipality-suggestions")
    kind = "municipality"
    empty_label = gettext_lazy("any municipality")

    def choice(self, municipality):
        return {
            "value": municipality.slug,
            "name": municipality.name,
            "detail": municipality_detail(municipality),
        }

    def label(self, municipality):
        return municipality_label(municipality)


class MunicipalityAutocompleteMultiple(MunicipalityAutocomplete):
    multiple = True


class MunicipalityResolving:
    """How a typed text names municipalities (``pestor.selectors``)."""

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
    candidates_listed = CANDIDATES_LISTED

    def resolve(self, text):
        from . import selectors

        return selectors.municipality_by_name(text=text)

    def suggest(self, text):
        from . import selectors

        return selectors.municipality_suggestions(
            query=text.partition("(")[0], limit=CANDIDATES_LISTED
        )

    def get_many(self, keys):
        return list(Municipality.objects.filter(pk__in=keys))


class MunicipalityField(MunicipalityResolving, AutocompleteField):
    """One municipality, typed by name (or given by its slug or TERYT code)."""

    widget = MunicipalityAutocomplete


class MunicipalityMultipleField(MunicipalityResolving, AutocompleteMultipleField):
    """Several municipalities (a list, possibly empty), typed by name and separated by
    semicolons without JavaScript, or picked one by one in the combobox."""

    widget = MunicipalityAutocompleteMultiple

    def split(self, text):
        # A label lists its detail after commas in brackets; between names a comma separates.
        return [part.strip() for part in re.split(r"[;\n]+|,(?![^()]*\))", text) if part.strip()]


class MunicipalityFilter(django_filters.Filter):
    """Filters by one municipality given by name, slug or TERYT code (``MunicipalityField``)."""

    field_class = MunicipalityField


class FilterChoicesInOneQuery(django_filters.fields.ModelChoiceIterator, ChoicesInOneQuery):
    """django-filter's options (its "none" choice included) read in one query."""


class FilterModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = FilterChoicesInOneQuery


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's filter on one row of a short list (a sphere of public tasks, a theme),
    whose select's options are read with one ordinary query (``pestor.forms.ChoicesInOneQuery``),
    not a server-side cursor."""

    field_class = FilterModelChoiceField
