"""A PES's answer to a notice and its consortium partners."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation
from directory.selectors import qualifies_for_reserved_contract
from pestor import audit
from pestor.notifications import absolute_url, notify
from pestor.storage import delete_on_commit

from ..models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
)
from ..permissions import is_buyer_side
from ._common import (
    ANSWER_FIELDS,
    ensure_open,
    ensure_verified_member,
    lock_notice,
    member_emails,
)


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


def _ensure_qualified(notice: DemandNotice, organisations, *, field: str) -> None:
    """On a notice reserved under art. 94 PZP the lead and every consortium partner must
    qualify; the error names each one that does not, and why."""
    if not notice.is_reserved:
        return
    reasons = [
        result.reason
        for result in (qualifies_for_reserved_contract(o) for o in organisations)
        if not result
    ]
    if reasons:
        raise ValidationError({field: reasons}, code="not_qualified")


def _ensure_employment_confirmed(notice: DemandNotice, confirmed: bool) -> None:
    if notice.requires_employment and not confirmed:
        raise ValidationError(
            {
                "employment_confirmed": _(
                    "This notice requires the contractor to employ excluded persons "
                    "(art. 96 PZP): confirm that you will meet this condition."
                )
            },
            code="employment_not_confirmed",
        )


def _invite_partners(answer: Answer, partners) -> None:
    for partner in partners:
        notify(
            template="demand/partner_invited",
            key=f"demand/partner_invited:{partner.pk}",
            recipients=member_emails([partner.organisation_id]),
            context={
                "answer": answer,
                "notice": answer.notice,
                "partner": partner,
                "url": absolute_url(reverse("demand:partner-confirm", args=[partner.pk])),
            },
        )


def _apply_answer_fields(
    answer: Answer, *, kind, price_net, terms, message, employment_confirmed
) -> None:
    _ensure_employment_confirmed(answer.notice, employment_confirmed)
    answer.employment_confirmed = bool(employment_confirmed)
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
    employment_confirmed: bool = False,
    attachment=None,
    partners=(),
) -> Answer:
    """A PES member answers for a verified organisation, once per organisation, before the
    deadline, alone or with consortium partners who then confirm."""
    notice = lock_notice(notice)
    ensure_open(notice)
    ensure_verified_member(actor, organisation, field="organisation")
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
    _ensure_qualified(notice, [organisation], field="organisation")
    partners = _validate_partners(notice, organisation, partners)
    _ensure_qualified(notice, partners, field="partners")
    answer = Answer(notice=notice, organisation=organisation, submitted_by=actor)
    _apply_answer_fields(
        answer,
        kind=kind,
        price_net=price_net,
        terms=terms,
        message=message,
        employment_confirmed=employment_confirmed,
    )
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
    employment_confirmed: bool = False,
    attachment=None,
    remove_attachment: bool = False,
    partners=None,
) -> Answer:
    """The answering organisation's member changes the answer until the deadline. Partners
    who stay keep their confirmation; new ones are asked to confirm."""
    lock_notice(answer.notice)
    answer = Answer.objects.select_related("notice", "organisation").get(pk=answer.pk)
    ensure_open(answer.notice)
    ensure_verified_member(actor, answer.organisation, field="organisation")
    old_partners = {p.organisation_id: p for p in answer.partners.select_related("organisation")}
    before = {
        **audit.snapshot(answer, ANSWER_FIELDS),
        "partners": sorted(p.organisation.name for p in old_partners.values()),
    }
    _ensure_qualified(answer.notice, [answer.organisation], field="organisation")
    _apply_answer_fields(
        answer,
        kind=kind,
        price_net=price_net,
        terms=terms,
        message=message,
        employment_confirmed=employment_confirmed,
    )
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
        _ensure_qualified(answer.notice, partners, field="partners")
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
    notice = lock_notice(DemandNotice(pk=partner.answer.notice_id))
    ensure_open(notice)
    ensure_verified_member(actor, partner.organisation, field="organisation")
    _ensure_qualified(notice, [partner.organisation], field="organisation")
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


@transaction.atomic
def answer_withdraw(*, answer: Answer, actor) -> DemandNotice:
    """A member of the answering organisation withdraws its answer before the deadline: the
    answer, its attachment and its partnerships are removed (the organisation may answer
    again), the partners are told, and the notice's history keeps who withdrew what."""
    notice = lock_notice(answer.notice)
    answer = Answer.objects.select_related("organisation").get(pk=answer.pk)
    ensure_open(notice)
    ensure_verified_member(actor, answer.organisation, field="organisation")
    partner_ids = list(answer.partners.values_list("organisation_id", flat=True))
    before = {
        **audit.snapshot(answer, ANSWER_FIELDS),
        "organisation": answer.organisation.name,
        "partners": sorted(answer.partners.values_list("organisation__name", flat=True)),
    }
    if answer.attachment:
        # The file goes once the withdrawal is committed, not before a rollback could need it.
        name, storage = answer.attachment.name, answer.attachment.storage
        transaction.on_commit(lambda: storage.delete(name))
    answer.delete()
    audit.record(actor=actor, action="answer.withdrawn", target=notice, before=before)
    if partner_ids:
        notify(
            template="demand/answer_withdrawn",
            key=f"demand/answer_withdrawn:{notice.pk}:{answer.organisation_id}:{timezone.now().isoformat()}",
            recipients=member_emails(partner_ids),
            context={
                "notice": notice,
                "organisation": answer.organisation,
                "url": absolute_url(notice.get_absolute_url()),
            },
        )
    return notice


@transaction.atomic
def partner_decline(*, partner: ConsortiumPartner, actor) -> Answer:
    """A member of a partner PES declines (or, having confirmed, leaves) the consortium before
    the deadline; the lead organisation is told and may name another partner."""
    partner = ConsortiumPartner.objects.select_related("answer", "organisation").get(pk=partner.pk)
    notice = lock_notice(DemandNotice(pk=partner.answer.notice_id))
    ensure_open(notice)
    ensure_verified_member(actor, partner.organisation, field="organisation")
    answer = Answer.objects.select_related("organisation").get(pk=partner.answer_id)
    was_confirmed = partner.confirmed_at is not None
    partner.delete()
    audit.record(
        actor=actor,
        action="partner.declined",
        target=answer,
        before={"partner": partner.organisation.name, "confirmed": was_confirmed},
    )
    notify(
        template="demand/partner_declined",
        key=f"demand/partner_declined:{answer.pk}:{partner.organisation_id}:{timezone.now().isoformat()}",
        recipients=member_emails([answer.organisation_id]),
        context={
            "notice": notice,
            "answer": answer,
            "partner": partner,
            "url": absolute_url(reverse("demand:answer-edit", args=[answer.pk])),
        },
    )
    return answer
