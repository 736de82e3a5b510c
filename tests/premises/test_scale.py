"""The public list of premises at the size of a national portal (20 000 premises)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from premises.models import Premises
from tests.plans import plan_of_sql


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL's indexes")
def test_a_deep_page_of_the_public_list_skips_entries_of_an_index_not_a_sorted_table(client, unit):
    Premises.objects.bulk_create(
        Premises(
            unit=unit,
            municipality=unit.municipality,
            address=f"ul. Długa {n}",
            district=f"Dzielnica {n % 40}",
            latitude=Decimal("53.01"),
            longitude=Decimal("18.60"),
            area_m2=Decimal("40.00"),
            rooms=1,
            market_rent_m2=Decimal("30.00"),
        )
        for n in range(4000)
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("premises:premises-list"), {"page": 30})
    assert response.status_code == 200
    (deep,) = [q["sql"] for q in queries.captured_queries if "OFFSET" in q["sql"]]
    plan = plan_of_sql(deep)
    assert "premises_public_order" in plan, plan
    assert "Sort" not in plan.split("premises_public_order")[0], plan
