"""A few small related rows read with their parent's row, in the same query.

A detail page shows its object with several short lists (a notice's CPV codes and documents, a
programme's funds per year). ``prefetch_related`` reads each list with a query of its own;
``JSONRows`` reads it as a JSON array in a column of the parent's query instead (a correlated
subquery aggregated with PostgreSQL's ``JSON_AGG`` or SQLite's ``JSON_GROUP_ARRAY``), and
``instances`` turns that array back into model instances. For short lists only: the whole list
travels in one value, and the instances carry only the fields named (text, numbers, booleans
and dates; numbers are read as ``Decimal`` where the field is one). A name may also be an
annotation of the queryset (a related row's column, ``F("premises__address")``, or an
aggregate of a grouped queryset); ``instances`` sets those as plain attributes. ``looked_up``
reads a column of another table by a key among the fields for the rows kept only (after the
queryset's slice): a grouped list's top rows get their names without joining every row grouped.
"""

import json
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import JSONField, Subquery
from django.utils import timezone


class _DecimalJSONDecoder(json.JSONDecoder):
    # Money stays Decimal: a float would round amounts on their way back.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse_float=Decimal, **kwargs)


class JSONRows(Subquery):
    """The rows of ``queryset`` (correlated with ``OuterRef``), their ``fields`` only, in the
    queryset's order, as a JSON array of objects keyed by the fields' names. ``looked_up``:
    ``{name: (key, model, field)}`` adds to each row ``name``, the ``field`` of the ``model``
    row whose primary key is the row's ``key`` (one of ``fields``)."""

    def __init__(
        self,
        queryset: models.QuerySet,
        fields: tuple[str, ...],
        *,
        looked_up: dict[str, tuple[str, type[models.Model], str]] | None = None,
    ):
        self.fields = fields
        self.looked_up = looked_up or {}
        model = queryset.model
        annotations = queryset.query.annotations
        self.columns = [
            name if name in annotations else model._meta.get_field(name).column for name in fields
        ]
        super().__init__(
            queryset.values(*fields), output_field=JSONField(decoder=_DecimalJSONDecoder)
        )

    def as_sql(self, compiler, connection, template=None, **extra_context):
        pairs = ", ".join(
            [f"'{name}', r.\"{column}\"" for name, column in self._pairs()]
            + [
                f"'{name}', {self._looked_up_sql(connection, key, model, field)}"
                for name, (key, model, field) in self.looked_up.items()
            ]
        )
        if connection.vendor == "postgresql":
            template = (
                # As text: the JSON decoder of the field reads numbers as Decimal.
                f"(SELECT COALESCE(JSON_AGG(JSON_BUILD_OBJECT({pairs})), '[]'::json)::text "
                "FROM (%(subquery)s) r)"
            )
        else:
            template = (
                f"(SELECT COALESCE(JSON_GROUP_ARRAY(JSON_OBJECT({pairs})), '[]') "
                "FROM (%(subquery)s) r)"
            )
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def _pairs(self):
        return zip(self.fields, self.columns, strict=True)

    def _looked_up_sql(self, connection, key, model, field):
        quote = connection.ops.quote_name
        column = dict(self._pairs())[key]
        return (
            f"(SELECT l.{quote(model._meta.get_field(field).column)} "
            f"FROM {quote(model._meta.db_table)} l "
            f'WHERE l.{quote(model._meta.pk.column)} = r."{column}")'
        )


def instances(model: type[models.Model], rows: list[dict] | None, *, using: str = "default"):
    """The model instances of ``JSONRows``' array, as loaded from database ``using`` (only the
    fields it carried; any other field is deferred)."""
    if not rows:
        return []
    fields = [field for field in model._meta.concrete_fields if field.attname in rows[0]]
    names = [field.attname for field in fields]
    extra = [name for name in rows[0] if name not in names]
    found = []
    for row in rows:
        instance = model.from_db(
            using, names, [_value(field, row[field.attname]) for field in fields]
        )
        for name in extra:
            setattr(instance, name, row[name])
        found.append(instance)
    return found


def _value(field, value):
    value = field.to_python(value)
    # SQLite's JSON drops a decimal's trailing zeros; Django's own reads give the field's scale.
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    # SQLite's JSON carries a datetime as naive text in UTC (as Django stores it there).
    if isinstance(value, datetime) and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value
