"""Pagination that costs the same on the first and on the last page of a national list.

An exact ``COUNT(*)`` over 600 000 offers, and an ``OFFSET`` deep into them, grow with the table.
``CappedPaginator`` counts at most ``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, which
stops early on an index) and serves pages only within them: a list with more results says
"more than 10 000" and asks the reader to narrow the search, as catalogues at this size do. Where
the filtered set is smaller than the cap, the count is exact.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Results a list pages through; beyond it the reader is asked to refine the search.
RESULT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = RESULT_CAP

    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        if cap is not None:
            self.cap = cap
        super().__init__(object_list, per_page, *args, **kwargs)

    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        limited = self.object_list[: self.cap + 1]
        found = limited.count() if isinstance(limited, QuerySet) else len(limited)
        return min(found, self.cap), found > self.cap

    @cached_property
    def count(self) -> int:
        """The number of results, at most ``cap``."""
        return self._capped_count[0]

    @property
    def capped(self) -> bool:
        """True when there are more results than the list pages through."""
        return self._capped_count[1]


class CappedPaginationMixin:
    """For a ``ListView``: pages through at most ``RESULT_CAP`` results, counted up to there."""

    paginator_class = CappedPaginator
