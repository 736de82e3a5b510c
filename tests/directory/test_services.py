"""The directory's writes: registration, editing, verification, members and invitations."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from directory import services
from directory.models import (
    LegalForm,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    PublicBenefitSphere,
)
from pestor.models import AuditEvent
from tests.directory.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    make_pes_member,
    next_krs,
    next_regon,
)
from tests.factories import UserFactory, make_official, next_nip
from tests.image_files import upload

pytestmark = pytest.mark.django_db


def registration_data(seat_municipality, **overrides):
    return {
        "name": "Spółdzielnia Socjalna Łódź",
        "legal_form": LegalForm.SOCIAL_COOPERATIVE,
        "krs": next_krs(),
        "nip": next_nip(),
        "regon": next_regon(),
        "street": "ul. Piotrkowska 10",
        "postal_code": "90-001",
        "city": "Łódź",
        "seat_municipality": seat_municipality,
        **overrides,
    }


def recipients_of(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def events(organisation, action):
    return list(AuditEvent.objects.for_object(organisation).filter(action=action))


# --- registration ---------------------------------------------------------------------------


def test_register_makes_the_user_owner_of_a_pending_organisation(municipality):
    user = UserFactory()

    organisation = services.organisation_register(owner=user, **registration_data(municipality))

    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.verified_at is None
    membership = OrganisationMembership.objects.get(organisation=organisation)
    assert membership.user == user
    assert membership.role == OrganisationMembership.Role.OWNER


def test_register_derives_the_slug_from_the_polish_name(municipality):
    organisation = services.organisation_register(
        owner=UserFactory(), **registration_data(municipality)
    )

    assert organisation.slug == "spoldzielnia-socjalna-lodz"


def test_register_with_a_name_already_taken_gets_a_numbered_slug(municipality):
    first = services.organisation_register(owner=UserFactory(), **registration_data(municipality))
    second = services.organisation_register(owner=UserFactory(), **registration_data(municipality))
    third = services.organisation_register(owner=UserFactory(), **registration_data(municipality))

    assert first.slug == "spoldzielnia-socjalna-lodz"
    assert second.slug == "spoldzielnia-socjalna-lodz-2"
    assert third.slug == "spoldzielnia-socjalna-lodz-3"


def test_register_records_the_legal_data_in_the_event_log(municipality):
    user = UserFactory()

    organisation = services.organisation_register(owner=user, **registration_data(municipality))

    (event,) = events(organisation, "organisation.registered")
    assert event.actor == user
    assert event.after["name"] == "Spółdzielnia Socjalna Łódź"
    assert event.after["nip"] == organisation.nip
    assert event.after["seat_municipality"] == str(municipality)
    assert event.before == {}


def test_register_emails_the_owner_and_the_officials_of_the_seat_municipality_only(
    municipality, official, other_official, django_capture_on_commit_callbacks, mailoutbox
):
    user = UserFactory(email="zalozyciel@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_register(owner=user, **registration_data(municipality))

    assert recipients_of(mailoutbox) == sorted([user.email, official.email])
    assert other_official.email not in recipients_of(mailoutbox)


def test_register_does_not_email_an_inactive_official(
    municipality, django_capture_on_commit_callbacks, mailoutbox
):
    retired = make_official(municipality, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_register(owner=UserFactory(), **registration_data(municipality))

    assert retired.email not in recipients_of(mailoutbox)


def test_register_serves_the_seat_municipality_when_none_given(municipality):
    organisation = services.organisation_register(
        owner=UserFactory(), **registration_data(municipality)
    )

    assert list(organisation.municipalities_served.all()) == [municipality]


def test_register_keeps_the_municipalities_and_spheres_given(municipality, other_municipality):
    spheres = list(PublicBenefitSphere.objects.order_by("position")[:2])

    organisation = services.organisation_register(
        owner=UserFactory(),
        spheres=spheres,
        municipalities_served=[other_municipality],
        **registration_data(municipality),
    )

    assert list(organisation.municipalities_served.all()) == [other_municipality]
    assert set(organisation.spheres.all()) == set(spheres)


def test_register_stores_nip_and_regon_without_dashes(municipality):
    nip, regon = next_nip(), next_regon()
    dashed_nip = f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"

    organisation = services.organisation_register(
        owner=UserFactory(),
        **registration_data(municipality, nip=dashed_nip, regon=f" {regon[:4]} {regon[4:]} "),
    )

    organisation.refresh_from_db()
    assert organisation.nip == nip
    assert organisation.regon == regon


def test_register_with_a_registered_nip_fails_on_nip_and_saves_nothing(municipality, organisation):
    user = UserFactory()
    organisations_before = Organisation.objects.count()
    events_before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.organisation_register(
            owner=user, **registration_data(municipality, nip=organisation.nip)
        )

    assert "nip" in caught.value.message_dict
    assert caught.value.error_dict["nip"][0].code == "unique"
    assert Organisation.objects.count() == organisations_before
    assert not OrganisationMembership.objects.filter(user=user).exists()
    assert AuditEvent.objects.count() == events_before


def test_register_with_an_invalid_nip_fails_on_nip(municipality):
    with pytest.raises(ValidationError) as caught:
        services.organisation_register(
            owner=UserFactory(), **registration_data(municipality, nip="1234567890")
        )

    assert caught.value.error_dict["nip"][0].code == "invalid_checksum"
    assert not Organisation.objects.filter(name="Spółdzielnia Socjalna Łódź").exists()


def test_register_refuses_fields_members_may_not_set(municipality):
    with pytest.raises(TypeError):
        services.organisation_register(
            owner=UserFactory(),
            **registration_data(municipality, status=Organisation.Status.VERIFIED),
        )

    assert not Organisation.objects.filter(name="Spółdzielnia Socjalna Łódź").exists()


# --- editing --------------------------------------------------------------------------------


def test_update_logs_a_legal_data_change_with_before_and_after(pending_organisation):
    # Owners change the legal data directly only before verification (see legal_change_*).
    organisation = pending_organisation
    owner = organisation.memberships.get().user
    old_name, old_krs = organisation.name, organisation.krs
    new_krs = next_krs()

    services.organisation_update(
        organisation=organisation, actor=owner, name="Fundacja Nowa Nazwa", krs=new_krs
    )

    (event,) = events(organisation, "organisation.legal_data_changed")
    assert event.actor == owner
    assert event.before["name"] == old_name
    assert event.after["name"] == "Fundacja Nowa Nazwa"
    assert event.before["krs"] == old_krs
    assert event.after["krs"] == new_krs
    assert {field for field, _before, _after in event.changed_fields} == {"name", "krs"}


def test_update_of_non_legal_data_writes_no_event(organisation, pes_owner):
    services.organisation_update(
        organisation=organisation,
        actor=pes_owner,
        description="Prowadzimy kawiarnię i catering.",
        phone="+48 56 123 45 67",
    )

    organisation.refresh_from_db()
    assert organisation.description == "Prowadzimy kawiarnię i catering."
    assert not AuditEvent.objects.for_object(organisation).exists()


def test_update_keeps_a_verified_organisation_verified(organisation, pes_owner):
    services.organisation_update(
        organisation=organisation, actor=pes_owner, phone="+48 56 765 43 21"
    )

    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.VERIFIED
    assert organisation.phone == "+48 56 765 43 21"


def test_update_of_invalid_data_saves_nothing(pending_organisation):
    # Awaiting verification, the owner edits the staff figures (verified data) directly.
    owner = pending_organisation.memberships.get().user
    before = pending_organisation.employees
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(
            organisation=pending_organisation, actor=owner, employees=2, employees_at_risk=5
        )

    assert "employees_at_risk" in caught.value.message_dict
    pending_organisation.refresh_from_db()
    assert pending_organisation.employees == before


def test_update_of_a_rejected_organisation_puts_it_back_in_the_queue(
    municipality, official, other_official, django_capture_on_commit_callbacks, mailoutbox
):
    rejected = OrganisationFactory(rejected=True, seat_municipality=municipality)
    owner = make_pes_member(rejected)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(organisation=rejected, actor=owner, krs=next_krs())

    rejected.refresh_from_db()
    assert rejected.status == Organisation.Status.PENDING
    (event,) = events(rejected, "organisation.resubmitted")
    assert event.before == {"status": "rejected"}
    assert event.after == {"status": "pending"}
    assert recipients_of(mailoutbox) == [official.email]


def test_update_refuses_to_change_the_status(organisation, pes_owner):
    with pytest.raises(TypeError):
        services.organisation_update(
            organisation=organisation, actor=pes_owner, status=Organisation.Status.PENDING
        )


# --- verification ---------------------------------------------------------------------------


def test_verify_makes_the_organisation_public_and_records_who_verified(
    pending_organisation, official
):
    services.organisation_verify(organisation=pending_organisation, official=official)

    pending_organisation.refresh_from_db()
    assert pending_organisation.status == Organisation.Status.VERIFIED
    assert pending_organisation.verified_by == official
    assert timezone.now() - pending_organisation.verified_at < timedelta(minutes=1)
    (event,) = events(pending_organisation, "organisation.verified")
    assert event.actor == official


def test_verify_emails_the_members(
    pending_organisation, official, django_capture_on_commit_callbacks, mailoutbox
):
    editor = make_pes_member(pending_organisation, role="editor")
    owner_emails = list(pending_organisation.memberships.values_list("user__email", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_verify(organisation=pending_organisation, official=official)

    assert recipients_of(mailoutbox) == sorted(owner_emails)
    assert editor.email in recipients_of(mailoutbox)
    assert official.email not in recipients_of(mailoutbox)


def test_verifying_twice_raises(pending_organisation, official):
    services.organisation_verify(organisation=pending_organisation, official=official)

    with pytest.raises(ValidationError) as caught:
        services.organisation_verify(organisation=pending_organisation, official=official)

    assert caught.value.code == "decided"
    assert len(events(pending_organisation, "organisation.verified")) == 1


def test_verify_of_a_rejected_organisation_raises(municipality, official):
    rejected = OrganisationFactory(rejected=True, seat_municipality=municipality)

    with pytest.raises(ValidationError):
        services.organisation_verify(organisation=rejected, official=official)

    rejected.refresh_from_db()
    assert rejected.status == Organisation.Status.REJECTED


def test_reject_requires_a_reason(pending_organisation, official):
    with pytest.raises(ValidationError) as caught:
        services.organisation_reject(
            organisation=pending_organisation, official=official, reason="  "
        )

    assert "reason" in caught.value.message_dict
    pending_organisation.refresh_from_db()
    assert pending_organisation.status == Organisation.Status.PENDING


def test_reject_stores_the_reason_and_emails_the_members(
    pending_organisation, official, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_reject(
            organisation=pending_organisation,
            official=official,
            reason="  NIP nie zgadza się z KRS.  ",
        )

    pending_organisation.refresh_from_db()
    assert pending_organisation.status == Organisation.Status.REJECTED
    assert pending_organisation.rejection_reason == "NIP nie zgadza się z KRS."
    (event,) = events(pending_organisation, "organisation.rejected")
    assert event.comment == "NIP nie zgadza się z KRS."
    member_emails = pending_organisation.memberships.values_list("user__email", flat=True)
    assert recipients_of(mailoutbox) == sorted(member_emails)


def test_verify_after_resubmission_clears_the_rejection_reason(municipality, official):
    rejected = OrganisationFactory(rejected=True, seat_municipality=municipality)
    owner = make_pes_member(rejected)
    services.organisation_update(organisation=rejected, actor=owner, description="Poprawione.")

    services.organisation_verify(organisation=rejected, official=official)

    rejected.refresh_from_db()
    assert rejected.status == Organisation.Status.VERIFIED
    assert rejected.rejection_reason == ""


# --- invitations and members ----------------------------------------------------------------


def test_invitation_send_emails_the_invitee(
    organisation, pes_owner, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            organisation=organisation, email=" Nowa.Osoba@Example.org ", invited_by=pes_owner
        )

    assert invitation.email == "nowa.osoba@example.org"
    assert invitation.invited_by == pes_owner
    assert recipients_of(mailoutbox) == ["nowa.osoba@example.org"]
    assert invitation.token in mailoutbox[0].body


def test_invitation_send_refuses_an_existing_member(organisation, pes_owner, pes_editor):
    with pytest.raises(ValidationError) as caught:
        services.invitation_send(
            organisation=organisation, email=pes_editor.email.upper(), invited_by=pes_owner
        )

    assert "email" in caught.value.message_dict
    assert not organisation.invitations.exists()


def test_invitation_send_again_reuses_the_open_invitation(
    organisation, pes_owner, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitation_send(
            organisation=organisation, email="nowa@example.org", invited_by=pes_owner
        )
        second = services.invitation_send(
            organisation=organisation, email="NOWA@example.org", invited_by=pes_owner
        )

    assert first.pk == second.pk
    assert organisation.invitations.count() == 1
    assert len(mailoutbox) == 2


def test_invitation_send_after_expiry_creates_a_new_invitation(organisation, pes_owner):
    old = services.invitation_send(
        organisation=organisation, email="nowa@example.org", invited_by=pes_owner
    )
    OrganisationInvitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=OrganisationInvitation.VALID_DAYS + 1)
    )

    new = services.invitation_send(
        organisation=organisation, email="nowa@example.org", invited_by=pes_owner
    )

    assert new.pk != old.pk
    assert new.is_open


def test_invitation_accept_makes_the_user_an_editor(organisation):
    invitation = InvitationFactory(organisation=organisation, email="nowa@example.org")
    user = UserFactory(email="nowa@example.org")

    membership = services.invitation_accept(invitation=invitation, user=user)

    assert membership.organisation == organisation
    assert membership.user == user
    assert membership.role == OrganisationMembership.Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    (event,) = events(organisation, "organisation.member_joined")
    assert event.after == {"member": "nowa@example.org", "role": "editor"}


def test_invitation_accept_ignores_the_case_of_the_address(organisation):
    invitation = InvitationFactory(organisation=organisation, email="Nowa@Example.org")
    user = UserFactory(email="nowa@example.org")

    membership = services.invitation_accept(invitation=invitation, user=user)

    assert membership.role == OrganisationMembership.Role.EDITOR


def test_invitation_accept_requires_the_invited_address(organisation):
    invitation = InvitationFactory(organisation=organisation, email="nowa@example.org")
    stranger = UserFactory(email="ktos.inny@example.org")

    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(invitation=invitation, user=stranger)

    assert caught.value.code == "wrong_user"
    assert not organisation.memberships.filter(user=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_cannot_be_accepted_twice(organisation):
    invitation = InvitationFactory(organisation=organisation, email="nowa@example.org")
    user = UserFactory(email="nowa@example.org")
    services.invitation_accept(invitation=invitation, user=user)

    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(invitation=invitation, user=user)

    assert caught.value.code == "closed"
    assert len(events(organisation, "organisation.member_joined")) == 1


def test_expired_invitation_is_refused(organisation):
    invitation = InvitationFactory(organisation=organisation, email="nowa@example.org")
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=OrganisationInvitation.VALID_DAYS, minutes=1)
    )
    user = UserFactory(email="nowa@example.org")

    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(invitation=invitation, user=user)

    assert caught.value.code == "closed"
    assert not organisation.memberships.filter(user=user).exists()


def test_invitation_accepted_by_an_owner_keeps_them_owner(organisation, pes_owner):
    invitation = InvitationFactory(organisation=organisation, email=pes_owner.email)

    membership = services.invitation_accept(invitation=invitation, user=pes_owner)

    assert membership.role == OrganisationMembership.Role.OWNER


def test_membership_remove_refuses_removing_the_last_owner(organisation, pes_owner, pes_editor):
    membership = OrganisationMembership.objects.get(organisation=organisation, user=pes_owner)

    with pytest.raises(ValidationError) as caught:
        services.membership_remove(membership=membership, actor=pes_owner)

    assert caught.value.code == "last_owner"
    assert OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_membership_remove_of_one_of_two_owners_succeeds(organisation, pes_owner):
    second = MembershipFactory(organisation=organisation, role="owner")

    services.membership_remove(membership=second, actor=pes_owner)

    assert not OrganisationMembership.objects.filter(pk=second.pk).exists()
    assert organisation.memberships.filter(user=pes_owner, role="owner").exists()


def test_membership_remove_of_an_editor_is_logged(organisation, pes_owner, pes_editor):
    membership = OrganisationMembership.objects.get(organisation=organisation, user=pes_editor)

    services.membership_remove(membership=membership, actor=pes_owner)

    assert not organisation.memberships.filter(user=pes_editor).exists()
    (event,) = events(organisation, "organisation.member_removed")
    assert event.actor == pes_owner
    assert event.before == {"member": pes_editor.email, "role": "editor"}


# --- the logo ----------------------------------------------------------------------------------


def _logo(colour="teal"):
    return upload(Image.new("RGB", (30, 20), colour), name="logo.png")


def test_a_replaced_logo_file_is_deleted_after_commit(
    organisation, pes_owner, django_capture_on_commit_callbacks
):
    services.organisation_update(organisation=organisation, actor=pes_owner, logo=_logo())
    organisation.refresh_from_db()
    first = Path(organisation.logo.path)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(organisation=organisation, actor=pes_owner, logo=_logo("red"))

    organisation.refresh_from_db()
    assert not first.exists()
    assert Path(organisation.logo.path).is_file()


def test_a_removed_logo_file_is_deleted_after_commit(
    organisation, pes_owner, django_capture_on_commit_callbacks
):
    services.organisation_update(organisation=organisation, actor=pes_owner, logo=_logo())
    organisation.refresh_from_db()
    stored = Path(organisation.logo.path)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(organisation=organisation, actor=pes_owner, logo=None)

    organisation.refresh_from_db()
    assert not organisation.logo
    assert not stored.exists()


def test_a_logo_kept_through_an_edit_stays(
    organisation, pes_owner, django_capture_on_commit_callbacks
):
    services.organisation_update(organisation=organisation, actor=pes_owner, logo=_logo())
    organisation.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(organisation=organisation, actor=pes_owner, city="Toruń")

    assert Path(organisation.logo.path).is_file()
