"""The bank's services: requests and their rules, decisions, hand-over and return, damage,
expiry and reminders; each change in the event log."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from equipment_bank import availability, services
from equipment_bank.models import Booking, BookingItem, DamageCase, ResourceUnit
from equipment_bank.services import Borrower
from pestor.models import AuditEvent
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.equipment_bank.factories import (
    BookingFactory,
    ResourceFactory,
    day_period,
    days_ahead,
    kit_with,
)
from tests.factories import make_official

pytestmark = pytest.mark.django_db


def error_fields(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def actions_of(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(obj.pk), action__startswith="booking.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- requesting --------------------------------------------------------------------------------


def test_a_request_holds_a_unit_tentatively_and_tells_the_owner(
    tent, pes_owner, borrower, official, django_capture_on_commit_callbacks, book
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(tent, pes_owner, borrower)
    assert booking.status == Booking.Status.REQUESTED
    item = booking.items.get()
    assert item.holds_slot and item.tentative
    assert booking.expires_at == booking.created_at + timedelta(hours=48)
    assert booking.reference_value == Decimal("150.00")
    assert booking.fee == Decimal("10.00")
    assert [m.to for m in mail.outbox] == [[official.email]]
    assert actions_of(booking) == ["booking.requested"]


def test_automatic_approval_approves_a_free_request_at_once(tent, pes_owner, borrower, book):
    tent.approval = tent.Approval.AUTOMATIC
    tent.save()
    booking = book(tent, pes_owner, borrower)
    assert booking.status == Booking.Status.APPROVED
    assert not booking.items.get().tentative


def test_the_second_unit_of_the_same_model_is_taken_when_the_first_is_booked(
    tent, pes_owner, borrower, other_pes_member, book
):
    first = book(tent, pes_owner, borrower)
    other = Borrower(organisation=other_pes_member.organisation_memberships.get().organisation)
    second = book(tent, other_pes_member, other)
    assert first.items.get().unit != second.items.get().unit


def test_a_conflict_names_the_nearest_free_time(tent, pes_owner, borrower, other_pes_member, book):
    book(tent, pes_owner, borrower, quantity=2, first=10, last=11)
    other = Borrower(organisation=other_pes_member.organisation_memberships.get().organisation)
    with pytest.raises(ValidationError) as caught:
        book(tent, other_pes_member, other, first=10)
    message = error_fields(caught.value)["start"][0]
    assert days_ahead(12).strftime("%d.%m.%Y") in message or "12" in message
    assert Booking.objects.count() == 1


def test_fewer_free_units_than_asked_says_how_many_are_free(tent, pes_owner, borrower, book):
    tent_three = ResourceFactory(owner=tent.owner, units=3)
    book(tent_three, pes_owner, borrower, quantity=2)
    other_org = OrganisationFactory()
    member = make_pes_member(other_org)
    with pytest.raises(ValidationError) as caught:
        book(tent_three, member, Borrower(organisation=other_org), quantity=2)
    assert "1" in error_fields(caught.value)["quantity"][0]


def test_buffers_keep_the_next_booking_away(tent, pes_owner, borrower, other_pes_member, book):
    tent.buffer_after_minutes = 24 * 60
    tent.save()
    ResourceUnit.objects.filter(resource=tent).exclude(
        pk=tent.units.order_by("pk").first().pk
    ).delete()
    book(tent, pes_owner, borrower, first=10)
    other = Borrower(organisation=other_pes_member.organisation_memberships.get().organisation)
    with pytest.raises(ValidationError):
        book(tent, other_pes_member, other, first=11)
    assert book(tent, other_pes_member, other, first=12).status == Booking.Status.REQUESTED


@pytest.mark.parametrize(
    ("first", "last", "field", "code"),
    [
        (10, 9, "end", None),
        (-1, -1, "start", None),
        (200, 200, "start", None),
        (10, 20, "end", None),
    ],
    ids=["end-before-start", "past", "beyond-horizon", "over-maximum"],
)
def test_bad_periods_are_refused_by_the_field(
    tent, pes_owner, borrower, first, last, field, code, book
):
    start = availability.local(days_ahead(first))
    end = availability.local(days_ahead(last) + timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        book(tent, pes_owner, borrower, start=start, end=end, purpose="x")
    assert field in error_fields(caught.value)


def test_the_organisations_limit_of_active_bookings(tent, pes_owner, borrower, book):
    tent.max_active_per_organisation = 1
    tent.save()
    book(tent, pes_owner, borrower, first=10)
    with pytest.raises(ValidationError) as caught:
        book(tent, pes_owner, borrower, first=20)
    assert caught.value.code == "over_limit"


def test_an_unverified_organisation_cannot_borrow(tent, pending_organisation, book):
    owner = pending_organisation.memberships.get().user
    with pytest.raises(ValidationError) as caught:
        book(tent, owner, Borrower(organisation=pending_organisation))
    assert "borrower" in error_fields(caught.value)


def test_a_user_cannot_borrow_for_an_organisation_they_are_not_in(
    tent, other_pes_member, borrower, book
):
    with pytest.raises(ValidationError):
        book(tent, other_pes_member, borrower)


def test_an_official_of_another_department_may_borrow_but_not_of_the_owning_one(
    tent, official, municipality, book
):
    other_official = make_official(municipality)
    department = other_official.official_memberships.get().department
    booking = book(tent, other_official, Borrower(department=department))
    assert booking.department == department
    own = official.official_memberships.get().department
    with pytest.raises(ValidationError):
        book(tent, official, Borrower(department=own), first=20)


def test_the_rules_must_be_accepted(tent, pes_owner, borrower, book):
    with pytest.raises(ValidationError) as caught:
        book(tent, pes_owner, borrower, accepted_rules=False)
    assert "accepted_rules" in error_fields(caught.value)


def test_a_unit_in_repair_or_with_expired_inspection_is_not_lent(tent, pes_owner, borrower, book):
    first, second = tent.units.order_by("pk")
    first.status = ResourceUnit.Status.IN_REPAIR
    first.save()
    second.inspection_due = timezone.localdate() - timedelta(days=1)
    second.save()
    with pytest.raises(ValidationError):
        book(tent, pes_owner, borrower)


def test_room_bookings_stay_within_opening_hours(room, pes_owner, borrower, book):
    day = days_ahead(5)
    start, end = services.period_of(room, start_date=day, start_time=time(7), end_time=time(9))
    with pytest.raises(ValidationError) as caught:
        book(room, pes_owner, borrower, start=start, end=end, purpose="Spotkanie")
    assert "start" in error_fields(caught.value)
    start, end = services.period_of(room, start_date=day, start_time=time(10), end_time=time(12))
    booking = book(room, pes_owner, borrower, start=start, end=end, purpose="Spotkanie")
    assert booking.reference_value == Decimal("120.00")


def test_a_kit_is_booked_all_or_nothing(city_bank, pes_owner, borrower, other_pes_member):
    tent = ResourceFactory(owner=city_bank, units=1)
    tables = ResourceFactory(owner=city_bank, name="Stół", units=4)
    kit = kit_with(city_bank, (tent, 1), (tables, 4))
    start, end = day_period(days_ahead(10))
    booking = services.kit_request(
        user=pes_owner,
        kit=kit,
        borrower=borrower,
        start=start,
        end=end,
        purpose="Festyn",
        accepted_rules=True,
    )
    assert booking.items.count() == 5
    other = Borrower(organisation=other_pes_member.organisation_memberships.get().organisation)
    BookingItem.objects.filter(booking=booking, resource=tables).delete()
    with pytest.raises(ValidationError):
        services.kit_request(
            user=other_pes_member,
            kit=kit,
            borrower=other,
            start=start,
            end=end,
            purpose="Festyn",
            accepted_rules=True,
        )
    # Nothing of the refused kit was kept: the tables are still free.
    assert availability.free_units(tables, start=start, end=end).count() == 4


# --- deciding ----------------------------------------------------------------------------------


def test_approve_reject_and_cancel(tent, pes_owner, borrower, official, book):
    booking = book(tent, pes_owner, borrower)
    services.booking_approve(booking=booking, actor=official)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED
    assert not booking.items.get().tentative
    services.booking_cancel(booking=booking, actor=pes_owner)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert not booking.items.get().holds_slot
    assert actions_of(booking) == ["booking.requested", "booking.approved", "booking.cancelled"]
    second = book(tent, pes_owner, borrower)
    with pytest.raises(ValidationError):
        services.booking_reject(booking=second, actor=official, note="")
    services.booking_reject(booking=second, actor=official, note="Sprzęt w naprawie.")
    second.refresh_from_db()
    assert second.status == Booking.Status.REJECTED


def test_only_the_owners_managers_decide(tent, pes_owner, borrower, other_official, book):
    booking = book(tent, pes_owner, borrower)
    with pytest.raises(ValidationError):
        services.booking_approve(booking=booking, actor=other_official)
    with pytest.raises(ValidationError):
        services.booking_approve(booking=booking, actor=pes_owner)


def test_undecided_requests_expire_after_48_hours_once(tent, pes_owner, borrower, book):
    booking = book(tent, pes_owner, borrower)
    assert services.bookings_expire(now=timezone.now() + timedelta(hours=47)) == 0
    later = timezone.now() + timedelta(hours=49)
    assert services.bookings_expire(now=later) == 1
    assert services.bookings_expire(now=later) == 0
    booking.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED
    assert not booking.items.get().holds_slot
    assert actions_of(booking) == ["booking.requested", "booking.expired"]


# --- hand-over and return ----------------------------------------------------------------------


def test_hand_out_and_return_with_damage_opens_a_case_that_takes_the_unit_out(
    tent, pes_owner, borrower, official, book
):
    booking = book(tent, pes_owner, borrower, first=0)
    services.booking_approve(booking=booking, actor=official)
    item = booking.items.get()
    services.booking_hand_out(
        booking=booking,
        actor=official,
        received_by="Joanna Nowak",
        conditions={item.pk: {"complete": True, "clean": True, "working": True}},
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.HANDED_OUT
    booking, cases = services.booking_return(
        booking=booking,
        actor=official,
        returned_by="Joanna Nowak",
        conditions={item.pk: {"complete": True, "clean": False, "failed_items": ["Poszycie"]}},
    )
    assert booking.status == Booking.Status.RETURNED
    assert booking.in_kind_value == Decimal("140.00")
    [case] = cases
    assert case.organisation == borrower.organisation
    assert case.person == pes_owner
    assert case.booking == booking
    assert "Poszycie" in case.description
    assert item.unit not in availability.bookable_units()
    services.damage_clear(case=case, actor=official, resolution="Wyprane i naprawione.")
    case.refresh_from_db()
    assert case.status == DamageCase.Status.CLEARED
    assert item.unit in availability.bookable_units()
    services.booking_close(booking=booking, actor=official)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CLOSED


def test_a_return_like_the_hand_over_opens_no_case(tent, pes_owner, borrower, official, book):
    booking = book(tent, pes_owner, borrower, first=0)
    services.booking_approve(booking=booking, actor=official)
    item = booking.items.get()
    dirty = {item.pk: {"clean": False}}
    services.booking_hand_out(
        booking=booking, actor=official, received_by="J. N.", conditions=dirty
    )
    _booking, cases = services.booking_return(
        booking=booking, actor=official, returned_by="J. N.", conditions=dirty
    )
    assert cases == []


def test_an_overdue_unit_is_unavailable_until_returned(tent, pes_owner, borrower):
    unit = tent.units.order_by("pk").first()
    past_start = timezone.now() - timedelta(days=3)
    BookingFactory(
        resource=tent,
        unit=unit,
        status=Booking.Status.HANDED_OUT,
        starts_at=past_start,
        ends_at=past_start + timedelta(days=1),
    )
    start, end = day_period(days_ahead(30))
    assert unit not in availability.free_units(tent, start=start, end=end)


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_go_once_and_never_for_a_returned_booking(
    tent, pes_owner, borrower, official, django_capture_on_commit_callbacks
):
    tomorrow = BookingFactory(
        resource=tent,
        requested_by=pes_owner,
        organisation=borrower.organisation,
        status=Booking.Status.APPROVED,
        starts_at=availability.local(days_ahead(1)),
        ends_at=availability.local(days_ahead(2)),
    )
    overdue_start = timezone.now() - timedelta(days=10)
    overdue = BookingFactory(
        resource=tent,
        requested_by=pes_owner,
        organisation=borrower.organisation,
        status=Booking.Status.HANDED_OUT,
        starts_at=overdue_start,
        ends_at=overdue_start + timedelta(days=1),
        unit=tent.units.order_by("pk").last(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send()
    assert sent == {"pickup": 1, "return": 0, "overdue_1": 1, "overdue_7": 1}
    first_round = len(mail.outbox)
    assert first_round == 1 + 2 + 2  # pick-up to the borrower; overdue to both sides, twice
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
    assert len(mail.outbox) == first_round
    Booking.objects.filter(pk=overdue.pk).update(status=Booking.Status.RETURNED)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send()
    assert sent["overdue_1"] == sent["overdue_7"] == 0
    assert tomorrow.pk


# --- the database's own guard ------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL exclusion constraint")
def test_postgresql_refuses_overlapping_slots_of_one_unit(tent):
    booking = BookingFactory(resource=tent)
    item = booking.items.get()
    other = BookingFactory(resource=tent, unit=tent.units.order_by("pk").last())
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingItem.objects.create(
            booking=other,
            unit=item.unit,
            resource=tent,
            blocked_from=item.blocked_from + timedelta(hours=1),
            blocked_until=item.blocked_until + timedelta(hours=1),
            holds_slot=True,
        )
    # Released slots do not count.
    BookingItem.objects.filter(pk=item.pk).update(holds_slot=False)
    BookingItem.objects.create(
        booking=other,
        unit=item.unit,
        resource=tent,
        blocked_from=item.blocked_from,
        blocked_until=item.blocked_until,
        holds_slot=True,
    )
