"""The grants' rules as the services enforce them, whoever calls them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants import selectors, services
from grants.models import Competition, Contribution, Offer, StrategyOutcome
from pestor.models import AuditEvent
from scoring import selectors as scoring_selectors
from scoring import services as scoring_services
from scoring.models import Criterion, Member, Panel
from scoring.services import ScoreInput
from tests.factories import make_official
from tests.grants.factories import close_offers, competition_data, offer_data

pytestmark = pytest.mark.django_db


# --- the strategy ------------------------------------------------------------------------------


def test_strategy_tree_is_read_whole(strategy, django_assert_num_queries):
    with django_assert_num_queries(4):
        loaded = selectors.strategy_get(pk=strategy.pk)
        outcomes = [
            outcome.unit
            for area in loaded.areas.all()
            for goal in area.goals.all()
            for outcome in goal.outcomes.all()
        ]
    assert outcomes == ["osoby/rok", "wydarzenia/rok"]


def test_only_the_municipalitys_officials_edit_its_strategy(strategy, other_official, pes_owner):
    outcome = StrategyOutcome.objects.filter(goal__area__strategy=strategy).first()
    for actor in (other_official, pes_owner):
        with pytest.raises(ValidationError):
            services.strategy_part_save(instance=outcome, actor=actor, unit="osoby")
    outcome.refresh_from_db()
    assert outcome.unit == "osoby/rok"


def test_a_strategy_period_cannot_end_before_it_starts(municipality, official):
    with pytest.raises(ValidationError) as error:
        services.strategy_create(
            municipality=municipality, actor=official, name="S", first_year=2020, last_year=2010
        )
    assert "last_year" in error.value.message_dict


def test_every_strategy_change_is_in_the_event_log(strategy):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "grants.strategy_create",
        "grants.strategyarea_save",
        "grants.strategygoal_save",
        "grants.strategyoutcome_save",
    } <= actions


# --- competitions ------------------------------------------------------------------------------


def test_a_new_competition_has_the_card_of_art_15(draft):
    assert [c.max_points for c in draft.merit_criteria.all()] == [10, 10, 10, 5, 5, 5]
    assert draft.formal_criteria.count() == 3
    assert draft.status == Competition.Status.DRAFT
    assert selectors.competition_panel(competition=draft) is None


def test_announcing_opens_the_panel_with_the_card(competition, official):
    panel = selectors.competition_panel(competition=competition)
    criteria = list(Criterion.objects.filter(panel=panel).order_by("order"))
    assert len(criteria) == 8
    assert {c.part for c in criteria[:6]} == {"Merit criteria (art. 15 ust. 1)"} or {
        c.part for c in criteria[:6]
    } == {"Kryteria merytoryczne (art. 15 ust. 1)"}
    assert [c.max_points for c in criteria[6:]] == [Decimal(10), Decimal(10)]
    assert criteria[6].name.startswith("Strategia: ") or criteria[6].name.startswith("Strategy: ")
    assert panel.comment_required_below_half
    chair = Member.objects.get(panel=panel)
    assert chair.user == official and chair.is_chair


def test_outcomes_of_another_municipalitys_strategy_are_refused(
    other_municipality, other_official, culture, outcomes
):
    with pytest.raises(ValidationError) as error:
        services.competition_create(
            municipality=other_municipality,
            actor=other_official,
            outcomes=outcomes,
            **competition_data(culture),
        )
    assert "outcomes" in error.value.message_dict


def test_a_competition_without_outcomes_is_not_announced(municipality, official, culture):
    draft = services.competition_create(
        municipality=municipality, actor=official, outcomes=[], **competition_data(culture)
    )
    with pytest.raises(ValidationError):
        services.competition_publish(competition=draft, actor=official)
    draft.refresh_from_db()
    assert draft.status == Competition.Status.DRAFT


def test_an_announced_card_does_not_change(competition, official, outcomes):
    with pytest.raises(ValidationError):
        services.competition_update(
            competition=competition,
            actor=official,
            outcomes=outcomes,
            merit_criteria=[("Jedno", 100)],
            formal_criteria=["x"],
            title="Inny",
        )
    assert competition.merit_criteria.count() == 6


def test_other_officials_cannot_announce(draft, other_official):
    with pytest.raises(ValidationError):
        services.competition_publish(competition=draft, actor=other_official)


# --- offers ------------------------------------------------------------------------------------


def test_a_verified_pes_submits_with_its_promises_and_a_private_pdf(offer, outcomes):
    rows = {row.outcome_id: row for row in offer.outcomes.all()}
    assert rows[outcomes[0].pk].contribution == Contribution.DIRECT
    assert rows[outcomes[0].pk].promised_quantity == 500
    assert rows[outcomes[1].pk].promised_quantity is None
    document = offer.documents.get()
    assert document.file.read().startswith(b"%PDF-")
    assert not offer.entered_by_official


def test_a_direct_contribution_needs_a_quantity(competition, organisation, pes_owner, outcomes):
    data = offer_data(outcomes, contributions={outcomes[0].pk: (Contribution.DIRECT, None)})
    with pytest.raises(ValidationError) as error:
        services.offer_submit(
            competition=competition, organisation=organisation, actor=pes_owner, **data
        )
    assert f"quantity_{outcomes[0].pk}" in error.value.message_dict
    assert not Offer.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused(competition, organisation, pes_owner, outcomes):
    fake = SimpleUploadedFile("oferta.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.offer_submit(
            competition=competition,
            organisation=organisation,
            actor=pes_owner,
            **offer_data(outcomes, documents=[("x", fake)]),
        )
    assert "documents" in error.value.message_dict
    assert not Offer.objects.exists()


def test_nobody_submits_for_an_organisation_they_do_not_belong_to(
    competition, organisation, other_pes_member, outcomes
):
    with pytest.raises(ValidationError) as error:
        services.offer_submit(
            competition=competition,
            organisation=organisation,
            actor=other_pes_member,
            **offer_data(outcomes),
        )
    assert "organisation" in error.value.message_dict


def test_an_official_enters_a_paper_offer_for_a_pes(competition, organisation, official, outcomes):
    offer = services.offer_submit(
        competition=competition, organisation=organisation, actor=official, **offer_data(outcomes)
    )
    assert offer.entered_by_official
    assert offer.submitted_by == official


def test_no_offer_after_the_deadline_by_the_server_clock(
    competition, organisation, pes_owner, outcomes
):
    with pytest.raises(ValidationError) as error:
        services.offer_submit(
            competition=competition,
            organisation=organisation,
            actor=pes_owner,
            now=competition.offers_until,
            **offer_data(outcomes),
        )
    assert error.value.code == "deadline_passed"


def test_an_offer_changes_until_the_deadline_and_never_after(offer, pes_owner, outcomes):
    data = offer_data(outcomes, task_title="Festiwal podwórek 2027")
    services.offer_update(offer=offer, actor=pes_owner, **data)
    offer.refresh_from_db()
    assert offer.task_title == "Festiwal podwórek 2027"
    with pytest.raises(ValidationError):
        services.offer_update(
            offer=offer,
            actor=pes_owner,
            now=offer.competition.offers_until + timedelta(seconds=1),
            **offer_data(outcomes, task_title="Za późno"),
        )
    with pytest.raises(ValidationError):
        services.offer_withdraw(offer=offer, actor=pes_owner, now=offer.competition.offers_until)
    offer.refresh_from_db()
    assert offer.task_title == "Festiwal podwórek 2027"
    assert offer.status == Offer.Status.SUBMITTED


def test_another_pes_cannot_change_an_offer(offer, other_pes_member, outcomes):
    with pytest.raises(ValidationError):
        services.offer_update(offer=offer, actor=other_pes_member, **offer_data(outcomes))


def test_nothing_is_scored_before_the_deadline(offer, competition):
    assert not selectors.scored_offers(competition).exists()
    close_offers(competition)
    assert list(selectors.scored_offers(competition)) == [offer]


def test_a_formal_failure_takes_the_offer_out_of_scoring_with_its_reason(
    offer, other_offer, competition, official
):
    competition = close_offers(competition)
    criteria = list(competition.formal_criteria.all())
    services.offer_check(
        offer=other_offer, actor=official, failed_criteria=criteria[2:], note="Brak statutu"
    )
    services.offer_check(offer=offer, actor=official, failed_criteria=[])
    panel = selectors.competition_panel(competition=competition)
    assert list(scoring_selectors.panel_items(panel=panel)) == [offer]
    ranking = selectors.competition_ranking(competition=competition)
    assert [failed.pk for failed in ranking.failed] == [other_offer.pk]
    assert [row.item.pk for row in ranking.results.excluded] == [other_offer.pk]
    assert ranking.results.excluded[0].reason.endswith("Brak statutu")
    other_offer.refresh_from_db()
    assert other_offer.formal_reason.endswith("Brak statutu")


def test_the_formal_check_waits_for_the_deadline(offer, official):
    with pytest.raises(ValidationError):
        services.offer_check(offer=offer, actor=official, failed_criteria=[])


# --- scoring and the decision ------------------------------------------------------------------


def _score_all(panel, member, offer, points):
    scoring_services.declaration_make(member=member, item=offer, conflict=False, actor=member.user)
    values = {
        criterion.pk: ScoreInput(points=min(Decimal(points), criterion.max_points), comment="ok")
        for criterion in panel.criteria.all()
    }
    scoring_services.scores_save(
        member=member, item=offer, values=values, submit=True, actor=member.user
    )


@pytest.fixture
def scored(offer, other_offer, competition, official):
    """Both offers passed the formal check, scored by three members, one of whom declared a
    conflict on the second offer; the chair closed scoring."""
    competition = close_offers(competition)
    for item in (offer, other_offer):
        services.offer_check(offer=item, actor=official, failed_criteria=[])
    panel = selectors.competition_panel(competition=competition)
    chair = Member.objects.get(panel=panel)
    members = [chair] + [
        scoring_services.member_add(
            panel=panel, user=make_official(competition.municipality), actor=official
        )
        for _ in range(2)
    ]
    for member in members:
        _score_all(panel, member, offer, 9)
    _score_all(panel, members[0], other_offer, 4)
    _score_all(panel, members[1], other_offer, 5)
    scoring_services.declaration_make(
        member=members[2], item=other_offer, conflict=True, note="Członek zarządu", actor=official
    )
    scoring_services.panel_close(panel=panel, actor=official)
    competition.__dict__.pop("_grants_panel", None)
    return competition


def test_the_ranking_counts_means_and_conflicts(scored, offer, other_offer):
    ranking = selectors.competition_ranking(competition=scored)
    first, second = ranking.results.items
    assert first.item == offer and first.rank == 1 and first.scorers == 3
    assert second.item == other_offer and second.conflicts == 1 and second.scorers == 2
    # 6 merit criteria and 2 strategy ones: 9 points capped by each maximum (5 on three).
    assert first.total == Decimal(9 * 3 + 5 * 3 + 9 * 2)


def test_amounts_stay_within_the_budget(scored, offer, other_offer, official):
    Competition.objects.filter(pk=scored.pk).update(budget=Decimal(30000))
    with pytest.raises(ValidationError) as error:
        services.competition_decide(
            competition=scored,
            actor=official,
            amounts={offer.pk: Decimal(20000), other_offer.pk: Decimal(15000)},
        )
    assert "__all__" in error.value.message_dict
    assert Competition.objects.get(pk=scored.pk).status == Competition.Status.PUBLISHED
    assert not Offer.objects.filter(awarded_amount__isnull=False).exists()


def test_no_amount_above_what_was_requested(scored, offer, official):
    with pytest.raises(ValidationError) as error:
        services.competition_decide(
            competition=scored, actor=official, amounts={offer.pk: Decimal("20000.01")}
        )
    assert f"amount_{offer.pk}" in error.value.message_dict


def test_no_decision_while_scoring_is_open(offer, competition, official):
    competition = close_offers(competition)
    services.offer_check(offer=offer, actor=official, failed_criteria=[])
    with pytest.raises(ValidationError):
        services.competition_decide(
            competition=competition, actor=official, amounts={offer.pk: Decimal(1000)}
        )


def test_the_decision_funds_publishes_and_emails_every_applicant(
    scored, offer, other_offer, official, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.competition_decide(
            competition=scored, actor=official, amounts={offer.pk: Decimal(18000)}
        )
    offer.refresh_from_db()
    other_offer.refresh_from_db()
    assert (offer.status, offer.awarded_amount) == (Offer.Status.FUNDED, Decimal(18000))
    assert (other_offer.status, other_offer.awarded_amount) == (Offer.Status.UNFUNDED, None)
    assert Competition.objects.get(pk=scored.pk).status == Competition.Status.DECIDED
    recipients = {address for message in mail.outbox for address in message.to}
    assert "wlasciciel@example.org" in recipients
    other_members = set(other_offer.organisation.memberships.values_list("user__email", flat=True))
    assert other_members <= recipients
    assert AuditEvent.objects.filter(action="grants.competition_decide").count() == 1


def test_a_formally_failed_offer_cannot_be_funded(offer, other_offer, competition, official):
    competition = close_offers(competition)
    services.offer_check(
        offer=other_offer, actor=official, failed_criteria=list(competition.formal_criteria.all())
    )
    panel = selectors.competition_panel(competition=competition)
    scoring_services.panel_close(panel=panel, actor=official)
    competition.__dict__.pop("_grants_panel", None)
    with pytest.raises(ValidationError) as error:
        services.competition_decide(
            competition=competition, actor=official, amounts={other_offer.pk: Decimal(100)}
        )
    assert f"amount_{other_offer.pk}" in error.value.message_dict


def test_indicators_count_the_grants_and_the_direct_share(scored, offer, official, municipality):
    services.competition_decide(
        competition=scored, actor=official, amounts={offer.pk: Decimal(18000)}
    )
    today = timezone.localdate()
    period = {"municipality": municipality, "start": today.replace(month=1, day=1), "end": today}
    assert selectors.indicator_grants_awarded(**period) == 1
    assert selectors.indicator_grants_value(**period) == Decimal(18000)
    assert selectors.indicator_direct_share(**period) == Decimal(100)


def test_the_panel_is_closed_only_through_scoring(scored):
    panel = selectors.competition_panel(competition=scored)
    assert panel.status == Panel.Status.CLOSED
