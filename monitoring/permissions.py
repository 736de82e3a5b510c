"""Who may do what in the monitoring of the cooperation programme. The programme's team (a
seat on the municipality's monitoring team) keeps the programme and its reports;
administrators may do everything; residents see the public dashboard only."""

from pestor import roles
from pestor.permissions import rule

from .models import CooperationProgramme, Report


def on_team(user, municipality) -> bool:
    return roles.is_monitoring_member(user, municipality) or roles.is_administrator(user)


@rule("monitoring.use_team_pages")
def can_use_team_pages(user, obj=None):
    return roles.is_monitoring_member(user) or roles.is_administrator(user)


@rule("monitoring.create_programme")
def can_create_programme(user, municipality=None):
    if municipality is None:
        return can_use_team_pages(user)
    return on_team(user, municipality)


@rule("monitoring.manage_programme")
def can_manage_programme(user, programme: CooperationProgramme):
    """Edit the programme, its goals, actions and indicators, and enter measurements."""
    return on_team(user, programme.municipality_id)


@rule("monitoring.refresh_snapshots")
def can_refresh_snapshots(user, programme: CooperationProgramme):
    """Compute the portal's indicators of the programme's municipality now ("compute now")."""
    return on_team(user, programme.municipality_id)


@rule("monitoring.order_report")
def can_order_report(user, programme: CooperationProgramme):
    return on_team(user, programme.municipality_id)


@rule("monitoring.view_report")
def can_view_report(user, report: Report):
    return on_team(user, report.programme.municipality_id)


@rule("monitoring.download_report")
def can_download_report(user, report: Report):
    """The team downloads its finished reports; anyone a published one."""
    return (
        report.status == Report.Status.DONE
        and bool(report.file)
        and (report.is_published or can_view_report(user, report))
    )


@rule("monitoring.rerun_report")
def can_rerun_report(user, report: Report):
    """Retry a failed or interrupted report, or rebuild a finished one (after the team added
    comments) that is not published; never one that is queued or being prepared."""
    return report.is_retryable and not report.is_published and can_view_report(user, report)


@rule("monitoring.publish_report")
def can_publish_report(user, report: Report):
    return (
        report.status == Report.Status.DONE
        and bool(report.file)
        and not report.is_published
        and can_view_report(user, report)
    )


@rule("monitoring.unpublish_report")
def can_unpublish_report(user, report: Report):
    return report.is_published and can_view_report(user, report)


@rule("monitoring.comment_report")
def can_comment_report(user, report: Report):
    return can_view_report(user, report)
