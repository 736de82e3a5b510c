"""The competition's public page asks a fixed number of queries, at most ten (issue 8), for
everyone who reads it (anyone, the municipality's official, a PES that applied, a member of the
committee), however many offers, criteria and outcomes the competition has: counted on the whole
request (a signed-in one pays the session, the user and the roles first)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
FEW, MANY = 2, 9

# The page's queries: the competition with its card's outcomes and criteria; the committee's
# panel with the reader's seat on it, its criteria, its members' count and its submitted
# sheets' version; once decided, the results: the offers that failed the formal check, the
# ranked ones, the sheets' sums (kept in the cache for the next request) and the conflicts of
# interest. An official reads the table of offers (the failed ones are taken from it); anyone
# signed in pays the session, the user and the roles first.
# The criteria read with the panel's row (issue 8): one fewer each, was 7, 10, 10, 10.
DECIDED_QUERIES = {"anonymous": 6, "official": 9, "applicant": 9, "committee member": 9}
OPEN_QUERIES = {"anonymous": 2, "official": 6, "applicant": 5, "committee member": 5}


def _competition(municipality, official, culture, *, size: int, decided: bool):
    """A competition with ``size`` outcomes, merit and formal criteria and offers (each of its
    own PES; the last one failed the formal check), a PES representative on its committee; once
    ``decided``, scored and its results published. Returns it with the users who read it."""
    strategy = make_strategy(
        municipality,
        official,
        outcomes=[(f"Rezultat {n}", f"miara {n}", "osoby/rok") for n in range(size)],
    )
    outcomes = strategy_outcomes(strategy)
    competition = services.competition_publish(
        competition=services.competition_create(
            municipality=municipality,
            actor=official,
            outcomes=outcomes,
            merit_criteria=[(f"Kryterium merytoryczne {n}", 10) for n in range(size)],
            formal_criteria=[f"Warunek formalny {n}" for n in range(size)],
            **competition_data(culture),
        ),
        actor=official,
    )
    applicants, offers = [], []
    for n in range(size):
        organisation = OrganisationFactory(
            seat_municipality=municipality, name=f"Fundacja Oferent {n:02d}"
        )
        owner = make_pes_member(organisation, email=f"oferent{size}-{n}@example.org")
        applicants.append(owner)
        offers.append(
            services.offer_submit(
                competition=competition,
                organisation=organisation,
                actor=owner,
                **offer_data(
                    outcomes,
                    task_title=f"Zadanie {n:02d}",
                    contributions={outcomes[0].pk: (Contribution.DIRECT, Decimal(10 + n))},
                ),
            )
        )
    panel = selectors.competition_panel(competition=competition)
    representative = make_pes_member(
        OrganisationFactory(name="Spółdzielnia Przedstawiciel"), email=f"komisja{size}@example.org"
    )
    member = scoring_services.member_add(
        panel=panel, user=representative, actor=official, represents_pes=True
    )
    readers = {
        "anonymous": None,
        "official": official,
        "applicant": applicants[0],
        "committee member": representative,
    }
    if not decided:
        return competition, readers
    competition = close_offers(competition)
    failed = competition.formal_criteria.first()
    for offer in offers:
        services.offer_check(
            offer=offer, actor=official, failed_criteria=[failed] if offer == offers[-1] else []
        )
    panel = selectors.competition_panel(competition=competition)
    criteria = list(panel.criteria.all())
    for offer in offers[:-1]:
        scoring_services.declaration_make(member=member, item=offer, conflict=False, actor=official)
        scoring_services.scores_save(
            member=member,
            item=offer,
            values={c.pk: scoring_services.ScoreInput(points=c.max_points) for c in criteria},
            submit=True,
            actor=representative,
        )
    scoring_services.panel_close(panel=panel, actor=official)
    competition.__dict__.pop("_grants_panel", None)
    competition = services.competition_decide(
        competition=competition,
        actor=official,
        amounts={offer.pk: Decimal(1000) for offer in offers[:-1]},
    )
    return competition, readers


def _count(client, competition, reader):
    client.logout()
    if reader is not None:
        client.force_login(reader)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(competition.get_absolute_url())
    assert response.status_code == 200
    return len(captured), response


def _counts_few_and_many(client, municipality, official, culture, role, *, decided):
    """The page's queries on a small and on a large competition (and, once decided, again on
    each: the sheets' sums then come from the cache), and the large one's response."""
    counts = []
    for size in (FEW, MANY):
        competition, readers = _competition(
            municipality, official, culture, size=size, decided=decided
        )
        count, response = _count(client, competition, readers[role])
        counts.append(count)
        if decided:
            counts.append(_count(client, competition, readers[role])[0] + 1)
    return counts, response


@pytest.mark.parametrize("role", DECIDED_QUERIES)
def test_the_decided_competitions_page_runs_a_fixed_number_of_queries(
    role, client, municipality, official, culture
):
    counts, response = _counts_few_and_many(
        client, municipality, official, culture, role, decided=True
    )
    # The same on 2 offers and 9, and one fewer once the sums are kept (counted + 1 here).
    assert counts == [DECIDED_QUERIES[role]] * 4
    assert DECIDED_QUERIES[role] <= MAX_QUERIES
    # Nothing lost on the way: the card, the results, the failed offer; the offers' table for
    # the official.
    page = response.content.decode()
    for n in range(MANY):
        assert f"Rezultat {n} — miara {n} (osoby/rok)" in page
        assert f"Kryterium merytoryczne {n}:" in page
        assert f"Warunek formalny {n}</li>" in page
        assert f"Strategia: Rezultat {n}" in page
    assert page.count("Fundacja Oferent") >= MANY
    assert "Warunek formalny 0" in page.split("Oferty odrzucone z przyczyn formalnych")[1]
    assert len(response.context["ranking"].results.items) == MANY - 1
    assert (len(response.context["offers"]) == MANY) is (role == "official")


@pytest.mark.parametrize("role", OPEN_QUERIES)
def test_the_open_competitions_page_runs_a_fixed_number_of_queries(
    role, client, municipality, official, culture
):
    counts, response = _counts_few_and_many(
        client, municipality, official, culture, role, decided=False
    )
    assert counts == [OPEN_QUERIES[role]] * 2
    page = response.content.decode()
    assert f"Rezultat {MANY - 1} — miara" in page and f"Warunek formalny {MANY - 1}" in page
    assert response.context["may_submit"] is (role in ("official", "applicant", "committee member"))
