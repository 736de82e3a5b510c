"""Open data over the whole demo: no dataset names or reaches a person, and the ledgers of an
organisation and of Toruń add up what the other apps recorded."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from demand.models import Answer
from directory.models import Organisation
from equipment_bank.models import Booking
from opendata.datasets import DATASETS, EQUIPMENT, PREMISES
from opendata.models import DatasetFile
from premises.models import LeaseSupportYear
from tests.opendata.conftest import demo_people

pytestmark = pytest.mark.django_db


def _text_of(file: DatasetFile) -> str:
    """A built file's text: an XLSX's cells, any other file as it is."""
    if file.fmt == "xlsx":
        from openpyxl import load_workbook

        with file.file.open("rb") as stream:
            sheet = load_workbook(stream, read_only=True).active
            return "\n".join(
                "\t".join("" if cell is None else str(cell) for cell in row)
                for row in sheet.iter_rows(values_only=True)
            )
    return file.file.open("rb").read().decode("utf-8-sig")


def test_no_dataset_names_or_reaches_a_person_of_the_demo(demo_media):
    files = list(DatasetFile.objects.all())
    assert files, "the demo builds the open-data files"
    assert {file.dataset for file in files} == set(DATASETS)
    text = "\n".join(_text_of(file) for file in files)
    assert '"releases"' in text and '"records"' in text and '"FeatureCollection"' in text
    leaked = sorted(person for person in demo_people() if person in text)
    assert leaked == []


@pytest.mark.parametrize(
    ("slug", "model"),
    [(PREMISES, LeaseSupportYear), (EQUIPMENT, "loans")],
    ids=["premises", "loans"],
)
def test_the_support_datasets_hold_every_row_in_csv_xlsx_and_geojson(
    demo_media, client, slug, model
):
    if model == "loans":
        expected = Booking.objects.filter(
            status__in=["returned", "closed"], organisation__isnull=False
        ).count()
    else:
        expected = model.objects.count()
    assert expected > 0
    dataset = DATASETS[slug]
    for fmt in ("csv", "xlsx", "geojson"):
        assert DatasetFile.objects.get(dataset=slug, variant="all", fmt=fmt).items == expected
    response = client.get(dataset.file_url("all", "geojson"))
    assert response["Content-Type"] == "application/geo+json"
    assert response["Last-Modified"]
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == expected
    points = [f["geometry"] for f in collection["features"] if f["geometry"]]
    assert points, "the demo's premises and pick-up points have coordinates"
    for point in points:
        assert point["type"] == "Point"
        longitude, latitude = point["coordinates"]
        # Poland, longitude first (RFC 7946).
        assert 14 < longitude < 25 and 49 < latitude < 55
    properties = collection["features"][0]["properties"]
    assert properties["Rok"] >= 2000 and "NIP" in properties
    text = b"".join(client.get(dataset.file_url("all", "csv")).streaming_content)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == expected + 1 and rows[0][0] == "Rok"
    from openpyxl import load_workbook

    workbook = b"".join(client.get(dataset.file_url("all", "xlsx")).streaming_content)
    sheet = load_workbook(io.BytesIO(workbook), read_only=True).active
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == expected + 1
    assert client.get(dataset.file_url("all", "csv")[: -len("csv")] + "pdf").status_code == 404


def test_the_premises_support_adds_up_to_the_ledger(demo_media, client):
    collection = json.loads(
        b"".join(client.get(DATASETS[PREMISES].file_url("all", "geojson")).streaming_content)
    )
    total = sum(
        Decimal(str(f["properties"]["Wartość wsparcia (zł)"])) for f in collection["features"]
    )
    assert total == LeaseSupportYear.objects.aggregate(total=Sum("support"))["total"]


def _awards_of(**filters) -> Decimal:
    return Answer.objects.filter(
        is_awarded=True, notice__status="awarded", notice__department__isnull=False, **filters
    ).aggregate(total=Sum("notice__awarded_value"))["total"] or Decimal(0)


def test_torun_s_ledger_adds_up_every_kind_of_support(
    demo_media, client, django_assert_num_queries
):
    url = reverse("opendata:ledger", args=["torun"])
    # The municipality, then every kind of support's GROUP BY in one UNION ALL.
    with django_assert_num_queries(2):
        page = client.get(url)
    ledger = page.context["ledger"]
    totals = ledger.totals
    assert totals["awards"]["value"] == _awards_of(notice__municipality__slug="torun") > 0
    # What was given up to this year; a lease's years to come are not support given yet.
    premises = LeaseSupportYear.objects.filter(
        municipality__slug="torun", year__lte=timezone.localdate().year
    ).aggregate(total=Sum("support"))["total"]
    assert LeaseSupportYear.objects.filter(year__gt=timezone.localdate().year).exists()
    assert all(year <= timezone.localdate().year for year, _cells, _total in ledger.table())
    assert totals["premises"]["value"] == premises > 0
    assert totals["lending"]["value"] > 0
    assert totals["grants"]["value"] > 0
    text = page.content.decode()
    assert "Co Toruń kupuje od PES i co im daje" in text

    rows = list(
        csv.reader(
            io.StringIO(client.get(url[:-1] + ".csv").getvalue().decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0] == ["Rok", "Rodzaj wsparcia", "Liczba", "Wartość (zł)"]
    assert {row[1] for row in rows[1:]} >= {"Udzielone zamówienia"}


def test_an_organisation_page_shows_its_ledger_and_its_csv(demo_media, client):
    winner = (
        Organisation.objects.filter(
            demand_answers__is_awarded=True, demand_answers__notice__status="awarded"
        )
        .distinct()
        .first()
    )
    page = client.get(winner.get_absolute_url()).content.decode()
    assert "Co miasto kupuje od tej organizacji i co jej daje" in page
    export = reverse("opendata:organisation-ledger-export", args=[winner.slug, "csv"])
    assert export in page
    rows = list(
        csv.reader(io.StringIO(client.get(export).getvalue().decode("utf-8-sig")), delimiter=";")
    )
    awarded = sum(
        Decimal(row[3].replace("\xa0", "").replace(" ", "").replace(",", "."))
        for row in rows[1:]
        if row[1] == "Udzielone zamówienia"
    )
    assert awarded == _awards_of(organisation=winner)
    assert (
        client.get(
            reverse("opendata:organisation-ledger-export", args=[winner.slug, "pdf"])
        ).status_code
        == 404
    )


def test_the_municipality_is_found_by_name_and_a_wrong_name_is_explained(demo_media, client):
    found = client.get(reverse("opendata:ledger-find"), {"gmina": "Toruń"})
    assert found.status_code == 302 and found["Location"] == reverse(
        "opendata:ledger", args=["torun"]
    )
    wrong = client.get(reverse("opendata:ledger-find"), {"gmina": "Atlantyda"})
    assert wrong.status_code == 200
    text = wrong.content.decode()
    # What was typed stays in the field, with the message next to it.
    assert 'value="Atlantyda"' in text
    assert "Nie ma gminy o nazwie „Atlantyda”" in text
    assert client.get(reverse("opendata:ledger", args=["atlantyda"])).status_code == 404
