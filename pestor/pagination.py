"""Pagination that costs the same on the first and on the last page of a national list.

An exact ``COUNT(*)`` over 600 000 offers, and an ``OFFSET`` deep into them, grow with the table.
``CappedPaginator`` keeps both bounded, the way catalogues of this size do:

- It counts at most ``cap`` rows and pages only through them: a longer list says "more than
  10 000" and asks the reader to narrow the search. Where the filtered set is smaller, the count
  is exact. The count leaves out the list's ``ORDER BY`` and selects only the key (how many rows
  there are does not depend on their order, and no annotation of the list is computed for rows
  that are only counted), so PostgreSQL stops after ``cap + 1`` entries of whichever index
  answers the filter instead of sorting every match.
- On PostgreSQL it first asks the planner for its estimate (``EXPLAIN``, nothing read): a result
  estimated at several times the cap (a search for "fundacja" over the national directory) is
  capped without counting. SQLite has no estimate and always counts. A list of what one user
  or organisation holds (``estimate=False``, ``CappedPaginationMixin.estimate_count``) is
  counted straight away: it seldom nears the cap, and the capped count is as cheap as the plan.
- A page is read in two steps: the keys of its rows (a deep ``OFFSET`` skips entries of the index
  the list is sorted by, without visiting the table), then only those rows with everything their
  cards join and prefetch. Reading the rows whole would join the organisation, the category and
  the municipality to every row skipped: what made the last page cost ten times the first.
- A count of more than ``COUNT_CACHE_MIN`` rows is kept in the cache for ``COUNT_CACHE_SECONDS``,
  keyed by the count's SQL: the next pages of a search, and the next readers of a popular filter
  (a sphere of public tasks, a CPV division), do not count the same thousands of rows again. A
  figure that large shown a minute late misleads nobody; a smaller set is counted on every
  request, so that what a user has just added or withdrawn shows at once.

A ``ListView`` uses it through ``CappedPaginationMixin``, which also serves ``?page=last`` and
turns a page past the end (an old link into a list that has since shrunk, or beyond the cap)
into the last page instead of a 404; a page that is not a positive number is still a 404.
"""

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# Results a list pages through; beyond it the reader is asked to refine the search.
RESULT_CAP = 10_000

# An estimate this many times the cap is taken as "more than the cap" without counting; the
# margin covers the planner's usual error on a filtered estimate.
ESTIMATE_MARGIN = 2

# Results a word search pages through (``CappedPaginationMixin.search_param``). Words match
# anywhere in the folded text (``LIKE '%word%'``), which a trigram index narrows but cannot
# decide: every candidate is read from the table to be checked, and counting the 6 500 open
# notices that mention "catering" read 5 200 table pages at national scale (the page itself
# reads 140). Past a thousand hits (fifty pages) the reader is asked to add a word, as search
# engines do; the planner's estimate then spares even that count when the word is common.
SEARCH_RESULT_CAP = 1_000

# Counts above this many rows are cached this many seconds (see the module's description).
COUNT_CACHE_MIN = 1_000
COUNT_CACHE_SECONDS = 120


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the number of rows ``queryset`` returns (planning only, nothing
    is read), or None on another database."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    explained = queryset.order_by().explain(format="json")
    if not explained:  # a query Django knows to be empty (``none()``, ``pk__in=[]``) is not sent
        return 0
    return int(json.loads(explained)[0]["Plan"]["Plan Rows"])


_MOMENT = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


def _count_cache_key(queryset: QuerySet) -> str | None:
    """The cache key of a count: its database and SQL with the parameters (None for a query
    that cannot be compiled, e.g. one Django knows to be empty)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # ``none()``, ``pk__in=[]``: counted as before, without a query
        return None
    # A moment in the query (now less the 60 days of grace, say) moves on every request: keyed
    # to its hour, so that the key holds; the figure lives COUNT_CACHE_SECONDS all the same.
    # (SQLite's driver gets the moment as text, PostgreSQL's as a datetime.)
    params = [
        value.replace(minute=0, second=0, microsecond=0)
        if isinstance(value, datetime)
        else value[:13]
        if isinstance(value, str) and _MOMENT.match(value)
        else value
        for value in params
    ]
    text = f"{queryset.db}\n{sql}\n{params!r}"
    return "pestor:count:" + hashlib.sha256(text.encode()).hexdigest()


class CappedPaginator(Paginator):
    """``rows``: optionally, a function from a page's primary keys to its rows with what the
    cards show (in any order; keys it does not return are left out). Without it, the first page
    is read directly and a deeper one by its keys from the same queryset. ``estimate=False``
    counts without asking the planner first. ``key``: with ``rows``, the column of
    ``object_list`` that holds the keys ``rows`` takes (the primary key unless given; e.g.
    ``offer_id`` of a table of offers' municipalities that a list of offers is paged in).
    ``count_with_first_page``: for a list whose filter visits every candidate row whatever the
    page (the equipment bank's "free from … to …" checks every unit; one party's bookings), one
    query reads the first page's keys with the number of rows of the whole list (a window over
    it), instead of filtering once to count and again for the page; the count is then exact
    and not cached (on the first page it costs nothing more than the page)."""

    cap = RESULT_CAP

    def __init__(
        self,
        object_list,
        per_page,
        *args,
        cap: int | None = None,
        rows: Callable[[list], Iterable] | None = None,
        estimate: bool = True,
        key: str = "pk",
        count_with_first_page: bool = False,
        **kwargs,
    ):
        if cap is not None:
            self.cap = cap
        self.rows = rows
        self.estimate = estimate
        self.key = key
        self.count_with_first_page = count_with_first_page
        self._first_keys = None
        super().__init__(object_list, per_page, *args, **kwargs)

    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        object_list = self.object_list
        if not isinstance(object_list, QuerySet):
            found = len(object_list[: self.cap + 1])
            return min(found, self.cap), found > self.cap
        if self.count_with_first_page:
            first = list(
                object_list.annotate(found_rows=Window(Count("*"))).values_list(
                    self.key, "found_rows"
                )[: self.per_page + self.orphans]
            )
            self._first_keys = [key for key, _found in first]
            found = first[0][1] if first else 0
            return min(found, self.cap), found > self.cap
        # The estimate too is asked of the keys alone: the rows' joins (select_related) change no
        # count, and planning them cost as much as a small count.
        keys = object_list.order_by().values(self.key)
        estimate = planner_estimate(keys) if self.estimate else None
        if estimate is not None and estimate > ESTIMATE_MARGIN * self.cap:
            return self.cap, True
        counted = keys[: self.cap + 1]
        cache_key = _count_cache_key(counted)
        found = cache.get(cache_key) if cache_key else None
        if found is None:
            found = counted.count()
            if cache_key and found > COUNT_CACHE_MIN:
                cache.set(cache_key, found, COUNT_CACHE_SECONDS)
        return min(found, self.cap), found > self.cap

    @cached_property
    def count(self) -> int:
        """The number of results, at most ``cap``."""
        return self._capped_count[0]

    @property
    def capped(self) -> bool:
        """True when there are more results than the list pages through."""
        return self._capped_count[1]

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if bottom == 0 and self._first_keys is not None:
            keys = self._first_keys[:top]
        elif not isinstance(queryset, QuerySet) or (bottom == 0 and self.rows is None):
            return self._get_page(queryset[bottom:top], number, self)
        else:
            keys = list(queryset.values_list(self.key, flat=True)[bottom:top])
        if not keys:
            return self._get_page([], number, self)
        rows = self.rows(keys) if self.rows is not None else queryset.filter(pk__in=keys)
        found = {row.pk: row for row in rows}
        return self._get_page([found[key] for key in keys if key in found], number, self)


class CappedPaginationMixin:
    """For a ``ListView``: capped pagination, ``?page=last``, and a page past the end shown as
    the last page. A view whose cards need more than its list's queryset gives it in
    ``get_page_rows(keys)``, called with the page's primary keys only. A list of one user's or
    one organisation's rows sets ``estimate_count = False``: it is counted without the
    planner's estimate (a query that could only ever say "count them")."""

    paginator_class = CappedPaginator
    estimate_count = True
    count_with_first_page = False  # CappedPaginator's
    page_key = "pk"  # CappedPaginator's ``key``
    # The query parameter of the list's word search: while it holds words, the list pages
    # through SEARCH_RESULT_CAP results.
    search_param: str | None = None

    def get_page_rows(self, keys: list) -> Iterable | None:
        return None

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        if type(self).get_page_rows is not CappedPaginationMixin.get_page_rows:
            kwargs.setdefault("rows", self.get_page_rows)
        kwargs.setdefault("estimate", self.estimate_count)
        if self.search_param and self.request.GET.get(self.search_param, "").strip():
            kwargs.setdefault("cap", SEARCH_RESULT_CAP)
        kwargs.setdefault("key", self.page_key)
        kwargs.setdefault("count_with_first_page", self.count_with_first_page)
        return super().get_paginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            **kwargs,
        )

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        number = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        if number == "last":
            number = paginator.num_pages
        try:
            number = min(int(number), paginator.num_pages)
            page = paginator.page(number)
        except (ValueError, InvalidPage) as error:
            raise Http404(_("There is no such page of this list.")) from error
        return paginator, page, page.object_list, page.has_other_pages()
