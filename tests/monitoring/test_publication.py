"""A finished report made public (art. 5a ust. 3): listed on the municipality's page and
downloadable by anyone, withdrawn again, always in the event log."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import services
from monitoring.models import Report
from monitoring.reports import write_report_file
from pestor.models import AuditEvent
from tests.monitoring.factories import ReportFactory
from tests.roles import ROLES as BASE_ROLES
from tests.roles import outcome

pytestmark = pytest.mark.django_db

ROLES = [*BASE_ROLES, "other_monitoring_member"]
# Reports are visible to their team only: the others get the same 404 as for a missing one.
TEAM_ACTS = dict.fromkeys(ROLES, 404) | {
    "resident": "login",
    "monitoring_member": 302,
    "admin_user": 302,
}


def public_url(report):
    return reverse(
        "monitoring:published-report-download",
        args=[report.programme.municipality.slug, report.pk],
    )


def test_publishing_lists_the_report_publicly_and_logs_it(client, done_report, monitoring_member):
    services.report_publish(report=done_report, actor=monitoring_member)
    done_report.refresh_from_db()
    assert done_report.is_published and done_report.published_by == monitoring_member
    page = client.get(reverse("monitoring:dashboard", args=["torun"]))
    assert list(page.context["published_reports"]) == [done_report]
    assert public_url(done_report) in page.content.decode()
    response = client.get(public_url(done_report))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.for_object(done_report).get(action="report.published")
    assert event.actor == monitoring_member


def test_unpublishing_takes_it_off_the_public_page(client, done_report, monitoring_member):
    services.report_publish(report=done_report, actor=monitoring_member)
    services.report_unpublish(report=done_report, actor=monitoring_member)
    done_report.refresh_from_db()
    assert not done_report.is_published
    assert client.get(public_url(done_report)).status_code == 404
    page = client.get(reverse("monitoring:dashboard", args=["torun"]))
    assert not page.context["published_reports"]
    assert "report.unpublished" in AuditEvent.objects.for_object(done_report).values_list(
        "action", flat=True
    )


def test_an_unfinished_report_cannot_be_published(programme, monitoring_member):
    report = ReportFactory(programme=programme, status=Report.Status.QUEUED)
    with pytest.raises(ValidationError):
        services.report_publish(report=report, actor=monitoring_member)
    report.refresh_from_db()
    assert not report.is_published


def test_a_published_report_is_not_rebuilt_until_withdrawn(done_report, monitoring_member):
    services.report_publish(report=done_report, actor=monitoring_member)
    with pytest.raises(ValidationError):
        services.report_rerun(report=done_report, actor=monitoring_member)
    done_report.refresh_from_db()
    assert done_report.status == Report.Status.DONE


def test_an_unpublished_report_is_not_public(client, done_report):
    assert client.get(public_url(done_report)).status_code == 404


def test_the_public_address_needs_the_reports_own_municipality(
    client, done_report, monitoring_member, other_municipality
):
    services.report_publish(report=done_report, actor=monitoring_member)
    url = reverse(
        "monitoring:published-report-download", args=[other_municipality.slug, done_report.pk]
    )
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("role", "expected"), TEAM_ACTS.items())
def test_only_the_team_publishes(role, expected, as_role, client, done_report):
    as_role(role)
    response = client.post(reverse("monitoring:report-publish", args=[done_report.pk]))
    assert outcome(response) == expected
    done_report.refresh_from_db()
    assert done_report.is_published == (expected == 302)


@pytest.mark.parametrize(("role", "expected"), TEAM_ACTS.items())
def test_only_the_team_unpublishes(role, expected, as_role, client, done_report, monitoring_member):
    services.report_publish(report=done_report, actor=monitoring_member)
    as_role(role)
    response = client.post(reverse("monitoring:report-unpublish", args=[done_report.pk]))
    assert outcome(response) == expected
    done_report.refresh_from_db()
    assert done_report.is_published == (expected != 302)


@pytest.mark.parametrize("role", ROLES)
def test_anyone_downloads_a_published_report(role, as_role, client, done_report, monitoring_member):
    services.report_publish(report=done_report, actor=monitoring_member)
    as_role(role)
    assert client.get(public_url(done_report)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_nobody_downloads_an_unpublished_report_at_the_public_address(
    role, as_role, client, done_report
):
    as_role(role)
    assert client.get(public_url(done_report)).status_code == 404


def test_the_team_sees_publish_and_then_withdraw(client, monitoring_member, done_report):
    client.force_login(monitoring_member)
    page = client.get(done_report.get_absolute_url()).content.decode()
    assert reverse("monitoring:report-publish", args=[done_report.pk]) in page
    client.post(reverse("monitoring:report-publish", args=[done_report.pk]))
    page = client.get(done_report.get_absolute_url()).content.decode()
    assert reverse("monitoring:report-unpublish", args=[done_report.pk]) in page
    assert reverse("monitoring:report-rerun", args=[done_report.pk]) not in page


def test_the_dashboard_runs_a_fixed_number_of_queries_with_published_reports(
    client, programme, monitoring_member
):
    def publish_one():
        report = ReportFactory(
            programme=programme, requested_by=monitoring_member, kind=Report.Kind.PROGRESS
        )
        report.file.name = write_report_file(report, b"%PDF-1.4\n")
        report.status = Report.Status.DONE
        report.save()
        services.report_publish(report=report, actor=monitoring_member)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("monitoring:dashboard", args=["torun"])).status_code == 200
        return len(captured)

    publish_one()
    with_one = queries()
    for _ in range(3):
        publish_one()
    assert queries() == with_one
