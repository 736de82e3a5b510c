"""The directory's invariants: clean() for messages, database constraints as the last word."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import Organisation, OrganisationInvitation
from pestor import audit
from pestor.models import AuditEvent
from tests.directory.factories import InvitationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def clean_errors(organisation):
    with pytest.raises(ValidationError) as caught:
        organisation.full_clean()
    return caught.value.message_dict


def test_valid_organisation_passes_full_clean(organisation):
    organisation.full_clean()


def test_more_employees_at_risk_than_employees_is_invalid():
    organisation = OrganisationFactory.build(employees=3, employees_at_risk=4)

    assert "employees_at_risk" in clean_errors(organisation)


def test_employees_at_risk_equal_to_employees_is_valid(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality, employees=3)
    organisation.employees_at_risk = 3

    organisation.full_clean()


def test_social_enterprise_needs_the_date_of_the_decision():
    organisation = OrganisationFactory.build(is_social_enterprise=True)

    assert "social_enterprise_since" in clean_errors(organisation)


def test_social_enterprise_date_cannot_be_in_the_future(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality)
    organisation.is_social_enterprise = True
    organisation.social_enterprise_since = timezone.localdate() + timedelta(days=1)

    assert "social_enterprise_since" in clean_errors(organisation)


def test_social_enterprise_date_is_dropped_when_the_status_is_not_held(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality)
    organisation.social_enterprise_since = date(2020, 5, 1)

    organisation.full_clean()

    assert organisation.social_enterprise_since is None


def test_year_founded_cannot_be_in_the_future(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality)
    organisation.year_founded = timezone.localdate().year + 1

    assert "year_founded" in clean_errors(organisation)


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(Decimal("53.01"), None), (None, Decimal("18.60"))]
)
def test_position_needs_both_coordinates(municipality, latitude, longitude):
    organisation = OrganisationFactory(seat_municipality=municipality)
    organisation.latitude, organisation.longitude = latitude, longitude

    assert "longitude" in clean_errors(organisation)


def test_position_with_both_coordinates_is_valid(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality)
    organisation.latitude, organisation.longitude = Decimal("53.010300"), Decimal("18.604800")

    organisation.full_clean()

    assert organisation.has_position


def test_latitude_out_of_range_is_invalid(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality)
    organisation.latitude, organisation.longitude = Decimal("91"), Decimal("18")

    assert "latitude" in clean_errors(organisation)


def test_postal_code_must_look_like_00_000(municipality):
    organisation = OrganisationFactory(seat_municipality=municipality)
    organisation.postal_code = "87100"

    assert "postal_code" in clean_errors(organisation)


def test_save_keeps_a_folded_search_text(municipality):
    organisation = OrganisationFactory(
        seat_municipality=municipality,
        name="Fundacja  ŻÓŁTA Łódka",
        short_name="Żółta",
        city="Łódź",
        description="Warsztaty   dla MŁODZIEŻY",
    )

    organisation.refresh_from_db()
    assert "fundacja zolta lodka" in organisation.search_text
    assert "lodz" in organisation.search_text
    assert "warsztaty dla mlodziezy" in organisation.search_text
    assert organisation.nip in organisation.search_text
    assert organisation.krs in organisation.search_text


def test_save_with_update_fields_still_refreshes_search_text(organisation):
    organisation.name = "Stowarzyszenie Ścieżka"

    organisation.save(update_fields=["name"])

    organisation.refresh_from_db()
    assert "stowarzyszenie sciezka" in organisation.search_text


def test_display_name_prefers_the_short_name():
    assert OrganisationFactory.build(name="Długa", short_name="Krótka").display_name == "Krótka"
    assert OrganisationFactory.build(name="Długa", short_name="").display_name == "Długa"


def test_at_risk_share_is_a_percentage_or_none():
    assert OrganisationFactory.build(employees=0, employees_at_risk=0).at_risk_share is None
    assert OrganisationFactory.build(employees=3, employees_at_risk=1).at_risk_share == 33


def test_database_refuses_more_at_risk_than_employees(municipality):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(seat_municipality=municipality, employees=1, employees_at_risk=2)


def test_database_refuses_a_social_enterprise_without_a_date(municipality):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(seat_municipality=municipality, is_social_enterprise=True)


def test_database_refuses_an_unknown_status(municipality):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(seat_municipality=municipality, status="archived")


def test_database_refuses_a_duplicate_nip(organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(seat_municipality=organisation.seat_municipality, nip=organisation.nip)


def test_invitation_is_open_until_accepted_or_expired():
    invitation = InvitationFactory()
    assert invitation.is_open

    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=OrganisationInvitation.VALID_DAYS, seconds=1)
    )
    invitation.refresh_from_db()
    assert invitation.is_expired
    assert not invitation.is_open


def test_accepted_invitation_is_not_open():
    invitation = InvitationFactory(accepted_at=timezone.now())

    assert not invitation.is_expired
    assert not invitation.is_open


def test_invitation_tokens_are_unique_and_long():
    first, second = InvitationFactory(), InvitationFactory()

    assert first.token != second.token
    assert len(first.token) >= 40


def test_audit_event_cannot_be_changed(organisation):
    event = audit.record(actor=None, action="organisation.verified", target=organisation)
    event.comment = "ukryjmy to"

    with pytest.raises(ValueError):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).comment == ""


def test_audit_event_cannot_be_deleted(organisation):
    event = audit.record(actor=None, action="organisation.verified", target=organisation)

    with pytest.raises(ValueError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_organisation_url_uses_the_slug(organisation):
    assert organisation.slug in organisation.get_absolute_url()


def test_public_queryset_holds_only_verified(municipality):
    verified = OrganisationFactory(seat_municipality=municipality)
    OrganisationFactory(pending=True, seat_municipality=municipality)
    OrganisationFactory(rejected=True, seat_municipality=municipality)

    assert list(Organisation.objects.public()) == [verified]
