"""The demand register as OCDS 1.1: what each release says, what it never says, and that
libcoveocds (the standard's own validator, offline against the 1.1.5 schema in the fixtures)
finds no error in the packages."""

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from opendata import datasets
from tests.opendata.conftest import OCDS_SCHEMA_ZIP

pytestmark = pytest.mark.django_db


def _package(kind, variant="all", **kwargs) -> dict:
    stream = io.BytesIO()
    write = datasets.write_ocds_records if kind == "records" else datasets.write_ocds_releases
    with translation.override("pl"):
        write(stream, variant, "json", **kwargs)
    return json.loads(stream.getvalue())


class _StandardFromZip:
    """What jsonref asks the network for (the record package schema refers to the versioned
    release schema by its URL), answered from the same standard's ZIP: no machine here reaches
    standard.open-contracting.org."""

    PREFIX = "https://standard.open-contracting.org/schema/1__1__5/"

    def get(self, uri):
        import zipfile

        assert uri.startswith(self.PREFIX), uri
        with zipfile.ZipFile(OCDS_SCHEMA_ZIP) as archive:
            text = archive.read(f"standard-1__1__5/schema/{uri[len(self.PREFIX) :]}")
        return _Answer(text)


class _Answer:
    def __init__(self, text):
        self.text = text

    def raise_for_status(self):
        pass

    def json(self, **kwargs):
        return json.loads(self.text, **kwargs)


@pytest.fixture(autouse=True)
def offline_standard(monkeypatch):
    import jsonref

    monkeypatch.setattr(jsonref, "requests", _StandardFromZip())


def _cove(package, tmp_path) -> dict:
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig({"standard_zip": OCDS_SCHEMA_ZIP.as_uri(), "context": "api"})
    return ocds_json_output(str(tmp_path), json_data=package, lib_cove_ocds_config=config)


def _errors(result) -> list:
    """Everything the validator counts as an error: schema validation, the OCDS checks that
    fail (conformance), and data it could not read."""
    found = list(result.get("validation_errors", []))
    found += [
        (name, value) for name, value in (result.get("conformance_errors") or {}).items() if value
    ]
    return found


@pytest.mark.parametrize("kind", ["releases", "records"])
def test_the_packages_pass_the_ocds_validator(notices, tmp_path, kind):
    package = _package(kind)
    assert len(package[kind]) >= 3
    result = _cove(package, tmp_path)
    assert _errors(result) == [], json.dumps(_errors(result), ensure_ascii=False, indent=1)
    assert result["version_used"] == "1.1"


def test_each_public_event_is_a_release_with_the_state_of_that_moment(notices, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    package = _package("releases")
    by_id = {release["id"]: release for release in package["releases"]}
    awarded = notices["awarded"]
    ocid = f"ocds-abc123-{awarded.pk}"
    tender = by_id[f"{ocid}-tender"]
    award = by_id[f"{ocid}-award"]
    assert tender["tag"] == ["tender"] and award["tag"] == ["award"]
    assert tender["tender"]["status"] == "active" and award["tender"]["status"] == "complete"
    # The buyer: the municipality by its REGON, the department named.
    buyer = tender["parties"][0]
    assert buyer["identifier"] == {
        "scheme": "PL-REGON",
        "id": "871118833",
        "legalName": f"Gmina {awarded.municipality.name}",
    }
    assert buyer["roles"] == ["buyer", "procuringEntity"]
    assert tender["buyer"]["name"].startswith(awarded.department.name)
    # CPV items, the public estimated value, answers counted.
    item = tender["tender"]["items"][0]
    assert item["classification"]["scheme"] == "CPV"
    assert item["classification"]["id"].startswith("55520000")
    assert tender["tender"]["value"] == {"amount": 4000.0, "currency": "PLN"}
    assert tender["tender"]["numberOfTenderers"] == 2
    # The award: value, date, and the winner with its confirmed partner, by KRS or else NIP.
    (award_block,) = award["awards"]
    assert award_block["value"] == {"amount": 12500.0, "currency": "PLN"}
    names = [supplier["name"] for supplier in award_block["suppliers"]]
    assert names == ["Spółdzielnia Socjalna Smak", "Fundacja Partner"]
    parties = {party["name"]: party for party in award["parties"]}
    assert parties["Spółdzielnia Socjalna Smak"]["identifier"]["scheme"] == "PL-KRS"
    assert parties["Fundacja Partner"]["identifier"]["scheme"] == "PL-NIP"
    assert parties["Fundacja Partner"]["roles"] == ["supplier"]

    cancelled = by_id[f"ocds-abc123-{notices['cancelled'].pk}-cancellation"]
    assert cancelled["tag"] == ["tenderCancellation"]
    assert cancelled["tender"]["status"] == "cancelled"
    assert cancelled["tender"]["statusDetails"] == "Zmiana planów budżetowych."


def test_a_reserved_notice_says_so_and_a_private_estimate_is_left_out(department):
    from tests.demand.factories import ClauseCheckFactory, NoticeFactory

    notice = NoticeFactory(department=department, published=True, estimated_value_public=False)
    ClauseCheckFactory(notice=notice, reserved_for_pes=True)
    (release,) = _package("releases")["releases"]
    tender = release["tender"]
    assert tender["otherRequirements"] == {"reservedParticipation": ["shelteredWorkshop"]}
    assert "art. 94" in tender["procurementMethodRationale"]
    assert "value" not in tender
    # Without a REGON the municipality is named by its TERYT code.
    assert release["parties"][0]["identifier"]["scheme"] == "PL-TERYT"


def test_nothing_private_is_published(notices):
    text = json.dumps([_package("releases"), _package("records")], ensure_ascii=False)
    for secret in (
        "Szkic niepublikowany",  # a draft
        "Zakup firmy",  # a company's notice: not the city's purchase
        "3333.33",  # answers' prices (as "3600.0" or "3600.00": a bare "3600" can be an id
        "9999.99",  # on PostgreSQL, whose sequences go on from test to test)
        "3600.0",
        "Tajna wiadomość",  # answers' messages
        "Płatność przelewem",  # answers' terms
        "Anna Nowak",  # the contact person
        "anna.nowak@um.example.org",
    ):
        assert secret not in text, secret


def test_a_record_compiles_the_last_state(notices):
    records = {record["ocid"]: record for record in _package("records")["records"]}
    awarded = notices["awarded"]
    record = next(r for ocid, r in records.items() if ocid.endswith(f"-{awarded.pk}"))
    assert [release["tag"] for release in record["releases"]] == [["tender"], ["award"]]
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert record["compiledRelease"]["awards"][0]["value"]["amount"] == 12500.0


def test_releases_since_a_date_and_per_year(notices):
    awarded = notices["awarded"]
    since = timezone.now() - timedelta(days=2)
    ids = {release["id"] for release in _package("releases", since=since)["releases"]}
    # Published ten days ago, awarded now: only the award is new.
    assert any(i.endswith(f"-{awarded.pk}-award") for i in ids)
    assert not any(i.endswith(f"-{awarded.pk}-tender") for i in ids)
    year = str(timezone.localdate(awarded.published_at).year)
    assert _package("releases", variant=year)["releases"]
    assert _package("releases", variant="1999")["releases"] == []
