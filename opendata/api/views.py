"""The API's list endpoints: each reads the public list of another app through its selector
(the list's FilterSet with the page's filters and visibility), pages it by cursor and
serializes a page in a fixed number of queries."""

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from community import selectors as community_selectors
from demand import selectors as demand_selectors
from directory import selectors as directory_selectors
from exchange import selectors as exchange_selectors
from premises import selectors as premises_selectors

from . import serializers

# What a filter's form field is, in OpenAPI terms.
_SCHEMA_TYPES = {
    "BooleanField": "boolean",
    "NullBooleanField": "boolean",
    "DecimalField": "number",
    "FloatField": "number",
    "IntegerField": "integer",
}


class SelectorFilterBackend(BaseFilterBackend):
    """Filtering is the selector's (``SelectorListView.get_queryset``); this describes its
    filters as the operation's query parameters."""

    def filter_queryset(self, request, queryset, view):
        return queryset

    def get_schema_operation_parameters(self, view):
        filterset = view.selector(filters={})
        parameters = []
        for name, field in filterset.form.fields.items():
            schema = {"type": _SCHEMA_TYPES.get(type(field).__name__, "string")}
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                # Fixed choices only: a model's (a sphere, a municipality) are rows.
                schema["enum"] = [str(value) for value, _label in field.choices if value]
            parameters.append(
                {
                    "name": name,
                    "required": False,
                    "in": "query",
                    "description": str(field.label or name),
                    "schema": schema,
                }
            )
        return parameters


class Cursor(CursorPagination):
    """Pages by an opaque cursor (``next`` / ``previous``): stable while rows are added, and
    as fast on the thousandth page as on the first. Each view gives its ``ordering``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        return view.ordering


# The endpoints the root lists, by their URL names (``api:<name>``).
ENDPOINTS = ("organisations", "offers", "notices", "results", "events", "premises")


@extend_schema(exclude=True)
class RootView(APIView):
    """``/api/v1/``: where a client starts, the address of every list, of the OpenAPI schema
    and of its documentation page."""

    def get(self, request):
        names = (*ENDPOINTS, "schema", "docs")
        return Response({name: reverse(f"api:{name}", request=request) for name in names})


class SelectorListView(generics.ListAPIView):
    """A public list: ``selector(filters=...)`` returns the bound FilterSet of the app's page;
    ``related`` / ``prefetch`` read what the serializer shows in the page's own queries."""

    selector: Callable
    ordering: tuple[str, ...] = ("pk",)
    related: tuple[str, ...] = ()
    prefetch: tuple = ()
    pagination_class = Cursor
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        filters = self.request.query_params.copy()
        for reserved in ("cursor", "page_size", "format"):
            filters.pop(reserved, None)
        filterset = self.selector(filters=filters)
        # A list without filters is an unbound FilterSet: valid, its ``qs`` the whole list.
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.errors)
        # Every column: a page's selector may read only what its cards show (``only()``), and
        # the serializer would then fetch each other field it shows row by row.
        queryset = filterset.qs.defer(None)
        if self.related:
            queryset = queryset.select_related(*self.related)
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        return queryset


@extend_schema(
    summary=_("Organisations"),
    description=_("The verified social economy entities of the public directory."),
)
class OrganisationListView(SelectorListView):
    selector = staticmethod(directory_selectors.organisation_list)
    serializer_class = serializers.OrganisationSerializer
    related = ("seat_municipality",)


@extend_schema(
    summary=_("Offers"),
    description=_("The active offers of verified organisations, newest first."),
)
class OfferListView(SelectorListView):
    selector = staticmethod(exchange_selectors.offer_list)
    serializer_class = serializers.OfferSerializer
    ordering = ("-pk",)
    related = ("organisation", "cpv")


@extend_schema(
    summary=_("Notices"),
    description=_(
        "The published notices open for answers; the estimated value only where the buyer "
        "made it public."
    ),
)
class NoticeListView(SelectorListView):
    selector = staticmethod(demand_selectors.notice_list)
    serializer_class = serializers.NoticeSerializer
    ordering = ("-pk",)


@extend_schema(
    summary=_("Results"),
    description=_("Awarded notices: the value, the date and the PES that won them."),
)
class ResultListView(SelectorListView):
    selector = staticmethod(demand_selectors.result_list)
    serializer_class = serializers.ResultSerializer
    ordering = ("-pk",)


@extend_schema(
    summary=_("Events"),
    description=_("The published events of the community calendar (upcoming by default)."),
)
class EventListView(SelectorListView):
    selector = staticmethod(community_selectors.event_list)
    serializer_class = serializers.EventSerializer
    ordering = ("starts_at", "pk")


@extend_schema(
    summary=_("Premises"),
    description=_("The municipal premises of the public registry, with their coordinates."),
)
class PremisesListView(SelectorListView):
    selector = staticmethod(premises_selectors.premises_list)
    serializer_class = serializers.PremisesSerializer
    related = ("municipality",)
