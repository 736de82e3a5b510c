"""Changes of a verified organisation's legal data: who may make them, and how an official's
review keeps the public record verified (services, permissions, the model's constraint)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from directory import selectors, services
from directory.models import LegalDataChange, Organisation
from pestor.demo import OFFICIAL_TORUN, PES_OWNER
from pestor.models import AuditEvent, User
from pestor.permissions import has_permission
from tests.directory.factories import OrganisationFactory, make_pes_member, next_krs
from tests.factories import make_official, next_nip

pytestmark = pytest.mark.django_db

A_YEAR_AGO = timezone.now() - timedelta(days=365)


def recipients_of(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def events(organisation, action):
    return list(AuditEvent.objects.for_object(organisation).filter(action=action))


@pytest.fixture
def verified(organisation, official):
    """The verified organisation, checked a year ago by the seat municipality's official."""
    Organisation.objects.filter(pk=organisation.pk).update(
        verified_at=A_YEAR_AGO, verified_by=official
    )
    organisation.refresh_from_db()
    return organisation


def request_change(organisation, owner, **fields):
    fields = {"name": "Spółdzielnia Socjalna Nowa Przystań", **fields}
    return services.legal_change_request(organisation=organisation, requested_by=owner, **fields)


# --- who changes legal data ---------------------------------------------------------------------


def test_an_editor_cannot_change_legal_data(verified, pes_editor):
    with pytest.raises(PermissionDenied):
        services.organisation_update(organisation=verified, actor=pes_editor, nip=next_nip())
    with pytest.raises(PermissionDenied):
        request_change(verified, pes_editor)

    verified.refresh_from_db()
    assert verified.name == "Spółdzielnia Socjalna Toruńska Przystań"
    assert not LegalDataChange.objects.exists()


def test_an_editor_cannot_change_legal_data_of_a_pending_organisation_either(
    pending_organisation,
):
    editor = make_pes_member(pending_organisation, role="editor")
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=pending_organisation, actor=editor, is_public_benefit=True
        )
    pending_organisation.refresh_from_db()
    assert pending_organisation.is_public_benefit is False


def test_an_editor_edits_the_rest_of_the_profile(verified, pes_editor):
    services.organisation_update(
        organisation=verified,
        actor=pes_editor,
        description="Catering dla szkół.",
        email="biuro@przystan.example.org",
        # Legal data passed unchanged are not a change.
        name=verified.name,
        nip=verified.nip,
    )
    verified.refresh_from_db()
    assert verified.description == "Catering dla szkół."
    assert verified.email == "biuro@przystan.example.org"


def test_the_staff_figures_are_verified_data(verified, pes_editor, pes_owner):
    """They decide qualification for contracts reserved under art. 94 PZP, so an official
    verifies a change of them like any other legal data."""
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=verified, actor=pes_editor, employees=10, employees_at_risk=9
        )
    change = services.legal_change_request(
        organisation=verified, requested_by=pes_owner, employees=10, employees_at_risk=9
    )
    verified.refresh_from_db()
    assert (verified.employees, verified.employees_at_risk) != (10, 9)
    assert change.proposed["employees_at_risk"] == 9


def test_an_administrator_is_not_an_owner(verified, admin_user):
    with pytest.raises(PermissionDenied):
        request_change(verified, admin_user)


def test_an_owner_cannot_change_verified_legal_data_directly(verified, pes_owner):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=verified, actor=pes_owner, name="Spółdzielnia Bez Weryfikacji"
        )
    verified.refresh_from_db()
    assert verified.name == "Spółdzielnia Socjalna Toruńska Przystań"


# --- the owner proposes -------------------------------------------------------------------------


def test_an_owners_change_is_pending_and_the_public_record_stays_verified(
    verified,
    pes_owner,
    official,
    other_official,
    other_municipality,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    second_official = make_official(verified.seat_municipality, email="druga@torun.example.org")
    new_nip = next_nip()
    old_nip = verified.nip

    with django_capture_on_commit_callbacks(execute=True):
        change = request_change(
            verified,
            pes_owner,
            nip=f"{new_nip[:3]}-{new_nip[3:6]}-{new_nip[6:8]}-{new_nip[8:]}",
            is_public_benefit=True,
            seat_municipality=other_municipality,
        )

    assert change.status == LegalDataChange.Status.PENDING
    assert change.requested_by == pes_owner
    assert change.proposed["name"] == "Spółdzielnia Socjalna Nowa Przystań"
    assert change.proposed["nip"] == new_nip
    assert change.proposed["seat_municipality"] == other_municipality.pk
    assert set(change.changed_fields()) == {"name", "nip", "is_public_benefit", "seat_municipality"}
    verified.refresh_from_db()
    assert verified.name == "Spółdzielnia Socjalna Toruńska Przystań"
    assert verified.nip == old_nip
    assert verified.is_public_benefit is False
    assert verified.verified_at == A_YEAR_AGO
    assert verified.status == Organisation.Status.VERIFIED
    public = selectors.organisation_list(filters={"q": "Przystań"}).qs
    assert [o.name for o in public] == ["Spółdzielnia Socjalna Toruńska Przystań"]
    (event,) = events(verified, "organisation.legal_change_requested")
    assert event.actor == pes_owner
    assert event.before["nip"] == old_nip
    assert event.after["nip"] == new_nip
    # The seat municipality's officials decide, each told in a message of their own.
    assert recipients_of(mailoutbox) == sorted([official.email, second_official.email])
    assert all(len(message.to) == 1 for message in mailoutbox)
    assert f"/weryfikacja/zmiana-danych/{change.pk}/" in mailoutbox[0].body


def test_a_second_change_is_refused_while_one_is_pending(verified, pes_owner):
    first = request_change(verified, pes_owner)
    second_owner = make_pes_member(verified, role="owner")

    with translation.override("pl"), pytest.raises(ValidationError) as caught:
        request_change(verified, second_owner, name="Jeszcze Inna Nazwa")

    assert caught.value.code == "pending"
    assert "czeka już na decyzję urzędnika" in caught.value.messages[0]
    assert list(LegalDataChange.objects.pending()) == [first]
    assert first.proposed["name"] == "Spółdzielnia Socjalna Nowa Przystań"


def test_the_database_holds_one_pending_change_per_organisation(verified, pes_owner):
    data = LegalDataChange.legal_data_of(verified)
    LegalDataChange.objects.create(organisation=verified, proposed=data, status="returned")
    LegalDataChange.objects.create(organisation=verified, proposed=data, status="withdrawn")
    LegalDataChange.objects.create(organisation=verified, proposed=data)
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalDataChange.objects.create(organisation=verified, proposed=data)
    # Another organisation's pending change is no conflict.
    other = OrganisationFactory()
    other_data = LegalDataChange.legal_data_of(other)
    LegalDataChange.objects.create(organisation=other, proposed=other_data)


def test_a_change_that_changes_nothing_is_refused(verified, pes_owner):
    with pytest.raises(ValidationError) as caught:
        services.legal_change_request(
            organisation=verified, requested_by=pes_owner, name=verified.name
        )
    assert caught.value.code == "unchanged"
    assert not LegalDataChange.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"nip": "1234567890"}, "nip"),
        ({"krs": "12345"}, "krs"),
        (
            {"is_social_enterprise": True, "social_enterprise_since": None},
            "social_enterprise_since",
        ),
        ({"postal_code": "87100"}, "postal_code"),
    ],
)
def test_the_proposed_values_are_validated(verified, pes_owner, fields, error_field):
    with pytest.raises(ValidationError) as caught:
        request_change(verified, pes_owner, **fields)
    assert error_field in caught.value.message_dict
    assert not LegalDataChange.objects.exists()


def test_a_nip_or_krs_of_another_organisation_is_refused_when_proposed(verified, pes_owner):
    other = OrganisationFactory()
    with pytest.raises(ValidationError) as caught:
        request_change(verified, pes_owner, nip=other.nip)
    assert "nip" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        request_change(verified, pes_owner, krs=other.krs)
    assert "krs" in caught.value.message_dict
    assert not LegalDataChange.objects.exists()


def test_a_pending_organisation_is_corrected_directly_not_through_a_change(pending_organisation):
    owner = pending_organisation.memberships.get().user
    with pytest.raises(ValidationError) as caught:
        request_change(pending_organisation, owner)
    assert caught.value.code == "not_verified"

    services.organisation_update(
        organisation=pending_organisation, actor=owner, name="Poprawiona Nazwa"
    )
    pending_organisation.refresh_from_db()
    assert pending_organisation.name == "Poprawiona Nazwa"


def test_only_legal_fields_are_proposed(verified, pes_owner):
    with pytest.raises(TypeError):
        request_change(verified, pes_owner, description="To nie są dane rejestrowe.")


# --- withdrawal ---------------------------------------------------------------------------------


def test_an_owner_withdraws_a_change_and_may_propose_another(verified, pes_owner, pes_editor):
    change = request_change(verified, pes_owner)
    with pytest.raises(PermissionDenied):
        services.legal_change_withdraw(change=change, actor=pes_editor)

    services.legal_change_withdraw(change=change, actor=pes_owner)

    change.refresh_from_db()
    assert change.status == LegalDataChange.Status.WITHDRAWN
    assert change.decided_by == pes_owner
    assert events(verified, "organisation.legal_change_withdrawn")[0].actor == pes_owner
    assert request_change(verified, pes_owner, name="Druga Propozycja").is_pending


# --- the official decides -----------------------------------------------------------------------


def test_accepting_applies_the_values_and_dates_the_verification(
    verified,
    pes_owner,
    pes_editor,
    other_municipality,
    municipality,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    reviewer = make_official(municipality, email="weryfikator@torun.example.org")
    new_krs = next_krs()
    change = request_change(
        verified,
        pes_owner,
        krs=new_krs,
        is_social_enterprise=True,
        social_enterprise_since=timezone.localdate() - timedelta(days=30),
        seat_municipality=other_municipality,
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.legal_change_accept(change=change, official=reviewer)

    verified.refresh_from_db()
    assert verified.name == "Spółdzielnia Socjalna Nowa Przystań"
    assert verified.krs == new_krs
    assert verified.is_social_enterprise is True
    assert verified.social_enterprise_since == timezone.localdate() - timedelta(days=30)
    assert verified.seat_municipality == other_municipality
    assert verified.status == Organisation.Status.VERIFIED
    assert timezone.now() - verified.verified_at < timedelta(minutes=1)
    assert verified.verified_by == reviewer
    change.refresh_from_db()
    assert change.status == LegalDataChange.Status.ACCEPTED
    assert (change.decided_by, change.decided_at) == (reviewer, verified.verified_at)
    (event,) = events(verified, "organisation.legal_change_accepted")
    assert event.actor == reviewer
    assert event.before["name"] == "Spółdzielnia Socjalna Toruńska Przystań"
    assert event.after["name"] == "Spółdzielnia Socjalna Nowa Przystań"
    assert event.after["seat_municipality"] == str(other_municipality)
    # The owners are told; the editor does not decide on legal data.
    assert recipients_of(mailoutbox) == [pes_owner.email]
    assert pes_editor.email not in recipients_of(mailoutbox)


def test_returning_keeps_the_verified_values_and_records_the_reason(
    verified, pes_owner, official, mailoutbox, django_capture_on_commit_callbacks
):
    second_owner = make_pes_member(verified, role="owner", email="druga.wlascicielka@example.org")
    change = request_change(verified, pes_owner)
    with pytest.raises(ValidationError) as caught:
        services.legal_change_return(change=change, official=official, reason="  ")
    assert "reason" in caught.value.message_dict
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.legal_change_return(
            change=change, official=official, reason="W KRS nazwa jest inna."
        )

    verified.refresh_from_db()
    assert verified.name == "Spółdzielnia Socjalna Toruńska Przystań"
    assert verified.verified_at == A_YEAR_AGO
    change.refresh_from_db()
    assert change.status == LegalDataChange.Status.RETURNED
    assert change.reason == "W KRS nazwa jest inna."
    assert change.decided_by == official
    (event,) = events(verified, "organisation.legal_change_returned")
    assert (event.actor, event.comment) == (official, "W KRS nazwa jest inna.")
    assert recipients_of(mailoutbox) == sorted([pes_owner.email, second_owner.email])
    assert all("W KRS nazwa jest inna." in message.body for message in mailoutbox)


def test_a_nip_taken_meanwhile_stops_the_acceptance_with_a_message(verified, pes_owner, official):
    new_nip = next_nip()
    change = request_change(verified, pes_owner, nip=new_nip)
    OrganisationFactory(nip=new_nip)  # registered while the change waited

    with translation.override("pl"), pytest.raises(ValidationError) as caught:
        services.legal_change_accept(change=change, official=official)

    assert caught.value.message_dict["nip"] == [
        f"Inna organizacja zarejestrowana w portalu ma już NIP {new_nip}."
    ]
    verified.refresh_from_db()
    assert verified.nip != new_nip
    assert verified.name == "Spółdzielnia Socjalna Toruńska Przystań"
    assert verified.verified_at == A_YEAR_AGO
    change.refresh_from_db()
    assert change.is_pending  # the official can still return it with the explanation


def test_a_krs_taken_meanwhile_stops_the_acceptance_too(verified, pes_owner, official):
    new_krs = next_krs()
    change = request_change(verified, pes_owner, krs=new_krs)
    OrganisationFactory(krs=new_krs)

    with pytest.raises(ValidationError) as caught:
        services.legal_change_accept(change=change, official=official)

    assert "krs" in caught.value.message_dict
    verified.refresh_from_db()
    assert verified.krs != new_krs


def test_only_the_legal_data_are_validated_on_review(verified, pes_owner, official):
    # A logo whose file is gone from storage is not the official's business here.
    Organisation.objects.filter(pk=verified.pk).update(logo="logos/2024/zaginione.png")
    change = request_change(verified, pes_owner)
    services.legal_change_accept(change=change, official=official)
    verified.refresh_from_db()
    assert verified.name == "Spółdzielnia Socjalna Nowa Przystań"


def test_a_decided_change_cannot_be_decided_again(verified, pes_owner, official):
    change = request_change(verified, pes_owner)
    services.legal_change_return(change=change, official=official, reason="Nie.")
    with pytest.raises(ValidationError):
        services.legal_change_accept(change=change, official=official)
    verified.refresh_from_db()
    assert verified.name == "Spółdzielnia Socjalna Toruńska Przystań"


# --- permissions --------------------------------------------------------------------------------

REVIEW = {
    "resident": False,
    "signed_in_user": False,
    "pes_owner": False,
    "pes_editor": False,
    "other_pes_member": False,
    "official": True,
    "other_official": False,
    "monitoring_member": False,
    "business_buyer": False,
    "admin_user": True,
}


@pytest.mark.parametrize(("role", "allowed"), REVIEW.items())
def test_the_seat_municipalitys_officials_review_a_change(
    role, allowed, request, verified, pes_owner, pes_editor
):
    change = request_change(verified, pes_owner)
    user = request.getfixturevalue(role)
    assert has_permission("directory.review_legal_change", user, change) is allowed


CHANGE_LEGAL_DATA = {**dict.fromkeys(REVIEW, False), "pes_owner": True}


@pytest.mark.parametrize(("role", "allowed"), CHANGE_LEGAL_DATA.items())
def test_only_owners_change_legal_data(role, allowed, request, verified, pes_owner, pes_editor):
    user = request.getfixturevalue(role)
    assert has_permission("directory.change_legal_data", user, verified) is allowed
    assert has_permission("directory.request_legal_change", user, verified) is allowed


def test_an_official_who_is_a_member_does_not_review_their_organisations_change(
    verified, pes_owner, official
):
    change = request_change(verified, pes_owner)
    verified.memberships.create(user=official, role="editor")
    assert not has_permission("directory.review_legal_change", official, change)


def test_a_decided_change_is_not_reviewed(verified, pes_owner, official):
    change = request_change(verified, pes_owner)
    services.legal_change_withdraw(change=change, actor=pes_owner)
    change.refresh_from_db()
    assert not has_permission("directory.review_legal_change", official, change)


# --- demo data ----------------------------------------------------------------------------------


def test_the_demo_has_a_pending_change_for_a_torun_official_to_review(client):
    call_command("load_demo", stdout=io.StringIO())

    (change,) = LegalDataChange.objects.pending()
    organisation = change.organisation
    assert organisation.status == Organisation.Status.VERIFIED
    assert change.requested_by.email == PES_OWNER.email
    assert set(change.changed_fields()) == {"street", "is_public_benefit"}
    change.proposed_organisation().full_clean()  # an official could accept it as it is
    assert events(organisation, "organisation.legal_change_requested")
    official = User.objects.get(email=OFFICIAL_TORUN.email)
    assert has_permission("directory.review_legal_change", official, change)
    client.force_login(official)
    queue = client.get(reverse("directory:verification-queue")).content.decode()
    assert reverse("directory:legal-change-review", args=[change.pk]) in queue
