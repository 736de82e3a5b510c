"""Filters of the public catalogue, of an organisation's own offers and of the inbox."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from directory.filters import search_words
from directory.models import LegalForm
from pestor.forms import DecimalField
from pestor.widgets import MunicipalityFilter

from .models import Inquiry, Offer, OfferArea
from .widgets import CpvFilter


class PriceFilter(django_filters.NumberFilter):
    """A price bound, typed as the offers' prices are stored (12 digits, 2 decimal places)."""

    field_class = DecimalField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


SORTING = {
    "newest": ("-created_at", "-pk"),
    "price_asc": (F("price").asc(nulls_last=True), "title", "pk"),
    "price_desc": (F("price").desc(nulls_last=True), "title", "pk"),
    "title": ("title", "pk"),
}


class OfferFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("price_min"), cleaned_data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The highest price cannot be lower than the lowest."))
        return cleaned_data


class OfferFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. catering, cleaning, printing…")}
        ),
    )
    cpv = CpvFilter(
        label=_("Category (CPV)"),
        method="filter_cpv",
        help_text=_("A code or a name; a category includes everything under it."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Offer.Kind.choices, empty_label=_("any")
    )
    municipality = MunicipalityFilter(
        label=_("Delivered in the municipality"), method="filter_municipality"
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form of the organisation"),
        field_name="organisation_legal_form",
        choices=LegalForm.choices,
        empty_label=_("any"),
    )
    social_enterprise = django_filters.BooleanFilter(
        label=_("Social enterprises only"),
        method="filter_social_enterprise",
        widget=forms.CheckboxInput,
    )
    price_min = PriceFilter(
        label=_("Price from (PLN net)"),
        field_name="price",
        lookup_expr="gte",
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )
    price_max = PriceFilter(
        label=_("Price up to (PLN net)"),
        field_name="price",
        lookup_expr="lte",
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        help_text=_("Offers with the price on request are left out when you give a price."),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("newest", _("newest first")),
            ("price_asc", _("price: lowest first")),
            ("price_desc", _("price: highest first")),
            ("title", _("title A to Z")),
        ],
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = Offer
        fields = []
        form = OfferFilterForm

    def filter_text(self, queryset, name, value):
        return search_words(queryset, "search_text", value)

    def filter_cpv(self, queryset, name, value):
        return queryset.filter(cpv__code__startswith=value.prefix)

    def filter_municipality(self, queryset, name, value):
        # The public offers delivered there (OfferArea), whatever else the list filters by;
        # alone, the catalogue pages through the table itself (selectors.offer_page_keys).
        return queryset.filter(
            pk__in=OfferArea.objects.filter(municipality=value).values("offer_id")
        )

    def municipality_alone(self):
        """The municipality, when it is the only filter and the order is the default one."""
        if not self.is_bound or not self.is_valid():
            return None
        data = self.form.cleaned_data
        given = {name for name, value in data.items() if value not in (None, "", False)}
        # A price of 0 is a bound (it leaves out "price on request"), not an empty field.
        given |= {name for name, value in data.items() if value == 0 and value is not False}
        if given - {"sort"} != {"municipality"} or data.get("sort") not in (None, "", "newest"):
            return None
        return data["municipality"]

    def filter_social_enterprise(self, queryset, name, value):
        return queryset.filter(organisation__is_social_enterprise=True) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTING.get(value, SORTING["newest"]))


class OrganisationOfferFilterSet(django_filters.FilterSet):
    """An organisation's own offers ("My offers"), active and archived."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (Offer.Status.ACTIVE, Offer.Status.ACTIVE.label),
            (Offer.Status.ARCHIVED, Offer.Status.ARCHIVED.label),
        ],
        empty_label=_("any"),
    )

    class Meta:
        model = Offer
        fields = []

    def filter_text(self, queryset, name, value):
        return search_words(queryset, "search_text", value)


class InquiryFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Inquiry.Status.choices, empty_label=_("any")
    )
    unread = django_filters.BooleanFilter(
        label=_("Unread only"), method="filter_unread", widget=forms.CheckboxInput
    )

    class Meta:
        model = Inquiry
        fields = []

    def filter_unread(self, queryset, name, value):
        return queryset.filter(is_unread=True) if value else queryset
