"""Deleting an account (RODO art. 17): the account goes, the records others rely on stay, and
the event log still reads after the people and the things it names are gone."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from directory.models import Organisation
from pestor import audit, selectors, services
from pestor.models import AuditEvent, SentEmail, User
from pestor.notifications import email_send
from tests.demand.factories import AnswerFactory, NoticeFactory
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_account_without_history_is_deleted_with_its_own_rows(signed_in_user):
    pk, email = signed_in_user.pk, signed_in_user.email

    assert services.user_erase(user=signed_in_user) is None

    assert not User.objects.filter(pk=pk).exists()
    assert not EmailAddress.objects.filter(email=email).exists()


def test_an_account_with_history_is_anonymised_and_its_records_stay(
    organisation, pes_owner, admin_user
):
    answer = AnswerFactory(
        notice=NoticeFactory(published=True), organisation=organisation, submitted_by=pes_owner
    )
    email = pes_owner.email
    assert selectors.user_history(user=pes_owner) == [answer]

    kept = services.user_erase(user=pes_owner, actor=admin_user)

    kept.refresh_from_db()
    assert kept.pk == pes_owner.pk
    assert kept.anonymised_at is not None
    assert (kept.first_name, kept.last_name) == ("", "")
    assert email not in kept.email
    assert not kept.has_usable_password()
    assert not kept.is_active
    assert not kept.organisation_memberships.exists()
    assert not EmailAddress.objects.filter(user=kept).exists()
    assert kept.display_name == "konto usunięte"
    answer.refresh_from_db()
    assert answer.submitted_by == kept
    (event,) = AuditEvent.objects.for_object(kept).filter(action="user.anonymised")
    assert event.actor == admin_user
    assert email not in event.object_repr
    # The address is free for a new account.
    assert UserFactory(email=email).email == email


def test_anonymising_an_account_forgets_what_the_outbox_sent_to_its_address(
    organisation, pes_owner, admin_user
):
    AnswerFactory(
        notice=NoticeFactory(published=True), organisation=organisation, submitted_by=pes_owner
    )
    email = pes_owner.email
    email_send(subject="S", body="B", recipients=[email], key="test:1")
    email_send(subject="S", body="B", recipients=["inny@example.org"], key="test:2")
    assert SentEmail.objects.filter(recipient=email).exists()

    services.user_erase(user=pes_owner, actor=admin_user)

    assert not SentEmail.objects.filter(recipient__iexact=email).exists()
    assert SentEmail.objects.filter(recipient="inny@example.org").exists()


def test_an_administrator_with_entries_in_the_admin_log_is_anonymised_and_they_stay(admin_user):
    entry = LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(User),
        object_id="1",
        object_repr="Jan Nowak",
        action_flag=DELETION,
    )

    assert services.user_erase(user=admin_user) == admin_user

    assert LogEntry.objects.get(pk=entry.pk).user == admin_user
    admin_user.refresh_from_db()
    assert not admin_user.is_staff and not admin_user.is_superuser


def test_the_event_log_keeps_its_rows_and_their_names_when_the_actor_is_deleted(
    pending_organisation,
):
    owner = pending_organisation.memberships.get().user
    event = audit.record(actor=owner, action="organisation.registered", target=pending_organisation)
    owner_pk, name = owner.pk, owner.get_full_name()

    services.user_erase(user=owner)

    assert not User.objects.filter(pk=owner_pk).exists()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id == owner_pk
    assert event.actor_repr == name


def test_the_admin_event_log_reads_after_the_actor_and_the_target_are_deleted(
    client, admin_user, municipality
):
    organisation = OrganisationFactory(
        pending=True, name="Fundacja Do Usunięcia", seat_municipality=municipality
    )
    owner = make_pes_member(organisation, first_name="Ewa", last_name="Zielińska")
    audit.record(actor=owner, action="organisation.registered", target=organisation)
    client.force_login(admin_user)

    for url in (
        reverse("admin:pestor_user_delete", args=[owner.pk]),
        reverse("admin:directory_organisation_delete", args=[organisation.pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 302

    assert not User.objects.filter(pk=owner.pk).exists()
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    page = client.get(reverse("admin:pestor_auditevent_changelist")).content.decode()
    assert "Fundacja Do Usunięcia" in page
    assert "Ewa Zielińska" in page
    assert "organisation.registered" in page
    assert "organisation.deleted" in page
    event = AuditEvent.objects.get(action="organisation.registered")
    page = client.get(reverse("admin:pestor_auditevent_change", args=[event.pk])).content.decode()
    assert "Ewa Zielińska" in page
