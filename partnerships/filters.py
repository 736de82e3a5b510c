import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from pestor.widgets import ModelChoiceFilter, MunicipalityFilter

from .models import Partnership, Theme


class PartnershipFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Partnership.Kind.choices, empty_label=_("any")
    )
    theme = ModelChoiceFilter(
        label=_("Theme"),
        field_name="themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("any"),
    )
    municipality = MunicipalityFilter(label=_("Works in the municipality"), field_name="territory")

    class Meta:
        model = Partnership
        fields = []

    def filter_text(self, queryset, name, value):
        # Names are short: a case-insensitive match of every word is enough here.
        for word in value.split()[:10]:
            queryset = queryset.filter(name__icontains=word)
        return queryset


class CombinedOfferFilterSet(django_filters.FilterSet):
    """The theme of a partnership's combined offer (the themes its PES members work in)."""

    theme = ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("all themes"),
        method="filter_theme",
    )

    def filter_theme(self, queryset, name, value):
        return queryset
