"""What every map page shares: the bounding box a GeoJSON endpoint is asked for, and the page
mixin that opens the map on the chosen municipality (else the whole country) and points it at
its GeoJSON endpoint with the page's own filters."""

import hashlib
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, FloatField, Max, Min, QuerySet, Value
from django.db.models.functions import Cast, Floor
from django.urls import reverse
from django.utils.translation import gettext as _

# The middle of Poland, where the map of the whole country opens.
POLAND_CENTRE = (52.07, 19.48)


@dataclass(frozen=True)
class BoundingBox:
    """West, south, east, north in degrees (GeoJSON's order of ``bbox``)."""

    west: float
    south: float
    east: float
    north: float


def parse_bbox(value: str) -> BoundingBox:
    """``west,south,east,north`` in degrees; ValueError with a message saying what is wrong."""
    parts = value.split(",") if value else []
    if len(parts) != 4:
        raise ValueError(
            _("Give bbox as four numbers: west,south,east,north (longitude, latitude) in degrees.")
        )
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ValueError(
            _("Each of the four numbers of bbox must be a number of degrees.")
        ) from None
    if not all(math.isfinite(number) for number in (west, south, east, north)):
        raise ValueError(_("Each of the four numbers of bbox must be a number of degrees."))
    if not (-180 <= west <= east <= 180):
        raise ValueError(
            _("The longitudes of bbox must lie between -180 and 180, the west one first.")
        )
    if not (-90 <= south <= north <= 90):
        raise ValueError(
            _("The latitudes of bbox must lie between -90 and 90, the south one first.")
        )
    return BoundingBox(west, south, east, north)


class MapPageMixin:
    """For a filtered list view shown as a map beside its table: adds ``map_centre``,
    ``map_zoom`` and ``geojson_url`` (the endpoint named ``geojson_url_name`` with the page's
    filters) to the context."""

    geojson_url_name: str
    municipality_zoom = 11

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipality = getattr(self.filterset.form, "cleaned_data", {}).get("municipality")
        if municipality is not None and municipality.latitude is not None:
            centre, zoom = (municipality.latitude, municipality.longitude), self.municipality_zoom
        else:
            centre, zoom = POLAND_CENTRE, 6
        query = context["query_without_page"]
        context.update(
            map_centre=f"{centre[0]},{centre[1]}",
            map_zoom=zoom,
            geojson_url=reverse(self.geojson_url_name) + (f"?{query}" if query else ""),
        )
        return context


# Cells across the longer side of the box (between about 17 and 34: a cell is a power of two
# degrees) when an area holds more points than one answer carries.
GRID_CELLS = 24
EDGES = ("west", "south", "east", "north")
# How long a crowded box's grid is kept (seconds); besides, ``grid_forget`` drops every grid of
# a model at once when one of its rows changes (the rows changed without a signal, bulk loads,
# go stale for this long at most).
GRID_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Grid:
    """The grid a crowded box is counted on: square cells of ``cell`` degrees (a power of two)
    counted from 0° (so that the same place falls in the same cell whatever the box), covering
    the box's cells ``x0``..``x1`` west to east and ``y0``..``y1`` south to north."""

    cell: Decimal
    x0: int
    y0: int
    x1: int
    y1: int

    @classmethod
    def for_box(cls, bbox: BoundingBox) -> "Grid":
        span = max(bbox.east - bbox.west, bbox.north - bbox.south, 1e-6) / GRID_CELLS
        cell = Decimal(2) ** max(-20, round(math.log2(span)))
        size = float(cell)
        return cls(
            cell,
            math.floor(bbox.west / size),
            math.floor(bbox.south / size),
            math.floor(bbox.east / size),
            math.floor(bbox.north / size),
        )

    def cache_key(self, model, rows: str) -> str:
        """Names the grid and the rows counted on it (``rows``: the model's and the filters')."""
        rows = hashlib.sha256(rows.encode()).hexdigest()[:32]
        return (
            f"pestor:map-grid:{model._meta.label_lower}:{rows}:"
            f"{self.cell}:{self.x0}:{self.y0}:{self.x1}:{self.y1}"
        )

    def cells(self, queryset: QuerySet) -> list[tuple]:
        """``(count, latitude, longitude, west, south, east, north)`` of each non-empty cell: one
        GROUP BY in the database over the rows placed within the grid's cells."""
        cell = self.cell
        number = FloatField()
        within = queryset.filter(
            longitude__gte=self.x0 * cell,
            longitude__lt=(self.x1 + 1) * cell,
            latitude__gte=self.y0 * cell,
            latitude__lt=(self.y1 + 1) * cell,
        )
        rows = (
            within.annotate(
                cell_x=Floor(Cast("longitude", number) / Value(float(cell), number)),
                cell_y=Floor(Cast("latitude", number) / Value(float(cell), number)),
            )
            .values("cell_x", "cell_y")
            .annotate(
                count=Count("pk"),
                lat=Avg(Cast("latitude", number)),
                lon=Avg(Cast("longitude", number)),
                west=Min("longitude"),
                south=Min("latitude"),
                east=Max("longitude"),
                north=Max("latitude"),
            )
            .order_by()
        )
        return sorted(
            (row["count"], *(float(row[name]) for name in ("lat", "lon", *EDGES))) for row in rows
        )


def _version_key(model) -> str:
    return f"pestor:map-grid:version:{model._meta.label_lower}"


def grid_name(filters) -> str | None:
    """What names the kept grid of a map's rows (``features_in_box``'s ``keep_grid``): the
    request's query (a ``QueryDict``) without its ``bbox``, the filters the rows were chosen by;
    None (no grid kept) without one."""
    if filters is None:
        return None
    return repr(
        sorted(
            (name, value) for name, values in filters.lists() if name != "bbox" for value in values
        )
    )


def grid_forget(model) -> None:
    """Every kept grid of ``model``'s rows is out of date (once the transaction commits)."""
    transaction.on_commit(lambda: cache.set(_version_key(model), uuid.uuid4().hex, None))


def features_in_box(
    queryset: QuerySet,
    *,
    bbox: BoundingBox,
    limit: int,
    fields: tuple[str, ...],
    properties: Callable[[tuple], dict],
    keep_grid: str | None = None,
) -> dict:
    """The rows of ``queryset`` placed within ``bbox`` as a GeoJSON FeatureCollection: each row a
    point (``properties`` makes a feature's properties from the row's ``fields``, which end with
    latitude and longitude), or, when the box holds more than ``limit`` rows, one feature per
    non-empty cell of a ``Grid`` of about ``GRID_CELLS`` by ``GRID_CELLS`` cells that the box
    touches: its ``count`` and the ``bounds`` (west, south, east, north) of its points, placed at
    their mean, so that the whole country shows where the places are, not the first thousand
    rows met. The counts are the whole cells' (a cell at the edge of the box counts its places
    beyond the edge too).

    Two queries at most: the points (stopped after ``limit`` + 1 rows, no sort), and for a crowded
    box the grid counted by the database (one GROUP BY over the position index). ``keep_grid``
    (what names the rows of ``queryset``: the page's filters, say): the grid is kept in the
    project's cache (``GRID_CACHE_SECONDS``, dropped by ``grid_forget``), and a box its cells
    show to be crowded is answered from it with no query at all."""
    placed = queryset.order_by().filter(latitude__isnull=False, longitude__isnull=False)
    inside = placed.filter(
        latitude__gte=bbox.south,
        latitude__lte=bbox.north,
        longitude__gte=bbox.west,
        longitude__lte=bbox.east,
    )
    grid = Grid.for_box(bbox)
    cells = key = version = None
    if keep_grid is not None:
        key, version_key = grid.cache_key(placed.model, keep_grid), _version_key(placed.model)
        found = cache.get_many([key, version_key])
        version = found.get(version_key)
        if version is None:
            cache.add(version_key, uuid.uuid4().hex, None)
            version = cache.get(version_key)
        kept = found.get(key)
        if kept is not None and kept[0] == version:
            cells = kept[1]
            if sum(row[0] for row in cells if _within(row, bbox)) > limit:
                return _clusters(cells, bbox, limit)
    answer = {"type": "FeatureCollection", "limit": limit, "truncated": False, "clustered": False}
    rows = list(inside.values_list(*fields, "latitude", "longitude")[: limit + 1])
    if len(rows) <= limit:
        answer["features"] = [_point(row[-1], row[-2], properties(row[:-2])) for row in rows]
        return answer
    if cells is None:
        cells = grid.cells(placed)
        if keep_grid is not None and version is not None:
            cache.set(key, (version, cells), GRID_CACHE_SECONDS)
    return _clusters(cells, bbox, limit)


def _within(row: tuple, bbox: BoundingBox) -> bool:
    """Whether every place of the cell ``row`` lies within ``bbox``."""
    west, south, east, north = row[3:]
    return bbox.west <= west and east <= bbox.east and bbox.south <= south and north <= bbox.north


def _touches(row: tuple, bbox: BoundingBox) -> bool:
    """Whether the places of the cell ``row`` may lie within ``bbox`` (their bounds meet it)."""
    west, south, east, north = row[3:]
    return west <= bbox.east and bbox.west <= east and south <= bbox.north and bbox.south <= north


def _clusters(cells: list[tuple], bbox: BoundingBox, limit: int) -> dict:
    return {
        "type": "FeatureCollection",
        "limit": limit,
        "truncated": True,
        "clustered": True,
        "features": [
            _point(row[2], row[1], {"count": row[0], "bounds": list(row[3:])})
            for row in cells
            if _touches(row, bbox)
        ],
    }


def _point(longitude, latitude, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": properties,
    }
