"""The cost-benefit analysis: money per outcome, cost per unit promised and achieved, money
without a direct contribution, outcomes nobody serves, and each funded offer's light."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants import analysis, selectors, services
from grants.models import Contribution
from scoring import services as scoring_services
from tests.grants.conftest import close_offers, offer_data
from tests.roles import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(offer, other_offer, competition, official, third_organisation, outcomes):
    """Three funded offers: the first direct to outcome 0 (500 promised), the second indirect
    only, the third direct to both outcomes (100 and 10)."""
    owner = third_organisation.memberships.get().user
    third = services.offer_submit(
        competition=competition,
        organisation=third_organisation,
        actor=owner,
        **offer_data(
            outcomes,
            contributions={
                outcomes[0].pk: (Contribution.DIRECT, Decimal(100)),
                outcomes[1].pk: (Contribution.DIRECT, Decimal(10)),
            },
        ),
    )
    services.offer_update(
        offer=other_offer,
        actor=other_offer.organisation.memberships.first().user,
        **offer_data(
            outcomes,
            task_title="Teatr w bramie",
            contributions={outcomes[0].pk: (Contribution.INDIRECT, None)},
        ),
    )
    competition = close_offers(competition)
    for item in (offer, other_offer, third):
        services.offer_check(offer=item, actor=official, failed_criteria=[])
    panel = selectors.competition_panel(competition=competition)
    scoring_services.panel_close(panel=panel, actor=official)
    competition.__dict__.pop("_grants_panel", None)
    services.competition_decide(
        competition=competition,
        actor=official,
        amounts={offer.pk: Decimal(20000), other_offer.pk: Decimal(10000), third.pk: Decimal(8000)},
    )
    return competition, third


def test_money_and_cost_per_outcome(decided, offer, pes_owner, outcomes):
    competition, third = decided
    services.card_submit(
        offer=offer,
        actor=pes_owner,
        achievements={outcomes[0].pk: (Decimal(400), "Listy"), outcomes[1].pk: (Decimal(0), "")},
    )
    result = analysis.competition_analysis(competition=competition, outcomes=outcomes)
    first, second = result.outcomes
    # 20 000 from the first offer and half of the third's 8 000.
    assert first.money == Decimal(24000) and first.promised == Decimal(600)
    assert first.cost_promised == Decimal(40)
    assert first.achieved == Decimal(400) and first.reported == 1
    assert second.money == Decimal(4000) and second.cost_promised == Decimal(400)
    assert second.cost_achieved is None
    assert result.awarded == Decimal(38000)
    assert result.indirect_money == Decimal(10000)
    assert result.indirect_share == Decimal("26.3")
    lights = {row.offer.pk: row.light for row in result.offers}
    assert lights[offer.pk] == "amber"  # 400 of 500
    assert lights[third.pk] == ""  # no card yet


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_published_analysis(role, as_role, client, decided):
    competition, _third = decided
    as_role(role)
    response = client.get(reverse("grants:competition-analysis", args=[competition.pk]))
    assert response.status_code == 200
    assert "Więcej mieszkańców w kulturze" in response.content.decode()


def test_no_analysis_before_the_results(client, competition, official):
    client.force_login(official)
    url = reverse("grants:competition-analysis", args=[competition.pk])
    assert client.get(url).status_code == 404


def test_the_analysis_runs_a_fixed_number_of_queries(client, decided, django_assert_num_queries):
    competition, _third = decided
    with django_assert_num_queries(4):
        client.get(reverse("grants:competition-analysis", args=[competition.pk]))
