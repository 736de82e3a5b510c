"""Backup and restore of a PES-TOR installation: the PostgreSQL database (pg_dump's custom
format) and the two folders of files, MEDIA_ROOT (logos and other public uploads) and
PRIVATE_MEDIA_ROOT (attachments and reports).

A backup folder holds ``database.dump``, ``media.tar.gz``, ``private.tar.gz`` and
``fingerprint.json``: what the portal served when the backup was taken (its organisations,
notices and report files, and a checksum of every file). A restore checks the restored portal
against that fingerprint, so "restored" means "serves the same", not "pg_restore exited 0".
"""

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tarfile
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils.module_loading import module_has_submodule

DUMP = "database.dump"
FINGERPRINT = "fingerprint.json"
FOLDERS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    pass


def _require_postgresql():
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups are made of a PostgreSQL database (DATABASE_URL=postgres://...); an SQLite "
            "file is backed up by copying it."
        )


def _pg_arguments(database: dict | None = None) -> tuple[list[str], dict]:
    database = database or connection.settings_dict
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments += [option, str(database[key])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return arguments, env


def database_url(name: str) -> str:
    """The URL of another database on the same server, with the same credentials."""
    database = connection.settings_dict
    credentials = quote(database.get("USER") or "", safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{name}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _folder(name: str) -> Path:
    return Path(getattr(settings, FOLDERS[name]))


# --- the fingerprint: what the portal serves ---------------------------------------------------


def _host() -> str:
    hosts = [host for host in settings.ALLOWED_HOSTS if host not in ("*", "")]
    return hosts[0].lstrip(".") if hosts else "localhost"


class Portal:
    """How an app's ``backup.fingerprint(portal)`` asks what the portal serves, without writing
    anything (no sign-in, no session)."""

    def __init__(self):
        self.client = Client(HTTP_HOST=_host())
        self.factory = RequestFactory(HTTP_HOST=_host())

    def page(self, url: str) -> int:
        """The status an anonymous visitor gets (a draft's 404 is expected: not logged)."""
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.ERROR)
        try:
            return self.client.get(url, secure=True).status_code
        finally:
            request_log.setLevel(level)

    def download(self, url: str, user) -> dict:
        """The status and the checksum of a file as ``user`` downloads it through its view."""
        request = self.factory.get(url, secure=True)
        request.user = user
        match = resolve(url)
        response = match.func(request, *match.args, **match.kwargs)
        entry = {"download": response.status_code}
        if response.status_code == 200:
            content = b"".join(response.streaming_content)
            entry["sha256"] = hashlib.sha256(content).hexdigest()
        return entry


def fingerprint() -> dict:
    """What this portal serves now: each app's part (``<app>/backup.py`` defines
    ``fingerprint(portal) -> {name: [{"id": ..., ...}, ...]}``, as the public pages and the
    downloads show them), and every stored file's checksum. Reads only."""
    portal = Portal()
    parts = {}
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "backup") and app_config.name != "pestor":
            parts.update(import_module(f"{app_config.name}.backup").fingerprint(portal))
    files = {}
    for name in FOLDERS:
        root = _folder(name)
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    files[f"{name}/{path.relative_to(root).as_posix()}"] = _sha256(path)
    return {"parts": parts, "files": files}


def summary(print_: dict) -> str:
    parts = [f"{len(entries)} {name}" for name, entries in sorted(print_["parts"].items())]
    downloads = sum(
        1 for entries in print_["parts"].values() for entry in entries if entry.get("sha256")
    )
    return ", ".join([*parts, f"{downloads} files downloaded", f"{len(print_['files'])} files"])


def differences(expected: dict, found: dict) -> list[str]:
    """Human-readable differences between two fingerprints (empty when the same)."""
    problems = []
    for part in sorted(expected["parts"].keys() | found["parts"].keys()):
        before = {entry["id"]: entry for entry in expected["parts"].get(part, [])}
        after = {entry["id"]: entry for entry in found["parts"].get(part, [])}
        for pk in sorted(before.keys() - after.keys()):
            problems.append(f"{part}: {pk} is missing")
        for pk in sorted(after.keys() - before.keys()):
            problems.append(f"{part}: {pk} was not in the backup")
        for pk in sorted(before.keys() & after.keys()):
            if before[pk] != after[pk]:
                problems.append(f"{part}: {pk} differs: {before[pk]} != {after[pk]}")
    for path in sorted(expected["files"].keys() | found["files"].keys()):
        if expected["files"].get(path) != found["files"].get(path):
            problems.append(f"file {path}: checksum differs or the file is missing")
    return problems


# --- backup and restore ------------------------------------------------------------------------


def backup(destination: Path) -> dict:
    """Dump the database and pack both folders into ``destination`` (created, must be empty)."""
    _require_postgresql()
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty.")
    print_ = fingerprint()
    arguments, env = _pg_arguments()
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={destination / DUMP}",
            *arguments,
            connection.settings_dict["NAME"],
        ],
        env=env,
        check=True,
    )
    for name in FOLDERS:
        root = _folder(name)
        with tarfile.open(destination / f"{name}.tar.gz", "w:gz") as archive:
            if root.exists():
                archive.add(root, arcname=".")
    (destination / FINGERPRINT).write_text(json.dumps(print_, ensure_ascii=False, indent=1))
    return print_


def restore(source: Path) -> dict:
    """Restore a backup into this installation's database and folders, which must be empty, and
    check that the portal now serves what it served when the backup was taken."""
    _require_postgresql()
    for part in (DUMP, FINGERPRINT, *(f"{name}.tar.gz" for name in FOLDERS)):
        if not (source / part).exists():
            raise BackupError(f"{source / part} is missing: not a PES-TOR backup.")
    if connection.introspection.table_names():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty; restore into an "
            "empty one (createdb)."
        )
    for name in FOLDERS:
        root = _folder(name)
        if root.exists() and any(root.iterdir()):
            raise BackupError(f"{root} ({FOLDERS[name]}) is not empty.")
    arguments, env = _pg_arguments()
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            *arguments,
            str(source / DUMP),
        ],
        env=env,
        check=True,
    )
    for name in FOLDERS:
        root = _folder(name)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / f"{name}.tar.gz", "r:gz") as archive:
            archive.extractall(root, filter="data")
    connection.close()  # the tables appeared under this connection's feet
    expected = json.loads((source / FINGERPRINT).read_text())
    found = fingerprint()
    problems = differences(expected, found)
    if problems:
        raise BackupError("The restored portal differs from the backup:\n" + "\n".join(problems))
    return found


def create_empty_database(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
