"""The premises pages for every role (allowed, refused, or the same 404 for what one may not
see), bad input keeping what was typed, and the lists' fixed query counts."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from premises import services
from premises.models import Lease, Premises, PremisesCall
from tests.premises.factories import PremisesFactory, make_call
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

OFFICIALS = {"official", "admin_user"}
MEMBERS = {"pes_owner", "pes_editor"}
VERIFIED_MEMBERS = MEMBERS | {"other_pes_member"}


def expected(role, allowed, *, denied=403):
    if role == "resident":
        return "login"
    return 200 if role in allowed else denied


@pytest.fixture
def lease(sign_lease, pes_owner, pes_editor):
    return sign_lease(ends_on=None)


@pytest.fixture
def application(apply, pes_editor):
    return apply()


@pytest.fixture
def report(lease, pes_owner):
    return services.report_submit(
        lease=lease,
        year=2024,
        actor=pes_owner,
        activities="Jadłodzielnia",
        beneficiaries=400,
        hours_per_week=30,
        events=10,
        volunteers=5,
        in_kind_contribution=Decimal(0),
        narrative="Rok",
    )


# --- public pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_registry_the_map_points_the_policy_calls_and_results(
    role, as_role, client, lease, official
):
    open_call = make_call([PremisesFactory(unit=lease.premises.unit)], official)
    as_role(role)
    premises = lease.premises
    for url in (
        reverse("premises:premises-list"),
        reverse("premises:premises-geojson") + "?bbox=18,52,19,54",
        premises.get_absolute_url(),
        reverse("premises:policy-detail", args=[premises.municipality.slug]),
        reverse("premises:call-list"),
        reverse("premises:call-feed"),
        open_call.get_absolute_url(),
        reverse("premises:results"),
        reverse("premises:results-export", args=["csv"]),
        reverse("premises:results-geojson"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_premises_page_names_the_tenant_what_it_does_and_the_support(client, lease):
    page = client.get(lease.premises.get_absolute_url()).content.decode()
    assert lease.organisation.get_absolute_url() in page
    assert "Jadłodzielnia" in page
    assert re.search(r"18\W600,00 zł", page)


def test_the_map_answers_at_most_the_limit_and_groups_the_rest(client, unit, settings):
    from premises import selectors

    PremisesFactory.create_batch(3, unit=unit)
    box = selectors.BoundingBox(18, 52, 19, 54)
    answer = selectors.premises_map_features(Premises.objects.all(), bbox=box, limit=2)
    assert answer["truncated"] is True and answer["clustered"] is True
    assert sum(feature["properties"]["count"] for feature in answer["features"]) == 3
    answer = selectors.premises_map_features(Premises.objects.all(), bbox=box, limit=3)
    assert answer["clustered"] is False and len(answer["features"]) == 3
    assert client.get(reverse("premises:premises-geojson") + "?bbox=1,2").status_code == 400


def test_the_registry_filters(client, unit):
    PremisesFactory(unit=unit, district="Podgórz", area_m2=Decimal(30), floor="basement")
    PremisesFactory(unit=unit, district="Mokre", area_m2=Decimal(120), step_free_entrance=False)
    url = reverse("premises:premises-list")
    assert client.get(url, {"district": "podgórz"}).context["paginator"].count == 1
    assert client.get(url, {"area_min": 100}).context["paginator"].count == 1
    assert client.get(url, {"floor": "basement"}).context["paginator"].count == 1
    assert client.get(url, {"step_free": "on"}).context["paginator"].count == 1
    page = client.get(url, {"area_min": 100, "area_max": 10})
    assert "area_max" in page.context["filter"].form.errors


def test_premises_not_for_lease_and_draft_calls_are_the_same_404_for_others(
    client, premises, official
):
    services.premises_change_status(
        premises=premises, status=Premises.Status.NOT_FOR_LEASE, actor=official, note="remont"
    )
    assert client.get(premises.get_absolute_url()).status_code == 404
    now = timezone.now()
    PremisesFactory(unit=premises.unit)
    draft = PremisesCall.objects.create(
        municipality=premises.municipality,
        title="Szkic",
        purpose="x",
        documents_required="x",
        opens_at=now,
        closes_at=now + timedelta(days=2),
        created_by=official,
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(official)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(premises.get_absolute_url()).status_code == 200


# --- officials' pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_municipality_officials_manage_premises(role, as_role, client, premises):
    as_role(role)
    for name in ("premises-update", "premises-status", "premises-photos", "lease-create"):
        response = client.get(reverse(f"premises:{name}", args=[premises.pk]))
        assert outcome(response) == expected(role, OFFICIALS, denied=404), name


@pytest.mark.parametrize("role", ROLES)
def test_only_officials_add_premises_and_calls(role, as_role, client, premises):
    as_role(role)
    for name in ("premises-create", "call-create", "support-totals", "report-queue"):
        response = client.get(reverse(f"premises:{name}"))
        assert outcome(response) == expected(role, OFFICIALS | {"other_official"}), name


@pytest.mark.parametrize("role", ROLES)
def test_a_lease_is_seen_by_its_tenant_and_its_officials(role, as_role, client, lease):
    as_role(role)
    response = client.get(lease.get_absolute_url())
    assert outcome(response) == expected(role, OFFICIALS | MEMBERS, denied=404)
    response = client.get(reverse("premises:lease-index", args=[lease.pk]))
    assert outcome(response) == expected(
        role, OFFICIALS, denied=404 if role not in MEMBERS else 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_an_application_is_private_to_its_pes_and_the_officials(role, as_role, client, application):
    as_role(role)
    response = client.get(application.get_absolute_url())
    assert outcome(response) == expected(role, OFFICIALS | MEMBERS, denied=404)
    document = application.documents.get()
    response = client.get(
        reverse("premises:application-document", args=[application.pk, document.pk])
    )
    assert outcome(response) == expected(role, OFFICIALS | MEMBERS, denied=404)


@pytest.mark.parametrize("role", ROLES)
def test_verified_pes_members_apply_and_set_alerts(role, as_role, client, open_call):
    as_role(role)
    response = client.get(reverse("premises:application-create", args=[open_call.pk]))
    assert outcome(response) == expected(role, VERIFIED_MEMBERS)
    response = client.get(reverse("premises:alert-list"))
    assert outcome(response) == expected(role, VERIFIED_MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_the_tenant_files_the_report_and_its_officials_decide(role, as_role, client, report):
    as_role(role)
    response = client.get(report.get_absolute_url())
    assert outcome(response) == expected(role, OFFICIALS | MEMBERS, denied=404)
    response = client.post(report.get_absolute_url(), {"accept": "1"})
    if role in OFFICIALS:
        assert response.status_code == 302
    else:
        assert outcome(response) in ("login", 403, 404)


# --- bad input keeps what was typed -------------------------------------------------------------


def test_negative_area_gets_a_message_and_keeps_the_input(client, official, unit):
    client.force_login(official)
    response = client.post(
        reverse("premises:premises-create"),
        {
            "unit": unit.pk,
            "address": "ul. Długa 5",
            "district": "Stare Miasto",
            "floor": "ground",
            "area_m2": "-10",
            "rooms": 2,
            "technical_state": "good",
            "market_rent_m2": "30",
        },
    )
    assert response.status_code == 200
    assert "area_m2" in response.context["form"].errors
    assert "ul. Długa 5" in response.content.decode()
    assert not Premises.objects.exists()


def test_a_call_closing_before_it_opens_gets_a_message(client, official, premises):
    client.force_login(official)
    now = timezone.localtime() + timedelta(days=3)
    response = client.post(
        reverse("premises:call-create"),
        {
            "title": "Nabór X",
            "purpose": "Kawiarnia",
            "documents_required": "Statut",
            "opens_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": now.strftime("%Y-%m-%dT%H:%M"),
            "premises": [premises.pk],
        },
    )
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors
    assert "Nabór X" in response.content.decode()


def test_a_discount_over_100_and_overlapping_lease_get_messages(
    client, official, lease, organisation
):
    client.force_login(official)
    url = reverse("premises:lease-create", args=[lease.premises.pk])
    data = {
        "organisation": organisation.pk,
        "sphere": lease.sphere.pk,
        "activity": "Świetlica",
        "starts_on": "2025-02-01",
        "basic_rent_m2": "30",
        "deposit": "0",
        "discount_percent": "150",
        "override_reason": "Bo tak",
    }
    response = client.post(url, data)
    assert "discount_percent" in response.context["form"].errors
    assert "Świetlica" in response.content.decode()
    data["discount_percent"] = ""
    response = client.post(url, data)
    assert "starts_on" in response.context["form"].errors
    assert Lease.objects.count() == 1


def test_a_fake_pdf_and_a_duplicate_application_get_messages(
    client, pes_owner, open_call, premises, organisation, application
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(pes_owner)
    url = reverse("premises:application-create", args=[open_call.pk])
    data = {
        "organisation": organisation.pk,
        "premises": premises.pk,
        "intended_use": "Kawiarnia społeczna",
        "opening_hours": "10-18",
        "beneficiaries": 10,
        "proposed_rent_m2": "10",
    }
    fake = SimpleUploadedFile("statut.pdf", b"GIF89a", content_type="application/pdf")
    response = client.post(url, {**data, "documents": fake})
    errors = response.context["form"].errors
    assert "documents" in errors or "premises" in errors
    assert "Kawiarnia społeczna" in response.content.decode()


# --- query counts -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_registry_the_results_and_the_totals_run_a_fixed_number_of_queries(
    client, official, unit, policy, organisation, sphere
):
    PremisesFactory.create_batch(3, unit=unit)
    few = _queries(client, reverse("premises:premises-list"))
    for item in PremisesFactory.create_batch(30, unit=unit):
        services.lease_sign(
            premises=item,
            organisation=organisation,
            sphere=sphere,
            activity="x",
            starts_on=date(2024, 1, 1),
            ends_on=None,
            basic_rent_m2=Decimal(20),
            actor=official,
        )
    assert _queries(client, reverse("premises:premises-list")) == few
    assert _queries(client, reverse("premises:results")) <= 8
    client.force_login(official)
    assert _queries(client, reverse("premises:support-totals") + "?by=tenant") <= 10
    assert _queries(client, reverse("premises:lease-list")) <= 10


@pytest.mark.parametrize(
    "query",
    [{"gmina": "a\x00b"}, {"rok": "²"}, {"rok": "99999999999999999999"}, {"gmina": "nie-ma"}],
)
def test_the_results_page_ignores_a_year_or_municipality_it_cannot_read(client, query):
    """A NUL byte (which PostgreSQL refuses in a text parameter), a digit that is not ASCII, a
    year beyond any range: the page shows its default scope instead of failing."""
    response = client.get(reverse("premises:results"), query)
    assert response.status_code == 200
    assert response.context["municipality"] is None


# --- the results' downloads and scope -----------------------------------------------------------


def test_the_results_xlsx_reads_back_with_the_figures_of_the_page(client, report, official):
    from tests.export_files import column, xlsx_rows

    services.report_accept(report=report, actor=official)
    rows = xlsx_rows(client.get(reverse("premises:results-export", args=["xlsx"]), {"rok": 2024}))
    assert rows[0] == (
        "Rok",
        "Adres",
        "Dzielnica",
        "Powierzchnia (m²)",
        "Najemca",
        "Sfera",
        "Miesiące",
        "Pobrany czynsz (zł)",
        "Wartość wsparcia (zł)",
        "Odbiorcy",
    )
    assert len(rows) == 2
    assert column(rows, "Rok") == [2024]
    assert column(rows, "Adres") == [report.lease.premises.address]
    assert column(rows, "Najemca") == [report.lease.organisation.name]
    assert column(rows, "Powierzchnia (m²)") == [50]
    assert column(rows, "Miesiące") == [12]
    # 50 m² at 9 PLN (30 less 70%) for 12 months; (40 - 9) x 50 x 12 of support.
    assert column(rows, "Pobrany czynsz (zł)") == [5400]
    assert column(rows, "Wartość wsparcia (zł)") == [18600]
    assert column(rows, "Odbiorcy") == [400]


def test_the_results_page_reads_a_year_and_a_municipality_it_knows(
    client, lease, municipality, other_municipality
):
    url = reverse("premises:results")
    response = client.get(url, {"rok": "2025", "gmina": municipality.slug})
    assert response.context["year"] == 2025
    assert response.context["municipality"] == municipality
    # A year without data falls back to the latest one.
    response = client.get(url, {"rok": "1990", "gmina": other_municipality.slug})
    assert response.context["year"] == max(response.context["years"])
    assert response.context["municipality"] == other_municipality


def test_the_organisation_page_counts_the_support_given_and_shows_the_years_to_come_apart(
    client, sign_lease, organisation
):
    """A lease's discount is recorded for each year of its term; on the tenant's page only the
    years up to this one count as support received, the later ones are shown as planned."""
    this_year = timezone.localdate().year
    lease = sign_lease(starts_on=date(this_year - 1, 1, 1), ends_on=date(this_year + 2, 1, 1))
    years = {row.year: row.support for row in lease.support_years.all()}
    assert this_year + 1 in years and this_year - 1 in years
    given = sum(value for year, value in years.items() if year <= this_year)
    page = client.get(organisation.get_absolute_url()).content.decode()
    section = page[page.index("premises-section-title") :]
    received = section[: section.index("Planowane")]
    assert f"{given:,.2f}".replace(",", " ").replace(".", ",") in received.replace("\xa0", " ")
    assert f"<li>{this_year + 1}:" in section[section.index("Planowane") :]
    assert f"<li>{this_year + 1}:" not in received
