"""Races against the deadline and against each other, with real threads on PostgreSQL.

The main thread holds the notice's row lock while the racing requests start, and lets them go
only once PostgreSQL reports them waiting for it: so they are provably in flight at the same
time, and what each may do is decided after it gets the lock, on the server's clock.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from demand import services
from demand.models import Answer, ConsortiumPartner, DemandNotice
from tests.demand.factories import AnswerFactory, NoticeFactory, PartnerFactory
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import DepartmentFactory, MunicipalityFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (select_for_update is a no-op there); the race needs "
        "PostgreSQL (DATABASE_URL=postgres://…).",
    ),
]


class Racer(threading.Thread):
    """Runs ``action`` in its own thread, with its own database connection, closed at the end."""

    def __init__(self, action):
        super().__init__(daemon=True)
        self.action = action
        self.result = None
        self.error = None

    def run(self):
        try:
            self.result = self.action()
        except ValidationError as error:
            self.error = error
        except Exception as error:  # anything else fails the test below, with its cause
            self.error = error
        finally:
            connection.close()


def _waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        # The statistics views keep one snapshot per transaction unless told to take a new one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def race(notice, actions, *, hold_until=None):
    """Locks the notice, starts one thread per action, waits until all of them wait for the
    lock (and, if given, until ``hold_until`` has passed), then releases it."""
    racers = [Racer(action) for action in actions]
    with transaction.atomic():
        DemandNotice.objects.select_for_update().get(pk=notice.pk)
        for racer in racers:
            racer.start()
        give_up = time.monotonic() + 15
        while _waiting_for_locks() < len(racers):
            assert time.monotonic() < give_up, "the racing requests never waited for the lock"
            time.sleep(0.02)
        if hold_until is not None:
            while timezone.now() < hold_until:
                time.sleep(0.02)
    for racer in racers:
        racer.join(timeout=15)
        assert not racer.is_alive()
    connection.close()
    return racers


@pytest.fixture
def world(db):
    municipality = MunicipalityFactory()
    department = DepartmentFactory(municipality=municipality)
    organisation = OrganisationFactory(seat_municipality=municipality)
    partner_organisation = OrganisationFactory(seat_municipality=municipality)
    return {
        "department": department,
        "organisation": organisation,
        "owner": make_pes_member(organisation),
        "editor": make_pes_member(organisation, role="editor"),
        "partner_organisation": partner_organisation,
        "partner_member": make_pes_member(partner_organisation),
    }


def test_two_answers_of_one_organisation_at_once_make_exactly_one(world):
    notice = NoticeFactory(department=world["department"], published=True)

    def submit(user, price):
        return lambda: services.answer_submit(
            notice=notice,
            organisation=world["organisation"],
            actor=user,
            kind=Answer.Kind.OFFER,
            price_net=price,
        )

    racers = race(notice, [submit(world["owner"], "100.00"), submit(world["editor"], "200.00")])
    succeeded = [racer for racer in racers if racer.error is None]
    refused = [racer for racer in racers if racer.error is not None]
    assert len(succeeded) == 1 and len(refused) == 1, [r.error for r in racers]
    assert isinstance(refused[0].error, ValidationError)
    assert "organisation" in refused[0].error.message_dict
    answer = Answer.objects.get(notice=notice)
    assert answer.pk == succeeded[0].result.pk


def _deadline_in(seconds):
    return timezone.now() + timedelta(seconds=seconds)


def test_an_answer_sent_as_the_deadline_passes_is_refused(world):
    notice = NoticeFactory(department=world["department"], published=True)
    DemandNotice.objects.filter(pk=notice.pk).update(answers_deadline=_deadline_in(1.5))
    notice.refresh_from_db()
    assert notice.is_open_for_answers  # the request starts while the notice is open

    (racer,) = race(
        notice,
        [
            lambda: services.answer_submit(
                notice=notice,
                organisation=world["organisation"],
                actor=world["owner"],
                kind=Answer.Kind.INTEREST,
            )
        ],
        hold_until=notice.answers_deadline,
    )
    assert isinstance(racer.error, ValidationError), racer.error
    assert racer.error.code == "deadline_passed"
    assert not Answer.objects.filter(notice=notice).exists()


def test_a_change_sent_as_the_deadline_passes_is_refused(world):
    notice = NoticeFactory(department=world["department"], published=True)
    answer = AnswerFactory(notice=notice, organisation=world["organisation"], price_net="500.00")
    DemandNotice.objects.filter(pk=notice.pk).update(answers_deadline=_deadline_in(1.5))
    notice.refresh_from_db()

    (racer,) = race(
        notice,
        [
            lambda: services.answer_update(
                answer=answer, actor=world["owner"], kind=Answer.Kind.OFFER, price_net="1.00"
            )
        ],
        hold_until=notice.answers_deadline,
    )
    assert isinstance(racer.error, ValidationError), racer.error
    assert racer.error.code == "deadline_passed"
    answer.refresh_from_db()
    assert str(answer.price_net) == "500.00"


def test_a_confirmation_sent_as_the_deadline_passes_is_refused(world):
    notice = NoticeFactory(department=world["department"], published=True)
    answer = AnswerFactory(notice=notice, organisation=world["organisation"])
    partner = PartnerFactory(answer=answer, organisation=world["partner_organisation"])
    DemandNotice.objects.filter(pk=notice.pk).update(answers_deadline=_deadline_in(1.5))
    notice.refresh_from_db()

    (racer,) = race(
        notice,
        [lambda: services.partner_confirm(partner=partner, actor=world["partner_member"])],
        hold_until=notice.answers_deadline,
    )
    assert isinstance(racer.error, ValidationError), racer.error
    assert racer.error.code == "deadline_passed"
    assert not ConsortiumPartner.objects.filter(confirmed_at__isnull=False).exists()


def test_an_answer_that_gets_the_lock_before_the_deadline_is_kept(world):
    """The control: the same race without waiting for the deadline lets the answer in."""
    notice = NoticeFactory(department=world["department"], published=True)
    DemandNotice.objects.filter(pk=notice.pk).update(answers_deadline=_deadline_in(30))
    notice.refresh_from_db()
    (racer,) = race(
        notice,
        [
            lambda: services.answer_submit(
                notice=notice,
                organisation=world["organisation"],
                actor=world["owner"],
                kind=Answer.Kind.INTEREST,
            )
        ],
    )
    assert racer.error is None, racer.error
    assert Answer.objects.filter(notice=notice).count() == 1
