"""Filters of the public list of competitions (owned by ``selectors.competition_list``)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import PublicBenefitSphere
from pestor.widgets import ModelChoiceFilter, MunicipalityFilter

from .models import Competition

STATE_CHOICES = [
    ("open", pgettext_lazy("competition state", "taking offers")),
    ("scoring", pgettext_lazy("competition state", "offers closed, being scored")),
    ("decided", pgettext_lazy("competition state", "results published")),
]


class CompetitionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    municipality = MunicipalityFilter()
    sphere = ModelChoiceFilter(
        label=_("Sphere of public tasks"),
        queryset=PublicBenefitSphere.objects.order_by("position"),
        empty_label=_("any"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATE_CHOICES, method="filter_state", empty_label=_("any")
    )

    class Meta:
        model = Competition
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == "open":
            return queryset.filter(status=Competition.Status.PUBLISHED, offers_until__gt=now)
        if value == "scoring":
            return queryset.filter(status=Competition.Status.PUBLISHED, offers_until__lte=now)
        if value == "decided":
            return queryset.filter(status=Competition.Status.DECIDED)
        return queryset
