"""The bank's part of the JSON a person downloads from "Moje konto" (RODO art. 15 and 20): the
bookings they made and the damage attributed to them, and nothing of anyone else."""

import json

import pytest
from django.urls import reverse

from equipment_bank.availability import local
from equipment_bank.models import Booking, DamageCase
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.equipment_bank.factories import BookingFactory, DamageCaseFactory, days_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_borrowers(tent, organisation, pes_owner, pes_editor, official):
    """The PES owner's booking (returned with a damage case), a colleague's booking for the same
    organisation, and another PES's booking with its own damage case."""
    own = BookingFactory(
        resource=tent,
        organisation=organisation,
        requested_by=pes_owner,
        purpose="Festyn na Bydgoskim",
    )
    colleague = BookingFactory(
        resource=tent,
        unit=tent.units.order_by("pk")[1],
        organisation=organisation,
        requested_by=pes_editor,
        purpose="Próba chóru kolegi",
    )
    stranger_organisation = OrganisationFactory(name="Fundacja Obca")
    stranger = make_pes_member(stranger_organisation, email="obcy@example.org")
    other = BookingFactory(
        resource=tent,
        organisation=stranger_organisation,
        requested_by=stranger,
        starts_at=local(days_ahead(20)),
        purpose="Piknik fundacji obcej",
    )
    DamageCaseFactory(
        unit=tent.units.order_by("pk")[0],
        booking=own,
        organisation=organisation,
        person=pes_owner,
        description="Złamany maszt przy naszym festynie",
        opened_by=official,
    )
    DamageCaseFactory(
        unit=tent.units.order_by("pk")[1],
        booking=other,
        organisation=stranger_organisation,
        person=stranger,
        description="Przetarte poszycie u fundacji obcej",
        opened_by=official,
    )
    return own, colleague, other


def _download(client, user) -> tuple[dict, str]:
    client.force_login(user)
    response = client.get(reverse("pestor:account-data"))
    assert response.status_code == 200
    return json.loads(response.content)["equipment_bank"], response.content.decode()


def test_the_download_holds_the_persons_bookings_and_damage(client, two_borrowers, pes_owner):
    own, _colleague, _other = two_borrowers
    data, _body = _download(client, pes_owner)
    (booking,) = data["bookings"]
    assert booking["what"] == own.title
    assert booking["purpose"] == "Festyn na Bydgoskim"
    assert booking["status"] == Booking.Status.REQUESTED
    assert booking["from"] == Booking.objects.get(pk=own.pk).starts_at.isoformat()
    (case,) = data["damage_cases"]
    assert case["description"] == "Złamany maszt przy naszym festynie"
    assert case["status"] == DamageCase.Status.OPEN


def test_the_download_holds_nothing_of_others(client, two_borrowers, pes_owner, pes_editor):
    _data, body = _download(client, pes_owner)
    for foreign in (
        "Próba chóru kolegi",
        "Piknik fundacji obcej",
        "Przetarte poszycie u fundacji obcej",
        "obcy@example.org",
        pes_editor.email,
    ):
        assert foreign not in body
    colleague_data, colleague_body = _download(client, pes_editor)
    assert [row["purpose"] for row in colleague_data["bookings"]] == ["Próba chóru kolegi"]
    assert colleague_data["damage_cases"] == []
    assert "Festyn na Bydgoskim" not in colleague_body


def test_a_person_without_bookings_gets_empty_lists(client, official):
    data, _body = _download(client, official)
    assert data == {"bookings": [], "damage_cases": []}
