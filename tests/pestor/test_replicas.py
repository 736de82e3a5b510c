"""Read replicas (pestor.replicas): anonymous GET requests read a replica, everything else the
primary. On PostgreSQL, with a second connection to the test database standing for the replica
(the ``replica`` alias of tests/settings.py, a test mirror of ``default``): each query is caught
on the connection that served it. The tests commit their rows (``transaction=True``), as a
replica only sees what the primary committed."""

import json
import subprocess
import sys

import pytest
from django.db import connection, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organisation
from pestor import replicas
from pestor.models import Municipality
from tests.directory.factories import OrganisationFactory
from tests.test_deploy_settings import BASE_DIR, production_env

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a replica of PostgreSQL"
)
pytestmark = [
    postgresql_only,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICAS = ["replica"]


class Served:
    """The queries each alias served while the block ran."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc_info):
        self.replica.__exit__(*exc_info)
        self.primary.__exit__(*exc_info)

    def tables(self, alias) -> str:
        captured = self.primary if alias == "default" else self.replica
        return " ".join(query["sql"] for query in captured.captured_queries)


def test_an_anonymous_list_reads_the_replica(replica, client, municipality):
    OrganisationFactory(name="Fundacja Z Repliki", seat_municipality=municipality)
    with Served() as served:
        response = client.get(reverse("directory:organisation-list"))
    assert response.status_code == 200
    assert "Fundacja Z Repliki" in response.content.decode()
    assert "directory_organisation" in served.tables("replica")
    assert len(served.primary) == 0


def test_a_streamed_export_reads_the_replica_while_it_is_sent(replica, client, municipality):
    OrganisationFactory(name="Fundacja Eksportowa", seat_municipality=municipality)
    with Served() as served:
        response = client.get(reverse("directory:organisation-export", args=["csv"]))
        content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Fundacja Eksportowa" in content
    assert "directory_organisation" in served.tables("replica")
    assert len(served.primary) == 0


def test_a_signed_in_page_reads_the_primary(replica, client, pes_owner, organisation):
    client.force_login(pes_owner)
    with Served() as served:
        response = client.get(reverse("directory:organisation-list"))
    assert response.status_code == 200
    assert "directory_organisation" in served.tables("default")
    assert "django_session" in served.tables("default")
    assert len(served.replica) == 0


def test_a_post_reads_and_writes_the_primary(replica, client, pes_owner):
    with Served() as served:
        response = client.post(
            reverse("account_login"), {"login": pes_owner.email, "password": "wrong"}
        )
    assert response.status_code == 200
    assert "pestor_user" in served.tables("default")
    assert len(served.replica) == 0


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replica, municipality):
    token = replicas._replica_reads.set(True)
    try:
        with Served() as served:
            assert Municipality.objects.filter(pk=municipality.pk).exists()
            reads_before = len(served.replica)
            Municipality.objects.filter(pk=municipality.pk).update(name="Toruń-Podgórz")
            assert Municipality.objects.get(pk=municipality.pk).name == "Toruń-Podgórz"
    finally:
        replicas._replica_reads.reset(token)
    assert reads_before == 1
    assert len(served.replica) == 1
    assert "UPDATE" in served.tables("default") and "SELECT" in served.tables("default")


def test_reads_in_a_transaction_go_to_the_primary(replica, municipality):
    token = replicas._replica_reads.set(True)
    try:
        with Served() as served, transaction.atomic():
            assert Municipality.objects.filter(pk=municipality.pk).exists()
    finally:
        replicas._replica_reads.reset(token)
    assert len(served.replica) == 0 and "pestor_municipality" in served.tables("default")


def test_outside_a_request_everything_reads_the_primary(replica, municipality):
    """Celery tasks and management commands: no request marks them."""
    with Served() as served:
        assert Organisation.objects.count() == 0
    assert len(served.replica) == 0 and len(served.primary) == 1


def test_without_replicas_an_anonymous_page_reads_the_primary(client, municipality):
    with Served() as served:
        assert client.get(reverse("directory:organisation-list")).status_code == 200
    assert len(served.replica) == 0 and len(served.primary) > 0


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate("replica", "directory") is False
    assert router.allow_migrate("default", "directory") is not False


def test_the_replicas_come_from_the_environment():
    """DATABASE_REPLICA_URLS: one alias per address, a test mirror of the primary."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.DATABASE_REPLICAS, "
            "[[s.DATABASES[a]['HOST'], s.DATABASES[a]['NAME'], s.DATABASES[a]['TEST']['MIRROR']] "
            "for a in s.DATABASE_REPLICAS], s.DATABASE_ROUTERS]))",
        ],
        cwd=BASE_DIR,
        env=production_env(
            DATABASE_URL="postgres://pestor@primary:5432/pestor",
            DATABASE_REPLICA_URLS=(
                "postgres://pestor@replica-a:5432/pestor,postgres://pestor@replica-b:5432/pestor"
            ),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    aliases, databases, routers = json.loads(result.stdout)
    assert aliases == ["replica_1", "replica_2"]
    assert databases == [
        ["replica-a", "pestor", "default"],
        ["replica-b", "pestor", "default"],
    ]
    assert routers == ["pestor.replicas.ReplicaRouter"]
