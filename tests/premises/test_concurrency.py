"""Never two leases of one premises at once, under load: 20 officials' requests to lease the same
premises for overlapping periods at the same moment, each in its own thread with its own
database connection; exactly one lease is signed, the others get the overlap message. And the
exclusion constraint holds even when the service's check is bypassed."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from premises import services
from premises.models import Lease
from tests.directory.factories import OrganisationFactory

REQUESTS = 20

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (SQLite has one writer)",
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_one_premises_sign_exactly_one_lease(
    policy, premises, sphere, official
):
    tenants = [OrganisationFactory() for _n in range(REQUESTS)]
    barrier = threading.Barrier(REQUESTS)
    outcomes = []
    lock = threading.Lock()

    def sign(index, tenant):
        try:
            barrier.wait()
            try:
                services.lease_sign(
                    premises=premises,
                    organisation=tenant,
                    sphere=sphere,
                    activity="Świetlica",
                    starts_on=date(2025, 1, 1) + timedelta(days=index),
                    ends_on=date(2026, 1, 1),
                    basic_rent_m2=Decimal(20),
                    actor=official,
                )
            except ValidationError as error:
                result = ("refused", [e.code for e in error.error_dict.get("starts_on", [])])
            else:
                result = ("signed", None)
        except Exception as error:  # any other failure is reported by the assertion below
            result = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=sign, args=(index, tenant)) for index, tenant in enumerate(tenants)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kinds = [kind for kind, _detail in outcomes]
    assert kinds.count("error") == 0, [o for o in outcomes if o[0] == "error"]
    assert kinds.count("signed") == 1
    assert all(detail == ["lease_overlap"] for kind, detail in outcomes if kind == "refused")
    assert Lease.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_exclusion_constraint_refuses_an_overlap_written_past_the_service(
    policy, premises, organisation, sphere, official
):
    lease = services.lease_sign(
        premises=premises,
        organisation=organisation,
        sphere=sphere,
        activity="Świetlica",
        starts_on=date(2025, 1, 1),
        ends_on=None,
        basic_rent_m2=Decimal(20),
        actor=official,
    )
    lease.pk = None
    lease.starts_on = date(2030, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        lease.save()
