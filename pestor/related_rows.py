"""A few small related rows read with their parent's row, in the same query.

A detail page shows its object with several short lists (a notice's CPV codes and documents, a
programme's funds per year). ``prefetch_related`` reads each list with a query of its own;
``JSONRows`` reads it as a JSON array in a column of the parent's query instead (a correlated
subquery aggregated with PostgreSQL's ``JSON_AGG`` or SQLite's ``JSON_GROUP_ARRAY``), and
``instances`` turns that array back into model instances. For short lists only: the whole list
travels in one value, and the instances carry only the fields named (text, numbers, booleans
and dates; numbers are read as ``Decimal`` where the field is one).
"""

import json
from decimal import Decimal

from django.db import models
from django.db.models import JSONField, Subquery


class _DecimalJSONDecoder(json.JSONDecoder):
    # Money stays Decimal: a float would round amounts on their way back.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse_float=Decimal, **kwargs)


class JSONRows(Subquery):
    """The rows of ``queryset`` (correlated with ``OuterRef``), their ``fields`` only, in the
    queryset's order, as a JSON array of objects keyed by the fields' names."""

    def __init__(self, queryset: models.QuerySet, fields: tuple[str, ...]):
        self.fields = fields
        model = queryset.model
        self.columns = [model._meta.get_field(name).column for name in fields]
        super().__init__(
            queryset.values(*fields), output_field=JSONField(decoder=_DecimalJSONDecoder)
        )

    def as_sql(self, compiler, connection, template=None, **extra_context):
        if connection.vendor == "postgresql":
            pairs = ", ".join(f"'{name}', r.\"{column}\"" for name, column in self._pairs())
            template = (
                # As text: the JSON decoder of the field reads numbers as Decimal.
                f"(SELECT COALESCE(JSON_AGG(JSON_BUILD_OBJECT({pairs})), '[]'::json)::text "
                "FROM (%(subquery)s) r)"
            )
        else:
            pairs = ", ".join(f"'{name}', r.\"{column}\"" for name, column in self._pairs())
            template = (
                f"(SELECT COALESCE(JSON_GROUP_ARRAY(JSON_OBJECT({pairs})), '[]') "
                "FROM (%(subquery)s) r)"
            )
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def _pairs(self):
        return zip(self.fields, self.columns, strict=True)


def instances(model: type[models.Model], rows: list[dict] | None, *, using: str = "default"):
    """The model instances of ``JSONRows``' array, as loaded from database ``using`` (only the
    fields it carried; any other field is deferred)."""
    if not rows:
        return []
    fields = [field for field in model._meta.concrete_fields if field.attname in rows[0]]
    names = [field.attname for field in fields]
    return [
        model.from_db(using, names, [field.to_python(row[field.attname]) for field in fields])
        for row in rows
    ]
