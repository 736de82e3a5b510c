"""Filters of the public calendar (owned by ``selectors.event_list``)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pestor.widgets import MunicipalityFilter

from .models import Event

WHEN_CHOICES = [
    ("upcoming", pgettext_lazy("events", "upcoming")),
    ("past", pgettext_lazy("events", "past")),
]


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    municipality = MunicipalityFilter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("any")
    )
    audience = django_filters.ChoiceFilter(
        label=_("Audience"), choices=Event.Audience.choices, empty_label=_("any")
    )
    # The events a partnership organises (the link from its page), by the partnership's address.
    partnership = django_filters.CharFilter(
        label=_("Partnership"),
        method="filter_partnership",
        max_length=120,
        widget=forms.HiddenInput,
    )
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=WHEN_CHOICES, method="filter_when", empty_label=_("any")
    )

    class Meta:
        model = Event
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(public_task__icontains=value))

    def filter_partnership(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(partnership__slug=value) if value else queryset

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gt=now)
        if value == "past":
            return queryset.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
        return queryset
