"""The bank's part of a backup (pestor.backup): the fingerprint names its resources as their
pages answer, its attachments as a visitor downloads them, its bookings' and damage cases'
states; a restore that lost or changed any of them is refused; and, on PostgreSQL, the whole
drill (pg_dump, an empty database, pg_restore in another process) brings the bank back."""

import pytest
from django.core.management import call_command
from django.db import connection

from equipment_bank.models import Booking, DamageCase
from pestor import backup
from tests.equipment_bank.factories import BookingFactory, ResourceFactory, ResourcePhotoFactory


@pytest.fixture
def lent(city_bank, tent, tent_manual, organisation, pes_owner, official):
    """A public tent with a photo and a manual, a withdrawn resource, a booking and a damage
    case."""
    ResourcePhotoFactory(resource=tent)
    withdrawn = ResourceFactory(owner=city_bank, name="Stary rzutnik", status="withdrawn")
    booking = BookingFactory(
        resource=tent, organisation=organisation, requested_by=pes_owner, status="approved"
    )
    case = DamageCase.objects.create(
        unit=tent.units.order_by("pk")[1],
        organisation=organisation,
        person=pes_owner,
        description="Pęknięty maszt",
        opened_by=official,
    )
    return {"withdrawn": withdrawn, "manual": tent_manual, "booking": booking, "case": case}


def _by_id(found, part):
    return {entry["id"]: entry for entry in found["parts"][part]}


@pytest.mark.django_db
def test_the_fingerprint_holds_the_banks_resources_files_and_states(lent, tent):
    found = backup.fingerprint()
    resources = _by_id(found, "bank_resources")
    assert resources[tent.pk]["page"] == 200
    assert resources[lent["withdrawn"].pk]["page"] == 404
    (attachment,) = found["parts"]["bank_attachments"]
    assert attachment["download"] == 200
    assert attachment["sha256"] == found["files"][f"private/{lent['manual'].file.name}"]
    assert _by_id(found, "bank_bookings")[lent["booking"].pk]["status"] == "approved"
    assert _by_id(found, "bank_damage_cases")[lent["case"].pk]["status"] == "open"
    assert f"media/{tent.photos.get().image.name}" in found["files"]
    assert backup.differences(found, backup.fingerprint()) == []


@pytest.mark.django_db
def test_a_lost_booking_a_changed_state_or_a_changed_manual_is_a_difference(lent):
    before = backup.fingerprint()
    booking, case, manual = lent["booking"], lent["case"], lent["manual"]
    DamageCase.objects.filter(pk=case.pk).update(status=DamageCase.Status.CLEARED)
    booking.items.all().delete()
    Booking.objects.filter(pk=booking.pk).delete()
    with manual.file.open("wb") as handle:
        handle.write(b"%PDF-1.7 inna instrukcja")
    problems = backup.differences(before, backup.fingerprint())
    assert f"bank_bookings: {booking.pk} is missing" in problems
    assert any(problem.startswith(f"bank_damage_cases: {case.pk} differs") for problem in problems)
    assert any(problem.startswith("bank_attachments: ") for problem in problems)
    assert f"file private/{manual.file.name}: checksum differs or the file is missing" in problems


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
@pytest.mark.django_db(transaction=True)
def test_the_restore_drill_brings_the_bank_back(lent, capsys):
    call_command("restore_drill")
    output = capsys.readouterr().out
    assert "bank_resources" in output and "bank_damage_cases" in output
    assert "The restore drill passed." in output
