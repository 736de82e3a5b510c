"""The premises map's GeoJSON for a crowded box (the whole country, issue 8): the grid of counts
is kept in the cache like the directory's (``pestor.maps``), so that the next answer for the same
area and filters asks the database nothing, until a premises is saved or deleted."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from premises import selectors
from tests.premises.factories import PremisesFactory

pytestmark = pytest.mark.django_db

GEOJSON = reverse("premises:premises-geojson")
COUNTRY = "14,49,24.2,54.9"


@pytest.fixture
def crowded(unit, monkeypatch):
    """25 premises in Toruń and 5 in Kraków; an answer carries 20 points at most."""
    monkeypatch.setattr(selectors, "MAP_FEATURES_LIMIT", 20)
    made = [PremisesFactory(unit=unit, area_m2=Decimal("30.00")) for _ in range(25)]
    made += [
        PremisesFactory(
            unit=unit, latitude=Decimal("50.06"), longitude=Decimal("19.94"), area_m2=80
        )
        for _ in range(5)
    ]
    return made


def _get(client, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(GEOJSON, {"bbox": COUNTRY, **query})
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    return len(captured), sorted(f["properties"]["count"] for f in data["features"])


def test_the_whole_countrys_grid_is_kept_per_filter_until_a_premises_changes(
    client, crowded, django_capture_on_commit_callbacks
):
    assert _get(client) == (2, [5, 25])  # the points, then the grid
    assert _get(client) == (0, [5, 25])  # from the kept grid
    # Other filters are another grid, counted afresh.
    assert _get(client, area_max="50")[0] > 0
    with django_capture_on_commit_callbacks(execute=True):
        PremisesFactory(unit=crowded[0].unit, latitude=Decimal("50.06"), longitude=Decimal("19.94"))
    assert _get(client) == (2, [6, 25])
    with django_capture_on_commit_callbacks(execute=True):
        crowded[-1].delete()
    assert _get(client) == (2, [5, 25])
