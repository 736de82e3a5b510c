"""Capped pagination that does not count what the planner already knows to be huge.

``pestor.pagination.CappedPaginator`` counts at most 10 000 rows. Even that reads 10 001 rows of
a broad search ("fundacja" matches a quarter of the national directory), only to print "more
than 10 000". On PostgreSQL this paginator first asks the planner for its estimate of the
result (``EXPLAIN``, planning only, nothing read): where the estimate is several times the cap,
the list is capped without counting; otherwise it counts as ``CappedPaginator`` does, exactly
below the cap. SQLite has no estimate and always counts.
"""

import json

from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from pestor.pagination import CappedPaginator

# An estimate this many times the cap is taken as "more than the cap" without counting; the
# margin covers the planner's usual error on a filtered estimate.
ESTIMATE_MARGIN = 2


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the number of rows ``queryset`` returns, or None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    explained = queryset.order_by().explain(format="json")
    if not explained:  # a query Django knows to be empty (``none()``, ``pk__in=[]``) is not sent
        return 0
    return int(json.loads(explained)[0]["Plan"]["Plan Rows"])


class EstimatedCappedPaginator(CappedPaginator):
    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        if isinstance(self.object_list, QuerySet):
            estimate = planner_estimate(self.object_list)
            if estimate is not None and estimate > ESTIMATE_MARGIN * self.cap:
                return self.cap, True
        return super()._capped_count
