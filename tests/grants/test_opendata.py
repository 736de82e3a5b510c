"""Awarded grants as 360Giving open data: the JSON package validates against the standard's
schema (tests/fixtures, offline), the CSV carries the standard's columns, both public, streamed,
one query whatever the number of grants."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from grants import opendata, selectors
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def validator():
    grant = json.loads((FIXTURES / "360-giving-schema.json").read_text())
    package = json.loads((FIXTURES / "360-giving-package-schema.json").read_text())
    # The package names the grant schema by its published address; here it is the local copy.
    # (Their "$schema" is written with http://, which the library does not recognise as a
    # dialect, so the draft is named.)
    resource = Resource(contents=grant, specification=DRAFT202012)
    registry = Registry().with_resources(
        [(grant["$id"], resource), (grant["$id"].replace("1.4.3", "1.4.2"), resource)]
    )
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_json_validates_against_the_360giving_schema(client, decided, settings):
    settings.GRANTS_360GIVING_PREFIX = "360G-torun-test"
    competition, third = decided
    response = client.get(reverse("grants:awarded-grants-data", args=["json"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    package = json.loads(_body(response))
    errors = sorted(validator().iter_errors(package), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    grants = {grant["id"]: grant for grant in package["grants"]}
    assert len(grants) == 3
    grant = grants[f"360G-torun-test-{third.pk}"]
    assert grant["currency"] == "PLN" and grant["amountAwarded"] == 8000
    assert grant["amountAppliedFor"] == 20000
    competition.refresh_from_db()
    assert grant["awardDate"] == timezone.localdate(competition.decided_at).isoformat()
    assert grant["plannedDates"] == [{"startDate": "2027-03-01", "endDate": "2027-11-30"}]
    recipient = grant["recipientOrganization"][0]
    organisation = third.organisation
    assert recipient["id"] == opendata.recipient_id(organisation)
    assert recipient["id"] in (f"PL-KRS-{organisation.krs}", f"PL-NIP-{organisation.nip}")
    assert grant["fundingOrganization"][0]["name"] == competition.municipality.name
    assert grant["grantProgramme"][0]["title"] == competition.title
    assert grant["beneficiaryLocation"][0]["geoCode"] == competition.municipality.teryt


def test_recipient_by_krs_or_else_nip(decided):
    organisation = decided[1].organisation
    organisation.krs, organisation.nip = "0000123456", "5260250274"
    assert opendata.recipient_id(organisation) == "PL-KRS-0000123456"
    organisation.krs = ""
    assert opendata.recipient_id(organisation) == "PL-NIP-5260250274"


def test_the_csv_has_the_360giving_columns(client, decided):
    _competition, third = decided
    third.organisation.__class__.objects.filter(pk=third.organisation_id).update(
        name="=HYPERLINK(1)"
    )
    response = client.get(reverse("grants:awarded-grants-data", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert len(rows) == 3
    assert list(rows[0])[:3] == ["Identifier", "Title", "Description"]
    row = next(r for r in rows if r["Identifier"].endswith(f"-{third.pk}"))
    assert row["Amount Awarded"] == "8000" and row["Currency"] == "PLN"
    assert row["Recipient Org:Name"] == "'=HYPERLINK(1)"  # never a formula


def test_nothing_before_the_results_and_an_empty_package_after(client, competition, offer):
    body = _body(client.get(reverse("grants:awarded-grants-data", args=["json"])))
    assert json.loads(body)["grants"] == []
    assert client.get("/granty/otwarte-dane/dotacje-360giving.xml").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_open_data(role, as_role, client, decided):
    as_role(role)
    for fmt in ("json", "csv"):
        assert client.get(reverse("grants:awarded-grants-data", args=[fmt])).status_code == 200


def test_one_query_and_a_link_from_the_results(client, decided, django_assert_num_queries):
    with django_assert_num_queries(1):
        _body(client.get(reverse("grants:awarded-grants-data", args=["json"])))
    page = client.get(decided[0].get_absolute_url()).content.decode()
    assert reverse("grants:awarded-grants-data", args=["json"]) in page


def test_the_builders_stream_an_iterator(decided):
    pieces = opendata.json_package(selectors.awarded_grants().iterator())
    assert next(pieces).startswith('{"version": "1.4"')
