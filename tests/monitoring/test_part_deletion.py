"""The team deletes goals, actions, indicators and measurements: after a confirmation page
that says what goes with them, never silently past the measurements or a report's comment,
and always into the event log."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from monitoring import services
from monitoring.models import Action, Goal, Indicator, Measurement
from pestor.models import AuditEvent
from tests.monitoring.factories import (
    ActionFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
)
from tests.roles import ROLES as BASE_ROLES
from tests.roles import outcome

pytestmark = pytest.mark.django_db

ROLES = [*BASE_ROLES, "other_monitoring_member"]
# The programme is adopted (public): outside its team, keeping it is forbidden.
TEAM_ONLY = dict.fromkeys(ROLES, 403) | {
    "resident": "login",
    "monitoring_member": 200,
    "admin_user": 200,
}


def programme_events(programme, action):
    return AuditEvent.objects.for_object(programme).filter(action=action)


@pytest.fixture
def bare_goal(programme):
    """A goal with an action and an indicator, and no measurements."""
    goal = GoalFactory(programme=programme, position=2, title="Cel do usunięcia")
    action = ActionFactory(goal=goal, title="Działanie do usunięcia")
    IndicatorFactory(goal=None, action=action, programme=programme, name="Wskaźnik działania")
    return goal


# --- services -----------------------------------------------------------------------------------


def test_a_goal_goes_with_its_actions_and_indicators_into_the_event_log(
    programme, bare_goal, monitoring_member
):
    services.goal_delete(goal=bare_goal, actor=monitoring_member)
    assert not Goal.objects.filter(pk=bare_goal.pk).exists()
    assert not Action.objects.filter(title="Działanie do usunięcia").exists()
    assert not Indicator.objects.filter(name="Wskaźnik działania").exists()
    event = programme_events(programme, "goal.deleted").get()
    assert event.actor == monitoring_member
    assert event.before["actions"] == ["Działanie do usunięcia"]
    assert event.before["indicators"] == ["Wskaźnik działania"]


def test_an_indicator_with_measurements_is_kept_unless_they_go_too(programme, monitoring_member):
    indicator = Indicator.objects.get(programme=programme, name="Liczba przeszkolonych liderów")
    with pytest.raises(ValidationError) as error:
        services.indicator_delete(indicator=indicator, actor=monitoring_member)
    assert error.value.code == "measurements"
    assert Indicator.objects.filter(pk=indicator.pk).exists()

    services.indicator_delete(indicator=indicator, actor=monitoring_member, with_measurements=True)
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert not Measurement.objects.filter(indicator_id=indicator.pk).exists()
    event = programme_events(programme, "indicator.deleted").get()
    assert event.before["measurements"] == [
        {
            "indicator": "Liczba przeszkolonych liderów",
            "period": "2026-01-01/2026-12-31",
            "value": "20.00",
        }
    ]


def test_a_goal_commented_in_a_report_stays(programme, done_report, monitoring_member):
    goal = programme.goals.get()
    services.report_comment_add(
        report=done_report, author=monitoring_member, body="Uwaga.", goal=goal
    )
    with pytest.raises(ValidationError) as error:
        services.goal_delete(goal=goal, actor=monitoring_member, with_measurements=True)
    assert error.value.code == "commented"
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_an_action_with_a_measured_indicator_needs_the_teams_word(programme, monitoring_member):
    action = ActionFactory(goal=programme.goals.get())
    indicator = IndicatorFactory(goal=None, action=action, programme=programme)
    MeasurementFactory(indicator=indicator)
    with pytest.raises(ValidationError):
        services.action_delete(action=action, actor=monitoring_member)
    services.action_delete(action=action, actor=monitoring_member, with_measurements=True)
    assert not Action.objects.filter(pk=action.pk).exists()
    assert programme_events(programme, "action.deleted").exists()


def test_a_measurement_deleted_stays_in_the_event_log(programme, monitoring_member):
    measurement = Measurement.objects.get(indicator__programme=programme)
    indicator = measurement.indicator
    services.measurement_delete(measurement=measurement, actor=monitoring_member)
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    event = AuditEvent.objects.for_object(indicator).get(action="measurement.deleted")
    assert event.before == {"value": "20.00", "period": "2026-01-01/2026-12-31"}


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY.items())
def test_only_the_team_deletes_a_goal(role, expected, as_role, client, programme, bare_goal):
    as_role(role)
    url = reverse("monitoring:goal-delete", args=[programme.pk, bare_goal.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url)
    exists = Goal.objects.filter(pk=bare_goal.pk).exists()
    if expected == 200:
        assert response.status_code == 302 and not exists
    else:
        assert outcome(response) == expected and exists


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY.items())
def test_only_the_team_deletes_an_action(role, expected, as_role, client, programme, bare_goal):
    action = bare_goal.actions.get()
    as_role(role)
    url = reverse("monitoring:action-delete", args=[programme.pk, action.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url)
    exists = Action.objects.filter(pk=action.pk).exists()
    if expected == 200:
        assert response.status_code == 302 and not exists
    else:
        assert outcome(response) == expected and exists


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY.items())
def test_only_the_team_deletes_an_indicator(role, expected, as_role, client, programme, bare_goal):
    indicator = Indicator.objects.get(name="Wskaźnik działania")
    as_role(role)
    url = reverse("monitoring:indicator-delete", args=[programme.pk, indicator.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url)
    exists = Indicator.objects.filter(pk=indicator.pk).exists()
    if expected == 200:
        assert response.status_code == 302 and not exists
    else:
        assert outcome(response) == expected and exists


@pytest.mark.parametrize(("role", "expected"), TEAM_ONLY.items())
def test_only_the_team_deletes_a_measurement(role, expected, as_role, client, programme):
    measurement = Measurement.objects.get(indicator__programme=programme)
    as_role(role)
    url = reverse(
        "monitoring:measurement-delete",
        args=[programme.pk, measurement.indicator_id, measurement.pk],
    )
    assert outcome(client.get(url)) == expected
    response = client.post(url)
    exists = Measurement.objects.filter(pk=measurement.pk).exists()
    if expected == 200:
        assert response.status_code == 302 and not exists
    else:
        assert outcome(response) == expected and exists


def test_the_confirmation_page_says_what_must_go_first(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    indicator = Indicator.objects.get(programme=programme, name="Liczba przeszkolonych liderów")
    url = reverse("monitoring:indicator-delete", args=[programme.pk, indicator.pk])
    page = client.get(url)
    assert page.context["impact"]["measurement_count"] == 1
    assert 'name="with_measurements"' in page.content.decode()
    # Without the box ticked: the page again, with the reason, and nothing deleted.
    response = client.post(url)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    response = client.post(url, {"with_measurements": "on"})
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_a_commented_goal_offers_no_delete_button(
    client, monitoring_member, programme, done_report
):
    goal = programme.goals.get()
    services.report_comment_add(
        report=done_report, author=monitoring_member, body="Uwaga.", goal=goal
    )
    client.force_login(monitoring_member)
    page = client.get(reverse("monitoring:goal-delete", args=[programme.pk, goal.pk]))
    assert page.context["impact"]["report_comment_count"] == 1
    assert 'type="submit"' not in page.content.decode().split("<main", 1)[-1]


def test_a_measurement_of_another_indicator_is_not_found(client, monitoring_member, programme):
    measurement = Measurement.objects.get(indicator__programme=programme)
    other = IndicatorFactory(goal=programme.goals.get(), programme=programme)
    client.force_login(monitoring_member)
    url = reverse("monitoring:measurement-delete", args=[programme.pk, other.pk, measurement.pk])
    assert client.get(url).status_code == 404


def test_the_measurement_list_offers_deletion(client, monitoring_member, programme):
    measurement = Measurement.objects.get(indicator__programme=programme)
    MeasurementFactory(
        indicator=measurement.indicator,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 6, 30),
        value=Decimal(30),
    )
    client.force_login(monitoring_member)
    page = client.get(
        reverse("monitoring:measurement-list", args=[programme.pk, measurement.indicator_id])
    ).content.decode()
    assert (
        reverse(
            "monitoring:measurement-delete",
            args=[programme.pk, measurement.indicator_id, measurement.pk],
        )
        in page
    )
