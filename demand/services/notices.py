"""A notice's lifecycle: draft, social-clause check, publication and matching, deadline,
closing, award and cancellation."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation
from directory.selectors import organisations_qualifying_for_reserved_contract
from exchange import selectors as exchange_selectors
from opendata import changes as opendata_changes
from pestor import audit, roles
from pestor.notifications import absolute_url, notify
from pestor.storage import delete_on_commit

from ..models import (
    DemandNotice,
    NoticeMatch,
    SocialClauseCheck,
    procurement_law_applies,
)
from ._common import (
    LOGGED_NOTICE_FIELDS,
    add_attachments,
    apply_notice_fields,
    ensure_draft,
    ensure_future_deadline,
    lock_notice,
    member_emails,
    set_cpv_codes,
)


@transaction.atomic
def notice_create(
    *,
    actor,
    cpv_codes,
    department=None,
    company=None,
    municipality=None,
    attachments=(),
    **fields,
) -> DemandNotice:
    """A buyer writes a draft: an official for one of their departments (the notice's
    municipality is the department's), a business buyer for their company (in a municipality
    they choose)."""
    notice = DemandNotice(status=DemandNotice.Status.DRAFT, posted_by=actor)
    if (department is None) == (company is None):
        raise ValidationError(
            {"buyer": _("Choose whether the notice is for your department or your company.")},
            code="buyer_required",
        )
    if department is not None:
        if not actor.official_memberships.filter(department=department).exists():
            raise ValidationError(
                {"buyer": _("You can post notices only for your own department.")},
                code="not_your_department",
            )
        notice.department = department
        notice.municipality = department.municipality
    else:
        if company.pk not in roles.buyer_company_ids(actor):
            raise ValidationError(
                {"buyer": _("You can post notices only for your own company.")},
                code="not_your_company",
            )
        if municipality is None:
            raise ValidationError(
                {"municipality": _("Choose the municipality where the need is.")},
                code="municipality_required",
            )
        notice.company = company
        notice.municipality = municipality
    apply_notice_fields(notice, fields)
    ensure_future_deadline(notice.answers_deadline)
    notice.full_clean()
    notice.save()
    set_cpv_codes(notice, cpv_codes)
    add_attachments(notice, attachments)
    audit.record(
        actor=actor,
        action="notice.created",
        target=notice,
        after=audit.snapshot(notice, LOGGED_NOTICE_FIELDS),
    )
    return notice


@transaction.atomic
def notice_update(
    *,
    notice: DemandNotice,
    actor,
    cpv_codes=None,
    municipality=None,
    attachments=(),
    remove_attachments=(),
    **fields,
) -> DemandNotice:
    """The buyer edits a draft. A company's notice may move to another municipality; a
    department's stays in the department's."""
    notice = lock_notice(notice)
    ensure_draft(notice)
    before = audit.snapshot(notice, LOGGED_NOTICE_FIELDS)
    apply_notice_fields(notice, fields)
    if municipality is not None and notice.company_id is not None:
        notice.municipality = municipality
    ensure_future_deadline(notice.answers_deadline)
    notice.full_clean()
    notice.save()
    if cpv_codes is not None:
        set_cpv_codes(notice, cpv_codes)
    for attachment in notice.attachments.filter(pk__in=[a.pk for a in remove_attachments]):
        delete_on_commit(attachment.file)
        attachment.delete()
    add_attachments(notice, attachments)
    after = audit.snapshot(notice, LOGGED_NOTICE_FIELDS)
    if before != after:
        audit.record(
            actor=actor, action="notice.updated", target=notice, before=before, after=after
        )
    return notice


@transaction.atomic
def clause_check_save(
    *,
    notice: DemandNotice,
    actor,
    estimated_value: Decimal,
    is_social_service: bool = False,
    reserved_for_pes: bool = False,
    employment_requirement: bool = False,
    no_clause_reason: str = "",
) -> SocialClauseCheck:
    """Records the social-clause decision of a draft: the value against the threshold of the
    Public Procurement Law, the clauses chosen, or why none applies."""
    notice = lock_notice(notice)
    ensure_draft(notice)
    check = SocialClauseCheck.objects.filter(notice=notice).first() or SocialClauseCheck(
        notice=notice
    )
    before = audit.snapshot(check, SocialClauseCheck.LOGGED_FIELDS) if check.pk is not None else {}
    check.estimated_value = estimated_value
    check.procurement_law_applies = (
        procurement_law_applies(estimated_value) if estimated_value is not None else False
    )
    check.is_social_service = is_social_service
    check.reserved_for_pes = reserved_for_pes
    check.employment_requirement = employment_requirement
    check.no_clause_reason = (no_clause_reason or "").strip()
    check.decided_by = actor
    check.decided_at = timezone.now()
    check.full_clean()
    check.save()
    if notice.estimated_value is None:
        notice.estimated_value = estimated_value
        notice.save(update_fields=["estimated_value", "updated_at"])
    audit.record(
        actor=actor,
        action="notice.clause_checked",
        target=notice,
        before=before,
        after=audit.snapshot(check, SocialClauseCheck.LOGGED_FIELDS),
    )
    return check


@transaction.atomic
def notice_publish(*, notice: DemandNotice, actor) -> DemandNotice:
    """Publishes a draft and matches it, in the same transaction, to the PES whose active
    offers fall under its CPV groups in its municipality; they are told by e-mail in a task
    after the commit. An official's notice needs its social-clause check first."""
    notice = lock_notice(notice)
    ensure_draft(notice)
    if (
        notice.department_id is not None
        and not SocialClauseCheck.objects.filter(notice=notice).exists()
    ):
        raise ValidationError(
            _("Before publishing, complete the social-clause check of this notice."),
            code="clause_check_required",
        )
    if notice.answers_deadline <= timezone.now():
        raise ValidationError(
            {
                "answers_deadline": _(
                    "The deadline for answers has already passed. Set a new one before publishing."
                )
            },
            code="deadline_in_past",
        )
    cpv_codes = list(notice.cpv_codes.all())
    if not cpv_codes:
        raise ValidationError(
            {"cpv_codes": _("Choose at least one CPV code that describes what you need.")},
            code="cpv_required",
        )
    notice.status = DemandNotice.Status.PUBLISHED
    notice.published_at = timezone.now()
    notice.save(update_fields=["status", "published_at", "updated_at"])
    organisations = exchange_selectors.offers_matching(
        cpv_codes=cpv_codes, municipality=notice.municipality
    )
    if notice.is_reserved:
        # Only PES that may answer a reserved notice are told about it.
        organisations = organisations_qualifying_for_reserved_contract(organisations)
    NoticeMatch.objects.bulk_create(
        [NoticeMatch(notice=notice, organisation=organisation) for organisation in organisations],
        ignore_conflicts=True,
    )
    audit.record(
        actor=actor,
        action="notice.published",
        target=notice,
        before={"status": DemandNotice.Status.DRAFT},
        after={"status": DemandNotice.Status.PUBLISHED},
    )
    from .. import tasks

    tasks.notify_matched_organisations.delay_on_commit(notice.pk)
    opendata_changes.data_changed("demand")
    return notice


@transaction.atomic
def notice_notify_matches(*, notice_id: int) -> int:
    """E-mails the members of each matched PES not told yet, and marks it told. Running it
    again sends nothing twice. Returns how many organisations were told."""
    notice = (
        DemandNotice.objects.select_related("municipality", "department", "company")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None or not notice.is_open_for_answers:
        return 0
    matches = list(
        NoticeMatch.objects.select_for_update()
        .filter(notice=notice, notified_at__isnull=True)
        .order_by("pk")
    )
    if not matches:
        return 0
    organisations = {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(
            pk__in=[match.organisation_id for match in matches]
        )
    }
    url = absolute_url(notice.get_absolute_url())
    now = timezone.now()
    for match in matches:
        notify(
            template="demand/notice_matched",
            key=f"demand/notice_matched:{notice.pk}:{match.organisation_id}",
            recipients=member_emails([match.organisation_id]),
            context={
                "notice": notice,
                "organisation": organisations[match.organisation_id],
                "url": url,
            },
        )
        match.notified_at = now
    NoticeMatch.objects.bulk_update(matches, ["notified_at"])
    return len(matches)


@transaction.atomic
def notice_extend_deadline(*, notice: DemandNotice, actor, answers_deadline) -> DemandNotice:
    """Of a published notice only the deadline may change, and only to a later one, while
    the notice is still open."""
    notice = lock_notice(notice)
    if not notice.is_open_for_answers:
        raise ValidationError(
            _("Only the deadline of a notice that is still open can be extended."),
            code="not_open",
        )
    if answers_deadline is None or answers_deadline <= notice.answers_deadline:
        raise ValidationError(
            {"answers_deadline": _("The new deadline must be later than the current one.")},
            code="not_later",
        )
    before = audit.snapshot(notice, ["answers_deadline"])
    notice.answers_deadline = answers_deadline
    notice.full_clean()
    notice.save(update_fields=["answers_deadline", "updated_at"])
    audit.record(
        actor=actor,
        action="notice.deadline_extended",
        target=notice,
        before=before,
        after=audit.snapshot(notice, ["answers_deadline"]),
    )
    return notice


def close_expired_notices(*, now: datetime | None = None) -> int:
    """Closes every published notice whose deadline has passed (the periodic task). Each
    notice in its own transaction; returns how many were closed."""
    now = now or timezone.now()
    expired = list(
        DemandNotice.objects.filter(
            status=DemandNotice.Status.PUBLISHED, answers_deadline__lte=now
        ).values_list("pk", flat=True)
    )
    return sum(1 for pk in expired if _close_one(pk, now=now))


@transaction.atomic
def _close_one(pk: int, *, now: datetime) -> bool:
    notice = DemandNotice.objects.select_for_update().get(pk=pk)
    if notice.status != DemandNotice.Status.PUBLISHED or notice.answers_deadline > now:
        return False
    notice.status = DemandNotice.Status.CLOSED
    notice.closed_at = notice.answers_deadline
    notice.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(
        actor=None,
        action="notice.closed",
        target=notice,
        before={"status": DemandNotice.Status.PUBLISHED},
        after={"status": DemandNotice.Status.CLOSED},
    )
    recipients = [notice.contact_email]
    if notice.posted_by_id and notice.posted_by.is_active:
        recipients.append(notice.posted_by.email)
    notify(
        template="demand/notice_closed",
        key=f"demand/notice_closed:{notice.pk}:{notice.closed_at.isoformat()}",
        recipients=recipients,
        context={
            "notice": notice,
            "answer_count": notice.answers.count(),
            "url": absolute_url(notice.get_absolute_url()),
        },
    )
    return True


def _close_if_expired(notice: DemandNotice) -> None:
    """A notice past its deadline that the periodic task has not reached yet is closed now."""
    if notice.status == DemandNotice.Status.PUBLISHED and timezone.now() >= notice.answers_deadline:
        notice.status = DemandNotice.Status.CLOSED
        notice.closed_at = notice.answers_deadline


@transaction.atomic
def notice_award(
    *, notice: DemandNotice, actor, answers, awarded_value: Decimal, award_date
) -> DemandNotice:
    """The buyer picks the winning answer(s) after the deadline and records the value and the
    date; every answering PES is told the outcome."""
    notice = lock_notice(notice)
    if notice.effective_status != DemandNotice.Status.CLOSED:
        raise ValidationError(
            _("A notice can be awarded once its deadline for answers has passed."),
            code="not_closed",
        )
    answer_ids = {answer.pk for answer in answers}
    chosen = list(notice.answers.filter(pk__in=answer_ids))
    if not chosen or len(chosen) != len(answer_ids):
        raise ValidationError(
            {"answers": _("Choose at least one answer to this notice.")}, code="answers_required"
        )
    errors = {}
    if awarded_value is None or awarded_value < 0:
        errors["awarded_value"] = _("Give the awarded value net in PLN.")
    if award_date is None:
        errors["award_date"] = _("Give the date of the award.")
    elif award_date > timezone.localdate():
        errors["award_date"] = _("The date of the award cannot be in the future.")
    elif notice.published_at and award_date < timezone.localdate(notice.published_at):
        errors["award_date"] = _("The award cannot be earlier than the notice's publication.")
    if errors:
        raise ValidationError(errors, code="invalid")
    _close_if_expired(notice)
    notice.answers.filter(pk__in=answer_ids).update(is_awarded=True)
    notice.status = DemandNotice.Status.AWARDED
    notice.awarded_at = timezone.now()
    notice.award_date = award_date
    notice.awarded_value = awarded_value
    notice.full_clean()
    notice.save()
    audit.record(
        actor=actor,
        action="notice.awarded",
        target=notice,
        before={"status": DemandNotice.Status.CLOSED},
        after={
            "status": DemandNotice.Status.AWARDED,
            "awarded_value": str(awarded_value),
            "award_date": award_date.isoformat(),
            "organisations": sorted(answer.organisation.name for answer in chosen),
        },
    )
    _tell_answering_organisations(notice, awarded_ids=answer_ids)
    opendata_changes.data_changed("demand")
    return notice


def _tell_answering_organisations(notice: DemandNotice, *, awarded_ids=frozenset()) -> None:
    url = absolute_url(notice.get_absolute_url())
    answers = notice.answers.select_related("organisation").prefetch_related("partners")
    for answer in answers:
        if notice.status == DemandNotice.Status.CANCELLED:
            template = "demand/notice_cancelled"
        elif answer.pk in awarded_ids:
            template = "demand/answer_awarded"
        else:
            template = "demand/answer_not_awarded"
        organisation_ids = [answer.organisation_id] + [
            p.organisation_id for p in answer.partners.all()
        ]
        notify(
            template=template,
            key=f"demand/outcome:{notice.pk}:{answer.pk}:{template}",
            recipients=member_emails(organisation_ids),
            context={"notice": notice, "answer": answer, "url": url},
        )


@transaction.atomic
def notice_cancel(*, notice: DemandNotice, actor, reason: str) -> DemandNotice:
    """The buyer cancels a draft, a published or a closed notice, saying why; the PES that
    answered are told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the notice is cancelled.")}, code="reason_required"
        )
    notice = lock_notice(notice)
    if notice.status not in (
        DemandNotice.Status.DRAFT,
        DemandNotice.Status.PUBLISHED,
        DemandNotice.Status.CLOSED,
    ):
        raise ValidationError(
            _("This notice is already %(status)s and can no longer be cancelled.")
            % {"status": notice.get_status_display()},
            code="not_cancellable",
        )
    before = {"status": notice.effective_status}
    _close_if_expired(notice)
    notice.status = DemandNotice.Status.CANCELLED
    notice.cancelled_at = timezone.now()
    notice.cancel_reason = reason
    notice.save()
    audit.record(
        actor=actor,
        action="notice.cancelled",
        target=notice,
        before=before,
        after={"status": DemandNotice.Status.CANCELLED},
        comment=reason,
    )
    _tell_answering_organisations(notice)
    opendata_changes.data_changed("demand")
    return notice
