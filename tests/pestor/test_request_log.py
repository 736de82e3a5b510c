"""The request log: one line per request, as JSON with LOG_FORMAT=json."""

import copy
import io
import json
import logging
import logging.config
import subprocess
import sys

import pytest
from django.urls import reverse

from pestor import health
from tests.test_deploy_settings import BASE_DIR, production_env

pytestmark = pytest.mark.django_db

KEYS = {"method", "path", "query_params", "status", "duration_ms", "queries", "sql_ms", "user_id"}


@pytest.fixture
def json_log(settings):
    """What the logger "pestor.requests" writes through the JSON formatter of the settings."""
    config = copy.deepcopy(settings.LOGGING)  # the configurator consumes what it reads
    configurator = logging.config.DictConfigurator(config)
    formatter = configurator.configure_formatter(config["formatters"]["json"])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("pestor.requests")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_is_one_json_line_with_its_figures(client, pes_owner, json_log):
    client.force_login(pes_owner)
    url = reverse("pestor:dashboard")
    response = client.get(url, {"q": "Jan Kowalski, PESEL 44051401359", "page": "2"})
    [line] = lines(json_log)
    assert set(line) >= KEYS
    assert line["method"] == "GET"
    assert line["path"] == url
    # The query's values may be personal data: only the parameters' names are logged.
    assert line["query_params"] == ["page", "q"]
    assert "Kowalski" not in json_log.getvalue()
    assert line["status"] == response.status_code == 200
    assert line["user_id"] == pes_owner.pk
    assert line["queries"] >= 3
    assert line["duration_ms"] >= line["sql_ms"] >= 0
    assert line["level"] == "INFO"
    assert line["logger"] == "pestor.requests"


def test_an_anonymous_request_has_no_user(client, json_log):
    client.get(reverse("pestor:privacy"))
    [line] = lines(json_log)
    assert line["user_id"] is None
    assert line["status"] == 200


def test_secrets_in_the_path_are_logged_by_name(client, json_log):
    client.get(reverse("pestor:invitation-accept", args=["a" * 43]))
    [line] = lines(json_log)
    assert line["path"] == reverse("pestor:invitation-accept", args=["a" * 43]).replace(
        "a" * 43, "<token>"
    )
    assert "a" * 43 not in json_log.getvalue()


def test_a_passing_health_check_stays_out_of_the_info_log(client, json_log):
    assert client.get(health.PATH).status_code == 200
    assert lines(json_log) == []


def test_log_format_json_makes_the_process_write_json(tmp_path):
    """The whole path as a deployment runs it: LOG_FORMAT=json read at start-up, and a request
    answered by the health check (logged at DEBUG with LOG_LEVEL=DEBUG)."""
    script = "from django.test import Client; assert Client().get('/health/').status_code == 200"
    env = production_env(
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    [request] = [record for record in records if record.get("logger") == "pestor.requests"]
    assert set(request) >= KEYS
    assert request["path"] == "/health/"
    assert request["status"] == 200
    assert request["level"] == "DEBUG"


def test_an_unknown_log_format_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=production_env(LOG_FORMAT="xml"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr
