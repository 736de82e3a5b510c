"""The cost-benefit analysis: money per outcome, cost per unit promised and achieved, money
without a direct contribution, outcomes nobody serves, and each funded offer's light."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants import analysis, selectors, services
from tests.grants.factories import add_area, competition_data
from tests.roles import ROLES

pytestmark = pytest.mark.django_db


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
    # competition, outcomes, funded offers, their contributions, the PDF
    with django_assert_num_queries(5):
        client.get(reverse("grants:competition-analysis", args=[competition.pk]))


# --- the analysis per strategy area ------------------------------------------------------------


def test_the_area_sums_its_competitions(decided, area, offer, pes_owner, outcomes):
    competition, _third = decided
    services.card_submit(
        offer=offer,
        actor=pes_owner,
        achievements={outcomes[0].pk: (Decimal(400), "Listy"), outcomes[1].pk: (Decimal(0), "")},
    )
    outcomes = selectors.area_outcomes(area=area)
    result = analysis.area_analysis(area=area, outcomes=outcomes)
    same = analysis.competition_analysis(competition=competition, outcomes=outcomes)
    assert [row.money for row in result.outcomes] == [row.money for row in same.outcomes]
    assert result.awarded == Decimal(38000) and result.indirect_money == Decimal(10000)
    first = result.outcomes[0]
    # Charted: 400 achieved of the 500 promised by the offer that returned its card.
    assert first.value == Decimal(400) and first.target == Decimal(500)
    assert first.progress == Decimal(80) and not first.reached
    assert first.description == (
        "Więcej mieszkańców w kulturze: osiągnięto 400 z 500 zadeklarowanych przez oferty, "
        "które złożyły kartę (jednostka: osoby/rok), 80%."
    )
    assert "nie złożono jeszcze" in result.outcomes[1].description


def test_an_area_counts_only_published_results_and_its_own_outcomes(
    decided, area, strategy, official, municipality, culture
):
    # A second area whose outcome no competition serves, and a draft serving the first area.
    (lone,) = add_area(
        strategy,
        official,
        area="Sport",
        goal="Ruch",
        outcomes=[("Więcej biegaczy", "biegacze", "osoby/rok")],
    )
    other = lone.goal.area
    services.competition_create(
        municipality=municipality,
        actor=official,
        outcomes=selectors.area_outcomes(area=area),
        **competition_data(culture, title="Szkic"),
    )
    assert [c.pk for c in selectors.area_competitions(area=area)] == [decided[0].pk]
    result = analysis.area_analysis(area=other, outcomes=[lone])
    assert result.awarded == 0 and result.unserved == [lone]
    assert selectors.area_competitions(area=other) == []


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_area_analysis(role, as_role, client, decided, area):
    as_role(role)
    response = client.get(reverse("grants:area-analysis", args=[area.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Więcej mieszkańców w kulturze" in page and decided[0].title in page
    # The chart and its words.
    assert 'class="progress-chart"' in page


def test_an_unknown_area_is_404(client):
    assert client.get(reverse("grants:area-analysis", args=[999999])).status_code == 404
    assert client.get("/granty/obszary/abc/analiza/").status_code == 404


def test_the_area_analysis_runs_a_fixed_number_of_queries(
    client, decided, area, django_assert_num_queries
):
    # area, outcomes, competitions, funded offers, their contributions, the PDF
    with django_assert_num_queries(6):
        client.get(reverse("grants:area-analysis", args=[area.pk]))
