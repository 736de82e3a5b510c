"""The security headers every page carries (Content Security Policy, Permissions-Policy) and the
endpoint where browsers report what the policy blocked."""

import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pestor import content_security
from pestor.content_security import tile_source
from tests.roles import ROLES, outcome

REPORT_URL = "/csp-report/"

# What Chromium posts to a report-uri when an inline script is blocked.
CSP_REPORT = {
    "csp-report": {
        "document-uri": "https://pestor.example.pl/organizacje/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'; script-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://pestor.example.pl/organizacje/",
        "status-code": 200,
        "script-sample": "",
    }
}
# The same through the Reporting API (report-to), a list of reports of several types.
REPORTING_API_BODY = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://pestor.example.pl/",
        "body": {
            "documentURL": "https://pestor.example.pl/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example.com/pixel.gif",
            "disposition": "enforce",
        },
    },
    {"type": "deprecation", "body": {"id": "something"}},
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """The report counts per address live in the cache, shared by every test in the process."""
    cache.clear()
    yield
    cache.clear()


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def csp_log(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "pestor.csp"]


def post_report(client, body, content_type="application/csp-report"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(REPORT_URL, data=data, content_type=content_type)


# --- The policy ---------------------------------------------------------------------------------


def test_a_page_carries_a_policy_without_inline_scripts_or_styles(client, db):
    response = client.get(reverse("pestor:home"))

    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_images_may_come_from_the_map_tile_server_and_data_urls(client, db, settings):
    response = client.get(reverse("directory:organisation-map"))

    assert directives(response)["img-src"] == [
        "'self'",
        "data:",
        tile_source(settings.MAP_TILE_URL),
    ]
    assert tile_source(settings.MAP_TILE_URL) == "https://tile.openstreetmap.org"


def test_the_policy_names_the_report_endpoint(client, db):
    response = client.get(reverse("pestor:home"))

    assert directives(response)["report-uri"] == [reverse("pestor:csp-report")]
    assert reverse("pestor:csp-report") == REPORT_URL


def test_the_admin_carries_the_policy(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert directives(response)["script-src"] == ["'self'"]


def test_htmx_is_told_not_to_inject_styles_or_eval(client, db):
    response = client.get(reverse("pestor:home"))

    config = response.content.decode().split('<meta name="htmx-config" content=\'')[1]
    config = json.loads(config.split("'>")[0])
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


def test_a_page_carries_a_permissions_policy(client, db):
    response = client.get(reverse("pestor:home"))

    features = dict(
        feature.strip().split("=") for feature in response["Permissions-Policy"].split(",")
    )
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()", feature


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.torun.pl:8080/osm/{z}/{x}/{y}.png?key=1", "http://tiles.torun.pl:8080"),
        ("/static/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_tile_source_is_the_origin_of_the_tile_url(tile_url, source):
    assert tile_source(tile_url) == source


def test_tile_source_refuses_a_placeholder_deeper_in_the_host():
    with pytest.raises(ValueError, match="MAP_TILE_URL"):
        tile_source("https://tiles.{s}.example.org/{z}/{x}/{y}.png")


# --- The report endpoint ------------------------------------------------------------------------


def test_a_report_is_accepted_and_logged(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="pestor.csp"):
        response = post_report(client, CSP_REPORT)

    assert response.status_code == 204
    [message] = csp_log(caplog)
    assert "directive='script-src-elem'" in message
    assert "blocked='inline'" in message
    assert "document='https://pestor.example.pl/organizacje/'" in message
    assert "line='12'" in message
    assert "client='127.0.0.1'" in message


def test_a_reporting_api_report_is_logged_without_its_other_reports(client, caplog):
    with caplog.at_level(logging.WARNING, logger="pestor.csp"):
        response = post_report(client, REPORTING_API_BODY, "application/reports+json")

    assert response.status_code == 204
    [message] = csp_log(caplog)
    assert "blocked='https://tracker.example.com/pixel.gif'" in message
    assert "directive='img-src'" in message


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe", b"{}", b"[]", b'{"csp-report": "x"}', b"[" * 5000 + b"]" * 5000],
    ids=["text", "bytes", "empty-object", "empty-list", "no-fields", "deeply-nested"],
)
def test_what_is_not_a_report_is_refused_and_not_logged(client, caplog, body):
    with caplog.at_level(logging.WARNING, logger="pestor.csp"):
        response = post_report(client, body)

    assert response.status_code == 400
    assert csp_log(caplog) == []


def test_an_oversized_report_is_refused_unread(client, caplog):
    report = {"csp-report": {**CSP_REPORT["csp-report"], "script-sample": "x" * 20_000}}
    with caplog.at_level(logging.WARNING, logger="pestor.csp"):
        response = post_report(client, report)

    assert response.status_code == 413
    assert csp_log(caplog) == []


def test_a_long_field_is_cut_in_the_log(client, caplog):
    report = {"csp-report": {**CSP_REPORT["csp-report"], "blocked-uri": "data:" + "A" * 5000}}
    with caplog.at_level(logging.WARNING, logger="pestor.csp"):
        post_report(client, report)

    [message] = csp_log(caplog)
    assert "A" * content_security.FIELD_MAX_CHARS not in message
    assert len(message) < 1000


def test_a_flood_of_reports_from_one_address_is_only_partly_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="pestor.csp"):
        statuses = {
            post_report(client, CSP_REPORT).status_code
            for _ in range(content_security.REPORTS_PER_MINUTE + 10)
        }
        other_address = client.post(
            REPORT_URL,
            data=json.dumps(CSP_REPORT),
            content_type="application/csp-report",
            REMOTE_ADDR="192.0.2.7",
        )

    assert statuses == {204}
    assert other_address.status_code == 204
    logged = csp_log(caplog)
    assert len(logged) == content_security.REPORTS_PER_MINUTE + 1
    assert sum("client='192.0.2.7'" in message for message in logged) == 1


def test_the_report_endpoint_takes_only_posts(client):
    assert client.get(REPORT_URL).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_report_a_violation(as_role, client, role):
    as_role(role)

    assert outcome(post_report(client, CSP_REPORT)) == 204
