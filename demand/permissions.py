"""Who may do what in the demand register. Pure functions; views and templates ask through
``pestor.permissions`` (``require("demand.publish_notice", user, notice)``).

The buyer side of a notice: the officials of its municipality for a department's notice, the
business buyers of its company for a company's notice, and administrators. PES members act
through verified organisations only.
"""

from directory.models import Organisation
from directory.permissions import membership_statuses
from pestor import roles
from pestor.permissions import rule

from .models import Answer, ConsortiumPartner, DemandNotice, NoticeQuestion


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def organisation_ids(user) -> dict[int, str]:
    """{organisation id: its status} for every organisation the user is a member of (loaded
    once a request with the user's roles, ``pestor.roles``)."""
    if not _signed_in(user):
        return {}
    return membership_statuses(user)


def verified_organisation_ids(user) -> set[int]:
    return {
        pk
        for pk, status in organisation_ids(user).items()
        if status == Organisation.Status.VERIFIED
    }


def is_buyer_side(user, notice: DemandNotice) -> bool:
    if not _signed_in(user):
        return False
    if roles.is_administrator(user):
        return True
    if notice.department_id is not None:
        return roles.is_official(user, notice.municipality_id)
    return notice.company_id in roles.buyer_company_ids(user)


@rule("demand.post_notice")
def can_post_notice(user, obj=None):
    """Officials post for a department of theirs, business buyers for their company."""
    return _signed_in(user) and (roles.is_official(user) or roles.is_business_buyer(user))


@rule("demand.view_my_notices")
def can_view_my_notices(user, obj=None):
    return _signed_in(user) and (
        roles.is_official(user) or roles.is_business_buyer(user) or roles.is_administrator(user)
    )


@rule("demand.view_pes_pages")
def can_view_pes_pages(user, obj=None):
    """ "Notices for us" and "My answers": members of an organisation."""
    return bool(organisation_ids(user))


@rule("demand.manage_notice")
def can_manage_notice(user, notice: DemandNotice):
    """See the notice's answers, its matching PES and its history."""
    return is_buyer_side(user, notice)


@rule("demand.edit_notice")
def can_edit_notice(user, notice: DemandNotice):
    return notice.status == DemandNotice.Status.DRAFT and is_buyer_side(user, notice)


@rule("demand.check_clauses")
def can_check_clauses(user, notice: DemandNotice):
    return notice.status == DemandNotice.Status.DRAFT and is_buyer_side(user, notice)


@rule("demand.publish_notice")
def can_publish_notice(user, notice: DemandNotice):
    return notice.status == DemandNotice.Status.DRAFT and is_buyer_side(user, notice)


@rule("demand.extend_deadline")
def can_extend_deadline(user, notice: DemandNotice):
    """Of a published notice only the deadline changes, and only while it is still open."""
    return notice.is_open_for_answers and is_buyer_side(user, notice)


@rule("demand.correct_notice")
def can_correct_notice(user, notice: DemandNotice):
    """A published notice is corrected (every change shown on it) while still open."""
    return notice.is_open_for_answers and is_buyer_side(user, notice)


@rule("demand.cancel_notice")
def can_cancel_notice(user, notice: DemandNotice):
    return notice.status in (
        DemandNotice.Status.DRAFT,
        DemandNotice.Status.PUBLISHED,
        DemandNotice.Status.CLOSED,
    ) and is_buyer_side(user, notice)


@rule("demand.award_notice")
def can_award_notice(user, notice: DemandNotice):
    """Once the deadline has passed, whether or not the periodic task has closed it yet."""
    return notice.effective_status == DemandNotice.Status.CLOSED and is_buyer_side(user, notice)


@rule("demand.download_note")
def can_download_note(user, notice: DemandNotice):
    """The market-research note (rozeznanie rynku) is for the buyer's procurement file."""
    return notice.status != DemandNotice.Status.DRAFT and is_buyer_side(user, notice)


@rule("demand.answer_notice")
def can_answer_notice(user, notice: DemandNotice):
    """A member of a verified PES, while the notice is open; never the buyer side itself
    (an official who also works for a PES does not answer their own city's notice)."""
    return (
        notice.is_open_for_answers
        and bool(verified_organisation_ids(user))
        and not is_buyer_side(user, notice)
    )


@rule("demand.ask_question")
def can_ask_question(user, notice: DemandNotice):
    """Whoever may answer the notice may ask about it first."""
    return can_answer_notice(user, notice)


@rule("demand.answer_question")
def can_answer_question(user, question: NoticeQuestion):
    return (
        not question.is_answered
        and question.notice.status in (DemandNotice.Status.PUBLISHED, DemandNotice.Status.CLOSED)
        and is_buyer_side(user, question.notice)
    )


@rule("demand.view_answer")
def can_view_answer(user, answer: Answer):
    if is_buyer_side(user, answer.notice):
        return True
    mine = organisation_ids(user)
    if answer.organisation_id in mine:
        return True
    return any(partner.organisation_id in mine for partner in answer.partners.all())


@rule("demand.edit_answer")
def can_edit_answer(user, answer: Answer):
    """The answering organisation's members, until the deadline."""
    return (
        answer.notice.is_open_for_answers
        and answer.organisation_id in verified_organisation_ids(user)
    )


@rule("demand.withdraw_answer")
def can_withdraw_answer(user, answer: Answer):
    """The answering organisation's members, until the deadline."""
    return can_edit_answer(user, answer)


@rule("demand.decline_partnership")
def can_decline_partnership(user, partner: ConsortiumPartner):
    """A partner's members, until the deadline, whether or not they confirmed before."""
    return (
        partner.answer.notice.is_open_for_answers
        and partner.organisation_id in verified_organisation_ids(user)
    )


@rule("demand.confirm_partnership")
def can_confirm_partnership(user, partner: ConsortiumPartner):
    return (
        partner.confirmed_at is None
        and partner.answer.notice.is_open_for_answers
        and partner.organisation_id in verified_organisation_ids(user)
    )
