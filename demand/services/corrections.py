"""The buyer corrects a published notice: every change is recorded and shown on the notice,
the PES that answered or were matched are told, and a material change leaves them time."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pestor import audit
from pestor.notifications import absolute_url, notify

from ..models import DemandNotice, NoticeCorrection
from ._common import apply_notice_fields, lock_notice, member_emails, set_cpv_codes

# Changes of what is bought: they need a deadline at least this many days ahead.
MATERIAL_FIELDS = ("title", "description", "cpv_codes", "quantity", "unit")
MATERIAL_CHANGE_MIN_DAYS = 3
CORRECTED_FIELDS = (
    "title",
    "description",
    "cpv_codes",
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


def informed_organisation_ids(notice: DemandNotice) -> set[int]:
    """The PES that answered (with their partners) or were matched."""
    ids = set(notice.matches.values_list("organisation_id", flat=True))
    ids |= set(notice.answers.values_list("organisation_id", flat=True))
    ids |= set(notice.answers.values_list("partners__organisation_id", flat=True))
    ids.discard(None)
    return ids


@transaction.atomic
def notice_correct(*, notice: DemandNotice, actor, reason: str, cpv_codes=None, **fields):
    """Corrects a notice that is still open for answers. A change of its subject, CPV codes or
    quantity, or a shorter deadline, is accepted only with a deadline at least three days
    ahead; the PES concerned are e-mailed the changes after the commit."""
    notice = lock_notice(notice)
    if not notice.is_open_for_answers:
        raise ValidationError(
            _("Only a notice still open for answers can be corrected."), code="not_open"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say what is corrected and why; the PES read it.")},
            code="reason_required",
        )
    before = audit.snapshot(notice, CORRECTED_FIELDS)
    old_deadline = notice.answers_deadline
    apply_notice_fields(notice, fields)
    notice.full_clean()
    notice.save()
    if cpv_codes is not None:
        set_cpv_codes(notice, cpv_codes)
    after = audit.snapshot(notice, CORRECTED_FIELDS)
    changes = {
        name: [before[name], after[name]]
        for name in CORRECTED_FIELDS
        if before[name] != after[name]
    }
    if not changes:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    shortened = notice.answers_deadline < old_deadline
    material = shortened or any(name in changes for name in MATERIAL_FIELDS)
    earliest = timezone.now() + timedelta(days=MATERIAL_CHANGE_MIN_DAYS)
    if material and notice.answers_deadline < earliest:
        raise ValidationError(
            {
                "answers_deadline": _(
                    "A change of the subject, the CPV codes or the quantity, or a shorter "
                    "deadline, needs a deadline at least %(days)d days from now: "
                    "%(earliest)s or later."
                )
                % {
                    "days": MATERIAL_CHANGE_MIN_DAYS,
                    "earliest": formats.date_format(
                        timezone.localtime(earliest), "SHORT_DATETIME_FORMAT"
                    ),
                }
            },
            code="deadline_too_close",
        )
    correction = NoticeCorrection.objects.create(
        notice=notice, changes=changes, reason=reason, is_material=material, corrected_by=actor
    )
    audit.record(
        actor=actor,
        action="notice.corrected",
        target=notice,
        before={name: old for name, (old, _new) in changes.items()},
        after={name: new for name, (_old, new) in changes.items()},
        comment=reason,
    )
    notify(
        template="demand/notice_corrected",
        key=f"demand/notice_corrected:{correction.pk}",
        recipients=member_emails(informed_organisation_ids(notice)),
        context={
            "notice": notice,
            "correction": correction,
            "url": absolute_url(notice.get_absolute_url()),
        },
    )
    return correction
