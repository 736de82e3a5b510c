"""Every page of the strategy's editing, and the list of one's own offers, for every role."""

import pytest
from django.urls import reverse

from grants.models import Offer, StrategyOutcome
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

OFFICIALS = {"official", "admin_user"}
ANY_OFFICIAL = OFFICIALS | {"other_official"}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_municipalitys_officials_open_the_strategy_forms(role, as_role, client, strategy):
    as_role(role)
    row = StrategyOutcome.objects.filter(goal__area__strategy=strategy).select_related(
        "goal__area"
    )[0]
    for name, pk in (
        ("grants:strategy-update", strategy.pk),
        ("grants:area-create", strategy.pk),
        ("grants:area-update", row.goal.area_id),
        ("grants:goal-create", row.goal.area_id),
        ("grants:goal-update", row.goal_id),
        ("grants:outcome-create", row.goal_id),
        ("grants:outcome-update", row.pk),
    ):
        response = client.get(reverse(name, args=[pk]))
        expected = "login" if role == "resident" else (200 if role in OFFICIALS else 403)
        assert outcome(response) == expected, name


def test_a_missing_part_is_a_404(client, official):
    client.force_login(official)
    assert client.get(reverse("grants:goal-create", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_my_offers_lists_only_my_organisations_offers(role, as_role, client, offer, other_offer):
    user = as_role(role)
    response = client.get(reverse("grants:my-offers"))
    if user is None:
        assert outcome(response) == "login"
        return
    assert response.status_code == 200
    shown = {item.pk for item in response.context["offers"]}
    mine = set(
        Offer.objects.filter(organisation__memberships__user=user).values_list("pk", flat=True)
    )
    assert shown == mine
    if role in ("pes_owner", "pes_editor"):
        assert shown == {offer.pk}


@pytest.mark.parametrize("role", ROLES)
def test_the_new_strategy_form_offers_only_ones_own_municipality(
    role, as_role, client, municipality, other_municipality
):
    as_role(role)
    response = client.get(reverse("grants:strategy-create"))
    if role not in ANY_OFFICIAL:
        return
    choices = {m.pk for m in response.context["form"].fields["municipality"].queryset}
    if role == "admin_user":
        assert {municipality.pk, other_municipality.pk} <= choices
    else:
        home = municipality if role == "official" else other_municipality
        assert choices == {home.pk}
