"""What the grants tests build again and again: Toruń's culture strategy (an area, a goal, two
outcomes), a competition's data, an offer's data, and the clock moved past a deadline. Used by
tests/grants (through its fixtures) and the browser path; the demo (grants/demo.py) seeds its
own, larger strategy."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from grants import services
from grants.models import Competition, Contribution

CULTURE_OUTCOMES = [
    ("Więcej mieszkańców w kulturze", "mieszkańcy biorący udział w wydarzeniach", "osoby/rok"),
    ("Więcej wydarzeń w dzielnicach", "wydarzenia kulturalne poza centrum", "wydarzenia/rok"),
]


def add_area(strategy, official, *, area, goal, outcomes):
    """An area of ``strategy`` with one goal and its ``outcomes`` (name, measure, unit); returns
    the outcomes in their order."""
    return services.strategy_area_build(
        strategy=strategy, actor=official, name=area, goals=[(goal, outcomes)]
    )


def make_strategy(municipality, official, *, outcomes=CULTURE_OUTCOMES):
    """Toruń's strategy with its culture area: one goal, two outcomes."""
    strategy = services.strategy_create(
        municipality=municipality,
        actor=official,
        name="Strategia rozwoju Torunia do roku 2020",
        first_year=2013,
        last_year=2020,
        resolution="Uchwała nr 123/13",
    )
    add_area(
        strategy,
        official,
        area="Kultura",
        goal="Wysoka aktywność kulturalna mieszkańców",
        outcomes=outcomes,
    )
    return strategy


def strategy_outcomes(strategy):
    return list(
        services.StrategyOutcome.objects.filter(goal__area__strategy=strategy).order_by(
            "goal__area__order", "goal__area_id", "order", "pk"
        )
    )


def competition_data(culture, **overrides):
    now = timezone.now()
    return {
        "title": "Konkurs: kultura w dzielnicach",
        "description": "Wydarzenia kulturalne w dzielnicach Torunia",
        "sphere": culture,
        "budget": Decimal("100000.00"),
        "offers_from": now - timedelta(days=1),
        "offers_until": now + timedelta(days=10),
        "task_starts_on": date(2027, 3, 1),
        "task_ends_on": date(2027, 11, 30),
        "alignment_points": Decimal(20),
        **overrides,
    }


def close_offers(competition):
    """Move the deadline a minute into the past (as the clock would)."""
    now = timezone.now()
    Competition.objects.filter(pk=competition.pk).update(
        offers_from=now - timedelta(days=20), offers_until=now - timedelta(minutes=1)
    )
    competition.refresh_from_db()
    competition.__dict__.pop("_grants_panel", None)
    return competition


def offer_data(outcomes, **overrides):
    return {
        "task_title": "Festiwal podwórek",
        "task_description": "Koncerty i warsztaty na podwórkach Bydgoskiego Przedmieścia",
        "schedule": "od maja do września",
        "total_cost": Decimal("30000.00"),
        "grant_requested": Decimal("20000.00"),
        "own_funds": Decimal("5000.00"),
        "in_kind_value": Decimal("3000.00"),
        "volunteer_hours": 200,
        "volunteer_value": Decimal("2000.00"),
        "contributions": {
            outcomes[0].pk: (Contribution.DIRECT, Decimal(500)),
            outcomes[1].pk: (Contribution.INDIRECT, None),
        },
        "documents": [],
        **overrides,
    }
