"""The open-data catalogue and its files: public to every role, files served as last built
(never built in the request), the last days' releases with a clear answer to bad dates."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opendata import datasets, services, tasks
from opendata.models import DatasetFile
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("opendata:catalogue")
SINCE = reverse("opendata:releases-since")


def _year(notice) -> str:
    return str(timezone.localdate(notice.published_at).year)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_catalogue_and_downloads_the_files(
    client, as_role, role, notices, private_media
):
    services.datasets_build_all()
    as_role(role)
    page = client.get(CATALOGUE)
    assert outcome(page) == 200
    text = page.content.decode()
    assert "Zakupy gmin: wydania (OCDS)" in text and "CC BY 4.0" in text
    url = datasets.DATASETS[datasets.OCDS_RELEASES].file_url(_year(notices["awarded"]), "json")
    assert url in text
    response = client.get(url)
    assert outcome(response) == 200
    assert response["Content-Type"] == "application/json"
    assert response["Last-Modified"]
    package = json.loads(b"".join(response.streaming_content))
    assert package["releases"]


def test_the_catalogue_runs_one_query_for_all_files(
    client, notices, private_media, django_assert_num_queries
):
    services.datasets_build_all()
    with django_assert_num_queries(1):
        assert client.get(CATALOGUE).status_code == 200


def test_before_the_first_build_the_catalogue_says_so_and_files_are_404(client, notices):
    text = client.get(CATALOGUE).content.decode()
    assert "jeszcze nie zbudowano" in text
    url = datasets.DATASETS[datasets.OCDS_RECORDS].file_url("2026", "json")
    assert client.get(url).status_code == 404
    assert client.get("/otwarte-dane/nie-ma-takiego/2026.json").status_code == 404


def test_a_build_replaces_the_file_and_drops_years_without_data(
    notices, private_media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.datasets_build_all()
    year = _year(notices["awarded"])
    first = DatasetFile.objects.get(dataset=datasets.OCDS_RELEASES, variant=year)
    old_path = first.file.path
    DatasetFile.objects.create(
        dataset=datasets.OCDS_RELEASES,
        variant="1999",
        fmt="json",
        file="opendata/old.json",
        built_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.build_datasets.delay().get() == sum(
            len(dataset.variants()) * len(dataset.formats) for dataset in datasets.DATASETS.values()
        )
    again = DatasetFile.objects.get(dataset=datasets.OCDS_RELEASES, variant=year)
    assert again.built_at >= first.built_at and again.items == first.items
    assert again.file.path != old_path
    import os

    assert os.path.exists(again.file.path) and not os.path.exists(old_path)
    assert not DatasetFile.objects.filter(variant="1999").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Podaj datę w parametrze od"),
        ("wczoraj", "Podaj datę w parametrze od"),
        ("2026-02-30", "Podaj datę w parametrze od"),
        ("future", "Data nie może być z przyszłości."),
        ("old", "ostatnich dni"),
    ],
)
def test_the_last_days_releases_refuse_a_bad_date_clearly(client, value, message):
    today = timezone.localdate()
    value = {
        "future": (today + timedelta(days=1)).isoformat(),
        "old": (today - timedelta(days=32)).isoformat(),
    }.get(value, value)
    response = client.get(SINCE, {"od": value})
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_the_last_days_releases_are_built_when_asked(client, notices):
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = client.get(SINCE, {"od": since})
    assert response.status_code == 200
    ids = [
        release["id"] for release in json.loads(b"".join(response.streaming_content))["releases"]
    ]
    assert any(i.endswith(f"-{notices['awarded'].pk}-award") for i in ids)
    assert not any(i.endswith(f"-{notices['awarded'].pk}-tender") for i in ids)


@pytest.mark.parametrize(("fmt", "parser"), [("rdf", "xml"), ("jsonld", "json-ld")])
def test_the_catalogue_is_published_as_dcat_ap_for_harvesters(
    client, notices, private_media, fmt, parser, django_assert_num_queries, settings
):
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    services.datasets_build_all()
    with django_assert_num_queries(1):
        response = client.get(reverse("opendata:dcat", args=[fmt]))
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=parser)
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert str(graph.value(catalogue, DCTERMS.title)).endswith("otwarte dane")
    datasets_found = set(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets_found) == len(datasets.DATASETS)
    files = DatasetFile.objects.all()
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == files.count() > 0
    for file in files:
        url = URIRef(
            settings.SITE_URL + datasets.DATASETS[file.dataset].file_url(file.variant, file.fmt)
        )
        assert url in distributions
        assert graph.value(url, DCAT.downloadURL) == url
        assert int(graph.value(url, DCAT.byteSize)) == file.size
        assert (
            str(graph.value(url, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
        )


def test_the_grants_are_in_the_catalogue_and_the_ledger(client, private_media, settings, decided):
    """The grants app's 360Giving builders, built into the catalogue's files like the others;
    the grants awarded in the organisation's and the municipality's ledger."""
    import csv
    import io

    competition, _third = decided
    services.datasets_build_all()
    grants = datasets.DATASETS[datasets.GRANTS]
    package = json.loads(b"".join(client.get(grants.file_url("all", "json")).streaming_content))
    assert {grant["currency"] for grant in package["grants"]} == {"PLN"}
    assert sorted(grant["amountAwarded"] for grant in package["grants"]) == [8000, 10000, 20000]
    text = b"".join(client.get(grants.file_url("all", "csv")).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 4 and "Identifier" in rows[0]
    assert DatasetFile.objects.get(dataset=datasets.GRANTS, fmt="json").items == 3

    from opendata.ledger import ledger

    totals = ledger(municipality=competition.municipality).totals
    assert totals["grants"] == {"count": 3, "value": 38000}


def test_the_ledger_finder_asks_for_a_name_whatever_else_it_is_sent(client, db):
    for params in ({"gmina": ""}, {"page": "NaN"}, {"gmina": "", "page": "2"}):
        response = client.get(reverse("opendata:ledger-find"), params)
        assert response.status_code == 200
        assert "Wpisz nazwę gminy." in response.content.decode()
