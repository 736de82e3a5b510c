"""Filters of the public registry and map (owned by ``selectors.premises_list``)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from pestor.widgets import MunicipalityFilter

from .models import Floor, Premises

# Larger areas are typing mistakes (and overflow the column).
MAX_AREA = 100_000


class PremisesFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("area_min"), cleaned_data.get("area_max")
        if low is not None and high is not None and high < low:
            self.add_error("area_max", _("The largest area cannot be smaller than the smallest."))
            cleaned_data["area_max"] = None
        return cleaned_data


class PremisesFilterSet(django_filters.FilterSet):
    municipality = MunicipalityFilter()
    district = django_filters.CharFilter(
        label=_("District or estate"), field_name="district", lookup_expr="iexact"
    )
    area_min = django_filters.NumberFilter(
        label=_("Area from (m²)"),
        field_name="area_m2",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_AREA,
    )
    area_max = django_filters.NumberFilter(
        label=_("Area up to (m²)"),
        field_name="area_m2",
        lookup_expr="lte",
        min_value=0,
        max_value=MAX_AREA,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            choice
            for choice in Premises.Status.choices
            if choice[0] != Premises.Status.NOT_FOR_LEASE
        ],
        empty_label=_("any"),
    )
    floor = django_filters.ChoiceFilter(
        label=_("Floor"), choices=Floor.choices, empty_label=_("any")
    )
    step_free = django_filters.BooleanFilter(
        label=_("Step-free entrance"),
        field_name="step_free_entrance",
        widget=forms.CheckboxInput,
        method="filter_true",
    )
    accessible_toilet = django_filters.BooleanFilter(
        label=_("Accessible toilet"),
        field_name="accessible_toilet",
        widget=forms.CheckboxInput,
        method="filter_true",
    )

    class Meta:
        model = Premises
        fields = []
        form = PremisesFilterForm

    def filter_true(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value else queryset
