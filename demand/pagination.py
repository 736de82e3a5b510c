"""Paging of the demand register's lists at national scale (250 000 notices, 700 000 answers).

``ListPaginator`` is ``pestor.pagination.CappedPaginator`` (at most ``RESULT_CAP`` rows are
counted and paged through) with two changes that keep a deep page as cheap as the first:

- the count leaves out the list's ``ORDER BY``: how many rows there are (up to the cap) does not
  depend on their order, and without it PostgreSQL stops after ``cap + 1`` rows of whichever
  index answers the filter instead of sorting every matching row first;
- the count selects nothing but the key, so that no annotation of the list (whether a PES has
  answered a notice, how many answers a notice has) is computed for the rows it counts;
- a page past the first is read in two steps: the ids of its rows (a narrow scan of the index
  the list is sorted by, however deep the ``OFFSET``), then only those rows with their joins,
  annotations and prefetches. Reading the rows directly would join the buyer, the municipality
  and the clause check to every row before the offset, 10 000 of them on the last page. The
  first page has no offset and reads its rows directly, one query fewer.
"""

from django.db.models import QuerySet
from django.utils.functional import cached_property

from pestor.pagination import CappedPaginator


class ListPaginator(CappedPaginator):
    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            found = rows.order_by().values("pk")[: self.cap + 1].count()
        else:
            found = len(rows[: self.cap + 1])
        return min(found, self.cap), found > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, QuerySet) and bottom > 0:
            ids = list(rows.values_list("pk", flat=True)[bottom:top])
            rows = rows.filter(pk__in=ids)
        else:
            rows = rows[bottom:top]
        return self._get_page(rows, number, self)


class ListPaginationMixin:
    """For a ``ListView`` of the demand register."""

    paginator_class = ListPaginator
