"""What every map page shares: the bounding box a GeoJSON endpoint is asked for, and the page
mixin that opens the map on the chosen municipality (else the whole country) and points it at
its GeoJSON endpoint with the page's own filters."""

import math
from dataclasses import dataclass

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
