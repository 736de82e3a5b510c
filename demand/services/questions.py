"""Questions of PES about a notice and the buyer's published answers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation
from pestor import audit
from pestor.notifications import absolute_url, notify

from ..models import DemandNotice, NoticeQuestion
from ..permissions import is_buyer_side
from ._common import ensure_open, ensure_verified_member, lock_notice, member_emails
from .corrections import informed_organisation_ids

MAX_QUESTION_LENGTH = 4000


def _text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    if len(value) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            {field: _("At most %(count)d characters.") % {"count": MAX_QUESTION_LENGTH}},
            code="too_long",
        )
    return value


@transaction.atomic
def question_ask(
    *, notice: DemandNotice, organisation: Organisation, actor, question: str
) -> NoticeQuestion:
    """A member of a verified PES asks about a notice open for answers; the buyer's contact
    is told. Other PES never learn who asked."""
    notice = lock_notice(notice)
    ensure_open(notice)
    ensure_verified_member(actor, organisation, field="organisation")
    if is_buyer_side(actor, notice):
        raise ValidationError(
            _("You act for the buyer of this notice, so you cannot ask about it."),
            code="buyer_side",
        )
    text = _text(question, field="question", message=_("Write your question."))
    asked = NoticeQuestion.objects.create(
        notice=notice, organisation=organisation, asked_by=actor, question=text
    )
    audit.record(
        actor=actor,
        action="notice.question_asked",
        target=notice,
        after={"question": text, "organisation": organisation.name},
    )
    recipients = [notice.contact_email]
    if notice.posted_by_id and notice.posted_by.is_active:
        recipients.append(notice.posted_by.email)
    notify(
        template="demand/question_asked",
        key=f"demand/question_asked:{asked.pk}",
        recipients=recipients,
        context={
            "notice": notice,
            "question": asked,
            "url": absolute_url(notice.get_absolute_url()),
        },
    )
    return asked


@transaction.atomic
def question_answer(*, question: NoticeQuestion, actor, answer: str) -> NoticeQuestion:
    """The buyer answers; the answer is published on the notice and e-mailed to the PES that
    answered or were matched, and to the one that asked."""
    question = NoticeQuestion.objects.select_for_update().get(pk=question.pk)
    notice = DemandNotice.objects.get(pk=question.notice_id)
    if not is_buyer_side(actor, notice):
        raise ValidationError(_("Only the buyer answers questions."), code="not_buyer")
    if notice.status not in (DemandNotice.Status.PUBLISHED, DemandNotice.Status.CLOSED):
        raise ValidationError(
            _("Questions of a notice that is %(status)s can no longer be answered.")
            % {"status": notice.get_status_display()},
            code="not_answerable",
        )
    if question.is_answered:
        raise ValidationError(_("This question has already been answered."), code="answered")
    question.answer = _text(answer, field="answer", message=_("Write the answer."))
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.full_clean()
    question.save()
    audit.record(
        actor=actor,
        action="notice.question_answered",
        target=notice,
        after={"question": question.question, "answer": question.answer},
    )
    organisation_ids = informed_organisation_ids(notice) | {question.organisation_id}
    notify(
        template="demand/question_answered",
        key=f"demand/question_answered:{question.pk}",
        recipients=member_emails(organisation_ids),
        context={
            "notice": notice,
            "question": question,
            "url": absolute_url(notice.get_absolute_url()),
        },
    )
    return question
