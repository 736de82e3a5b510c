import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Report


class ReportFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Report.Status.choices, empty_label=_("any")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Report.Kind.choices, empty_label=_("any")
    )

    class Meta:
        model = Report
        fields = []
