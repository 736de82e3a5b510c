"""The map's GeoJSON for a crowded box (the whole country, issue 8): counts per cell of a grid
of whole cells that the cache keeps, so that the next answer for the same area asks the
database nothing, until an organisation changes; a small box still comes as points, read
afresh each time."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory import selectors
from directory.models import LegalForm, Organisation
from directory.services import organisation_update, organisation_verify
from pestor.maps import BoundingBox, Grid
from tests.directory.factories import OrganisationFactory, make_pes_member

pytestmark = pytest.mark.django_db

GEOJSON = reverse("directory:organisation-geojson")
COUNTRY = "14,49,24.2,54.9"
COUNTRY_PANNED = "14.1,49.1,24.1,54.8"  # the same cells of the grid
TORUN = "18.45,52.95,18.75,53.10"
LIMIT = 20


@pytest.fixture
def places(municipality, monkeypatch):
    """30 verified organisations in Toruń (all in one cell of half a degree), 5 in Kraków, one
    in Gdańsk; an answer carries 20 points at most."""
    monkeypatch.setattr(selectors, "MAP_FEATURES_LIMIT", LIMIT)
    for number in range(30):
        OrganisationFactory(
            name=f"Toruńska {number:02d}",
            seat_municipality=municipality,
            legal_form=LegalForm.FOUNDATION,
            latitude=f"53.0{number % 10}",
            longitude=f"18.6{number % 7}",
        )
    for number in range(5):
        OrganisationFactory(
            name=f"Krakowska {number}",
            seat_municipality=municipality,
            legal_form=LegalForm.ASSOCIATION,
            latitude="50.06",
            longitude="19.94",
        )
    return OrganisationFactory(
        name="Gdańska", seat_municipality=municipality, latitude="54.35", longitude="18.65"
    )


def _get(client, bbox, **filters):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(GEOJSON, {"bbox": bbox, **filters})
    assert response.status_code == 200, response.content[:500]
    return len(captured), response.json()


def _counts(data) -> dict[tuple[float, float], int]:
    """{(longitude, latitude) of the cell's first place: count}, by the cells' bounds."""
    return {
        (feature["properties"]["bounds"][0], feature["properties"]["bounds"][1]): feature[
            "properties"
        ]["count"]
        for feature in data["features"]
    }


TORUN_CELL, KRAKOW_CELL, GDANSK_CELL = (18.6, 53.0), (19.94, 50.06), (18.65, 54.35)


def test_the_grid_level_is_a_power_of_two_degrees_and_snaps_the_box():
    grid = Grid.for_box(BoundingBox(14, 49, 24.2, 54.9))
    assert (float(grid.cell), grid.x0, grid.y0, grid.x1, grid.y1) == (0.5, 28, 98, 48, 109)
    assert Grid.for_box(BoundingBox(14.1, 49.1, 24.1, 54.8)) == grid
    # A box twice as wide: cells twice as large (about 24 across either way).
    assert float(Grid.for_box(BoundingBox(9, 46, 29.4, 57.8)).cell) == 1.0
    # A point of a box still gets a grid (the smallest cell).
    assert Grid.for_box(BoundingBox(18.6, 53, 18.6, 53)).cell > 0


def test_a_crowded_box_is_counted_once_then_answered_from_the_cache(client, places):
    count, first = _get(client, COUNTRY)
    assert count == 2  # the points (more than an answer carries), then the grid
    assert first["clustered"] is True and first["truncated"] is True
    assert _counts(first) == {TORUN_CELL: 30, KRAKOW_CELL: 5, GDANSK_CELL: 1}
    torun = next(f for f in first["features"] if f["properties"]["count"] == 30)
    assert torun["properties"]["bounds"] == [18.6, 53.0, 18.66, 53.09]
    longitude, latitude = torun["geometry"]["coordinates"]
    assert 18.6 < longitude < 18.66 and 53.0 < latitude < 53.09
    assert "url" not in torun["properties"]

    count, again = _get(client, COUNTRY)
    assert count == 0 and again == first
    # Moved a little, the map shows the same cells: no query either.
    count, panned = _get(client, COUNTRY_PANNED)
    assert count == 0 and _counts(panned) == _counts(first)


def test_a_small_box_still_gets_its_points_read_afresh(client, places, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_FEATURES_LIMIT", 40)
    for _ in range(2):
        count, data = _get(client, TORUN)
        assert count == 1
        assert data["clustered"] is False and data["truncated"] is False
        assert {f["properties"]["name"] for f in data["features"]} == {
            f"Toruńska {number:02d}" for number in range(30)
        }
    feature = next(f for f in data["features"] if f["properties"]["name"] == "Toruńska 00")
    assert feature["geometry"] == {"type": "Point", "coordinates": [18.6, 53.0]}


def test_the_filters_have_grids_of_their_own(client, places):
    _get(client, COUNTRY)
    count, foundations = _get(client, COUNTRY, legal_form="foundation")
    assert count == 2
    assert _counts(foundations) == {TORUN_CELL: 30}
    count, associations = _get(client, COUNTRY, legal_form="association")
    assert count == 1  # Kraków's five and Gdańsk's one: points, no grid
    assert associations["clustered"] is False and len(associations["features"]) == 6


def test_a_kept_grid_does_not_answer_a_box_that_fits_in_one_answer(client, places, monkeypatch):
    _get(client, COUNTRY)
    # 36 places now fit in one answer: the kept grid does not decide alone, the points come.
    monkeypatch.setattr(selectors, "MAP_FEATURES_LIMIT", 40)
    count, data = _get(client, COUNTRY)
    assert count == 1 and data["clustered"] is False and len(data["features"]) == 36


def test_a_verified_or_moved_organisation_drops_the_kept_grid(
    client, places, official, municipality, django_capture_on_commit_callbacks
):
    _get(client, COUNTRY)
    waiting = OrganisationFactory(
        name="Krakowska czeka",
        pending=True,
        seat_municipality=municipality,
        latitude="50.06",
        longitude="19.94",
    )
    count, data = _get(client, COUNTRY)
    assert count == 0 and _counts(data)[KRAKOW_CELL] == 5  # not public yet: nothing changed

    with django_capture_on_commit_callbacks(execute=True):
        organisation_verify(organisation=waiting, official=official)
    count, data = _get(client, COUNTRY)
    assert count == 2
    assert _counts(data) == {TORUN_CELL: 30, KRAKOW_CELL: 6, GDANSK_CELL: 1}

    gdansk = places
    owner = make_pes_member(gdansk, email="gdanska@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(organisation=gdansk, actor=owner, latitude="50.07", longitude="19.95")
    count, data = _get(client, COUNTRY)
    assert count == 2
    counts = _counts(data)
    assert GDANSK_CELL not in counts
    assert sum(counts.values()) == 37 and counts[TORUN_CELL] == 30
    krakow = next(f for f in data["features"] if f["properties"]["count"] == 7)
    assert krakow["properties"]["bounds"] == [19.94, 50.06, 19.95, 50.07]


def test_a_change_outside_a_signal_goes_stale_for_a_short_while_only(client, places):
    _get(client, COUNTRY)
    Organisation.objects.filter(name="Gdańska").update(latitude=None, longitude=None)
    count, data = _get(client, COUNTRY)
    assert count == 0 and GDANSK_CELL in _counts(data)  # kept for GRID_CACHE_SECONDS at most
    cache.clear()
    count, data = _get(client, COUNTRY)
    assert count == 2 and GDANSK_CELL not in _counts(data)
