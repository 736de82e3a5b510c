"""A form sent twice at once (a double click, two people on one record) ends in one row and a
message, never in a server error from a unique constraint.

On PostgreSQL each request runs in its own thread and connection: the first one's transaction
is held open after its insert, the second is let go and provably waits for it (PostgreSQL
reports it waiting for a lock), then the first commits. Without the fixes the second request
got an IntegrityError, a 500.
"""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from directory import services as directory_services
from directory.models import LegalForm, Organisation
from monitoring import services as monitoring_services
from monitoring.models import Measurement, ProgrammeFunds
from tests.demand.test_race import Racer, _waiting_for_locks
from tests.directory.factories import next_krs, next_regon
from tests.factories import MunicipalityFactory, UserFactory, make_monitoring_member, next_nip
from tests.monitoring.factories import IndicatorFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Two requests in flight at once need two connections to one server database "
        "(DATABASE_URL=postgres://…); SQLite serialises writers.",
    ),
]


def second_while_first_is_uncommitted(first, second):
    """Runs ``first`` in a transaction held open until ``second``, in another thread, waits
    for one of its locks; then commits it and returns the finished racer of ``second``."""
    racer = Racer(second)
    with transaction.atomic():
        first()
        racer.start()
        give_up = time.monotonic() + 15
        while _waiting_for_locks() < 1:
            assert time.monotonic() < give_up, "the second request never waited for the first"
            time.sleep(0.02)
    racer.join(timeout=15)
    assert not racer.is_alive()
    return racer


def registration(municipality, *, name, nip):
    return {
        "name": name,
        "legal_form": LegalForm.SOCIAL_COOPERATIVE,
        "krs": next_krs(),
        "nip": nip,
        "regon": next_regon(),
        "street": "ul. Szeroka 1",
        "postal_code": "87-100",
        "city": "Toruń",
        "seat_municipality": municipality,
    }


def test_a_double_click_on_register_registers_the_nip_once_and_explains_the_second():
    municipality = MunicipalityFactory()
    first_user, second_user = UserFactory(), UserFactory()
    nip = next_nip()

    racer = second_while_first_is_uncommitted(
        lambda: directory_services.organisation_register(
            owner=first_user, **registration(municipality, name="Spółdzielnia Pierwsza", nip=nip)
        ),
        lambda: directory_services.organisation_register(
            owner=second_user, **registration(municipality, name="Spółdzielnia Druga", nip=nip)
        ),
    )

    assert isinstance(racer.error, ValidationError), racer.error
    assert "nip" in racer.error.message_dict
    assert list(Organisation.objects.filter(nip=nip).values_list("name", flat=True)) == [
        "Spółdzielnia Pierwsza"
    ]
    assert not second_user.organisation_memberships.exists()


def test_the_same_period_entered_twice_at_once_is_one_measurement_with_the_later_value():
    indicator = IndicatorFactory()
    member = make_monitoring_member(indicator.programme.municipality)
    period = {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31)}

    racer = second_while_first_is_uncommitted(
        lambda: monitoring_services.measurement_record(
            indicator=indicator, actor=member, value=Decimal("10"), **period
        ),
        lambda: monitoring_services.measurement_record(
            indicator=indicator, actor=member, value=Decimal("12"), **period
        ),
    )

    assert racer.error is None, racer.error
    assert list(
        Measurement.objects.filter(indicator=indicator).values_list("value", flat=True)
    ) == [Decimal("12")]


def test_planned_funds_saved_twice_at_once_are_one_amount_per_year():
    indicator = IndicatorFactory()
    programme = indicator.programme
    member = make_monitoring_member(programme.municipality)

    racer = second_while_first_is_uncommitted(
        lambda: monitoring_services.programme_funds_set(
            programme=programme, actor=member, amounts={2026: Decimal("1000")}
        ),
        lambda: monitoring_services.programme_funds_set(
            programme=programme, actor=member, amounts={2026: Decimal("2000")}
        ),
    )

    assert racer.error is None, racer.error
    assert list(
        ProgrammeFunds.objects.filter(programme=programme).values_list("year", "amount")
    ) == [(2026, Decimal("2000"))]
