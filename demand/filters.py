from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.filters import search_words
from exchange.widgets import CpvFilter
from pestor.widgets import MunicipalityFilter

from .models import Answer, DemandNotice

CLOSING_SOON_DAYS = 7


class BuyerKind:
    CITY = "city"
    COMPANY = "company"
    choices = [(CITY, _("municipality (department)")), (COMPANY, _("company"))]


class CpvSubtreeFilter(CpvFilter):
    """A CPV code; notices with any code in its subtree match (55000000 finds 55520000)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Category (CPV)"))
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        codes = DemandNotice.cpv_codes.through.objects.filter(
            demandnotice_id=OuterRef("pk"), cpvcode__code__startswith=value.prefix
        )
        return queryset.filter(Exists(codes))


class PublicNoticeFilterSet(django_filters.FilterSet):
    """What the public lists of notices share: text, CPV subtree, municipality, kind of buyer."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("title, description…")}),
    )
    cpv = CpvSubtreeFilter()
    municipality = MunicipalityFilter(label=_("Municipality"), field_name="municipality")
    buyer = django_filters.ChoiceFilter(
        label=_("Buyer"), choices=BuyerKind.choices, empty_label=_("any"), method="filter_buyer"
    )

    class Meta:
        model = DemandNotice
        fields = []

    def filter_text(self, queryset, name, value):
        return search_words(queryset, "search_text", value)

    def filter_buyer(self, queryset, name, value):
        if value == BuyerKind.CITY:
            return queryset.filter(department__isnull=False)
        if value == BuyerKind.COMPANY:
            return queryset.filter(company__isnull=False)
        return queryset


class NoticeFilterSet(PublicNoticeFilterSet):
    """Filters of the public list of open notices (and of "Notices for us")."""

    reserved = django_filters.BooleanFilter(
        label=_("Reserved for PES (art. 94)"),
        method="filter_reserved",
        widget=forms.CheckboxInput,
    )
    closing_soon = django_filters.BooleanFilter(
        label=_("Closing within 7 days"),
        method="filter_closing_soon",
        widget=forms.CheckboxInput,
    )

    class Meta(PublicNoticeFilterSet.Meta):
        pass

    def filter_reserved(self, queryset, name, value):
        # The check's copy on the notice (DemandNotice.reserved_for_pes): its own index.
        return queryset.filter(reserved_for_pes=True) if value else queryset

    def filter_closing_soon(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            answers_deadline__lte=timezone.now() + timedelta(days=CLOSING_SOON_DAYS)
        )


class ResultFilterSet(PublicNoticeFilterSet):
    """Filters of the public list of awarded notices."""


class BuyerNoticeFilterSet(django_filters.FilterSet):
    """ "My notices" of a buyer: every state."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DemandNotice.Status.choices, empty_label=_("any")
    )

    class Meta:
        model = DemandNotice
        fields = []

    filter_text = NoticeFilterSet.filter_text


class AnswerFilterSet(django_filters.FilterSet):
    """ "My answers" of a PES."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    open_only = django_filters.BooleanFilter(
        label=_("Only notices still open"), method="filter_open", widget=forms.CheckboxInput
    )

    class Meta:
        model = Answer
        fields = []

    def filter_text(self, queryset, name, value):
        return search_words(queryset, "notice__search_text", value)

    def filter_open(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            notice__status=DemandNotice.Status.PUBLISHED,
            notice__answers_deadline__gt=timezone.now(),
        )
