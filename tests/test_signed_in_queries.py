"""Signed-in pages ask a fixed number of queries, at most ten (issue 8), however much they
show: counted on many rows, the whole request (the session, the user, the roles' one query
with the user's organisations and unread inquiries, and the page's own)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from demand.models import NoticeAttachment, NoticeCorrection, NoticeQuestion
from pestor import roles
from tests.demand.factories import (
    AnswerFactory,
    MatchFactory,
    NoticeFactory,
    PartnerFactory,
    pdf_file,
)
from tests.directory.factories import MembershipFactory, OrganisationFactory
from tests.exchange.factories import InquiryFactory, OfferFactory, OfferPhotoFactory, cpv_code
from tests.monitoring.factories import (
    ActionFactory,
    FundsFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgrammeFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
ROWS = 30


def test_matched_notices(client, pes_owner, organisation, django_assert_num_queries):
    """The session, the user, the roles; the count, the rows, their CPV codes (the filter's
    CPV field loads its suggestions from the server: no query of its own)."""
    for _ in range(ROWS):
        notice = NoticeFactory(published=True, cpv_codes=[cpv_code("55520000")])
        MatchFactory(notice=notice, organisation=organisation)
        AnswerFactory(notice=notice, organisation=organisation)
        InquiryFactory(offer=OfferFactory(organisation=organisation))
    client.force_login(pes_owner)
    with django_assert_num_queries(6):
        response = client.get(reverse("demand:matched-notices"))
    assert response.status_code == 200
    assert len(response.context["notices"]) == 20
    assert all(notice.answered for notice in response.context["notices"])


@pytest.fixture
def busy_awarded_notice(official, municipality):
    """An awarded notice of the official's department with everything its page lists, many of
    each: CPV codes, documents, answers in consortia, matches, questions, corrections."""
    department = official.official_memberships.first().department
    notice = NoticeFactory(
        department=department,
        awarded=True,
        award_date=timezone.localdate(),
        cpv_codes=[cpv_code(code) for code in ("55520000", "90910000", "79810000")],
    )
    for number in range(ROWS):
        organisation = OrganisationFactory(name=f"Spółdzielnia {number:02d}")
        answer = AnswerFactory(notice=notice, organisation=organisation, is_awarded=number < 2)
        PartnerFactory.create_batch(2, answer=answer, confirmed_at=timezone.now())
        MatchFactory(notice=notice, organisation=organisation)
        NoticeQuestion.objects.create(
            notice=notice,
            organisation=organisation,
            question=f"Pytanie {number}?",
            answer="Tak.",
            answered_at=timezone.now(),
        )
    for number in range(5):
        NoticeAttachment.objects.create(notice=notice, file=pdf_file(), title=f"zal{number}.pdf")
        NoticeCorrection.objects.create(notice=notice, reason=f"Poprawka {number}.")
    return notice


def test_the_officials_notice_detail(
    client, official, busy_awarded_notice, django_assert_num_queries
):
    """The session, the user, the roles; the notice with its CPV codes and documents, its
    answers, their partners, the matches, the corrections, the questions, the history. The
    awarded answers are the buyer side's answers already read."""
    client.force_login(official)
    url = reverse("demand:notice-detail", args=[busy_awarded_notice.pk])
    client.get(url)  # the history's content type, cached by the process from then on
    with django_assert_num_queries(MAX_QUERIES):
        response = client.get(url)
    content = response.content.decode()
    assert len(response.context["answers"]) == ROWS
    assert [a.organisation.name for a in response.context["notice"].awarded_answers] == [
        "Spółdzielnia 00",
        "Spółdzielnia 01",
    ]
    assert all(
        len(answer.confirmed_partners) == 2 for answer in response.context["notice"].awarded_answers
    )
    for shown in ("55520000-", "90910000-", "79810000-", "zal4.pdf", "Poprawka 4.", "Pytanie 29?"):
        assert shown in content, shown


def test_the_public_notice_detail_reads_the_award(client, busy_awarded_notice):
    """Anyone else reads the awarded answers with their confirmed partners (no answers list)."""
    response = client.get(reverse("demand:notice-detail", args=[busy_awarded_notice.pk]))
    awarded = response.context["notice"].awarded_answers
    assert [answer.organisation.name for answer in awarded] == [
        "Spółdzielnia 00",
        "Spółdzielnia 01",
    ]
    assert "zal0.pdf" in response.content.decode()


def test_the_programme_page(client, monitoring_member, municipality, django_assert_num_queries):
    """The session, the user, the roles; the programme with its goals and funds, the actions,
    the indicators, their measurements, the snapshots of computed indicators, the latest
    snapshot job, the latest reports."""
    programme = ProgrammeFactory(municipality=municipality)
    for year in range(programme.year_from, programme.year_to + 1):
        FundsFactory(programme=programme, year=year, amount=Decimal("1234567.89"))
    for number in range(10):
        goal = GoalFactory(programme=programme, position=number + 1, title=f"Cel {number}")
        IndicatorFactory(programme=programme, goal=goal)
        for _ in range(3):
            action = ActionFactory(goal=goal)
            indicator = IndicatorFactory(programme=programme, goal=None, action=action)
            MeasurementFactory(indicator=indicator)
            MeasurementFactory(
                indicator=indicator, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
            )
    IndicatorFactory(programme=programme, goal=goal, source="verified_organisations")
    for year in range(2020, 2026):
        ReportFactory(
            programme=programme, period_start=date(year, 1, 1), period_end=date(year, 12, 31)
        )
    client.force_login(monitoring_member)
    url = reverse("monitoring:programme-detail", args=[programme.pk])
    with django_assert_num_queries(MAX_QUERIES):
        response = client.get(url)
    content = response.content.decode()
    assert "Cel 9" in content
    assert [f.amount for f in response.context["funds"]] == [Decimal("1234567.89")] * len(
        response.context["funds"]
    )
    assert len(response.context["goal_figures"]) == 10
    assert all(len(entry["actions"]) == 3 for entry in response.context["goal_figures"])


def test_an_organisations_own_offers(client, pes_owner, organisation, django_assert_num_queries):
    """The session, the user, the roles (the membership among them); the organisation with
    its spheres and municipalities; the count, the rows."""
    for number in range(ROWS):
        offer = OfferFactory(organisation=organisation, title=f"Oferta {number}")
        OfferPhotoFactory(offer=offer)
        InquiryFactory(offer=offer)
    client.force_login(pes_owner)
    url = reverse("exchange:organisation-offers", args=[organisation.slug])
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["offers"]) == 20


def test_the_inbox_badge_counts_the_unread_conversations(client, pes_owner, organisation):
    """The navigation's count comes with the roles' query (one conversation read, two not)."""
    inquiries = InquiryFactory.create_batch(3, offer=OfferFactory(organisation=organisation))
    for inquiry in inquiries:
        inquiry.last_message_at = timezone.now() - timedelta(hours=1)
        inquiry.save()
    inquiries[0].organisation_read_at = timezone.now()
    inquiries[0].save()
    client.force_login(pes_owner)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert '<span class="badge badge-info">2<span class="visually-hidden">' in content


def test_the_users_organisations_come_with_the_roles(
    pes_owner, organisation, django_assert_num_queries
):
    from directory.permissions import membership_roles, membership_statuses

    other = OrganisationFactory(pending=True)
    MembershipFactory(organisation=other, user=pes_owner, role="editor")
    with django_assert_num_queries(1):
        assert membership_roles(pes_owner) == {organisation.pk: "owner", other.pk: "editor"}
        assert membership_statuses(pes_owner) == {
            organisation.pk: "verified",
            other.pk: "pending",
        }
        assert not roles.is_official(pes_owner)


def test_opening_an_unread_conversation_takes_it_off_the_badge(client, pes_owner, organisation):
    inquiries = InquiryFactory.create_batch(2, offer=OfferFactory(organisation=organisation))
    for inquiry in inquiries:
        inquiry.last_message_at = timezone.now() - timedelta(hours=1)
        inquiry.save()
    client.force_login(pes_owner)
    content = client.get(reverse("exchange:inquiry-detail", args=[inquiries[0].pk]))
    assert '<span class="badge badge-info">1<span class="visually-hidden">' in (
        content.content.decode()
    )
