"""The deadline holds under a race: a save that waits for the competition's row (locked by
another transaction) reads the clock once it has the lock, so a wait that crosses the deadline
is refused, and nothing of it is written."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from grants import services
from grants.models import Competition, Offer
from tests.grants.factories import offer_data

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (SQLite has one writer)",
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_past_the_deadline_is_refused(offer, pes_owner, outcomes):
    deadline = timezone.now() + timedelta(seconds=1.5)
    Competition.objects.filter(pk=offer.competition_id).update(offers_until=deadline)
    offer.competition.refresh_from_db()
    locked = threading.Event()
    result = []

    def hold_the_row():
        try:
            with transaction.atomic():
                Competition.objects.select_for_update().get(pk=offer.competition_id)
                locked.set()
                time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()) + 0.5)
        finally:
            connections.close_all()

    def save_late():
        try:
            locked.wait()
            services.offer_update(
                offer=offer, actor=pes_owner, **offer_data(outcomes, task_title="Zbyt późno")
            )
        except ValidationError as error:
            result.append(error.code)
        else:
            result.append("saved")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hold_the_row), threading.Thread(target=save_late)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert result == ["deadline_passed"]
    assert Offer.objects.get(pk=offer.pk).task_title == "Festiwal podwórek"
