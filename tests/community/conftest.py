"""Fixtures of the community tests: a published training in Toruń with few places, and a
helper that registers people for it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from community.models import Event


def event_data(**overrides) -> dict:
    start = timezone.now() + timedelta(days=7)
    data = {
        "kind": Event.Kind.TRAINING,
        "title": "Szkolenie: klauzule społeczne",
        "programme": "## Plan\n\n- klauzule\n- rozeznanie rynku",
        "starts_at": start,
        "ends_at": start + timedelta(hours=6),
        "venue": "Urząd Miasta Torunia, sala 101",
        "latitude": None,
        "longitude": None,
        "online_url": "",
        "audience": Event.Audience.EVERYONE,
        "capacity": 3,
        "registration_deadline": start - timedelta(days=1),
        "accessibility": "Winda.",
        "public_task": "Zamówienia społeczne",
    }
    data.update(overrides)
    return data


@pytest.fixture
def training(municipality, official):
    event = services.event_create(actor=official, municipality=municipality, **event_data())
    return services.event_publish(event=event, actor=official)


@pytest.fixture
def draft(municipality, official):
    return services.event_create(
        actor=official, municipality=municipality, **event_data(title="Projekt spotkania")
    )


@pytest.fixture
def pes_event(organisation, pes_owner):
    event = services.event_create(
        actor=pes_owner,
        municipality=organisation.seat_municipality,
        organiser=organisation,
        **event_data(kind=Event.Kind.OTHER, title="Dzień otwarty spółdzielni", capacity=30),
    )
    return services.event_publish(event=event, actor=pes_owner)


def people(count, prefix="osoba"):
    return [(f"Osoba {prefix} {index}", f"{prefix}{index}@example.org") for index in range(count)]


def register(event, actor, count=1, prefix="osoba", organisation=None, **kwargs):
    return services.registration_create(
        event=event,
        actor=actor,
        participants=people(count, prefix),
        organisation=organisation,
        **kwargs,
    )


# The award's and the contests' fixtures (tests/community/test_awards*.py).
from tests.community.awards_fixtures import award_call, contest, contest_entries  # noqa: E402, F401
