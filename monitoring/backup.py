"""Monitoring's part of a backup's fingerprint (pestor.backup): every report, and its file as a
member of the municipality's team downloads it."""

from django.urls import reverse


def fingerprint(portal) -> dict:
    from pestor.models import MonitoringTeamMembership

    from .models import Report

    team = {}
    for membership in MonitoringTeamMembership.objects.filter(user__is_active=True).select_related(
        "user"
    ):
        team.setdefault(membership.municipality_id, membership.user)
    reports = []
    for report in Report.objects.select_related("programme").order_by("pk"):
        entry = {"id": report.pk, "status": report.status, "file": report.file.name}
        member = team.get(report.programme.municipality_id)
        if report.file and member:
            url = reverse("monitoring:report-download", kwargs={"pk": report.pk})
            entry |= portal.download(url, member)
        reports.append(entry)
    return {"reports": reports}
