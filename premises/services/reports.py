"""The tenants' annual reports: filed for each lease and year by the date the municipality
sets, accepted or returned with a reason by its officials, with reminders before and after."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pestor import audit
from pestor.images import PHOTO_FORMATS, reencode
from pestor.notifications import absolute_url, notify

from ..models import AnnualReport, AnnualReportPhoto, Lease
from ..permissions import can_decide_report, can_report
from ..validators import validate_photo

REPORT_FIELDS = (
    "activities",
    "beneficiaries",
    "hours_per_week",
    "events",
    "volunteers",
    "in_kind_contribution",
    "narrative",
)
MAX_PHOTOS = 4
# Reminders: this many days before the due date, and once it has passed.
REMIND_BEFORE = 14


def reportable_years(lease: Lease, *, today: date | None = None) -> list[int]:
    """The finished years the lease ran in (a report is due for each)."""
    today = today or timezone.localdate()
    last = today.year - 1
    if lease.ends_on is not None:
        last = min(last, (lease.ends_on - timedelta(days=1)).year)
    return list(range(lease.starts_on.year, last + 1))


@transaction.atomic
def report_submit(*, lease: Lease, year: int, actor, photos=(), **fields) -> AnnualReport:
    """File the report (or file again one that was returned)."""
    if not can_report(actor, lease):
        raise ValidationError(_("Only the tenant's members can report on its premises."))
    if year not in reportable_years(lease):
        raise ValidationError(
            {"year": _("Report on a finished year in which the lease ran.")}, code="report_year"
        )
    report = AnnualReport.objects.select_for_update().filter(lease=lease, year=year).first()
    if report is not None and report.status != AnnualReport.Status.RETURNED:
        raise ValidationError(
            {"year": _("The report for this year has been filed already.")}, code="report_twice"
        )
    before = audit.snapshot(report, REPORT_FIELDS) if report else {}
    report = report or AnnualReport(lease=lease, year=year)
    for name in REPORT_FIELDS:
        if name in fields:
            setattr(report, name, fields[name])
    report.status = AnnualReport.Status.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.full_clean(exclude=["lease"])
    report.save()
    for image, alt_text in photos:
        if report.photos.count() >= MAX_PHOTOS:
            break
        if not (alt_text or "").strip():
            raise ValidationError({"photo_alt": _("Describe what the photo shows.")})
        try:
            validate_photo(image)
            stored = reencode(image, max_side=1600, formats=PHOTO_FORMATS)
        except ValidationError as error:
            raise ValidationError({"photo": error.error_list}) from None
        photo = AnnualReportPhoto(report=report, alt_text=alt_text.strip())
        photo.image = stored
        photo.save()
    audit.record(
        actor=actor,
        action="premises_report.submitted",
        target=report,
        before=before,
        after=audit.snapshot(report, REPORT_FIELDS),
    )
    return report


@transaction.atomic
def report_accept(*, report: AnnualReport, actor) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not can_decide_report(actor, report):
        raise ValidationError(_("This report cannot be accepted now."))
    report.status = AnnualReport.Status.ACCEPTED
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.return_reason = ""
    report.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    audit.record(actor=actor, action="premises_report.accepted", target=report)
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, actor, reason: str) -> AnnualReport:
    from ..selectors import member_emails

    report = AnnualReport.objects.select_for_update().select_related("lease").get(pk=report.pk)
    if not can_decide_report(actor, report):
        raise ValidationError(_("This report cannot be returned now."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what to correct.")}, code="reason_required")
    report.status = AnnualReport.Status.RETURNED
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.return_reason = reason.strip()
    report.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    audit.record(
        actor=actor, action="premises_report.returned", target=report, comment=report.return_reason
    )
    notify(
        template="premises/report_returned",
        key=f"premises/report_returned:{report.pk}:{report.decided_at:%Y%m%d%H%M%S}",
        recipients=member_emails([report.lease.organisation_id]),
        context={"report": report, "url": absolute_url(report.get_absolute_url())},
    )
    return report


def reminders_send(*, today: date | None = None) -> int:
    """Remind the tenants whose report on last year is due in two weeks or overdue (each
    reminder once: the key names the lease, the year and which reminder)."""
    from ..selectors import due_reports, member_emails

    today = today or timezone.localdate()
    sent = 0
    for item in due_reports(today=today, within_days=REMIND_BEFORE):
        which = "overdue" if item["due"] < today else "soon"
        notify(
            template=f"premises/report_{which}",
            key=f"premises/report_{which}:{item['lease'].pk}:{item['year']}",
            recipients=member_emails([item["lease"].organisation_id]),
            context={
                "lease": item["lease"],
                "year": item["year"],
                "due": item["due"],
                "url": absolute_url(item["lease"].get_absolute_url()),
            },
        )
        sent += 1
    return sent
