"""The datasets the portal publishes (the catalogue at /otwarte-dane/ lists them).

A dataset has variants (a year, or "all") and formats; ``write(stream, variant, fmt)`` writes
one variant in one format to a binary stream item by item (never the whole table in memory) and
returns the number of items. Files are built in the background (``opendata.tasks``) and served
as last built. Another app adds its dataset by a ``Dataset`` in ``DATASETS``, its rows read
through its own selectors.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from demand import selectors as demand_selectors
from equipment_bank import selectors as equipment_selectors
from grants import opendata as grants_opendata
from grants import selectors as grants_selectors
from pestor.exports import DATE, NUMBER, XLSX_CONTENT_TYPE, Column, csv_lines, write_xlsx
from premises import selectors as premises_selectors

from . import ocds

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
    "geojson": "application/geo+json",
}


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    standard: str
    formats: tuple[str, ...]
    variants: Callable[[], list[str]]
    write: Callable[..., int]
    # The app whose changes make the files stale (``opendata.changes.data_changed``).
    source: str = ""

    def file_url(self, variant: str, fmt: str) -> str:
        return reverse(
            "opendata:file", kwargs={"dataset": self.slug, "variant": variant, "fmt": fmt}
        )


def write_json_package(stream, metadata: dict, key: str, items: Iterable[dict]) -> int:
    """A JSON object of ``metadata`` with the list ``key`` of ``items``, written one item at a
    time: constant memory whatever the number of items."""
    head = json.dumps(metadata, ensure_ascii=False)[:-1]
    stream.write(f'{head}, "{key}": [\n'.encode())
    count = 0
    for item in items:
        if count:
            stream.write(b",\n")
        stream.write(json.dumps(item, ensure_ascii=False).encode())
        count += 1
    stream.write(b"\n]}\n")
    return count


def _years() -> list[str]:
    return [str(year) for year in demand_selectors.open_data_years()]


def _ocds_package(stream, variant: str, fmt: str, *, kind: str, since: datetime | None = None):
    year = None if variant == "all" or since else int(variant)
    notices = demand_selectors.open_data_notices(year=year, since=since)
    metadata = ocds.package_metadata(uri=_absolute(kind, variant), published=timezone.now())
    if kind == "records":
        return write_json_package(stream, metadata, "records", map(ocds.record, notices))

    def releases():
        for notice in notices:
            for release in ocds.releases(notice):
                if since is None or datetime.fromisoformat(release["date"]) >= since:
                    yield release

    return write_json_package(stream, metadata, "releases", releases())


def _absolute(kind: str, variant: str) -> str:
    slug = OCDS_RELEASES if kind == "releases" else OCDS_RECORDS
    return settings.SITE_URL + reverse(
        "opendata:file", kwargs={"dataset": slug, "variant": variant, "fmt": "json"}
    )


def write_ocds_releases(stream, variant: str, fmt: str, since: datetime | None = None) -> int:
    return _ocds_package(stream, variant, fmt, kind="releases", since=since)


def write_ocds_records(stream, variant: str, fmt: str) -> int:
    return _ocds_package(stream, variant, fmt, kind="records")


def write_grants(stream, variant: str, fmt: str) -> int:
    """Every grant awarded, in the 360Giving fields (``grants.opendata`` builds them)."""
    grants = grants_selectors.awarded_grants().iterator(chunk_size=1000)
    counted = _Counted(grants)
    build = grants_opendata.json_package if fmt == "json" else grants_opendata.csv_rows
    for chunk in build(counted):
        stream.write(chunk.encode())
    return counted.count


@dataclass(frozen=True)
class Table:
    """A table published as CSV, XLSX and GeoJSON: its columns, and where each row stands
    (``point(row)`` gives (longitude, latitude) or None)."""

    columns: tuple[Column, ...]
    point: Callable[[dict], tuple | None]


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def write_table(stream, rows: Iterable[dict], table: Table, fmt: str) -> int:
    """``rows`` (streamed) as CSV, XLSX (openpyxl's write-only mode: rows go to disk) or a
    GeoJSON FeatureCollection with a Point per row (``null`` geometry where none is known)."""
    counted = _Counted(rows)
    if fmt == "csv":
        for line in csv_lines(rows=counted, columns=table.columns):
            stream.write(line.encode())
    elif fmt == "xlsx":
        write_xlsx(stream, rows=counted, columns=table.columns)
    elif fmt == "geojson":

        def features():
            for row in counted:
                point = table.point(row)
                yield {
                    "type": "Feature",
                    "geometry": (
                        {"type": "Point", "coordinates": [float(point[0]), float(point[1])]}
                        if point
                        else None
                    ),
                    "properties": {
                        str(column.header): _json_value(column.value(row))
                        for column in table.columns
                    },
                }

        write_json_package(stream, {"type": "FeatureCollection"}, "features", features())
    else:
        raise ValueError(f"Unknown format: {fmt!r}")
    return counted.count


def _point(latitude, longitude):
    if latitude is None or longitude is None:
        return None
    return (longitude, latitude)


def _premises_point(row):
    if not row["premises_public"]:
        return None
    return _point(row["lease__premises__latitude"], row["lease__premises__longitude"])


def _public_premises(field):
    """A premises' column, empty for premises not in the public registry (not for lease)."""
    return lambda row: row[field] if row["premises_public"] else None


PREMISES_SUPPORT = Table(
    columns=(
        Column(_("Year"), lambda row: row["year"], NUMBER),
        Column(_("Municipality"), lambda row: row["municipality__name"]),
        Column(_("TERYT"), lambda row: row["municipality__teryt"]),
        Column(_("Premises ID"), _public_premises("lease__premises_id"), NUMBER),
        Column(_("Address"), _public_premises("lease__premises__address")),
        Column(_("District"), _public_premises("district")),
        Column(
            pgettext_lazy("open data column", "Floor"), _public_premises("lease__premises__floor")
        ),
        Column(_("Latitude"), _public_premises("lease__premises__latitude"), NUMBER),
        Column(_("Longitude"), _public_premises("lease__premises__longitude"), NUMBER),
        Column(_("Area (m²)"), lambda row: row["area_m2"], NUMBER),
        Column(_("Tenant"), lambda row: row["organisation__name"]),
        Column(_("KRS"), lambda row: row["organisation__krs"]),
        Column(_("NIP"), lambda row: row["organisation__nip"]),
        Column(_("Public benefit sphere"), lambda row: row["sphere__name"]),
        Column(_("Months"), lambda row: row["months"], NUMBER),
        Column(_("Rent charged (PLN)"), lambda row: row["charged"], NUMBER),
        Column(_("Support value (PLN)"), lambda row: row["support"], NUMBER),
    ),
    point=_premises_point,
)


LOANS = Table(
    columns=(
        Column(_("Year"), lambda row: row["year"], NUMBER),
        Column(_("Returned"), lambda row: row["returned_at"], DATE),
        Column(_("From"), lambda row: row["starts_at"], DATE),
        Column(_("Until"), lambda row: row["ends_at"], DATE),
        Column(_("What"), lambda row: row["resource__name"] or row["kit__name"]),
        Column(_("Kind"), lambda row: row["resource__kind"] or "kit"),
        Column(_("Category"), lambda row: row["resource__category__name"]),
        Column(_("Lender"), lambda row: row["owner__name"]),
        Column(_("Municipality"), lambda row: row["owner__municipality__name"]),
        Column(_("TERYT"), lambda row: row["owner__municipality__teryt"]),
        Column(_("Pick-up address"), lambda row: row["address"]),
        Column(_("Latitude"), lambda row: row["latitude"], NUMBER),
        Column(_("Longitude"), lambda row: row["longitude"], NUMBER),
        Column(_("Borrower"), lambda row: row["organisation__name"]),
        Column(_("KRS"), lambda row: row["organisation__krs"]),
        Column(_("NIP"), lambda row: row["organisation__nip"]),
        Column(_("Market value (PLN)"), lambda row: row["reference_value"], NUMBER),
        Column(_("Fee paid (PLN)"), lambda row: row["fee"], NUMBER),
        Column(_("In-kind value (PLN)"), lambda row: row["in_kind_value"], NUMBER),
    ),
    point=lambda row: _point(row["latitude"], row["longitude"]),
)


def write_premises_support(stream, variant: str, fmt: str) -> int:
    return write_table(stream, premises_selectors.open_data_support(), PREMISES_SUPPORT, fmt)


def write_loans(stream, variant: str, fmt: str) -> int:
    return write_table(stream, equipment_selectors.open_data_loans(), LOANS, fmt)


class _Counted:
    """Passes the items of an iterable on, counting them."""

    def __init__(self, items):
        self.items = items
        self.count = 0

    def __iter__(self):
        for item in self.items:
            self.count += 1
            yield item


OCDS_RELEASES = "zamowienia-ocds-wydania"
OCDS_RECORDS = "zamowienia-ocds-rekordy"
GRANTS = "dotacje-360giving"
PREMISES = "lokale-wsparcie"
EQUIPMENT = "wypozyczenia-wsparcie"
TABLE_FORMATS = ("csv", "xlsx", "geojson")

DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            slug=OCDS_RELEASES,
            title=_("Purchases of the municipalities: releases (OCDS)"),
            description=_(
                "Every event of the municipalities' demand notices (publication, award, "
                "cancellation) as an OCDS 1.1 release package per year: buyer, CPV items, "
                "public estimated value, social clauses, number of answers, awarded value "
                "and suppliers."
            ),
            standard="Open Contracting Data Standard 1.1",
            formats=("json",),
            variants=_years,
            write=write_ocds_releases,
            source="demand",
        ),
        Dataset(
            slug=OCDS_RECORDS,
            title=_("Purchases of the municipalities: records (OCDS)"),
            description=_(
                "One OCDS 1.1 record per demand notice of a municipality, with its releases "
                "and its current state, as a record package per year of publication."
            ),
            standard="Open Contracting Data Standard 1.1",
            formats=("json",),
            variants=_years,
            write=write_ocds_records,
            source="demand",
        ),
        Dataset(
            slug=GRANTS,
            title=_("Grants to PES (360Giving)"),
            description=_(
                "Every grant awarded in the municipalities' open competitions: the task, the "
                "amounts applied for and awarded, the dates, the recipient by KRS or NIP, the "
                "municipality as the funder and the competition as the grant programme."
            ),
            standard="360Giving Data Standard 1.4",
            formats=("json", "csv"),
            variants=lambda: ["all"],
            write=write_grants,
            source="grants",
        ),
        Dataset(
            slug=PREMISES,
            title=_("Municipal premises leased to PES with a discount"),
            description=_(
                "Per year and lease: the municipal premises (address, district, coordinates), "
                "the tenant PES by KRS or NIP, the public benefit sphere, the months, the rent "
                "charged and the value of the discount against the market rent."
            ),
            standard="CSV, XLSX, GeoJSON (RFC 7946)",
            formats=TABLE_FORMATS,
            variants=lambda: ["all"],
            write=write_premises_support,
            source="premises",
        ),
        Dataset(
            slug=EQUIPMENT,
            title=_("Equipment and rooms lent to PES"),
            description=_(
                "Every loan of equipment or a room to a PES, valued on its return: what was "
                "lent, by whom and where it was picked up (coordinates), to which PES by KRS "
                "or NIP, for how long, the market value, the fee paid and the in-kind value."
            ),
            standard="CSV, XLSX, GeoJSON (RFC 7946)",
            formats=TABLE_FORMATS,
            variants=lambda: ["all"],
            write=write_loans,
            source="equipment_bank",
        ),
    )
}
