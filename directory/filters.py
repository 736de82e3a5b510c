import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from pestor.text import fold
from pestor.widgets import ModelChoiceFilter, MunicipalityFilter

from .models import LegalForm, Organisation, PublicBenefitSphere


def search_words(queryset, field: str, value: str):
    """Every word must appear, ignoring case and Polish diacritics ("lodz" finds "Łódź")."""
    for word in fold(value).split()[:10]:
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("name, town, KRS, NIP…")}),
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), choices=LegalForm.choices, empty_label=_("any")
    )
    sphere = ModelChoiceFilter(
        label=_("Sphere of public tasks"),
        field_name="spheres",
        queryset=PublicBenefitSphere.objects.all(),
        empty_label=_("any"),
    )
    # Typed by name (a select of 2 477 municipalities would weigh 150 KB); links give the slug.
    municipality = MunicipalityFilter(
        label=_("Serves the municipality"), field_name="municipalities_served"
    )
    # The cooperatives of legal persons a municipality founded or joined (CooperativeFounder).
    founding_municipality = MunicipalityFilter(
        label=_("Cooperatives the municipality belongs to"), field_name="founders__municipality"
    )
    social_enterprise = django_filters.BooleanFilter(
        label=_("Social enterprises only"),
        method="filter_only_if_checked",
        field_name="is_social_enterprise",
        widget=forms.CheckboxInput,
    )
    public_benefit = django_filters.BooleanFilter(
        label=_("Public benefit organisations (OPP) only"),
        method="filter_only_if_checked",
        field_name="is_public_benefit",
        widget=forms.CheckboxInput,
    )

    confirmation = django_filters.ChoiceFilter(
        label=_("Yearly confirmation of the data"),
        choices=[
            ("all", _("confirmed and not confirmed")),
            ("unconfirmed", _("not confirmed only")),
        ],
        empty_label=_("confirmed only"),
        method="filter_confirmation",
    )

    # Without a choice, the selector leaves out the entries not confirmed this year.
    CONFIRMATION_CHOICES_WITH_UNCONFIRMED = ("all", "unconfirmed")

    class Meta:
        model = Organisation
        fields = []

    def filter_text(self, queryset, name, value):
        return search_words(queryset, "search_text", value)

    def filter_confirmation(self, queryset, name, value):
        return queryset.unconfirmed() if value == "unconfirmed" else queryset

    def filter_only_if_checked(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value else queryset
