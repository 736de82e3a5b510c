"""No double booking under load: 50 borrowers ask for the same slot at the same moment, each in
its own thread with its own database connection; exactly one gets it, the others the message."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from equipment_bank.models import Booking, BookingItem
from equipment_bank.services import Borrower
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.equipment_bank.factories import ResourceFactory, day_period, days_ahead

REQUESTS = 50


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (SQLite has one writer)",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_requests_for_one_slot_exactly_one_succeeds(city_bank, book):
    tent = ResourceFactory(owner=city_bank, units=1)
    borrowers = []
    for _n in range(REQUESTS):
        organisation = OrganisationFactory()
        borrowers.append((make_pes_member(organisation), Borrower(organisation=organisation)))
    start, end = day_period(days_ahead(10))
    barrier = threading.Barrier(REQUESTS)
    outcomes = []
    lock = threading.Lock()

    def ask(user, borrower):
        try:
            barrier.wait()
            try:
                book(tent, user, borrower, start=start, end=end)
            except ValidationError as error:
                codes = [e.code for e in getattr(error, "error_dict", {}).get("start", [])]
                result = ("refused", codes)
            else:
                result = ("booked", None)
        except Exception as error:  # any other failure is reported by the assertion below
            result = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=ask, args=pair) for pair in borrowers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    kinds = [kind for kind, _detail in outcomes]
    assert kinds.count("error") == 0, [o for o in outcomes if o[0] == "error"]
    assert kinds.count("booked") == 1
    assert kinds.count("refused") == REQUESTS - 1
    # Each refusal is the form's conflict message (which names the nearest free time).
    refusals = [detail for kind, detail in outcomes if kind == "refused"]
    assert all(detail == ["conflict"] for detail in refusals), refusals[:3]
    assert Booking.objects.count() == 1
    assert BookingItem.objects.filter(holds_slot=True).count() == 1
