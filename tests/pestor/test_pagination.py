import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pestor.models import Municipality
from pestor.pagination import CappedPaginator
from tests.factories import MunicipalityFactory


@pytest.mark.django_db
def test_capped_paginator_counts_no_further_than_the_cap():
    MunicipalityFactory.create_batch(5)
    queryset = Municipality.objects.order_by("pk")
    total = queryset.count()
    assert total > 3
    paginator = CappedPaginator(queryset, 2, cap=3)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 3
    assert paginator.capped
    assert "LIMIT 4" in queries[0]["sql"]
    assert paginator.num_pages == 2
    # A page past the cap is not served: the reader is asked to narrow the search.
    assert paginator.get_page(50).number == 2


@pytest.mark.django_db
def test_capped_paginator_is_exact_below_the_cap():
    MunicipalityFactory.create_batch(5)
    queryset = Municipality.objects.order_by("pk")
    total = queryset.count()
    paginator = CappedPaginator(queryset, 2, cap=total + 5)
    assert paginator.count == total
    assert not paginator.capped
    assert CappedPaginator(list(range(7)), 2, cap=5).count == 5
    assert CappedPaginator(list(range(4)), 2, cap=5).capped is False
