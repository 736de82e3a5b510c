"""Reads of the demand register: who sees which notices and answers, and the monitoring
indicators computed on hand-made data whose answers are known."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from demand import selectors
from demand.models import Answer, DemandNotice
from tests.demand.factories import (
    AnswerFactory,
    ClauseCheckFactory,
    NoticeFactory,
    PartnerFactory,
    company_notice,
)
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def warsaw(*args):
    return datetime(*args, tzinfo=WARSAW)


# --- visibility --------------------------------------------------------------------------------


def test_visible_notices_per_role(
    notice, draft, department, official, other_official, business_buyer, pes_owner, admin_user
):
    cancelled_draft = NoticeFactory(department=department, cancelled=True, published_at=None)
    cancelled_public = NoticeFactory(department=department, cancelled=True)
    company_draft = company_notice(business_buyer.buyer_memberships.get().company)
    public = {notice.pk, cancelled_public.pk}

    def visible(user):
        return set(DemandNotice.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(None) == public
    assert visible(pes_owner) == public
    assert visible(other_official) == public
    assert visible(official) == public | {draft.pk, cancelled_draft.pk}
    assert visible(business_buyer) == public | {company_draft.pk}
    assert visible(admin_user) == public | {draft.pk, cancelled_draft.pk, company_draft.pk}


def test_an_official_of_any_department_of_the_municipality_is_on_the_buyer_side(
    notice, municipality
):
    from tests.factories import make_official

    colleague = make_official(municipality)
    assert list(DemandNotice.objects.of_buyer(colleague)) == [notice]


def test_answers_visible_per_role(
    answer, other_answer, official, other_official, pes_owner, other_pes_member, admin_user
):
    def visible(user):
        return set(Answer.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(official) == {answer.pk, other_answer.pk}
    assert visible(admin_user) == {answer.pk, other_answer.pk}
    assert visible(pes_owner) == {answer.pk}
    assert visible(other_pes_member) == {other_answer.pk}
    assert visible(other_official) == set()
    assert visible(None) == set()


def test_a_partner_sees_the_consortium_answer_once(answer, other_answer, other_pes_member):
    PartnerFactory(answer=answer, organisation=other_answer.organisation)
    assert sorted(Answer.objects.visible_to(other_pes_member).values_list("pk", flat=True)) == [
        answer.pk,
        other_answer.pk,
    ]


def test_notice_answers_for_the_buyer_and_for_a_pes(
    notice, answer, other_answer, official, pes_owner
):
    assert list(selectors.notice_answers(notice=notice, user=official)) == [answer, other_answer]
    assert list(selectors.notice_answers(notice=notice, user=pes_owner)) == [answer]


def test_organisations_that_may_still_answer(notice, organisation, other_organisation, pes_owner):
    from directory.models import OrganisationMembership

    OrganisationMembership.objects.create(
        organisation=other_organisation, user=pes_owner, role="editor"
    )
    assert list(selectors.answering_organisations_for_user(user=pes_owner, notice=notice)) == [
        other_organisation,
        organisation,
    ]
    answer = AnswerFactory(notice=notice, organisation=organisation)
    PartnerFactory(answer=answer, organisation=other_organisation)
    assert not selectors.answering_organisations_for_user(user=pes_owner, notice=notice).exists()


# --- indicators --------------------------------------------------------------------------------


@pytest.fixture
def march(municipality, other_municipality):
    """Notices around March 2026 in ``municipality``; the comments say which count."""
    city = DepartmentFactory(municipality=municipality)
    elsewhere = DepartmentFactory(municipality=other_municipality)

    def published(at, department=city, **fields):
        return NoticeFactory(department=department, published=True, published_at=at, **fields)

    first_day = published(warsaw(2026, 3, 1, 0, 0))  # in, art. 94
    ClauseCheckFactory(notice=first_day, reserved_for_pes=True)
    last_evening = published(warsaw(2026, 3, 31, 23, 30))  # in (21:30 UTC), art. 361
    ClauseCheckFactory(notice=last_evening, reserved_for_pes=False, is_social_service=True)
    no_clause = published(warsaw(2026, 3, 15, 12, 0))  # in, no clause
    ClauseCheckFactory(
        notice=no_clause, reserved_for_pes=False, no_clause_reason="Usługa specjalistyczna."
    )
    published(warsaw(2026, 3, 20, 9, 0))  # in, no check recorded at all
    published(warsaw(2026, 4, 1, 0, 10))  # out: already April in Warsaw (March 31 in UTC)
    published(warsaw(2026, 2, 28, 23, 59))  # out: February
    published(warsaw(2026, 3, 10, 10, 0), department=elsewhere)  # out: another municipality
    company = company_notice(municipality=municipality, published=True)  # out: not the city's
    DemandNotice.objects.filter(pk=company.pk).update(published_at=warsaw(2026, 3, 10, 10, 0))
    NoticeFactory(department=city)  # out: a draft

    def awarded(day, value, department=city, **fields):
        return NoticeFactory(
            department=department,
            awarded=True,
            award_date=day,
            awarded_value=Decimal(value),
            **fields,
        )

    awarded(date(2026, 3, 1), "1000.50")  # in
    awarded(date(2026, 3, 31), "2000.25")  # in
    awarded(date(2026, 4, 1), "5000.00")  # out: April
    awarded(date(2026, 2, 28), "7000.00")  # out: February
    awarded(date(2026, 3, 15), "9000.00", department=elsewhere)  # out: another municipality
    awarded_company = company_notice(municipality=municipality, awarded=True)  # out: a company
    DemandNotice.objects.filter(pk=awarded_company.pk).update(award_date=date(2026, 3, 15))
    NoticeFactory(department=city, cancelled=True, award_date=date(2026, 3, 15))  # out


def test_notices_published_in_the_period(march, municipality):
    assert selectors.indicator_notices_published(municipality=municipality, **MARCH) == 4
    assert selectors.indicator_notices_published(municipality=municipality.pk, **MARCH) == 4


def test_one_day_periods_follow_the_warsaw_calendar(march, municipality):
    assert (
        selectors.indicator_notices_published(
            municipality=municipality, start=date(2026, 4, 1), end=date(2026, 4, 1)
        )
        == 1
    )
    assert (
        selectors.indicator_notices_published(
            municipality=municipality, start=date(2026, 3, 31), end=date(2026, 3, 31)
        )
        == 1
    )


def test_social_clause_share(march, municipality):
    assert selectors.indicator_social_clause_share(municipality=municipality, **MARCH) == Decimal(
        "50.00"
    )


@pytest.mark.parametrize(("with_clause", "total", "share"), [(1, 3, "33.33"), (2, 3, "66.67")])
def test_social_clause_share_is_rounded_to_two_decimals(
    department, municipality, with_clause, total, share
):
    for number in range(total):
        notice = NoticeFactory(
            department=department, published=True, published_at=warsaw(2026, 3, 5 + number, 12)
        )
        if number < with_clause:
            ClauseCheckFactory(notice=notice, reserved_for_pes=False, employment_requirement=True)
    result = selectors.indicator_social_clause_share(municipality=municipality, **MARCH)
    assert result == Decimal(share)
    assert str(result) == share


def test_awards_to_pes_and_their_value(march, municipality):
    assert selectors.indicator_awards_to_pes(municipality=municipality, **MARCH) == 2
    value = selectors.indicator_awards_value(municipality=municipality, **MARCH)
    assert value == Decimal("3000.75")
    assert str(value) == "3000.75"


def test_indicators_of_a_period_without_notices(municipality):
    empty = {"municipality": municipality, "start": date(2020, 1, 1), "end": date(2020, 12, 31)}
    assert selectors.indicator_notices_published(**empty) == 0
    assert selectors.indicator_awards_to_pes(**empty) == 0
    assert str(selectors.indicator_social_clause_share(**empty)) == "0.00"
    assert str(selectors.indicator_awards_value(**empty)) == "0.00"


def test_dashboard_counts(pes_owner, notice, organisation, answer, other_organisation):
    from tests.demand.factories import MatchFactory

    MatchFactory(notice=notice, organisation=organisation)
    consortium = AnswerFactory(notice=notice, organisation=other_organisation)
    PartnerFactory(answer=consortium, organisation=organisation)
    counts = selectors.dashboard_counts(user=pes_owner)
    assert counts == {"matched_open": 1, "pending_partnerships": 1}


def test_partner_candidates_leave_out_pes_already_in_an_answer(
    notice, answer, other_organisation, municipality
):
    from tests.directory.factories import OrganisationFactory

    free = OrganisationFactory(name="Wolna Fundacja", seat_municipality=municipality)
    busy = OrganisationFactory(name="Zajęta Fundacja", seat_municipality=municipality)
    OrganisationFactory(name="Niezweryfikowana", pending=True)
    other = AnswerFactory(notice=notice, organisation=other_organisation)
    PartnerFactory(answer=other, organisation=busy)
    names = {o.name for o in selectors.partner_candidates(notice=notice)}
    assert names == {free.name}
    # Editing the answer that has ``busy`` as its partner keeps it on the list.
    names = {o.name for o in selectors.partner_candidates(notice=notice, answer=other)}
    assert names == {free.name, busy.name}


def test_notices_published_count_whatever_became_of_them(department, municipality):
    for state in ("published", "expired", "closed", "awarded", "cancelled"):
        NoticeFactory(
            department=department, published_at=warsaw(2026, 3, 5, 12, 0), **{state: True}
        )
    assert selectors.indicator_notices_published(municipality=municipality, **MARCH) == 5


def test_each_indicator_is_one_query(march, municipality, django_assert_num_queries):
    # Monitoring computes them for every municipality and period of a programme; each is one
    # aggregate over the municipality's indexed notices (demand.models: notice_city_published_idx,
    # notice_award_municipality_idx).
    for name in (
        "indicator_notices_published",
        "indicator_social_clause_share",
        "indicator_awards_to_pes",
        "indicator_awards_value",
    ):
        with django_assert_num_queries(1):
            getattr(selectors, name)(municipality=municipality.pk, **MARCH)
