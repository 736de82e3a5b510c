"""Events and registrations through their services: places, the waiting list that moves up with
an e-mail, the deadline on the server's clock, capacity, attendance, reminders, indicators."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community import selectors, services, tasks
from community.models import Event, Registration
from pestor.models import AuditEvent
from tests.community.conftest import event_data, register


def test_places_go_in_order_and_the_rest_wait(training, pes_owner, organisation):
    created = register(training, pes_owner, 5, organisation=organisation)
    assert [r.status for r in created] == ["confirmed"] * 3 + ["waiting"] * 2
    training.refresh_from_db()
    assert (training.seats_taken, training.waiting) == (3, 2)
    assert {r.affiliation for r in created} == {Registration.Affiliation.PES}


def test_an_official_registers_as_administration(training, official):
    (registration,) = register(training, official)
    assert registration.affiliation == Registration.Affiliation.ADMINISTRATION


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_emailed(
    training, pes_owner, signed_in_user, django_capture_on_commit_callbacks, mailoutbox
):
    first = register(training, pes_owner, 3, prefix="a")
    waiting = register(training, signed_in_user, 2, prefix="b")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first[1], actor=pes_owner)
    assert promoted == waiting[0]
    promoted.refresh_from_db()
    assert promoted.status == Registration.Status.CONFIRMED
    training.refresh_from_db()
    assert (training.seats_taken, training.waiting) == (3, 1)
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted([waiting[0].email, signed_in_user.email])
    assert training.title in mailoutbox[0].subject
    # Cancelling a waiting registration frees no place and promotes nobody.
    assert services.registration_cancel(registration=waiting[1], actor=signed_in_user) is None
    training.refresh_from_db()
    assert (training.seats_taken, training.waiting) == (3, 0)
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=waiting[1], actor=signed_in_user)


def test_registration_closes_at_the_deadline_on_the_server_clock(training, pes_owner):
    with pytest.raises(ValidationError) as error:
        register(training, pes_owner, now=training.registration_deadline)
    assert error.value.code == "deadline_passed"
    assert not Registration.objects.exists()
    register(training, pes_owner, now=training.registration_deadline - timedelta(seconds=1))


def test_the_same_person_is_registered_once(training, pes_owner, signed_in_user):
    register(training, pes_owner, 1)
    with pytest.raises(ValidationError) as error:
        register(training, signed_in_user, 2)  # osoba0 again, with osoba1
    assert error.value.code == "already_registered"
    assert training.registrations.count() == 1
    with pytest.raises(ValidationError):
        services.registration_create(
            event=training,
            actor=pes_owner,
            participants=[("A", "x@example.org"), ("B", "X@example.org")],
        )


def test_an_organisation_the_user_does_not_work_for_is_refused(
    training, signed_in_user, organisation
):
    with pytest.raises(ValidationError) as error:
        register(training, signed_in_user, organisation=organisation)
    assert error.value.code == "not_member"


def test_a_draft_or_cancelled_event_takes_no_registrations(draft, training, official, pes_owner):
    with pytest.raises(ValidationError):
        register(draft, pes_owner)
    services.event_cancel(event=training, actor=official, reason="Choroba prowadzącego")
    with pytest.raises(ValidationError):
        register(training, pes_owner)


def test_capacity_below_the_places_taken_is_refused_and_a_larger_one_promotes(
    training, official, pes_owner
):
    register(training, pes_owner, 5)
    with pytest.raises(ValidationError) as error:
        services.event_update(event=training, actor=official, capacity=2)
    assert "capacity" in error.value.message_dict
    training.refresh_from_db()
    assert training.capacity == 3
    services.event_update(event=training, actor=official, capacity=4)
    training.refresh_from_db()
    assert (training.seats_taken, training.waiting) == (4, 1)


def test_an_event_must_end_after_it_starts_and_have_a_place(municipality, official):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.event_create(
            actor=official,
            municipality=municipality,
            **event_data(starts_at=start, ends_at=start - timedelta(hours=1), venue=""),
        )
    assert {"ends_at", "venue"} <= set(error.value.message_dict)
    assert not Event.objects.exists()


def test_the_programme_is_sanitised(municipality, official):
    event = services.event_create(
        actor=official,
        municipality=municipality,
        **event_data(programme="**Plan** <script>alert(1)</script> [x](javascript:alert(1))"),
    )
    assert "<strong>Plan</strong>" in event.programme_html
    assert "<script" not in event.programme_html
    assert "javascript:" not in event.programme_html


def test_changes_are_written_to_the_event_log(training, official, pes_owner):
    register(training, pes_owner)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "community.event_create",
        "community.event_publish",
        "community.registration_create",
    } <= actions


def test_attendance_is_marked_once_the_event_started(training, official, pes_owner):
    created = register(training, pes_owner, 3)
    with pytest.raises(ValidationError):
        services.attendance_mark(
            event=training, actor=official, present=set(), shown={r.pk for r in created}
        )
    Event.objects.filter(pk=training.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    present = services.attendance_mark(
        event=training,
        actor=official,
        present={created[0].pk, created[1].pk},
        shown={created[0].pk, created[2].pk},  # created[1] not on the page: left as it was
    )
    assert present == 1
    assert [r.attended for r in Registration.objects.order_by("pk")] == [True, None, False]


def test_the_report_is_published_after_the_event_started(training, official):
    with pytest.raises(ValidationError):
        services.report_publish(event=training, actor=official, report="Ustalenia")
    Event.objects.filter(pk=training.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    event = services.report_publish(event=training, actor=official, report="## Ustalenia\n\n- a")
    assert "<li>a</li>" in event.report_html


def test_reminders_go_the_day_before_once_each(
    training, pes_owner, django_capture_on_commit_callbacks, mailoutbox
):
    created = register(training, pes_owner, 4)  # 3 with a place, 1 waiting
    day_before = training.starts_at - timedelta(days=1)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=training.starts_at - timedelta(days=3)) == 0
        assert services.reminders_send(now=day_before) == 3
    reminded = {message.to[0] for message in mailoutbox}
    assert reminded == {r.email for r in created[:3]} | {pes_owner.email}
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(now=day_before)
    assert mailoutbox == []  # each reminder once, however often the beat task runs
    Event.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_event_reminders.delay().get()
    assert mailoutbox == []  # the task runs the same service: nothing twice


def test_indicators_count_events_participants_and_training_hours(
    training, municipality, official, pes_owner, organisation
):
    register(training, pes_owner, 2, organisation=organisation)
    register(training, official, 1, prefix="urz")
    day = timezone.localdate(training.starts_at)
    period = {"municipality": municipality, "start": day, "end": day}
    assert selectors.indicator_events(**period) == 1
    assert selectors.indicator_events_training(**period) == 1
    assert selectors.indicator_events_forum(**period) == 0
    assert selectors.indicator_participants_pes(**period) == 2
    assert selectors.indicator_participants_administration(**period) == 1
    assert selectors.indicator_training_hours(**period) == 6.0


def test_the_monitoring_computes_the_indicators(training, municipality, pes_owner, organisation):
    from monitoring.computed import evaluate

    register(training, pes_owner, 2, organisation=organisation)
    day = timezone.localdate(training.starts_at)
    assert (
        evaluate("community_participants_pes", municipality=municipality, start=day, end=day) == 2
    )
    assert evaluate("community_events_training", municipality=municipality, start=day, end=day) == 1


def test_the_registrations_are_in_the_persons_data_and_keep_the_account_as_history(
    training, pes_owner
):
    from pestor import personal_data
    from pestor.services import user_erase

    register(training, pes_owner, 2)
    data = personal_data.collect(user=pes_owner)["community"]["registrations"]
    assert [row["participant"] for row in data] == ["Osoba osoba 0", "Osoba osoba 1"]
    assert user_erase(user=pes_owner, actor=pes_owner) is not None  # anonymised, not deleted
    training.refresh_from_db()
    assert training.seats_taken == 2
