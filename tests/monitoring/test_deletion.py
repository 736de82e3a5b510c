"""A deleted team member's measurements, remarks and ordered reports stay in the monitoring
record; they read "deleted account", and a goal or indicator with such records stays."""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from monitoring import services
from monitoring.models import Measurement, ReportComment
from tests.factories import make_monitoring_member

pytestmark = pytest.mark.django_db


def test_a_deleted_members_measurement_remark_and_report_stay_under_deleted_account(
    client, admin_user, municipality, programme, done_report, monitoring_member
):
    measurement = Measurement.objects.get(indicator__programme=programme)
    measurement.entered_by = monitoring_member
    measurement.save()
    services.report_comment_add(
        report=done_report, author=monitoring_member, body="Cel osiągnięty w 40%."
    )
    name = monitoring_member.get_full_name()
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:pestor_user_delete", args=[monitoring_member.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Measurement.objects.filter(pk=measurement.pk, value=Decimal(20)).exists()
    assert ReportComment.objects.filter(report=done_report).count() == 1
    done_report.refresh_from_db()
    assert done_report.requested_by_id == monitoring_member.pk
    client = Client()  # a new browser: not one holding the admin's messages
    client.force_login(make_monitoring_member(municipality))
    measurements = client.get(
        reverse(
            "monitoring:measurement-list",
            kwargs={"pk": programme.pk, "indicator_pk": measurement.indicator_id},
        )
    ).content.decode()
    report = client.get(done_report.get_absolute_url()).content.decode()
    for page in (measurements, report):
        assert "konto usunięte" in page
        assert name not in page
    assert "automatycznie" not in report


def test_an_indicator_with_measurements_and_a_goal_with_remarks_are_not_deleted(
    programme, done_report, monitoring_member
):
    measurement = Measurement.objects.get(indicator__programme=programme)
    goal = measurement.indicator.goal
    services.report_comment_add(
        report=done_report, author=monitoring_member, body="Uwaga.", goal=goal
    )

    with pytest.raises(ProtectedError):
        measurement.indicator.delete()
    with pytest.raises(ProtectedError):
        goal.delete()
