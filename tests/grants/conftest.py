"""Fixtures of the grants tests: Toruń's culture strategy, an announced culture competition
linked to two outcomes, and the shared verified organisation's offer in it."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directory.models import PublicBenefitSphere
from grants import selectors, services
from grants.models import Contribution
from scoring import services as scoring_services
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.grants.factories import (
    close_offers,
    competition_data,
    make_strategy,
    offer_data,
    strategy_outcomes,
)


@pytest.fixture
def culture(db):
    # get_or_create: a transactional test runs after a flush of the spheres.
    return PublicBenefitSphere.objects.get_or_create(
        code="16",
        defaults={"name": "kultura, sztuka, ochrona dóbr kultury i dziedzictwa", "position": 20},
    )[0]


@pytest.fixture
def strategy(municipality, official):
    return make_strategy(municipality, official)


@pytest.fixture
def outcomes(strategy):
    return strategy_outcomes(strategy)


@pytest.fixture
def draft(municipality, official, culture, outcomes):
    return services.competition_create(
        municipality=municipality, actor=official, outcomes=outcomes, **competition_data(culture)
    )


@pytest.fixture
def competition(draft, official):
    return services.competition_publish(competition=draft, actor=official)


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


@pytest.fixture
def area(strategy):
    return strategy.areas.get()
