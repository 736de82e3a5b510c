"""The append-only event log: what record() writes and what snapshot() keeps."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from directory.models import Organisation, PublicBenefitSphere
from pestor import audit
from pestor.models import AuditEvent
from tests.directory.factories import OrganisationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_writes_who_did_what_to_which_object(organisation):
    official = UserFactory()

    event = audit.record(
        actor=official,
        action="organisation.verified",
        target=organisation,
        before={"status": "pending"},
        after={"status": "verified"},
        comment="Zgodne z KRS.",
    )

    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == official
    assert event.action == "organisation.verified"
    assert event.content_type == ContentType.objects.get_for_model(Organisation)
    assert event.object_id == str(organisation.pk)
    assert event.target == organisation
    assert event.object_repr == organisation.name
    assert event.before == {"status": "pending"}
    assert event.after == {"status": "verified"}
    assert event.comment == "Zgodne z KRS."
    assert event.created_at is not None


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["none", "anonymous_user"])
def test_record_without_a_signed_in_actor_leaves_the_actor_empty(organisation, actor):
    event = audit.record(actor=actor, action="organisation.registered", target=organisation)

    assert event.actor is None
    assert event.before == {}
    assert event.after == {}


def test_record_cuts_a_long_object_name(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality, name="S" * 300)

    event = audit.record(actor=None, action="x", target=organisation)

    assert event.object_repr == "S" * 255


def test_for_object_finds_only_that_objects_events(municipality):
    first = OrganisationFactory(seat_municipality=municipality)
    second = OrganisationFactory(seat_municipality=municipality)
    audit.record(actor=None, action="a", target=first)
    audit.record(actor=None, action="b", target=second)
    audit.record(actor=None, action="c", target=first)

    actions = list(AuditEvent.objects.for_object(first).values_list("action", flat=True))

    assert actions == ["c", "a"]


def test_snapshot_turns_values_into_json_data(municipality):
    spheres = list(PublicBenefitSphere.objects.order_by("position")[:2])
    organisation = OrganisationFactory(
        seat_municipality=municipality,
        is_social_enterprise=True,
        social_enterprise_since=date(2023, 3, 15),
        latitude=Decimal("53.010300"),
        longitude=Decimal("18.604800"),
        spheres=spheres,
    )
    organisation.refresh_from_db()

    fields = ["name", "social_enterprise_since", "latitude", "seat_municipality", "spheres"]
    data = audit.snapshot(organisation, [*fields, "employees"])

    assert data == {
        "name": organisation.name,
        "social_enterprise_since": "2023-03-15",
        "latitude": "53.010300",
        "seat_municipality": str(municipality),
        "spheres": sorted(str(sphere) for sphere in spheres),
        "employees": 0,
    }


def test_changed_fields_lists_only_what_differs():
    event = AuditEvent(
        action="organisation.legal_data_changed",
        before={"name": "Stara", "krs": "0000000001", "nip": "5260250274"},
        after={"name": "Nowa", "krs": "0000000001", "regon": "123456785"},
    )

    assert event.changed_fields == [
        ("name", "Stara", "Nowa"),
        ("nip", "5260250274", None),
        ("regon", None, "123456785"),
    ]


def test_event_log_rows_cannot_be_changed_or_deleted(organisation):
    event = audit.record(actor=None, action="organisation.verified", target=organisation)

    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk, action="organisation.verified").exists()


def test_the_log_refuses_bulk_updates_and_deletes(organisation, official):
    audit.record(actor=official, action="organisation.verified", target=organisation)
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.all().update(action="forged")
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "organisation.verified"
