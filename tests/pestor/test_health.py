"""The load balancer's health check: 200 when the database and the cache answer, 503 when
either does not; no session, no CSRF, no allowed host, no HTTPS redirect, no error in the log."""

import json

import pytest
import redis
from django.test import Client
from django.urls import reverse

from pestor import health

pytestmark = pytest.mark.django_db

# Django's own Redis cache backend, at a port where nothing listens.
BROKEN_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_the_url_is_the_one_the_middleware_answers():
    assert reverse("pestor:health") == health.PATH


def test_healthy_when_the_database_and_the_cache_answer(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get(health.PATH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert not response.cookies


def test_unavailable_when_the_cache_does_not_answer(client, settings, caplog):
    settings.CACHES = BROKEN_REDIS
    response = client.get(health.PATH)
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "cache": "error",
    }
    # Said as a warning with the reason; Django's request log does not add a 503 error.
    assert "the cache does not answer" in caplog.text
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")]


def test_healthy_with_a_redis_cache_that_answers(client, settings):
    location = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=0.5).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get(health.PATH)
    assert response.status_code == 200
    assert json.loads(response.content)["cache"] == "ok"


def test_a_balancer_asks_by_address_over_plain_http_in_production(settings):
    """A balancer checks each instance by its address, not the portal's host name, and over
    plain HTTP: neither the allowed hosts nor the HTTPS redirect stand in its way."""
    settings.ALLOWED_HOSTS = ["pestor.example.pl"]
    settings.SECURE_SSL_REDIRECT = True
    settings.DEBUG = False
    response = Client(HTTP_HOST="10.0.3.17:8000").get(health.PATH)
    assert response.status_code == 200
    # Every other page still refuses an unknown host.
    assert Client(HTTP_HOST="10.0.3.17:8000").get(reverse("pestor:home")).status_code == 400


def test_no_csrf_token_or_session_is_needed(settings):
    client = Client(enforce_csrf_checks=True)
    assert client.get(health.PATH).status_code == 200
    assert client.head(health.PATH).status_code == 200
    assert "sessionid" not in client.cookies
