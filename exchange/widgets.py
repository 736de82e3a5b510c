"""The CPV picker: a <select> that works as it is without JavaScript, and that static/js/
cpv-picker.js turns into a searchable, keyboard-friendly combobox (Tom Select). Each option
carries its place in the code tree — its level and the names of the codes above it — so that a
search result still says where in the vocabulary it lies."""

import json

from django import forms

from . import cpv
from .models import CpvCode


def _ancestor_codes(code: str) -> list[str]:
    ancestors = []
    parent = cpv.parent_code(code)
    while parent:
        ancestors.append(parent)
        parent = cpv.parent_code(parent)
    return list(reversed(ancestors))


class CpvPickerMixin:
    """Adds ``data-cpv-picker`` to the select and, to each option, ``data-data`` (read by Tom
    Select) with the option's code, name, level in the tree and the path of its parents' names."""

    class Media:
        css = {"all": ("vendor/tom-select/tom-select.min.css",)}
        js = ("vendor/tom-select/tom-select.complete.min.js", "js/cpv-picker.js")

    def __init__(self, attrs=None, *args, **kwargs):
        super().__init__({"data-cpv-picker": "", **(attrs or {})}, *args, **kwargs)

    def optgroups(self, name, value, attrs=None):
        # One query for the codes, read twice below (iter(): list() alone would COUNT first).
        self.choices = list(iter(self.choices))
        codes = [
            choice.instance
            for choice, _label in self.choices
            if hasattr(choice, "instance") and isinstance(choice.instance, CpvCode)
        ]
        self._cpv_names = {code.code: code.name for code in codes}
        wanted = {parent for code in codes for parent in _ancestor_codes(code.code)}
        missing = wanted - self._cpv_names.keys()
        if missing:
            self._cpv_names.update(
                (found.code, found.name) for found in CpvCode.objects.filter(code__in=missing)
            )
        return super().optgroups(name, value, attrs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        code = getattr(value, "instance", None)
        if isinstance(code, CpvCode):
            names = getattr(self, "_cpv_names", {})
            path = [names[parent] for parent in _ancestor_codes(code.code) if parent in names]
            option["attrs"]["data-data"] = json.dumps(
                {
                    "code": code.full_code,
                    "name": code.name,
                    "level": code.level,
                    "path": " \u203a ".join(path),
                },
                ensure_ascii=False,
            )
        return option


class CpvSelect(CpvPickerMixin, forms.Select):
    pass


class CpvSelectMultiple(CpvPickerMixin, forms.SelectMultiple):
    pass
