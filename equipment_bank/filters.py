"""Filters of the catalogue, of "my bookings" and of an owner's queue."""

from datetime import date, timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from directory.filters import search_words
from pestor.widgets import ModelChoiceFilter, MunicipalityFilter

from . import availability
from .models import Booking, Category, Owner, Resource

# Dates outside these years are typing mistakes (and overflow time zone conversions).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def sensible_date(value: date | None, field: str) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            {
                field: _("Give a date between the years %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ResourceFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        for name in ("free_from", "free_to"):
            try:
                sensible_date(cleaned_data.get(name), name)
            except forms.ValidationError as error:
                self.add_error(None, error)
                cleaned_data.pop(name, None)
        start, end = cleaned_data.get("free_from"), cleaned_data.get("free_to")
        if start and end and end < start:
            self.add_error("free_to", _("The last day cannot be before the first."))
            cleaned_data["free_to"] = None
        return cleaned_data


class ResourceFilterSet(django_filters.FilterSet):
    free_from = django_filters.DateFilter(
        label=_("Free from"), method="filter_nothing", widget=DateInput
    )
    free_to = django_filters.DateFilter(
        label=_("Free until (inclusive)"),
        method="filter_nothing",
        widget=DateInput,
        help_text=_("Shows what has at least one unit free on every day between the two dates."),
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. tent, projector")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Resource.Kind.choices, empty_label=_("any")
    )
    category = ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("any"),
    )
    # Any of the 2 477 municipalities, typed (pestor.widgets): a select of those with a lender
    # is as long at national scale.
    municipality = MunicipalityFilter(label=_("Municipality"), field_name="owner__municipality")
    # A hidden field set by the "everything this owner lends" link: a national bank has
    # thousands of owners, too many for a select box.
    owner = ModelChoiceFilter(
        label=_("Owner"), queryset=Owner.objects.none(), widget=forms.HiddenInput
    )

    class Meta:
        model = Resource
        fields = []
        form = ResourceFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        owners = Owner.objects.filter(is_active=True)
        self.filters["owner"].queryset = owners

    @property
    def asks_availability(self) -> bool:
        """Whether the list is narrowed to what is free on some days (after ``qs``)."""
        cleaned_data = getattr(self.form, "cleaned_data", {})
        return bool(cleaned_data.get("free_from") or cleaned_data.get("free_to"))

    def filter_nothing(self, queryset, name, value):
        # Both dates are read together in filter_queryset.
        return queryset

    def filter_text(self, queryset, name, value):
        return search_words(queryset, "search_text", value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        start = self.form.cleaned_data.get("free_from")
        end = self.form.cleaned_data.get("free_to")
        if start or end:
            start = start or end
            end = end or start
            queryset = availability.resources_free_between(
                queryset,
                start=availability.local(start),
                end=availability.local(end + timedelta(days=1)),
            )
        return queryset


class BookingFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Booking.Status.choices, empty_label=_("any")
    )

    class Meta:
        model = Booking
        fields = []
