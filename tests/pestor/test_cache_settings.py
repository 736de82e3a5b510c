"""The cache the settings build from CACHE_URL (read at start-up, so checked in fresh
processes like tests/test_deploy_settings.py)."""

import json
import subprocess
import sys

from tests.test_deploy_settings import BASE_DIR, production_env

SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'cache': settings.CACHES['default'], 'sessions': settings.SESSION_ENGINE}))"
)


def configured(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW],
        cwd=BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_redis_is_djangos_own_backend_with_timeouts_and_sessions_read_through_it():
    settings = configured(CACHE_URL="redis://127.0.0.1:6379/1")
    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["cache"]["OPTIONS"] == {"socket_connect_timeout": 1.0, "socket_timeout": 2.0}
    assert settings["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_the_memory_cache_of_each_process_keeps_sessions_in_the_database():
    """A session ended in one process must not live on in another's memory."""
    settings = configured(CACHE_URL=None)
    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["sessions"] == "django.contrib.sessions.backends.db"
