"""The backup's fingerprint: what the portal serves, compared after a restore. (The whole drill,
pg_dump to pg_restore, runs on PostgreSQL in .ci/run's step_restore_drill.)"""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from monitoring.models import Report
from pestor import backup
from pestor.storage import private_storage
from tests.directory.factories import OrganisationFactory
from tests.factories import make_monitoring_member
from tests.monitoring.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(municipality):
    make_monitoring_member(municipality)
    organisation = OrganisationFactory(name="Spółdzielnia Socjalna Kopia")
    report = ReportFactory(programme__municipality=municipality, status=Report.Status.DONE)
    report.file.name = private_storage().save("monitoring/reports/report-1.pdf", _pdf(b"A"))
    report.save()
    return organisation, report


def _pdf(content: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.7 " + content)


def test_the_fingerprint_names_what_the_portal_serves(served):
    organisation, report = served
    found = backup.fingerprint()
    (entry,) = found["parts"]["organisations"]
    assert entry["id"] == organisation.pk and entry["name"] == organisation.name
    (served_report,) = found["parts"]["reports"]
    assert served_report["download"] == 200
    assert served_report["sha256"] == found["files"][f"private/{report.file.name}"]
    assert backup.differences(found, backup.fingerprint()) == []


def test_a_changed_report_file_or_a_missing_organisation_is_a_difference(served):
    organisation, report = served
    before = backup.fingerprint()
    Path(private_storage().path(report.file.name)).write_bytes(b"%PDF-1.7 B")
    pk = organisation.pk
    organisation.delete()
    problems = backup.differences(before, backup.fingerprint())
    assert f"organisations: {pk} is missing" in problems
    assert any(problem.startswith(f"reports: {report.pk} differs") for problem in problems)
    assert f"file private/{report.file.name}: checksum differs or the file is missing" in problems


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's refusal")
def test_the_drill_needs_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("restore_drill")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path):
    for name in ("database.dump", "fingerprint.json", "media.tar.gz", "private.tar.gz"):
        (tmp_path / name).write_text("")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path))
