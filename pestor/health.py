"""The health check a load balancer (or ``docker compose``) polls: ``GET /health/`` answers 200
when this process reaches the database and the cache, 503 otherwise, with a small JSON body
that names what failed (never why: the reason goes to the log).

``pestor.middleware.HealthCheckMiddleware`` answers it before any other middleware, so it
needs no session, no CSRF token, no allowed host and no HTTPS.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

PATH = "/health/"
CACHE_KEY = "pestor:health"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("Health check: the database does not answer.", exc_info=True)
        return False


def cache_answers() -> bool:
    token = uuid.uuid4().hex
    try:
        cache.set(CACHE_KEY, token, timeout=10)
        return cache.get(CACHE_KEY) == token
    except Exception:
        logger.warning("Health check: the cache does not answer.", exc_info=True)
        return False


def response() -> JsonResponse:
    checks = {"database": database_answers(), "cache": cache_answers()}
    healthy = all(checks.values())
    response = JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if answered else "error" for name, answered in checks.items()},
        },
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    # A failing check is an operational state the balancer acts on, not a bug: the warning
    # above says what failed, and Django's request log does not report the 503 as an error.
    response._has_been_logged = True
    return response
