"""Writes to the demand register: each function is one transaction and leaves an event behind.

Deadlines are enforced here, on the server, whatever the clock in the browser: every write that
depends on a notice being open locks the notice's row (``select_for_update``) and checks the
deadline inside the same transaction, so a request that arrives as the deadline passes, or two
answers of one organisation sent at once, end in exactly one allowed outcome.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation, OrganisationMembership
from exchange import selectors as exchange_selectors
from pestor import audit, roles
from pestor.notifications import absolute_url, notify
from pestor.storage import delete_on_commit

from .models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeAttachment,
    NoticeMatch,
    SocialClauseCheck,
    procurement_law_applies,
)
from .permissions import is_buyer_side

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
ANSWER_FIELDS = ("kind", "price_net", "terms", "message")


# --- helpers -----------------------------------------------------------------------------------


def _lock(notice: DemandNotice) -> DemandNotice:
    """The notice's row, locked until the end of the transaction (a no-op on SQLite, which
    serialises writers anyway)."""
    return DemandNotice.objects.select_for_update().get(pk=notice.pk)


def _ensure_draft(notice: DemandNotice) -> None:
    if notice.status != DemandNotice.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; this notice is already %(status)s.")
            % {"status": notice.get_status_display()},
            code="not_draft",
        )


def _ensure_open(notice: DemandNotice, now: datetime | None = None) -> None:
    """Answers and confirmations are accepted only while ``now < answers_deadline``."""
    now = now or timezone.now()
    if notice.status != DemandNotice.Status.PUBLISHED or now >= notice.answers_deadline:
        raise ValidationError(
            _("The deadline for answers to this notice has passed; nothing can be changed now."),
            code="deadline_passed",
        )


def _ensure_future_deadline(deadline) -> None:
    if deadline is not None and deadline <= timezone.now():
        raise ValidationError(
            {"answers_deadline": _("The deadline for answers must be in the future.")},
            code="deadline_in_past",
        )


def _member_emails(organisation_ids) -> list[str]:
    return list(
        OrganisationMembership.objects.filter(
            organisation_id__in=list(organisation_ids), user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _ensure_verified_member(actor, organisation: Organisation, *, field: str) -> None:
    is_member = OrganisationMembership.objects.filter(
        user=actor, organisation=organisation
    ).exists()
    if not is_member or organisation.status != Organisation.Status.VERIFIED:
        raise ValidationError(
            {field: _("You can act only for a verified organisation you are a member of.")},
            code="not_member",
        )


def _apply_notice_fields(notice: DemandNotice, fields: dict) -> None:
    unknown = set(fields) - set(NOTICE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable on a notice: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(notice, name, value)


def _set_cpv_codes(notice: DemandNotice, cpv_codes) -> None:
    cpv_codes = list(cpv_codes or [])
    if not cpv_codes:
        raise ValidationError(
            {"cpv_codes": _("Choose at least one CPV code that describes what you need.")},
            code="cpv_required",
        )
    notice.cpv_codes.set(cpv_codes)


def _add_attachments(notice: DemandNotice, attachments) -> None:
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


# --- notices -----------------------------------------------------------------------------------


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
    _apply_notice_fields(notice, fields)
    _ensure_future_deadline(notice.answers_deadline)
    notice.full_clean()
    notice.save()
    _set_cpv_codes(notice, cpv_codes)
    _add_attachments(notice, attachments)
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
    notice = _lock(notice)
    _ensure_draft(notice)
    before = audit.snapshot(notice, LOGGED_NOTICE_FIELDS)
    _apply_notice_fields(notice, fields)
    if municipality is not None and notice.company_id is not None:
        notice.municipality = municipality
    _ensure_future_deadline(notice.answers_deadline)
    notice.full_clean()
    notice.save()
    if cpv_codes is not None:
        _set_cpv_codes(notice, cpv_codes)
    for attachment in notice.attachments.filter(pk__in=[a.pk for a in remove_attachments]):
        delete_on_commit(attachment.file)
        attachment.delete()
    _add_attachments(notice, attachments)
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
    notice = _lock(notice)
    _ensure_draft(notice)
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
    notice = _lock(notice)
    _ensure_draft(notice)
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
    from . import tasks

    tasks.notify_matched_organisations.delay_on_commit(notice.pk)
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
            recipients=_member_emails([match.organisation_id]),
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
    notice = _lock(notice)
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
    notice = _lock(notice)
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
            recipients=_member_emails(organisation_ids),
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
    notice = _lock(notice)
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
    return notice


# --- answers -----------------------------------------------------------------------------------


def _validate_partners(notice: DemandNotice, lead: Organisation, partners, *, answer=None):
    """Partners are other verified PES that neither answer the notice themselves nor belong
    to another consortium answering it."""
    partners = list(partners or [])
    if not partners:
        return []
    ids = {partner.pk for partner in partners}
    errors = []
    if lead.pk in ids:
        errors.append(_("Your own organisation cannot be its own partner."))
    verified = set(
        Organisation.objects.filter(pk__in=ids, status=Organisation.Status.VERIFIED).values_list(
            "pk", flat=True
        )
    )
    if ids - verified:
        errors.append(_("Only verified organisations can be consortium partners."))
    busy_answers = notice.answers.filter(organisation_id__in=ids)
    busy_partners = ConsortiumPartner.objects.filter(answer__notice=notice, organisation_id__in=ids)
    if answer is not None:
        busy_partners = busy_partners.exclude(answer=answer)
    busy = {a.organisation.name for a in busy_answers.select_related("organisation")} | {
        p.organisation.name for p in busy_partners.select_related("organisation")
    }
    if busy:
        errors.append(
            _("Already in another answer to this notice: %(names)s.")
            % {"names": ", ".join(sorted(busy))}
        )
    if errors:
        raise ValidationError({"partners": errors}, code="invalid_partners")
    return [partner for partner in partners if partner.pk != lead.pk]


def _invite_partners(answer: Answer, partners) -> None:
    for partner in partners:
        notify(
            template="demand/partner_invited",
            recipients=_member_emails([partner.organisation_id]),
            context={
                "answer": answer,
                "notice": answer.notice,
                "partner": partner,
                "url": absolute_url(reverse("demand:partner-confirm", args=[partner.pk])),
            },
        )


def _apply_answer_fields(answer: Answer, *, kind, price_net, terms, message) -> None:
    answer.kind = kind
    answer.price_net = price_net
    answer.terms = terms or ""
    answer.message = message or ""
    if kind == Answer.Kind.OFFER and price_net is None:
        raise ValidationError(
            {"price_net": _("A priced offer needs its price net in PLN.")}, code="price_required"
        )


@transaction.atomic
def answer_submit(
    *,
    notice: DemandNotice,
    organisation: Organisation,
    actor,
    kind: str,
    price_net: Decimal | None = None,
    terms: str = "",
    message: str = "",
    attachment=None,
    partners=(),
) -> Answer:
    """A PES member answers for a verified organisation, once per organisation, before the
    deadline, alone or with consortium partners who then confirm."""
    notice = _lock(notice)
    _ensure_open(notice)
    _ensure_verified_member(actor, organisation, field="organisation")
    if is_buyer_side(actor, notice):
        raise ValidationError(
            _("You act for the buyer of this notice, so you cannot answer it."),
            code="buyer_side",
        )
    if notice.answers.filter(organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(name)s has already answered this notice; edit that answer.")
                % {"name": organisation.name}
            },
            code="already_answered",
        )
    if ConsortiumPartner.objects.filter(answer__notice=notice, organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s is a partner in another answer to this notice; it cannot also "
                    "answer alone."
                )
                % {"name": organisation.name}
            },
            code="already_partner",
        )
    partners = _validate_partners(notice, organisation, partners)
    answer = Answer(notice=notice, organisation=organisation, submitted_by=actor)
    _apply_answer_fields(answer, kind=kind, price_net=price_net, terms=terms, message=message)
    if attachment:
        answer.attachment = attachment
    answer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        # Only reachable where the lock is a no-op (SQLite): the constraint keeps one answer.
        raise ValidationError(
            {
                "organisation": _("%(name)s has already answered this notice; edit that answer.")
                % {"name": organisation.name}
            },
            code="already_answered",
        ) from None
    created = [
        ConsortiumPartner.objects.create(answer=answer, organisation=partner)
        for partner in partners
    ]
    audit.record(
        actor=actor,
        action="answer.submitted",
        target=answer,
        after={
            **audit.snapshot(answer, ANSWER_FIELDS),
            "partners": sorted(partner.name for partner in partners),
        },
    )
    _invite_partners(answer, created)
    return answer


@transaction.atomic
def answer_update(
    *,
    answer: Answer,
    actor,
    kind: str,
    price_net: Decimal | None = None,
    terms: str = "",
    message: str = "",
    attachment=None,
    remove_attachment: bool = False,
    partners=None,
) -> Answer:
    """The answering organisation's member changes the answer until the deadline. Partners
    who stay keep their confirmation; new ones are asked to confirm."""
    _lock(answer.notice)
    answer = Answer.objects.select_related("notice", "organisation").get(pk=answer.pk)
    _ensure_open(answer.notice)
    _ensure_verified_member(actor, answer.organisation, field="organisation")
    old_partners = {p.organisation_id: p for p in answer.partners.select_related("organisation")}
    before = {
        **audit.snapshot(answer, ANSWER_FIELDS),
        "partners": sorted(p.organisation.name for p in old_partners.values()),
    }
    _apply_answer_fields(answer, kind=kind, price_net=price_net, terms=terms, message=message)
    if remove_attachment and answer.attachment:
        delete_on_commit(answer.attachment)
        answer.attachment = ""
    if attachment:
        answer.attachment = attachment
    answer.full_clean(validate_constraints=False)
    answer.save()
    invited = []
    if partners is not None:
        partners = _validate_partners(answer.notice, answer.organisation, partners, answer=answer)
        wanted = {partner.pk for partner in partners}
        answer.partners.exclude(organisation_id__in=wanted).delete()
        invited = [
            ConsortiumPartner.objects.create(answer=answer, organisation=partner)
            for partner in partners
            if partner.pk not in old_partners
        ]
    after = {
        **audit.snapshot(answer, ANSWER_FIELDS),
        "partners": sorted(answer.partners.values_list("organisation__name", flat=True)),
    }
    audit.record(actor=actor, action="answer.updated", target=answer, before=before, after=after)
    _invite_partners(answer, invited)
    return answer


@transaction.atomic
def partner_confirm(*, partner: ConsortiumPartner, actor) -> ConsortiumPartner:
    """A member of a partner PES confirms that it takes part in the consortium, before the
    deadline."""
    partner = ConsortiumPartner.objects.select_related("answer", "organisation").get(pk=partner.pk)
    notice = _lock(DemandNotice(pk=partner.answer.notice_id))
    _ensure_open(notice)
    _ensure_verified_member(actor, partner.organisation, field="organisation")
    partner = ConsortiumPartner.objects.select_for_update().get(pk=partner.pk)
    if partner.confirmed_at is not None:
        raise ValidationError(
            _("This partnership has already been confirmed."), code="already_confirmed"
        )
    partner.confirmed_at = timezone.now()
    partner.confirmed_by = actor
    partner.save(update_fields=["confirmed_at", "confirmed_by"])
    audit.record(
        actor=actor,
        action="partner.confirmed",
        target=partner.answer,
        after={"partner": partner.organisation.name},
    )
    return partner
