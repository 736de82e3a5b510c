"""Fixtures of the grants tests: Toruń's culture strategy, an announced culture competition
linked to two outcomes, and the shared verified organisation's offer in it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.models import PublicBenefitSphere
from grants import services
from grants.models import Competition, Contribution
from tests.directory.factories import OrganisationFactory, make_pes_member


@pytest.fixture
def culture(db):
    # get_or_create: a transactional test runs after a flush of the spheres.
    return PublicBenefitSphere.objects.get_or_create(
        code="16",
        defaults={"name": "kultura, sztuka, ochrona dóbr kultury i dziedzictwa", "position": 20},
    )[0]


@pytest.fixture
def strategy(municipality, official):
    strategy = services.strategy_create(
        municipality=municipality,
        actor=official,
        name="Strategia rozwoju Torunia do roku 2020",
        first_year=2013,
        last_year=2020,
        resolution="Uchwała nr 123/13",
    )
    area = services.strategy_part_save(
        instance=services.StrategyArea(strategy=strategy), actor=official, name="Kultura"
    )
    goal = services.strategy_part_save(
        instance=services.StrategyGoal(area=area),
        actor=official,
        name="Wysoka aktywność kulturalna mieszkańców",
    )
    for order, (name, measure, unit) in enumerate(
        [
            (
                "Więcej mieszkańców w kulturze",
                "mieszkańcy biorący udział w wydarzeniach",
                "osoby/rok",
            ),
            (
                "Więcej wydarzeń w dzielnicach",
                "wydarzenia kulturalne poza centrum",
                "wydarzenia/rok",
            ),
        ]
    ):
        services.strategy_part_save(
            instance=services.StrategyOutcome(goal=goal),
            actor=official,
            name=name,
            measure=measure,
            unit=unit,
            order=order,
        )
    return strategy


@pytest.fixture
def outcomes(strategy):
    return list(
        services.StrategyOutcome.objects.filter(goal__area__strategy=strategy).order_by("order")
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


@pytest.fixture
def draft(municipality, official, culture, outcomes):
    return services.competition_create(
        municipality=municipality, actor=official, outcomes=outcomes, **competition_data(culture)
    )


@pytest.fixture
def competition(draft, official):
    return services.competition_publish(competition=draft, actor=official)


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


@pytest.fixture
def pdf_file():
    return SimpleUploadedFile("oferta.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def offer(competition, organisation, pes_owner, pes_editor, outcomes, pdf_file):
    return services.offer_submit(
        competition=competition,
        organisation=organisation,
        actor=pes_owner,
        **offer_data(outcomes, documents=[("Statut", pdf_file)]),
    )


@pytest.fixture
def other_offer(competition, other_pes_member, outcomes):
    organisation = other_pes_member.organisation_memberships.get().organisation
    return services.offer_submit(
        competition=competition,
        organisation=organisation,
        actor=other_pes_member,
        **offer_data(outcomes, task_title="Teatr w bramie"),
    )


@pytest.fixture
def third_organisation(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality, name="Fundacja Trzecia")
    make_pes_member(organisation, email="trzecia@example.org")
    return organisation
