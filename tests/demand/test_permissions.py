"""The demand register's rules against every role: the buyer side acts on its own notices only,
a PES sees only its own answers, and nobody answers after the deadline."""

import pytest

from pestor.permissions import has_permission
from tests.demand.factories import (
    AnswerFactory,
    NoticeFactory,
    PartnerFactory,
    company_notice,
)
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import make_official
from tests.roles import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_of(request):
    return request.getfixturevalue


def allowed(user_of, rule, obj=None):
    return {role for role in ROLES if has_permission(rule, user_of(role), obj)}


BUYERS = {"official", "admin_user"}
PES = {"pes_owner", "pes_editor", "other_pes_member"}


def test_officials_and_business_buyers_post_notices(user_of):
    assert allowed(user_of, "demand.post_notice") == {
        "official",
        "other_official",
        "business_buyer",
    }


def test_buyers_and_administrators_have_my_notices(user_of):
    assert allowed(user_of, "demand.view_my_notices") == {
        "official",
        "other_official",
        "business_buyer",
        "admin_user",
    }


def test_pes_members_have_their_pages(user_of):
    assert allowed(user_of, "demand.view_pes_pages") == PES


def test_only_the_municipalitys_officials_manage_a_department_notice(user_of, notice):
    assert allowed(user_of, "demand.manage_notice", notice) == BUYERS


def test_only_the_companys_buyers_manage_a_company_notice(user_of, business_buyer, municipality):
    company = business_buyer.buyer_memberships.get().company
    notice = company_notice(company, municipality=municipality, published=True)
    assert allowed(user_of, "demand.manage_notice", notice) == {"business_buyer", "admin_user"}


@pytest.mark.parametrize(
    "rule", ["demand.edit_notice", "demand.check_clauses", "demand.publish_notice"]
)
def test_drafts_are_changed_by_the_buyer_side_only(user_of, draft, notice, rule):
    assert allowed(user_of, rule, draft) == BUYERS
    assert allowed(user_of, rule, notice) == set()


def test_the_deadline_is_extended_only_while_the_notice_is_open(user_of, notice, department):
    assert allowed(user_of, "demand.extend_deadline", notice) == BUYERS
    expired = NoticeFactory(department=department, expired=True)
    assert allowed(user_of, "demand.extend_deadline", expired) == set()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", BUYERS),
        ("published", BUYERS),
        ("expired", BUYERS),
        ("closed", BUYERS),
        ("awarded", set()),
        ("cancelled", set()),
    ],
)
def test_cancelling(user_of, department, state, expected):
    traits = {} if state == "draft" else {state: True}
    notice = NoticeFactory(department=department, **traits)
    assert allowed(user_of, "demand.cancel_notice", notice) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", set()),
        ("published", set()),
        ("expired", BUYERS),
        ("closed", BUYERS),
        ("awarded", set()),
    ],
)
def test_awarding_comes_after_the_deadline(user_of, department, state, expected):
    traits = {} if state == "draft" else {state: True}
    notice = NoticeFactory(department=department, **traits)
    assert allowed(user_of, "demand.award_notice", notice) == expected


def test_the_market_research_note_is_for_the_buyer_side(user_of, notice, draft):
    assert allowed(user_of, "demand.download_note", notice) == BUYERS
    assert allowed(user_of, "demand.download_note", draft) == set()


def test_members_of_verified_pes_answer_open_notices(user_of, notice, draft, department):
    assert allowed(user_of, "demand.answer_notice", notice) == PES
    assert allowed(user_of, "demand.answer_notice", draft) == set()
    expired = NoticeFactory(department=department, expired=True)
    assert allowed(user_of, "demand.answer_notice", expired) == set()


def test_a_member_of_a_pending_organisation_cannot_answer(notice, pending_organisation):
    owner = pending_organisation.memberships.get().user
    assert not has_permission("demand.answer_notice", owner, notice)


def test_an_official_who_works_for_a_pes_cannot_answer_the_citys_own_notice(
    notice, organisation, municipality, other_municipality
):
    official = make_official(municipality)
    make_pes_member_with(organisation, official)
    assert not has_permission("demand.answer_notice", official, notice)
    elsewhere = make_official(other_municipality)
    make_pes_member_with(organisation, elsewhere)
    assert has_permission("demand.answer_notice", elsewhere, notice)


def make_pes_member_with(organisation, user):
    from directory.models import OrganisationMembership

    OrganisationMembership.objects.create(organisation=organisation, user=user, role="editor")


def test_an_answer_is_seen_by_the_buyer_side_and_its_own_pes_only(user_of, answer):
    assert allowed(user_of, "demand.view_answer", answer) == BUYERS | {"pes_owner", "pes_editor"}


def test_a_pes_never_sees_another_pes_answer(user_of, answer, other_answer):
    assert not has_permission("demand.view_answer", user_of("other_pes_member"), answer)
    assert not has_permission("demand.view_answer", user_of("pes_owner"), other_answer)


def test_a_consortium_partner_sees_the_answer_it_is_named_in(answer, other_municipality):
    partner = PartnerFactory(answer=answer)
    member = make_pes_member(partner.organisation)
    assert has_permission("demand.view_answer", member, answer)


def test_answers_are_edited_by_their_pes_until_the_deadline(user_of, answer, department):
    assert allowed(user_of, "demand.edit_answer", answer) == {"pes_owner", "pes_editor"}
    late = AnswerFactory(
        notice=NoticeFactory(department=department, expired=True),
        organisation=answer.organisation,
    )
    assert allowed(user_of, "demand.edit_answer", late) == set()


def test_a_partner_confirms_once_and_before_the_deadline(user_of, answer, department):
    partner = PartnerFactory(answer=answer)
    member = make_pes_member(partner.organisation)
    assert allowed(user_of, "demand.confirm_partnership", partner) == set()
    assert has_permission("demand.confirm_partnership", member, partner)

    late_answer = AnswerFactory(notice=NoticeFactory(department=department, expired=True))
    late = PartnerFactory(answer=late_answer, organisation=partner.organisation)
    assert not has_permission("demand.confirm_partnership", member, late)

    from django.utils import timezone

    partner.confirmed_at = timezone.now()
    assert not has_permission("demand.confirm_partnership", member, partner)


def test_an_official_of_another_municipality_cannot_touch_the_notice(other_official, notice, draft):
    for rule in [
        "demand.manage_notice",
        "demand.edit_notice",
        "demand.publish_notice",
        "demand.cancel_notice",
        "demand.extend_deadline",
        "demand.download_note",
    ]:
        assert not has_permission(rule, other_official, notice)
        assert not has_permission(rule, other_official, draft)


def test_the_pes_organisation_must_be_verified_to_edit_its_answer(notice):
    pending = OrganisationFactory(pending=True)
    member = make_pes_member(pending)
    answer = AnswerFactory(notice=notice, organisation=pending)
    assert not has_permission("demand.edit_answer", member, answer)
