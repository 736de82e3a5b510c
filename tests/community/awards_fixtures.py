"""Fixtures of the award's and the contests' tests (imported by tests/community/conftest.py): an
open award call of Toruń, a contest with a public vote and its nominated offers, and helpers
that nominate, seat a jury and score."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community import awards_services
from community.awards_models import AWARD_CATEGORY, AwardCall
from scoring import services as scoring_services
from scoring.models import Member
from scoring.services import ScoreInput
from tests.exchange.factories import OfferFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JURY_CRITERIA = [
    {"name": "Wpływ społeczny", "max_points": 10},
    {"name": "Trwałość", "max_points": 5},
]


def pdf_letter(name="list.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def call_data(**overrides) -> dict:
    data = {
        "kind": AwardCall.Kind.AWARD,
        "year": 2026,
        "category": AWARD_CATEGORY,
        "description": "Regulamin nagrody.",
        "nominations_until": timezone.now() + timedelta(days=7),
        "laureate_places": 1,
        "public_vote": False,
        "votes_until": None,
    }
    data.update(overrides)
    return data


@pytest.fixture
def award_call(municipality, official):
    return awards_services.call_create(actor=official, municipality=municipality, **call_data())


@pytest.fixture
def contest(municipality, official):
    return awards_services.call_create(
        actor=official,
        municipality=municipality,
        **call_data(
            kind=AwardCall.Kind.CONTEST,
            category="Najlepszy produkt",
            public_vote=True,
            votes_until=timezone.now() + timedelta(days=14),
        ),
    )


@pytest.fixture
def contest_entries(contest, organisation, signed_in_user):
    offers = [OfferFactory(organisation=organisation, title=f"Oferta {n}") for n in range(2)]
    return [
        awards_services.nomination_create(
            call=contest, actor=signed_in_user, offer=offer, justification="Dobra oferta."
        )
        for offer in offers
    ]


def nominate(call, actor, organisation=None, **kwargs):
    kwargs.setdefault("justification", "Zasłużyli na wyróżnienie.")
    if organisation is None and "person_name" not in kwargs and "offer" not in kwargs:
        kwargs["person_name"] = "Anna Kowalska"
    return awards_services.nomination_create(
        call=call, actor=actor, organisation=organisation, **kwargs
    )


def close_nominations(call):
    """Move the deadline into the past (as the server's clock would pass it)."""
    AwardCall.objects.filter(pk=call.pk).update(
        nominations_until=timezone.now() - timedelta(minutes=1)
    )
    call.refresh_from_db()
    return call


def seat_jury(call, official, jurors):
    """The call's jury: the official chairs it; ``jurors`` are (user, represents_pes) pairs."""
    panel = awards_services.jury_create(call=call, actor=official, criteria=JURY_CRITERIA)
    seats = [
        scoring_services.member_add(
            panel=panel, user=official, role=Member.Role.CHAIR, actor=official
        )
    ]
    for user, represents_pes in jurors:
        seats.append(
            scoring_services.member_add(
                panel=panel, user=user, represents_pes=represents_pes, actor=official
            )
        )
    return panel, seats


def score(seat, nomination, points, *, conflict=False):
    scoring_services.declaration_make(
        member=seat,
        item=nomination,
        conflict=conflict,
        note="Konflikt" if conflict else "",
        actor=seat.user,
    )
    if conflict:
        return None
    criteria = list(seat.panel.criteria.order_by("order"))
    values = {
        criterion.pk: ScoreInput(points=Decimal(value))
        for criterion, value in zip(criteria, points, strict=True)
    }
    return scoring_services.scores_save(
        member=seat, item=nomination, values=values, submit=True, actor=seat.user
    )
