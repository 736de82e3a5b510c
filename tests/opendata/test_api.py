"""The read-only public API (/api/v1/) over the demo: every endpoint for anonymous and
signed-in clients alike (public data only), its filters, its cursor pages, a fixed number of
queries per page, the limit for anonymous clients, the OpenAPI schema and its documentation
page, and no person of the demo in anything it gives."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Event
from demand.models import DemandNotice
from directory.models import Organisation, OrganisationMembership
from exchange.models import Offer
from premises.models import Premises
from tests.opendata.conftest import demo_people

pytestmark = pytest.mark.django_db

ENDPOINTS = ["organisations", "offers", "notices", "results", "events", "premises"]

# The queries of a page: the rows, and what a row shows from other tables read once per page
# (a notice's CPV codes; a result's CPV codes, awarded answers and their confirmed partners).
QUERIES = {
    "organisations": 1,
    "offers": 1,
    "notices": 2,
    "results": 4,
    "events": 1,
    "premises": 1,
}


def _all(client, name, **params) -> list[dict]:
    """Every row of an endpoint, following the cursor."""
    rows = []
    url = reverse(f"api:{name}")
    params.setdefault("page_size", 200)
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url, params = body["next"], {}
    return rows


def _signed_in_users():
    """A PES owner and a resident (officials and administrators are sent to set up their
    second factor first, as on every page)."""
    return [
        OrganisationMembership.objects.filter(role="owner").first().user,
        get_user_model()
        .objects.filter(
            is_staff=False,
            organisation_memberships__isnull=True,
            official_memberships__isnull=True,
        )
        .first(),
    ]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_endpoint_gives_the_same_public_data_anonymous_or_signed_in(demo_media, client, name):
    anonymous = _all(client, name)
    assert anonymous, f"the demo has {name}"
    assert all(row["url"].startswith("http") for row in anonymous)
    for user in _signed_in_users():
        client.force_login(user)
        assert _all(client, name) == anonymous, user
        client.logout()


def test_the_endpoints_give_only_what_the_public_pages_show(demo_media, client):
    organisations = {row["id"] for row in _all(client, "organisations")}
    verified = set(Organisation.objects.public().values_list("pk", flat=True))
    assert organisations and organisations <= verified
    assert {row["id"] for row in _all(client, "offers")} == set(
        Offer.objects.public().values_list("pk", flat=True)
    )
    premises = {row["id"] for row in _all(client, "premises")}
    assert premises == set(Premises.objects.public().values_list("pk", flat=True))
    assert not Premises.objects.filter(pk__in=premises, status="not_for_lease").exists()
    events = _all(client, "events", when="")
    assert {row["id"] for row in events} == set(
        Event.objects.exclude(status="draft").values_list("pk", flat=True)
    )
    notices = _all(client, "notices")
    found = DemandNotice.objects.in_bulk([row["id"] for row in notices])
    assert notices and {notice.status for notice in found.values()} == {"published"}
    for row in notices:
        notice = found[row["id"]]
        # No price before the award: the estimate only where the buyer made it public.
        if notice.estimated_value_public:
            assert row["estimated_value"] == str(notice.estimated_value)
        else:
            assert row["estimated_value"] is None
        assert "awarded_value" not in row
    results = _all(client, "results")
    awarded = DemandNotice.objects.in_bulk([row["id"] for row in results])
    assert results and {notice.status for notice in awarded.values()} == {"awarded"}
    for row in results:
        assert row["awarded_value"] == str(awarded[row["id"]].awarded_value)
        assert row["suppliers"], "an awarded notice names its suppliers"


def test_no_person_of_the_demo_is_in_the_api(demo_media, client):
    text = json.dumps([_all(client, name, when="") for name in ENDPOINTS], ensure_ascii=False)
    leaked = sorted(person for person in demo_people() if person in text)
    assert leaked == []
    for private in ("contact_name", "contact_email", "contact_phone", "price_net", "email"):
        assert f'"{private}"' not in text


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_page_runs_a_fixed_number_of_queries(demo_media, client, name):
    counts = []
    for size in (1, 5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"api:{name}"), {"page_size": size, "when": ""})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [QUERIES[name]] * 3


def test_the_cursor_pages_give_every_row_once(demo_media, client):
    every = [row["id"] for row in _all(client, "organisations")]
    paged = [row["id"] for row in _all(client, "organisations", page_size=7)]
    assert len(every) > 7
    assert paged == every and len(set(paged)) == len(paged)
    first = client.get(reverse("api:organisations"), {"page_size": 7}).json()
    assert first["previous"] is None and "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert "cursor=" in second["previous"]
    back = client.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]
    # A cursor that was not given out is refused, not a 500.
    assert client.get(reverse("api:organisations"), {"cursor": "zepsuty"}).status_code == 404


def test_the_filters_are_the_public_pages_filters(demo_media, client):
    form = Organisation.objects.public().values_list("legal_form", flat=True).first()
    rows = _all(client, "organisations", legal_form=form)
    assert rows and {row["legal_form"] for row in rows} == {form}
    step_free = _all(client, "premises", step_free="true")
    assert step_free and all(row["step_free_entrance"] for row in step_free)
    assert len(step_free) < len(_all(client, "premises"))
    kind = Event.objects.exclude(status="draft").values_list("kind", flat=True).first()
    events = _all(client, "events", kind=kind, when="")
    assert events and {row["kind"] for row in events} == {kind}
    municipality = Premises.objects.public().values_list("municipality__slug", flat=True).first()
    in_one = _all(client, "premises", municipality=municipality)
    assert in_one and len({row["municipality"]["teryt"] for row in in_one}) == 1


def test_a_bad_filter_is_explained_in_polish(demo_media, client):
    response = client.get(reverse("api:premises"), {"area_min": "dużo"})
    assert response.status_code == 400
    assert response.json() == {"area_min": ["Wpisz liczbę."]}
    response = client.get(reverse("api:organisations"), {"legal_form": "nie-ma"})
    assert response.status_code == 400
    assert "legal_form" in response.json()


def test_an_anonymous_client_is_limited(demo_media, client, settings):
    settings.API_ANONYMOUS_RATE = "3/min"
    url = reverse("api:premises")
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get(url)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    # A signed-in user counts against their own, higher limit.
    client.force_login(_signed_in_users()[0])
    assert client.get(url).status_code == 200


def test_the_root_lists_every_endpoint_the_schema_and_the_docs(demo_media, client):
    body = client.get(reverse("api:root")).json()
    assert set(body) == {*ENDPOINTS, "schema", "docs"}
    for name, url in body.items():
        assert url == f"http://testserver{reverse(f'api:{name}')}"
        assert client.get(url).status_code == 200, name


def test_the_api_is_read_only(demo_media, client):
    url = reverse("api:organisations")
    assert client.post(url, {}, content_type="application/json").status_code in (403, 405)
    client.force_login(_signed_in_users()[1])
    assert client.delete(url).status_code in (403, 405)


def test_the_schema_is_valid_openapi_and_its_page_needs_no_cdn(demo_media, client, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    document = json.loads(schema.content)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {reverse(f"api:{name}") for name in ENDPOINTS} == set(paths)
    parameters = {p["name"] for p in paths[reverse("api:premises")]["get"]["parameters"]}
    assert {"cursor", "page_size", "municipality", "step_free", "area_min"} <= parameters
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200 and reverse("api:schema") in script.content.decode()


def test_the_catalogue_links_the_api_documentation(demo_media, client):
    text = client.get(reverse("opendata:catalogue")).content.decode()
    assert reverse("api:docs") in text and reverse("api:schema") in text
