"""The directory and the verification queue as CSV and XLSX: the list's filters, its access
rules, and files that Polish Excel reads (semicolons, BOM, DD.MM.RRRR; XLSX real dates)."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import LegalForm
from tests.directory.factories import OrganisationFactory
from tests.export_files import column, csv_rows, xlsx_rows
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
def test_everyone_downloads_the_directory(role, fmt, as_role, client, organisation):
    as_role(role)
    response = client.get(reverse("directory:organisation-export", args=[fmt]))
    assert outcome(response) == 200


def test_the_directory_file_follows_the_lists_filters(client, organisation, municipality):
    OrganisationFactory(name="=Fundacja Formuła", legal_form=LegalForm.FOUNDATION)
    OrganisationFactory(pending=True, name="Czeka na weryfikację")
    url = reverse("directory:organisation-export", args=["csv"])

    everything = csv_rows(client.get(url))
    assert everything[0][:2] == ["Nazwa", "Forma prawna"]
    names = column(everything, "Nazwa")
    assert organisation.name in names
    assert "'=Fundacja Formuła" in names  # never a formula
    assert "Czeka na weryfikację" not in names

    foundations = csv_rows(client.get(url, {"legal_form": LegalForm.FOUNDATION}))
    assert column(foundations, "Nazwa") == ["'=Fundacja Formuła"]


def test_the_directory_page_links_to_its_files_with_its_filters(client, organisation):
    content = client.get(reverse("directory:organisation-list"), {"q": "Przystań"}).content
    content = content.decode()
    assert reverse("directory:organisation-export", args=["csv"]) + "?q=" in content
    assert reverse("directory:organisation-export", args=["xlsx"]) + "?q=" in content


def test_an_unknown_format_is_not_found(client):
    assert client.get(reverse("directory:organisation-export", args=["pdf"])).status_code == 404


QUEUE = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 403,
    "pes_editor": 403,
    "other_pes_member": 403,
    "official": 200,
    "other_official": 200,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 200,
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("role", "expected"), QUEUE.items())
def test_the_verification_queue_file_is_for_those_who_see_the_queue(
    role, expected, fmt, as_role, client, pending_organisation
):
    as_role(role)
    response = client.get(reverse("directory:verification-queue-export", args=[fmt]))
    assert outcome(response) == expected
    list_page = client.get(reverse("directory:verification-queue"))
    assert outcome(list_page) == expected


def test_the_queue_file_holds_the_officials_registrations_with_polish_dates(
    client, official, pending_organisation, other_municipality
):
    registered = timezone.make_aware(datetime(2026, 3, 9, 10, 30))
    pending_organisation.created_at = registered
    pending_organisation.save(update_fields=["created_at"])
    elsewhere = OrganisationFactory(pending=True, seat_municipality=other_municipality)
    client.force_login(official)

    rows = csv_rows(client.get(reverse("directory:verification-queue-export", args=["csv"])))
    assert column(rows, "Nazwa") == [pending_organisation.name]
    assert elsewhere.name not in str(rows)
    assert column(rows, "Zarejestrowano") == ["09.03.2026 10:30"]

    sheet = xlsx_rows(client.get(reverse("directory:verification-queue-export", args=["xlsx"])))
    assert column(sheet, "Zarejestrowano") == [datetime(2026, 3, 9, 10, 30)]


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "1 organizację"),
        (2, "2 organizacje"),
        (5, "5 organizacji"),
        (22, "22 organizacje"),
        (25, "25 organizacji"),
        (112, "112 organizacji"),
    ],
)
def test_the_directory_counts_organisations_in_polish(count, words, client):
    OrganisationFactory.create_batch(count)
    content = client.get(reverse("directory:organisation-list")).content.decode()
    assert f"Znaleziono {words}" in content
