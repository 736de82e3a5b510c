"""What the demand services share: the notice's lock, the deadline checks, the fields a buyer
sets and the members to e-mail."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation, OrganisationMembership

from ..models import (
    DemandNotice,
    NoticeAttachment,
)

MAX_ATTACHMENTS = 5

# What the buyer sets on a notice; status, dates of the lifecycle and the award are the
# services' own.
NOTICE_FIELDS = (
    "title",
    "description",
    "quantity",
    "unit",
    "estimated_value",
    "estimated_value_public",
    "answers_deadline",
    "delivery_from",
    "delivery_to",
    "delivery_place",
    "contact_name",
    "contact_email",
    "contact_phone",
)
# Recorded in the event log when a notice is created or changed.
LOGGED_NOTICE_FIELDS = (*NOTICE_FIELDS, "municipality", "department", "company", "cpv_codes")
ANSWER_FIELDS = ("kind", "price_net", "terms", "message", "employment_confirmed")


def lock_notice(notice: DemandNotice) -> DemandNotice:
    """The notice's row, locked until the end of the transaction (a no-op on SQLite, which
    serialises writers anyway)."""
    return DemandNotice.objects.select_for_update().get(pk=notice.pk)


def ensure_draft(notice: DemandNotice) -> None:
    if notice.status != DemandNotice.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; this notice is already %(status)s.")
            % {"status": notice.get_status_display()},
            code="not_draft",
        )


def ensure_open(notice: DemandNotice, now: datetime | None = None) -> None:
    """Answers and confirmations are accepted only while ``now < answers_deadline``."""
    now = now or timezone.now()
    if notice.status != DemandNotice.Status.PUBLISHED or now >= notice.answers_deadline:
        raise ValidationError(
            _("The deadline for answers to this notice has passed; nothing can be changed now."),
            code="deadline_passed",
        )


def ensure_future_deadline(deadline) -> None:
    if deadline is not None and deadline <= timezone.now():
        raise ValidationError(
            {"answers_deadline": _("The deadline for answers must be in the future.")},
            code="deadline_in_past",
        )


def member_emails(organisation_ids) -> list[str]:
    return list(
        OrganisationMembership.objects.filter(
            organisation_id__in=list(organisation_ids), user__is_active=True
        ).values_list("user__email", flat=True)
    )


def ensure_verified_member(actor, organisation: Organisation, *, field: str) -> None:
    is_member = OrganisationMembership.objects.filter(
        user=actor, organisation=organisation
    ).exists()
    if not is_member or organisation.status != Organisation.Status.VERIFIED:
        raise ValidationError(
            {field: _("You can act only for a verified organisation you are a member of.")},
            code="not_member",
        )


def apply_notice_fields(notice: DemandNotice, fields: dict) -> None:
    unknown = set(fields) - set(NOTICE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable on a notice: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(notice, name, value)


def set_cpv_codes(notice: DemandNotice, cpv_codes) -> None:
    cpv_codes = list(cpv_codes or [])
    if not cpv_codes:
        raise ValidationError(
            {"cpv_codes": _("Choose at least one CPV code that describes what you need.")},
            code="cpv_required",
        )
    notice.cpv_codes.set(cpv_codes)


def add_attachments(notice: DemandNotice, attachments) -> None:
    attachments = list(attachments or [])
    if notice.attachments.count() + len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": _("A notice may have at most %(count)d attachments.")
                % {"count": MAX_ATTACHMENTS}
            },
            code="too_many_attachments",
        )
    for upload in attachments:
        attachment = NoticeAttachment(notice=notice, file=upload, title=upload.name[:200])
        try:
            attachment.full_clean(exclude=["notice"])
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}, code="invalid") from None
        attachment.save()
