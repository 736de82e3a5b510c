"""Pages of the catalogue that cost the same at the first result and at the ten-thousandth."""

from django.core.paginator import EmptyPage
from django.db.models import QuerySet
from django.utils.functional import cached_property

from pestor.pagination import CappedPaginator


class IdsFirstPaginator(CappedPaginator):
    """A ``CappedPaginator`` that counts without ordering and reads a page's ids first.

    - Whether there are 10 000 results does not depend on their order: counting without
      ``ORDER BY`` lets PostgreSQL stop at the first 10 001 rows any index gives (a search's
      trigram bitmap, say) instead of sorting every match first.
    - A page is read in two steps: the ids of its rows, which for a deep page skips thousands of
      entries of a partial index without visiting the table (an index-only scan), then the
      twenty rows it shows, with what their cards join and prefetch, by primary key
      (``rows(ids)``, in any order; missing ids are left out). Reading the page whole would join
      the organisation, the category and the municipality for every skipped row: what made
      ``?page=last`` cost ten times the first page.
    """

    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        self.rows = rows
        super().__init__(object_list, per_page, *args, **kwargs)

    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            object_list = object_list.order_by()
        limited = object_list[: self.cap + 1]
        found = limited.count() if isinstance(limited, QuerySet) else len(limited)
        return min(found, self.cap), found > self.cap

    def validate_number(self, number):
        """A page beyond the cap of a longer list (an old link to page 1000, say) is the last
        page it pages through, which says there are more and asks to narrow the search."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            if self.capped and int(number) > self.num_pages:
                return self.num_pages
            raise

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.rows is None or not isinstance(self.object_list, QuerySet):
            return self._get_page(self.object_list[bottom:top], number, self)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in self.rows(ids)} if ids else {}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)
