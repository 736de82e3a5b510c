"""The directory at national scale (issue 8): query counts that do not grow with the rows, the
search and filters on their indexes on PostgreSQL, capped counts, deep pages, and the map's
GeoJSON endpoint."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory import selectors
from directory.models import LegalForm, Organisation, PublicBenefitSphere
from pestor.pagination import CappedPaginator
from tests.directory.factories import OrganisationFactory
from tests.factories import MunicipalityFactory
from tests.plans import analyze_tables_of, analyzed_plan

pytestmark = pytest.mark.django_db

LIST = reverse("directory:organisation-list")
MAP = reverse("directory:organisation-map")
GEOJSON = reverse("directory:organisation-geojson")
TORUN_BBOX = "18.45,52.95,18.75,53.10"


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(captured), response


@pytest.fixture
def forty(municipality):
    """40 verified organisations in Toruń, each in three spheres, placed in the city; a few
    social enterprises and public benefit organisations among them."""
    spheres = list(PublicBenefitSphere.objects.order_by("position")[:3])
    made = []
    for number in range(40):
        made.append(
            OrganisationFactory(
                name=f"Fundacja Łódzka {number:02d}",
                seat_municipality=municipality,
                legal_form=LegalForm.FOUNDATION,
                latitude=f"53.0{number % 10}",
                longitude=f"18.6{number % 7}",
                spheres=spheres,
                is_public_benefit=number % 2 == 0,
                is_social_enterprise=number % 4 == 0,
                social_enterprise_since="2020-01-01" if number % 4 == 0 else None,
            )
        )
    return made


LIST_CASES = {
    "list": {},
    "page 2": {"page": "2"},
    "last page": {"page": "last"},
    "page beyond the last": {"page": "1000"},
    "search": {"q": "lodzka fundacja"},
    "legal form": {"legal_form": "foundation"},
    "municipality by slug": {"municipality": "torun"},
    "municipality by name": {"municipality": "Torun"},
    "flags": {"social_enterprise": "on", "public_benefit": "on"},
}


@pytest.mark.parametrize("params", LIST_CASES.values(), ids=LIST_CASES.keys())
def test_the_list_runs_few_queries_however_many_organisations(client, forty, params):
    sphere = PublicBenefitSphere.objects.order_by("position").first()
    count, response = _queries(client, LIST, params)
    # The count, the page's keys, its rows, their spheres, the spheres of the filter form; one
    # more for a municipality named in the filter; PostgreSQL asks the planner's estimate first.
    assert count <= 7
    assert response.context["organisations"]
    for organisation in response.context["organisations"]:
        assert "search_text" in organisation.get_deferred_fields()
    count_sphere, _response = _queries(client, LIST, {**params, "sphere": sphere.pk})
    assert count_sphere <= count + 1


def test_a_page_past_the_last_shows_the_last_page(client, forty):
    response = client.get(LIST, {"page": "1000"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert client.get(LIST, {"page": "last"}).context["page_obj"].number == 2


def test_a_capped_list_says_more_than_the_cap(client, forty, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 30)
    response = client.get(LIST)
    content = response.content.decode()
    assert response.context["paginator"].capped
    assert "Znaleziono ponad 30 organizacji" in content
    # Paged through the cap only: the last page is the 30th organisation's.
    assert response.context["paginator"].num_pages == 2
    last = client.get(LIST, {"page": "last"})
    assert len(last.context["organisations"]) == 10


def test_a_word_search_pages_through_fewer_results_than_the_list(client, forty, monkeypatch):
    """A word is checked against every candidate row (a trigram index only narrows
    ``LIKE '%word%'``): a search counts SEARCH_RESULT_CAP hits, the list the full cap."""
    monkeypatch.setattr("pestor.pagination.SEARCH_RESULT_CAP", 30)
    searched = client.get(LIST, {"q": "fundacja"})
    assert searched.context["paginator"].capped
    assert "Znaleziono ponad 30 organizacji" in searched.content.decode()
    assert not client.get(LIST).context["paginator"].capped


def test_a_big_count_shows_with_polish_thousands(client, forty, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 10_000)
    monkeypatch.setattr(CappedPaginator, "_capped_count", property(lambda self: (10_000, True)))
    content = client.get(LIST).content.decode()
    assert "Znaleziono ponad 10\xa0000 organizacji" in content


def test_search_finds_lodz_by_lodz_on_this_database(client, municipality):
    OrganisationFactory(name="Stowarzyszenie Łódź Bałuty", seat_municipality=municipality)
    OrganisationFactory(name="Fundacja Kraków", seat_municipality=municipality)
    for query in ("lodz", "ŁÓDŹ", "lodz baluty"):
        names = [o.name for o in client.get(LIST, {"q": query}).context["organisations"]]
        assert names == ["Stowarzyszenie Łódź Bałuty"], query


def test_the_map_table_runs_few_queries(client, forty):
    count, response = _queries(client, MAP, {"legal_form": "foundation"})
    assert count <= 5
    assert len(response.context["organisations"]) == 40
    names = {o.name for o in response.context["organisations"]}
    assert "Fundacja Łódzka 00" in names
    assert "search_text" in response.context["organisations"][0].get_deferred_fields()


def test_the_map_table_is_paginated_and_filtered_without_javascript(client, municipality):
    for number in range(55):
        OrganisationFactory(name=f"Spółdzielnia {number:02d}", seat_municipality=municipality)
    OrganisationFactory(name="Fundacja Inna", seat_municipality=municipality)
    first = client.get(MAP)
    assert len(first.context["organisations"]) == 50
    assert first.context["paginator"].count == 56
    second = client.get(MAP, {"page": "2"})
    assert len(second.context["organisations"]) == 6
    found = client.get(MAP, {"q": "inna"})
    assert [o.name for o in found.context["organisations"]] == ["Fundacja Inna"]
    # The map's script asks for the points with the same filters.
    assert "q=inna" in found.context["geojson_url"]


# --- GeoJSON -----------------------------------------------------------------------------------


def test_geojson_gives_the_points_of_the_box_with_the_filters(client, forty, municipality):
    OrganisationFactory(
        name="Daleko", seat_municipality=municipality, latitude="50.06", longitude="19.94"
    )
    OrganisationFactory(name="Bez położenia", seat_municipality=municipality)
    OrganisationFactory(
        name="Stowarzyszenie W Toruniu",
        seat_municipality=municipality,
        latitude="53.01",
        longitude="18.60",
    )
    count, response = _queries(client, GEOJSON, {"bbox": TORUN_BBOX})
    assert count == 1
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["truncated"] is False
    names = {feature["properties"]["name"] for feature in data["features"]}
    assert len(names) == 41 and "Daleko" not in names and "Bez położenia" not in names
    feature = next(f for f in data["features"] if f["properties"]["name"] == "Fundacja Łódzka 00")
    organisation = Organisation.objects.get(name="Fundacja Łódzka 00")
    assert feature["geometry"] == {"type": "Point", "coordinates": [18.6, 53.0]}
    assert feature["properties"]["url"] == organisation.get_absolute_url()

    filtered = client.get(GEOJSON, {"bbox": TORUN_BBOX, "legal_form": "association"}).json()
    assert [f["properties"]["name"] for f in filtered["features"]] == ["Stowarzyszenie W Toruniu"]
    searched = client.get(GEOJSON, {"bbox": TORUN_BBOX, "q": "w toruniu"}).json()
    assert [f["properties"]["name"] for f in searched["features"]] == ["Stowarzyszenie W Toruniu"]


def test_geojson_leaves_out_hidden_and_unconfirmed_organisations(client, municipality):
    OrganisationFactory(
        name="Czeka", pending=True, seat_municipality=municipality, latitude="53", longitude="18.6"
    )
    unconfirmed = OrganisationFactory(
        name="Niepotwierdzona", seat_municipality=municipality, latitude="53", longitude="18.6"
    )
    Organisation.objects.filter(pk=unconfirmed.pk).update(
        confirmation_requested_at=timezone.now() - timezone.timedelta(days=100)
    )
    data = client.get(GEOJSON, {"bbox": TORUN_BBOX}).json()
    assert data["features"] == []
    shown = client.get(GEOJSON, {"bbox": TORUN_BBOX, "confirmation": "all"}).json()
    assert [f["properties"]["name"] for f in shown["features"]] == ["Niepotwierdzona"]


def test_a_crowded_box_comes_as_counts_per_grid_cell(client, forty, municipality, monkeypatch):
    """More places than one answer carries (the whole country): the database counts them per
    cell of a grid over the box, so the map shows where they are rather than the first rows."""
    monkeypatch.setattr(selectors, "MAP_FEATURES_LIMIT", 25)
    OrganisationFactory(
        name="Daleko", seat_municipality=municipality, latitude="50.06", longitude="19.94"
    )
    count, response = _queries(client, GEOJSON, {"bbox": "14,49,24.2,54.9"})
    data = response.json()
    assert count == 2
    assert data["clustered"] is True and data["truncated"] is True
    cells = sorted(data["features"], key=lambda feature: -feature["properties"]["count"])
    assert [cell["properties"]["count"] for cell in cells] == [40, 1]
    torun, far = cells
    assert torun["properties"]["bounds"] == [18.6, 53.0, 18.66, 53.09]
    longitude, latitude = torun["geometry"]["coordinates"]
    assert 18.6 < longitude < 18.66 and 53.0 < latitude < 53.09
    assert far["geometry"]["coordinates"] == [19.94, 50.06]
    assert far["properties"]["bounds"] == [19.94, 50.06, 19.94, 50.06]
    assert "url" not in torun["properties"]

    # Where the box holds no more than an answer carries, the places come one by one again.
    monkeypatch.setattr(selectors, "MAP_FEATURES_LIMIT", 40)
    torun_only = client.get(GEOJSON, {"bbox": TORUN_BBOX, "legal_form": "foundation"}).json()
    assert torun_only["clustered"] is False and len(torun_only["features"]) == 40
    # The filters hold in the grid too.
    filtered = client.get(GEOJSON, {"bbox": "14,49,24.2,54.9", "q": "daleko"}).json()
    assert filtered["clustered"] is False
    assert [f["properties"]["name"] for f in filtered["features"]] == ["Daleko"]


BAD_BBOXES = {
    "missing": None,
    "empty": "",
    "three numbers": "18,52,19",
    "five numbers": "18,52,19,53,1",
    "text": "a,b,c,d",
    "NaN": "NaN,52,19,53",
    "infinite": "18,52,Infinity,53",
    "overflowing": "1e999999999,52,19,53",
    "longitude out of range": "-200,52,19,53",
    "latitude out of range": "18,-91,19,53",
    "west east of east": "19,52,18,53",
    "south north of north": "18,53,19,52",
    "NUL byte": "18\x00,52,19,53",
    "huge": "9" * 40 + ",52,19,53",
}


@pytest.mark.parametrize("bbox", BAD_BBOXES.values(), ids=BAD_BBOXES.keys())
def test_geojson_answers_a_bad_bbox_with_400_and_a_message(client, bbox):
    params = {} if bbox is None else {"bbox": bbox}
    response = client.get(GEOJSON, params)
    assert response.status_code == 400
    message = response.json()["error"]
    assert "bbox" in message


def test_geojson_answers_a_bad_filter_with_400_and_the_form_errors(client, municipality):
    response = client.get(
        GEOJSON, {"bbox": TORUN_BBOX, "legal_form": "nonsense", "municipality": "Atlantyda"}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"legal_form", "municipality"}
    assert "Nie ma gminy o nazwie „Atlantyda”" in errors["municipality"][0]["message"]


# --- the municipality filter -----------------------------------------------------------------


def test_the_municipality_filter_takes_a_name_and_explains_an_unknown_one(client, forty):
    MunicipalityFactory(name="Toruński Las", slug="torunski-las", teryt="0415052")
    by_name = client.get(LIST, {"municipality": "toruń"})
    assert by_name.context["paginator"].count == 40
    unknown = client.get(LIST, {"municipality": "Toru"})
    content = unknown.content.decode()
    assert "Nie ma gminy o nazwie „Toru”. Czy chodzi o: Toruń (gmina miejska" in content
    assert "Toruński Las (gmina wiejska, woj. kujawsko-pomorskie, TERYT 0415052)" in content


def test_the_filter_form_renders_no_list_of_municipalities(client, forty):
    for number in range(30):
        MunicipalityFactory(name=f"Gmina Testowa {number}")
    content = client.get(LIST).content.decode()
    assert "Gmina Testowa" not in content
    assert 'data-autocomplete="municipality"' in content


# --- PostgreSQL: the indexes the queries use --------------------------------------------------


def _plan(queryset) -> str:
    # With the statistics of this test's rows, whatever an earlier test left (tests.plans).
    return analyzed_plan(queryset)


@pytest.fixture
def thousands(forty, municipality):
    """3 000 more verified organisations of other names, forms and flags and without a position,
    so that the planner meets a table where the indexes' selectivity matters (written in bulk:
    the test is about plans, not about the rows' validation)."""
    forms = [form for form, _label in LegalForm.choices if form != LegalForm.FOUNDATION]
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Stowarzyszenie Masowe {number:04d}",
            slug=f"masowe-{number}",
            legal_form=forms[number % len(forms)],
            nip=f"9{number:09d}",
            regon="123456785",
            street="ul. Długa 1",
            postal_code="87-100",
            city="Chełmno",
            seat_municipality=municipality,
            status=Organisation.Status.VERIFIED,
            search_text=f"stowarzyszenie masowe {number:04d} chelmno",
        )
        for number in range(3000)
    )


@pytest.fixture
def no_seqscan(thousands):
    """A test database holds a few dozen rows, where a sequential scan is rightly the cheapest
    plan whatever the indexes. Disabling it for the transaction (the planner then takes a
    sequential scan only where no index can serve the query) shows whether an index exists that
    serves each query, which is what these tests check; the scale database's EXPLAIN ANALYZE
    figures are in the README."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # A deep page or count on so few rows is cheaper sorted in memory than read in order.
        cursor.execute("SET LOCAL enable_sort = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN plans and pg_trgm are PostgreSQL's"
)

PLAN_CASES = {
    "sort by name": {},
    "search": {"q": "lodzka"},
    "legal form": {"legal_form": "foundation"},
    "social enterprise": {"social_enterprise": "on"},
    "public benefit": {"public_benefit": "on"},
    "everything": {"q": "fundacja", "legal_form": "foundation", "public_benefit": "on"},
}


@postgresql_only
@pytest.mark.parametrize("params", PLAN_CASES.values(), ids=PLAN_CASES.keys())
def test_the_list_queries_use_an_index(no_seqscan, params):
    """The first page, a deep page and the capped count of each filter."""
    keys = selectors.organisation_list(filters=params).qs.values_list("pk", flat=True)
    for plan in (_plan(keys[:20]), _plan(keys[9980:10000]), _plan(keys[:10001])):
        assert "Index" in plan, plan
        assert "Seq Scan on directory_organisation " not in plan, plan


@postgresql_only
def test_the_list_is_read_in_order_from_its_index(no_seqscan):
    keys = selectors.organisation_list(filters={}).qs.values_list("pk", flat=True)
    plan = _plan(keys[:20])
    assert "organisation_public_name" in plan, plan
    assert "Sort" not in plan, plan


@postgresql_only
def test_the_search_uses_the_trigram_index(no_seqscan):
    """``LIKE '%word%'`` on the folded text is what the trigram index serves; no b-tree can."""
    from directory.filters import search_words

    # The search's own condition: on the whole list the planner may as well walk the verified
    # organisations' index and filter them (test_the_list_queries_use_an_index covers that).
    found = search_words(Organisation.objects.all(), "search_text", "lodzka")
    plan = _plan(found.order_by())
    assert "organisation_search_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan


@postgresql_only
def test_the_sphere_and_municipality_filters_use_indexes(no_seqscan):
    sphere = PublicBenefitSphere.objects.order_by("position").first()
    for params in ({"sphere": sphere.pk}, {"municipality": "torun"}):
        keys = selectors.organisation_list(filters=params).qs.values_list("pk", flat=True)
        plan = _plan(keys[:20])
        assert "Seq Scan" not in plan, plan


@postgresql_only
def test_the_map_box_uses_the_position_index(no_seqscan):
    from directory.selectors import BoundingBox

    queryset = selectors.organisation_list(filters={}).qs.filter(
        latitude__isnull=False,
        longitude__isnull=False,
        latitude__gte=52.95,
        latitude__lte=53.1,
        longitude__gte=18.45,
        longitude__lte=18.75,
    )
    plan = _plan(queryset.order_by())
    assert "organisation_public_position" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert BoundingBox(18.45, 52.95, 18.75, 53.1)


@postgresql_only
def test_a_broad_result_is_not_counted(forty, monkeypatch):
    """Where the planner expects many times the cap, the paginator says "more than" without
    counting (the estimate costs a plan, not a scan)."""
    queryset = selectors.organisation_list(filters={}).qs.values_list("pk", flat=True)
    sql, params = queryset.order_by().query.sql_with_params()
    analyze_tables_of(sql, params)
    paginator = CappedPaginator(queryset, 20, cap=5)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == 5 and paginator.capped
    assert len(captured) == 1 and captured[0]["sql"].startswith("EXPLAIN")
    assert json.loads(queryset.order_by().explain(format="json"))[0]["Plan"]["Plan Rows"] > 10


def test_an_empty_queryset_is_paginated(db):
    """Django sends no query for ``none()``; nor does the estimate (PostgreSQL)."""
    paginator = CappedPaginator(Organisation.objects.none(), 20)
    assert paginator.count == 0 and not paginator.capped
    empty = Organisation.objects.filter(pk__in=[]).values_list("pk", flat=True)
    assert CappedPaginator(empty, 20).count == 0
