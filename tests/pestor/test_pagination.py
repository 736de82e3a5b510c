import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pestor.models import Department, Municipality
from pestor.pagination import CappedPaginator
from tests.factories import MunicipalityFactory


def analyze():
    """On PostgreSQL the paginator asks the planner's estimate first; a table never analysed
    is estimated from its size on disk, so tests that count few rows take statistics first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE pestor_municipality")


def reads(queries) -> list[str]:
    """The queries that read rows (not the planner's estimate)."""
    return [q["sql"] for q in queries if not q["sql"].startswith("EXPLAIN")]


@pytest.mark.django_db
def test_capped_paginator_counts_no_further_than_the_cap():
    MunicipalityFactory.create_batch(5)
    analyze()
    queryset = Municipality.objects.order_by("pk")
    total = queryset.count()
    assert total > 3
    paginator = CappedPaginator(queryset, 2, cap=3)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 3
    assert paginator.capped
    assert "LIMIT 4" in reads(queries)[0]
    assert paginator.num_pages == 2
    # A page past the cap is not served: the reader is asked to narrow the search.
    assert paginator.get_page(50).number == 2


@pytest.mark.django_db
def test_capped_paginator_is_exact_below_the_cap():
    MunicipalityFactory.create_batch(5)
    analyze()
    queryset = Municipality.objects.order_by("pk")
    total = queryset.count()
    paginator = CappedPaginator(queryset, 2, cap=total + 5)
    assert paginator.count == total
    assert not paginator.capped
    assert CappedPaginator(list(range(7)), 2, cap=5).count == 5
    assert CappedPaginator(list(range(4)), 2, cap=5).capped is False


@pytest.mark.django_db
def test_a_deep_page_reads_its_keys_then_only_its_rows():
    MunicipalityFactory.create_batch(7)
    analyze()
    queryset = Municipality.objects.order_by("-pk")
    expected = list(queryset[2:4])
    asked = []

    def rows(keys):
        asked.append(list(keys))
        return Municipality.objects.filter(pk__in=keys).order_by("pk")  # any order will do

    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(queryset, 2, rows=rows).page(2)
        assert list(page) == expected  # in the list's order, not the rows' own
    assert asked == [[m.pk for m in expected]]
    # The capped count, the page's keys, its rows: three queries.
    assert len(reads(queries)) == 3
    # Without ``rows`` a deep page is read by its keys from the same queryset, in its order.
    assert list(CappedPaginator(queryset, 2).page(2)) == expected


@pytest.mark.django_db
def test_a_list_counted_with_its_first_page_reads_both_in_one_query():
    MunicipalityFactory.create_batch(7)
    queryset = Municipality.objects.order_by("-pk")
    keys = list(queryset.values_list("pk", flat=True))

    def rows(page_keys):
        return Municipality.objects.filter(pk__in=page_keys)

    with CaptureQueriesContext(connection) as queries:
        paginator = CappedPaginator(queryset, 2, cap=5, rows=rows, count_with_first_page=True)
        assert (paginator.count, paginator.capped) == (5, True)
        assert [m.pk for m in paginator.page(1)] == keys[:2]
    # The first page's keys with the count, then its rows.
    assert len(reads(queries)) == 2
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(queryset, 2, rows=rows, count_with_first_page=True).page(3)
        assert [m.pk for m in page] == keys[4:6]
    assert len(reads(queries)) == 3  # a deeper page reads its own keys as well
    empty = CappedPaginator(Municipality.objects.none(), 2, count_with_first_page=True)
    assert (empty.count, list(empty.page(1))) == (0, [])


@pytest.mark.django_db
def test_the_count_of_a_sorted_list_leaves_out_its_order():
    MunicipalityFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        assert CappedPaginator(Municipality.objects.order_by("name"), 2).count == 3
    (count,) = [sql for sql in reads(queries) if "COUNT" in sql.upper()]
    assert "ORDER BY" not in count.upper()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "shown"), [("", 1), ("2", 2), ("last", 3), ("99", 3), ("0", 404), ("abc", 404)]
)
def test_pages_past_the_end_show_the_last_page(client, page, shown):
    from django.urls import reverse

    from tests.directory.factories import OrganisationFactory

    OrganisationFactory.create_batch(41)  # the directory shows 20 a page: three pages
    response = client.get(reverse("directory:organisation-list"), {"page": page})
    if shown == 404:
        assert response.status_code == 404
    else:
        assert response.context["page_obj"].number == shown


@pytest.mark.django_db
def test_a_large_count_is_cached_and_a_small_one_counted_every_time(monkeypatch):
    from pestor import pagination

    monkeypatch.setattr(pagination, "COUNT_CACHE_MIN", 3)
    MunicipalityFactory.create_batch(4, name="Wielka")
    MunicipalityFactory.create_batch(2, name="Mała")
    large = Municipality.objects.filter(name="Wielka").order_by("pk")
    small = Municipality.objects.filter(name="Mała").order_by("pk")
    assert CappedPaginator(large, 2, estimate=False).count == 4
    assert CappedPaginator(small, 2, estimate=False).count == 2
    MunicipalityFactory(name="Wielka")
    MunicipalityFactory(name="Mała")

    with CaptureQueriesContext(connection) as queries:
        # More than COUNT_CACHE_MIN: the figure counted a moment ago, with no query.
        assert CappedPaginator(large, 2, estimate=False).count == 4
    assert queries.captured_queries == []
    # A count of the same rows with another filter is another key.
    assert CappedPaginator(large.filter(pk__gt=0), 2, estimate=False).count == 5
    # A small set is counted again, so a change shows at once.
    assert CappedPaginator(small, 2, estimate=False).count == 3


@pytest.mark.django_db
def test_a_count_with_the_time_of_the_request_in_it_is_cached_too(monkeypatch):
    """The public directory leaves out entries reminded more than 60 days before *now*: the
    query's parameter changes on every request, and the cache must still serve the count."""
    from django.utils import timezone

    from directory.models import Organisation
    from pestor import pagination
    from tests.directory.factories import OrganisationFactory

    monkeypatch.setattr(pagination, "COUNT_CACHE_MIN", 3)
    OrganisationFactory.create_batch(4)

    def counted_now():
        queryset = Organisation.objects.filter(created_at__lte=timezone.now()).order_by("pk")
        return CappedPaginator(queryset, 2, estimate=False)

    assert counted_now().count == 4
    OrganisationFactory()
    with CaptureQueriesContext(connection) as queries:
        assert counted_now().count == 4
    assert queries.captured_queries == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")
def test_the_estimate_plans_the_keys_without_the_rows_joins():
    MunicipalityFactory.create_batch(3)
    analyze()
    queryset = Department.objects.select_related("municipality").order_by("name")
    with CaptureQueriesContext(connection) as queries:
        _ = CappedPaginator(queryset, 2).count
    (estimate,) = [q["sql"] for q in queries if q["sql"].startswith("EXPLAIN")]
    # The joins of the cards change no count; planning them cost as much as a small count.
    assert "JOIN" not in estimate.upper()
    assert 'SELECT "pestor_department"."id"' in estimate
