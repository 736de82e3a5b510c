"""Open notices, results and a notice's answers as CSV and XLSX: the list's filters, who may
download them, and files Polish Excel reads (decimal comma, DD.MM.RRRR; XLSX numbers, dates)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.demand.factories import AnswerFactory, NoticeFactory, PartnerFactory
from tests.export_files import column, csv_rows, xlsx_rows
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ["demand:notice-export", "demand:result-export"])
@pytest.mark.parametrize("role", ROLES)
def test_everyone_downloads_open_notices_and_results(role, name, fmt, as_role, client, notice):
    as_role(role)
    assert outcome(client.get(reverse(name, args=[fmt]))) == 200


def test_the_notices_file_follows_the_filters_and_hides_private_values(
    client, notice, other_municipality
):
    notice.estimated_value = Decimal("20000.00")
    notice.estimated_value_public = True
    notice.save()
    NoticeFactory(
        published=True,
        title="Tajna wartość",
        estimated_value=Decimal("98765.00"),
        estimated_value_public=False,
    )
    NoticeFactory(title="Szkic")  # a draft is in no public list
    url = reverse("demand:notice-export", args=["csv"])

    rows = csv_rows(client.get(url))
    titles = column(rows, "Ogłoszenie")
    values = dict(zip(titles, column(rows, "Szacunkowa wartość netto (zł)"), strict=True))
    assert values == {notice.title: "20000,00", "Tajna wartość": ""}

    filtered = csv_rows(client.get(url, {"q": "Forum"}))
    assert column(filtered, "Ogłoszenie") == [notice.title]


def test_the_results_file_has_the_winners_values_and_dates(client, department, organisation):
    awarded = NoticeFactory(
        department=department,
        awarded=True,
        title="Obiady dla seniorów",
        awarded_value=Decimal("12500.50"),
        award_date=date(2026, 3, 9),
    )
    AnswerFactory(notice=awarded, organisation=organisation, is_awarded=True)

    rows = csv_rows(client.get(reverse("demand:result-export", args=["csv"])))
    assert column(rows, "Wybrane PES") == [organisation.name]
    assert column(rows, "Wartość udzielonego zamówienia netto (zł)") == ["12500,50"]
    assert column(rows, "Data udzielenia zamówienia") == ["09.03.2026"]

    sheet = xlsx_rows(client.get(reverse("demand:result-export", args=["xlsx"])))
    assert column(sheet, "Wartość udzielonego zamówienia netto (zł)") == [12500.5]
    assert column(sheet, "Data udzielenia zamówienia") == [datetime(2026, 3, 9)]


ANSWERS = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 403,
    "pes_editor": 403,
    "other_pes_member": 403,
    "official": 200,
    "other_official": 403,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 200,
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("role", "expected"), ANSWERS.items())
def test_a_notices_answers_are_downloaded_by_its_buyer_side_only(
    role, expected, fmt, as_role, client, notice, answer
):
    as_role(role)
    response = client.get(reverse("demand:answer-export", args=[notice.pk, fmt]))
    assert outcome(response) == expected


def test_a_draft_of_another_buyer_is_not_found(client, other_official, draft):
    client.force_login(other_official)
    assert client.get(reverse("demand:answer-export", args=[draft.pk, "csv"])).status_code == 404


def test_the_answers_file_lists_prices_partners_and_the_buyer_page_links_to_it(
    client, official, notice, answer, other_answer, other_organisation
):
    PartnerFactory(answer=answer, organisation=other_organisation)
    client.force_login(official)

    rows = csv_rows(client.get(reverse("demand:answer-export", args=[notice.pk, "csv"])))
    assert column(rows, "Organizacja") == [answer.organisation.name, other_organisation.name]
    assert column(rows, "Cena netto (zł)") == ["3600,00", "4100,00"]
    assert column(rows, "Partnerzy konsorcjum")[0] == other_organisation.name

    content = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("demand:answer-export", args=[notice.pk, "xlsx"]) in content
