"""No overbooking under parallel requests: registrations that arrive together for the last
places wait for the event's row lock, and each reads the places taken once it holds it."""

import threading

import pytest
from django.db import connection, connections

from community import services
from community.models import Event, Registration

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (SQLite has one writer)",
)

PARALLEL = 6


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_never_overbook(municipality, official, signed_in_user):
    from tests.community.conftest import event_data

    event = services.event_create(
        actor=official, municipality=municipality, **event_data(capacity=2)
    )
    services.event_publish(event=event, actor=official)
    start = threading.Barrier(PARALLEL)
    errors = []

    def take_a_place(index):
        try:
            start.wait()
            services.registration_create(
                event=event,
                actor=signed_in_user,
                participants=[(f"Osoba {index}", f"osoba{index}@example.org")],
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take_a_place, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    event = Event.objects.get(pk=event.pk)
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count("confirmed") == 2 == event.seats_taken
    assert statuses.count("waiting") == PARALLEL - 2 == event.waiting


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_cancellations_promote_each_waiting_once(municipality, official, signed_in_user):
    from tests.community.conftest import event_data, register

    event = services.event_create(
        actor=official, municipality=municipality, **event_data(capacity=3)
    )
    services.event_publish(event=event, actor=official)
    confirmed = register(event, signed_in_user, 3, prefix="a")
    register(event, signed_in_user, 5, prefix="b")
    start = threading.Barrier(3)

    def cancel(registration):
        try:
            start.wait()
            services.registration_cancel(registration=registration, actor=signed_in_user)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in confirmed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    event = Event.objects.get(pk=event.pk)
    assert (event.seats_taken, event.waiting) == (3, 2)
    promoted = Registration.objects.filter(status="confirmed").order_by("pk")
    assert [r.email for r in promoted] == [f"b{i}@example.org" for i in range(3)]
