"""National-scale cooperation programmes (300 at full scale) with goals, actions, indicators and
measurements; ``pestor.bulk`` describes the module."""

from datetime import date, timedelta
from decimal import Decimal

from pestor.bulk import BulkContext
from pestor.models import Municipality

from .computed import COMPUTED_INDICATORS
from .models import (
    Action,
    CooperationProgramme,
    Goal,
    Indicator,
    Measurement,
    ProgrammeFunds,
)

PROGRAMMES = 300
YEARS = (2025, 2027)
_GOALS = (
    "Wzmocnienie potencjału organizacji pozarządowych",
    "Rozwój zakupów społecznie odpowiedzialnych",
    "Aktywizacja zawodowa osób zagrożonych wykluczeniem",
    "Partnerstwo międzysektorowe w gminie",
)
_ACTIONS = ("Szkolenia i doradztwo", "Konkurs ofert", "Targi ekonomii społecznej")
_QUARTERS = [
    (date(year, month, 1), date(year, month + 2, 30 if month + 2 in (6, 9) else 31))
    for year in (2025, 2026)
    for month in (1, 4, 7, 10)
]


def load(context: BulkContext) -> str:
    rng = context.rng
    writer = context.writer
    with_programme = set(CooperationProgramme.objects.values_list("municipality_id", flat=True))
    candidates = [
        point
        for point in context.municipalities
        if point.pk not in with_programme and context.departments.get(point.pk)
    ]
    chosen = rng.sample(candidates, min(len(candidates), context.count(PROGRAMMES)))
    computed = list(COMPUTED_INDICATORS)
    programmes, goals, actions, indicators = [], [], [], []
    funds, measurements = [], []
    for point in chosen:
        year_from, year_to = YEARS
        programme = CooperationProgramme(
            pk=writer.new_pk(CooperationProgramme),
            municipality_id=point.pk,
            title=(
                f"Wieloletni program współpracy gminy {point.name} z organizacjami "
                f"pozarządowymi na lata {year_from}\N{EN DASH}{year_to}"
            ),
            kind=CooperationProgramme.Kind.MULTI_YEAR,
            year_from=year_from,
            year_to=year_to,
            resolution_number=f"XII/{rng.randrange(100, 999)}/{year_from - 1}",
            resolution_date=date(year_from - 1, 11, rng.randrange(1, 28)),
            status=CooperationProgramme.Status.ADOPTED,
            diagnosis="W gminie działa kilkadziesiąt organizacji pozarządowych.",
            main_goal="Rozwój współpracy gminy z organizacjami i podmiotami ekonomii społecznej.",
        )
        context.check(programme, exclude=["municipality"])
        programmes.append(programme)
        for year in range(year_from, year_to + 1):
            funds.append(
                ProgrammeFunds(
                    programme_id=programme.pk,
                    year=year,
                    amount=Decimal(rng.randrange(100, 5000) * 1000),
                )
            )
        for position, title in enumerate(_GOALS, start=1):
            goal = Goal(
                pk=writer.new_pk(Goal), programme_id=programme.pk, position=position, title=title
            )
            goals.append(goal)
            indicators.append(_indicator(context, programme, goal=goal, source=Indicator.MANUAL))
            indicators.append(
                _indicator(context, programme, goal=goal, source=rng.choice(computed))
            )
            for title in _ACTIONS[: rng.randint(1, len(_ACTIONS))]:
                action = Action(
                    pk=writer.new_pk(Action),
                    goal_id=goal.pk,
                    title=title,
                    department_id=context.departments[point.pk][0],
                    schedule="od kwietnia do grudnia",
                    status=rng.choice(list(Action.Status.values)),
                )
                actions.append(action)
                indicators.append(
                    _indicator(context, programme, action=action, source=Indicator.MANUAL)
                )
    for indicator in indicators:
        if indicator.is_manual:
            for start, end in _QUARTERS:
                measurements.append(
                    Measurement(
                        indicator_id=indicator.pk,
                        period_start=start,
                        period_end=end,
                        value=Decimal(rng.randrange(0, 200)),
                        entered_at=context.now - timedelta(days=rng.randrange(1, 300)),
                    )
                )
    writer.insert(CooperationProgramme, programmes)
    writer.insert(ProgrammeFunds, funds)
    writer.insert(Goal, goals)
    writer.insert(Action, actions)
    writer.insert(Indicator, indicators)
    writer.insert(Measurement, measurements)
    return (
        f"{len(programmes)} programów, {len(goals)} celów, {len(actions)} działań, "
        f"{len(indicators)} wskaźników, {len(measurements)} pomiarów"
    )


def _indicator(context, programme, *, source, goal=None, action=None) -> Indicator:
    indicator = Indicator(
        pk=context.writer.new_pk(Indicator),
        programme_id=programme.pk,
        goal_id=goal.pk if goal else None,
        action_id=action.pk if action else None,
        name="Liczba uczestników działań" if source == Indicator.MANUAL else source,
        unit="osoby",
        baseline=Decimal(10),
        target=Decimal(context.rng.randrange(50, 500)),
        source=source,
    )
    return indicator


def finish(context: BulkContext) -> str:
    """The snapshots the dashboards and reports read, for every programme's periods."""
    from django.utils import timezone

    from . import services

    taken = 0
    for municipality_id, start, end, _renew in services.indicator_snapshots_plan(
        today=timezone.localdate()
    ):
        municipality = Municipality.objects.get(pk=municipality_id)
        taken += len(
            services.indicator_snapshots_refresh(
                municipality=municipality, start=start, end=end, only_missing=False
            )
        )
    return f"{taken} migawek wskaźników / indicator snapshots taken"
