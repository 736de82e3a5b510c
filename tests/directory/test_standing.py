"""An organisation withdrawn by its owner or suspended by an official, and the directory's
yearly check of the data."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory import services, tasks
from directory.models import Organisation
from pestor.models import AuditEvent
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.roles import outcome

pytestmark = pytest.mark.django_db

Status = Organisation.Status


def actions_of(organisation):
    return list(AuditEvent.objects.for_object(organisation).values_list("action", flat=True))


# --- deactivation by the owner ------------------------------------------------------------------


def test_an_owner_deactivates_and_reactivates_a_verified_organisation(organisation, pes_owner):
    services.organisation_deactivate(organisation=organisation, actor=pes_owner)
    organisation.refresh_from_db()
    assert organisation.status == Status.DEACTIVATED
    assert not Organisation.objects.public().filter(pk=organisation.pk).exists()

    services.organisation_reactivate(organisation=organisation, actor=pes_owner)
    organisation.refresh_from_db()
    assert organisation.status == Status.VERIFIED
    assert organisation.status_before_deactivation == ""
    assert Organisation.objects.public().filter(pk=organisation.pk).exists()
    assert {"organisation.deactivated", "organisation.reactivated"} <= set(actions_of(organisation))


def test_a_pending_organisation_reactivated_awaits_the_official_again(pending_organisation):
    owner = pending_organisation.memberships.get().user
    services.organisation_deactivate(organisation=pending_organisation, actor=owner)
    services.organisation_reactivate(organisation=pending_organisation, actor=owner)
    pending_organisation.refresh_from_db()
    assert pending_organisation.status == Status.PENDING


def test_an_editor_cannot_deactivate(organisation, pes_editor):
    with pytest.raises(PermissionDenied):
        services.organisation_deactivate(organisation=organisation, actor=pes_editor)


def test_legal_data_of_a_deactivated_organisation_cannot_change(organisation, pes_owner):
    """Otherwise reactivation would publish legal data no official has checked."""
    services.organisation_deactivate(organisation=organisation, actor=pes_owner)
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=organisation, actor=pes_owner, name="Zupełnie Inna Nazwa"
        )


def test_a_suspended_organisation_cannot_be_deactivated_by_its_owner(
    organisation, pes_owner, official
):
    services.organisation_suspend(organisation=organisation, official=official, reason="Powód.")
    with pytest.raises(PermissionDenied):
        services.organisation_deactivate(organisation=organisation, actor=pes_owner)


# --- suspension by an official ------------------------------------------------------------------


def test_an_official_suspends_with_a_reason_and_the_members_are_told(
    organisation, pes_owner, pes_editor, official, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_suspend(
            organisation=organisation, official=official, reason="Wykreślona z KRS."
        )
    organisation.refresh_from_db()
    assert organisation.status == Status.SUSPENDED
    assert organisation.suspension_reason == "Wykreślona z KRS."
    assert not Organisation.objects.public().filter(pk=organisation.pk).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([pes_owner.email, pes_editor.email])
    assert all("Wykreślona z KRS." in m.body for m in mailoutbox)
    event = AuditEvent.objects.for_object(organisation).get(action="organisation.suspended")
    assert event.actor == official and event.comment == "Wykreślona z KRS."


def test_suspension_needs_a_reason(organisation, official):
    with pytest.raises(ValidationError) as error:
        services.organisation_suspend(organisation=organisation, official=official, reason="  ")
    assert "reason" in error.value.message_dict
    organisation.refresh_from_db()
    assert organisation.status == Status.VERIFIED


def test_an_official_of_another_municipality_cannot_suspend(organisation, other_official):
    with pytest.raises(PermissionDenied):
        services.organisation_suspend(
            organisation=organisation, official=other_official, reason="x"
        )


def test_restoring_makes_the_organisation_public_again(
    organisation, pes_owner, official, mailoutbox, django_capture_on_commit_callbacks
):
    services.organisation_suspend(organisation=organisation, official=official, reason="Powód.")
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_restore(organisation=organisation, official=official)
    organisation.refresh_from_db()
    assert organisation.status == Status.VERIFIED
    assert organisation.suspension_reason == ""
    assert Organisation.objects.public().filter(pk=organisation.pk).exists()
    assert mailoutbox[-1].to == [pes_owner.email]
    assert "organisation.restored" in actions_of(organisation)


def test_a_suspended_organisation_leaves_the_public_directory(client, organisation, official):
    services.organisation_suspend(organisation=organisation, official=official, reason="Powód.")
    assert (
        organisation.name not in client.get(reverse("directory:organisation-list")).content.decode()
    )
    assert client.get(organisation.get_absolute_url()).status_code == 404


# --- role matrices ------------------------------------------------------------------------------

DEACTIVATE = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 200,
    "pes_editor": 403,
    "other_pes_member": 403,
    "official": 403,
    "other_official": 403,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 403,
}


@pytest.mark.parametrize(("role", "expected"), DEACTIVATE.items())
def test_only_an_owner_deactivates(role, expected, as_role, client, organisation, pes_owner):
    as_role(role)
    url = reverse("directory:organisation-deactivate", args=[organisation.slug])
    assert outcome(client.get(url)) == expected
    response = client.post(url)
    organisation.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert organisation.status == Status.DEACTIVATED
    else:
        assert outcome(response) == expected
        assert organisation.status == Status.VERIFIED


# A deactivated organisation is seen by its members, the seat's officials and administrators
# only: the others get the same 404 as for a missing one.
REACTIVATE = {
    "resident": "login",
    "signed_in_user": 404,
    "pes_owner": 302,
    "pes_editor": 403,
    "other_pes_member": 404,
    "official": 403,
    "other_official": 404,
    "monitoring_member": 404,
    "business_buyer": 404,
    "admin_user": 403,
}


@pytest.mark.parametrize(("role", "expected"), REACTIVATE.items())
def test_only_an_owner_reactivates(role, expected, as_role, client, organisation, pes_owner):
    services.organisation_deactivate(organisation=organisation, actor=pes_owner)
    as_role(role)
    url = reverse("directory:organisation-reactivate", args=[organisation.slug])
    response = client.post(url)
    assert outcome(response) == expected
    organisation.refresh_from_db()
    assert (organisation.status == Status.VERIFIED) == (expected == 302)


SUSPEND = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 403,
    "pes_editor": 403,
    "other_pes_member": 403,
    "official": 200,
    "other_official": 403,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "expected"), SUSPEND.items())
def test_only_the_seat_officials_suspend(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    as_role(role)
    url = reverse("directory:organisation-suspend", args=[organisation.slug])
    assert outcome(client.get(url)) == expected
    response = client.post(url, {"reason": "Zawieszona do wyjaśnienia."})
    organisation.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert organisation.status == Status.SUSPENDED
    else:
        assert outcome(response) == expected
        assert organisation.status == Status.VERIFIED


def test_a_suspension_without_a_reason_keeps_the_page(client, official, organisation):
    client.force_login(official)
    url = reverse("directory:organisation-suspend", args=[organisation.slug])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.status == Status.VERIFIED


RESTORE = {
    "resident": "login",
    "signed_in_user": 404,
    "pes_owner": 403,
    "pes_editor": 403,
    "other_pes_member": 404,
    "official": 302,
    "other_official": 404,
    "monitoring_member": 404,
    "business_buyer": 404,
    "admin_user": 302,
}


@pytest.mark.parametrize(("role", "expected"), RESTORE.items())
def test_only_the_seat_officials_restore(
    role, expected, as_role, client, organisation, pes_owner, pes_editor, official
):
    services.organisation_suspend(organisation=organisation, official=official, reason="Powód.")
    as_role(role)
    response = client.post(reverse("directory:organisation-restore", args=[organisation.slug]))
    assert outcome(response) == expected
    organisation.refresh_from_db()
    assert (organisation.status == Status.VERIFIED) == (expected == 302)


def test_members_see_why_their_organisation_is_suspended(
    client, organisation, pes_editor, official
):
    services.organisation_suspend(
        organisation=organisation, official=official, reason="Dane niezgodne z KRS."
    )
    client.force_login(pes_editor)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Dane niezgodne z KRS." in page


# --- the yearly check ---------------------------------------------------------------------------


def _due(municipality, **fields):
    """A verified organisation last verified over a year ago, with an owner."""
    fields.setdefault("verified_at", timezone.now() - timedelta(days=500))
    organisation = OrganisationFactory(seat_municipality=municipality, **fields)
    make_pes_member(organisation, role="owner")
    return organisation


def test_the_beat_task_run_twice_sends_one_reminder(
    municipality, mailoutbox, django_capture_on_commit_callbacks
):
    due = _due(municipality)
    fresh = OrganisationFactory(seat_municipality=municipality)  # verified just now
    make_pes_member(fresh, role="owner")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_confirmation_reminders.apply().get() == 1
        assert tasks.send_confirmation_reminders.apply().get() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [due.memberships.get().user.email]
    due.refresh_from_db()
    assert due.confirmation_requested_at is not None
    assert actions_of(due).count("organisation.confirmation_requested") == 1


def test_the_reminder_is_on_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "directory.tasks.send_confirmation_reminders" in tasks_scheduled


def test_a_confirmation_within_the_year_spares_the_reminder(municipality, mailoutbox):
    _due(municipality, data_confirmed_at=timezone.now() - timedelta(days=30))
    assert services.confirmation_reminders_send() == 0


def test_a_year_later_the_owner_is_reminded_again(municipality):
    organisation = _due(municipality, verified_at=timezone.now() - timedelta(days=800))
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=366))
    services.confirmation_reminders_send()
    organisation.refresh_from_db()
    assert actions_of(organisation).count("organisation.confirmation_requested") == 2


def test_unconfirmed_sixty_days_after_the_reminder_leaves_the_default_list(client, municipality):
    organisation = _due(municipality, name="Fundacja Zapominalska")
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=61))
    organisation.refresh_from_db()
    assert organisation.is_unconfirmed
    list_url = reverse("directory:organisation-list")
    assert "Fundacja Zapominalska" not in client.get(list_url).content.decode()
    shown = client.get(list_url, {"confirmation": "all"}).content.decode()
    assert "Fundacja Zapominalska" in shown
    only = client.get(list_url, {"confirmation": "unconfirmed"})
    assert [o.pk for o in only.context["organisations"]] == [organisation.pk]
    # Its page stays public, marked as not confirmed.
    assert "niepotwierdzone" in client.get(organisation.get_absolute_url()).content.decode()


def test_within_sixty_days_of_the_reminder_the_entry_stays_listed(client, municipality):
    organisation = _due(municipality)
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=59))
    organisation.refresh_from_db()
    assert not organisation.is_unconfirmed
    assert Organisation.objects.confirmed().filter(pk=organisation.pk).exists()


def test_the_owners_confirmation_brings_the_entry_back(client, municipality):
    organisation = _due(municipality)
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=70))
    owner = organisation.memberships.get().user
    client.force_login(owner)
    response = client.post(reverse("directory:organisation-confirm-data", args=[organisation.slug]))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.is_unconfirmed
    assert "organisation.data_confirmed" in actions_of(organisation)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Dane potwierdzone" in page


CONFIRM = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 302,
    "pes_editor": 403,
    "other_pes_member": 403,
    "official": 403,
    "other_official": 403,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 403,
}


@pytest.mark.parametrize(("role", "expected"), CONFIRM.items())
def test_only_an_owner_confirms_the_data(role, expected, as_role, client, organisation, pes_owner):
    as_role(role)
    response = client.post(reverse("directory:organisation-confirm-data", args=[organisation.slug]))
    assert outcome(response) == expected
    organisation.refresh_from_db()
    assert (organisation.data_confirmed_at is not None) == (expected == 302)


def test_the_official_sees_the_unconfirmed_of_their_municipality(
    client, official, municipality, other_municipality
):
    mine = _due(municipality, name="Fundacja Moja")
    _due(other_municipality, name="Fundacja Sąsiednia")
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=61))
    client.force_login(official)
    response = client.get(reverse("directory:verification-queue"))
    assert [o.pk for o in response.context["unconfirmed"]] == [mine.pk]


def test_the_queue_with_unconfirmed_runs_a_fixed_number_of_queries(client, official, municipality):
    client.force_login(official)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("directory:verification-queue")).status_code == 200
        return len(captured)

    _due(municipality)
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=61))
    with_one = queries()
    for _ in range(5):
        _due(municipality)
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=61))
    assert queries() == with_one


def test_the_unconfirmed_list_runs_a_fixed_number_of_queries(client, municipality):
    def queries():
        cache.clear()  # each count renders the filter's fields (includes/filter_fields.html)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("directory:organisation-list"), {"confirmation": "all"})
            assert response.status_code == 200
        return len(captured)

    _due(municipality)
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=61))
    with_one = queries()
    for _ in range(5):
        _due(municipality)
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=61))
    assert queries() == with_one


def test_an_accepted_change_of_legal_data_counts_as_a_recent_check(municipality):
    """Verified again after an owner's old confirmation: not due for the reminder."""
    _due(
        municipality,
        data_confirmed_at=timezone.now() - timedelta(days=500),
        verified_at=timezone.now() - timedelta(days=10),
    )
    assert services.confirmation_reminders_send() == 0


def test_the_owners_dashboard_asks_for_the_confirmation(client, municipality):
    organisation = _due(municipality)
    services.confirmation_reminders_send()
    client.force_login(organisation.memberships.get().user)
    page = client.get(reverse("pestor:dashboard")).content.decode()
    assert organisation.get_absolute_url() in page
    assert "Sprawdź i potwierdź" in page


def test_cards_mark_the_unconfirmed_when_the_filter_shows_them(client, municipality):
    _due(municipality, name="Fundacja Zapominalska")
    services.confirmation_reminders_send(now=timezone.now() - timedelta(days=61))
    page = client.get(reverse("directory:organisation-list"), {"confirmation": "all"})
    assert "niepotwierdzone" in page.content.decode()
