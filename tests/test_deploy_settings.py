"""The production configuration, checked the way a deployment starts it.

Each test runs manage.py in a fresh process with a production environment, because the settings
module reads the environment once, at import time.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# 64 characters, many distinct ones, no "django-insecure-" prefix: what Django's check wants.
PRODUCTION_SECRET_KEY = "pP7-vQ2xZr9LmW4kT8sYb3NfH6jD1cGa5eUo0iKq_RtEwXyA2nB7mV4zC9lS3dFh"

# Only what a process needs to start; everything the settings read is given explicitly.
PASSED_THROUGH = {"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "SYSTEMROOT", "PYTHONPATH"}


def production_env(**overrides):
    env = {key: value for key, value in os.environ.items() if key in PASSED_THROUGH}
    env.update(
        DJANGO_SETTINGS_MODULE="pestor.settings",
        DEBUG="false",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="pestor.example.pl",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_secret_key_is_long_and_varied():
    assert len(PRODUCTION_SECRET_KEY) == 64
    assert len(set(PRODUCTION_SECRET_KEY)) >= 5


def test_check_deploy_passes_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output
    assert "?:" not in output  # how Django prefixes a finding that is not tied to an object


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", env=production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_rejects_the_development_secret_key():
    from pestor.settings import DEVELOPMENT_SECRET_KEY

    result = manage("check", env=production_env(SECRET_KEY=DEVELOPMENT_SECRET_KEY))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("debug", ["false", "0", "False"])
def test_debug_off_spellings_all_enforce_the_secret_key(debug):
    result = manage("check", env=production_env(DEBUG=debug, SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_collectstatic_builds_the_production_manifest(tmp_path):
    """What the Docker image does at build: every file a stylesheet or script refers to (the
    vendored Leaflet images and source map, for one) must exist, or the hashed storage fails."""
    static_root = tmp_path / "staticfiles"
    result = manage(
        "collectstatic",
        "--noinput",
        env=production_env(STATIC_ROOT=str(static_root)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (static_root / "staticfiles.json").is_file()
    assert list((static_root / "vendor" / "htmx").glob("htmx.min.*.js"))
    assert list((static_root / "vendor" / "leaflet").glob("leaflet.*.css"))


def settings_value(expression, env):
    """``expression`` evaluated against the settings a fresh process loads from ``env``."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({expression})",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_when_the_environment_does_not_set_it():
    result = settings_value(
        "settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND']",
        env=production_env(DEBUG=None),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_without_debug_or_secret_key_the_settings_refuse_to_load():
    result = settings_value("settings.DEBUG", env=production_env(DEBUG=None, SECRET_KEY=None))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_the_map_tile_server_is_allowed_to_serve_images():
    result = settings_value(
        "' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])",
        env=production_env(MAP_TILE_URL="https://{s}.tiles.torun.pl:8443/osm/{z}/{x}/{y}.png"),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["'self'", "data:", "https://*.tiles.torun.pl:8443"]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "0 None"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "1 None"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "0 X-Real-IP"),
    ],
)
def test_the_trusted_proxies_come_from_the_environment(environment, expected):
    """How allauth finds the client's address for its rate limits: X-Forwarded-For is trusted
    only as far as TRUSTED_PROXY_COUNT says (none by default)."""
    result = manage(
        "shell",
        "-c",
        "from allauth import app_settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.TRUSTED_CLIENT_IP_HEADER)",
        env=production_env(**environment),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
