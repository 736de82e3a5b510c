"""Requesting and deciding bookings: one transaction each, every change in the event log.

No double booking: the resource's row is locked for the whole request (``select_for_update`` on
PostgreSQL; on SQLite a write at the start of the transaction takes the database's write lock),
free units are chosen under that lock, and on PostgreSQL the exclusion constraint over (unit,
blocked time) refuses anything that slipped past.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory import selectors as directory_selectors
from pestor import audit
from pestor import selectors as pestor_selectors

from .. import availability
from ..models import Booking, BookingItem, Kit, Resource
from ..permissions import manages_owner
from .notifications import notify_booking

if TYPE_CHECKING:
    from directory.models import Organisation
    from pestor.models import Department

LOGGED_FIELDS = ("status", "starts_at", "ends_at")
# How many later start times the form tries when proposing the nearest free slot.
SLOT_SEARCH_STEPS = 60


@dataclass(frozen=True)
class Borrower:
    organisation: "Organisation | None" = None
    department: "Department | None" = None

    @property
    def filters(self) -> dict:
        if self.organisation is not None:
            return {"organisation": self.organisation}
        return {"department": self.department}


def lock_resources(resources) -> None:
    """The write lock under which free units are chosen (see the module's docstring)."""
    pks = sorted({resource.pk for resource in resources})
    if connection.vendor == "postgresql":
        list(Resource.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    else:
        Resource.objects.filter(pk__in=pks).update(updated_at=F("updated_at"))


def period_of(
    resource: Resource,
    *,
    start_date: date,
    end_date: date | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
) -> tuple[datetime, datetime]:
    """Equipment is booked by whole days (end day included), rooms by hours of one day."""
    if resource.period_unit == Resource.PeriodUnit.HOUR:
        return (
            availability.local(start_date, start_time or time.min),
            availability.local(start_date, end_time or time.min),
        )
    end_date = end_date or start_date
    return availability.local(start_date), availability.local(end_date + timedelta(days=1))


def periods(resource: Resource, start: datetime, end: datetime) -> int:
    """How many days (or hours) the period counts for the rules, the fee and the value."""
    length = (end - start).total_seconds()
    unit = 3600 if resource.period_unit == Resource.PeriodUnit.HOUR else 86400
    return max(1, math.ceil(length / unit))


def _when(moment: datetime, resource: Resource) -> str:
    moment = timezone.localtime(moment)
    if resource.period_unit == Resource.PeriodUnit.HOUR:
        return date_format(moment, "SHORT_DATETIME_FORMAT")
    return date_format(moment.date(), "SHORT_DATE_FORMAT")


def check_period(
    resource: Resource, start: datetime, end: datetime, *, now: datetime | None = None
) -> None:
    """The resource's rules about time; each error by the field the borrower typed."""
    now = now or timezone.now()
    if end <= start:
        raise ValidationError({"end": _("The end must be after the start.")}, code="end_first")
    if resource.period_unit == Resource.PeriodUnit.DAY:
        if timezone.localtime(start).date() < timezone.localdate(now):
            raise ValidationError({"start": _("This date has already passed.")}, code="past")
    elif start < now:
        raise ValidationError({"start": _("This time has already passed.")}, code="past")
    if start > now + timedelta(days=resource.horizon_days):
        raise ValidationError(
            {
                "start": ngettext(
                    "It can be booked at most %(days)s day ahead.",
                    "It can be booked at most %(days)s days ahead.",
                    resource.horizon_days,
                )
                % {"days": resource.horizon_days}
            },
            code="beyond_horizon",
        )
    count = periods(resource, start, end)
    hourly = resource.period_unit == Resource.PeriodUnit.HOUR
    if count > resource.max_period:
        message = (
            ngettext(
                "It can be booked for at most %(count)s hour.",
                "It can be booked for at most %(count)s hours.",
                resource.max_period,
            )
            if hourly
            else ngettext(
                "It can be booked for at most %(count)s day.",
                "It can be booked for at most %(count)s days.",
                resource.max_period,
            )
        )
        raise ValidationError({"end": message % {"count": resource.max_period}}, code="too_long")
    if count < resource.min_period:
        message = (
            ngettext(
                "It must be booked for at least %(count)s hour.",
                "It must be booked for at least %(count)s hours.",
                resource.min_period,
            )
            if hourly
            else ngettext(
                "It must be booked for at least %(count)s day.",
                "It must be booked for at least %(count)s days.",
                resource.min_period,
            )
        )
        raise ValidationError({"end": message % {"count": resource.min_period}}, code="too_short")
    if resource.is_room:
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        if not resource.is_open_on(local_start.date()):
            raise ValidationError(
                {"start": _("The room is closed on this day.")}, code="closed_day"
            )
        if (
            local_start.date() != local_end.date()
            or local_start.time() < resource.opens_at
            or local_end.time() > resource.closes_at
        ):
            raise ValidationError(
                {
                    "start": _("The room is open from %(opens)s to %(closes)s.")
                    % {
                        "opens": resource.opens_at.strftime("%H:%M"),
                        "closes": resource.closes_at.strftime("%H:%M"),
                    }
                },
                code="outside_opening_hours",
            )


def check_borrower(user, resource: Resource, borrower: Borrower) -> None:
    if borrower.organisation is not None:
        organisation = borrower.organisation
        if not resource.lend_to_pes:
            raise ValidationError(
                {"borrower": _("The owner does not lend this to organisations.")},
                code="not_for_pes",
            )
        if not directory_selectors.organisation_is_verified(organisation):
            raise ValidationError(
                {
                    "borrower": _(
                        "Only verified organisations can borrow. Yours awaits the "
                        "municipality's verification."
                    )
                },
                code="borrower_not_verified",
            )
        if organisation.pk not in directory_selectors.organisation_ids_of_user(user=user):
            raise ValidationError(
                {"borrower": _("You do not work for this organisation.")}, code="not_member"
            )
        if resource.owner.organisation_id == organisation.pk:
            raise ValidationError(
                {"borrower": _("This is your organisation's own equipment.")}, code="own"
            )
    elif borrower.department is not None:
        department = borrower.department
        if not resource.lend_to_officials:
            raise ValidationError(
                {"borrower": _("The owner does not lend this to other departments.")},
                code="not_for_officials",
            )
        if department.pk not in set(pestor_selectors.department_ids_of_user(user=user)):
            raise ValidationError(
                {"borrower": _("You do not work in this department.")}, code="not_official"
            )
        if resource.owner.department_id == department.pk:
            raise ValidationError(
                {"borrower": _("This is your department's own equipment.")}, code="own"
            )
    else:
        raise ValidationError(
            {"borrower": _("Choose for whom you book.")}, code="borrower_required"
        )


def check_limit(resource: Resource, borrower: Borrower) -> None:
    active = Booking.objects.holding().filter(resource=resource, **borrower.filters).count()
    if active >= resource.max_active_per_organisation:
        raise ValidationError(
            ngettext(
                "You already hold %(count)s active booking of this; the owner allows "
                "%(limit)s at a time. Wait until one is returned or cancel one.",
                "You already hold %(count)s active bookings of this; the owner allows "
                "%(limit)s at a time. Wait until one is returned or cancel one.",
                active,
            )
            % {"count": active, "limit": resource.max_active_per_organisation},
            code="over_limit",
        )


def nearest_free_start(
    resource: Resource, *, start: datetime, end: datetime, quantity: int = 1
) -> datetime | None:
    """The earliest start at or after ``start`` from which ``quantity`` units are free for as
    long as asked, within the resource's rules; None if none within the horizon."""
    length = end - start
    step = timedelta(hours=1) if resource.is_room else timedelta(days=1)
    candidate = start
    now = timezone.now()
    for _step in range(SLOT_SEARCH_STEPS):
        candidate = candidate + step
        if candidate > now + timedelta(days=resource.horizon_days):
            return None
        candidate_end = candidate + length
        if resource.is_room:
            try:
                check_period(resource, candidate, candidate_end, now=now)
            except ValidationError:
                continue
        count = availability.free_units(resource, start=candidate, end=candidate_end).count()
        if count >= quantity:
            return candidate
    return None


def conflict_error(
    resource: Resource, *, start: datetime, end: datetime, quantity: int, free: int
) -> ValidationError:
    """What the form says when the units are taken: how many are free, and the nearest time
    when enough are."""
    if free > 0:
        message = ngettext(
            "Only %(free)s unit is free for this time. Book %(free)s, or choose another time.",
            "Only %(free)s units are free for this time. Book %(free)s, or choose another time.",
            free,
        ) % {"free": free}
        return ValidationError({"quantity": ValidationError(message, code="not_enough_units")})
    nearest = nearest_free_start(resource, start=start, end=end, quantity=quantity)
    if nearest is None:
        message = _("It is already booked for this time, and no later time is free.")
    else:
        message = _("It is already booked for this time. The nearest free time starts %(when)s.")
        message %= {"when": _when(nearest, resource)}
    return ValidationError({"start": ValidationError(message, code="conflict")})


def _insert_items(booking: Booking, wanted: list[tuple[Resource, int]]) -> None:
    """Takes ``count`` free units of each resource for the booking; all or nothing."""
    for resource, count in wanted:
        units = list(
            availability.free_units(resource, start=booking.starts_at, end=booking.ends_at)[:count]
        )
        if len(units) < count:
            raise conflict_error(
                resource,
                start=booking.starts_at,
                end=booking.ends_at,
                quantity=count,
                free=len(units),
            )
        for unit in units:
            BookingItem.objects.create(
                booking=booking,
                unit=unit,
                resource=resource,
                blocked_from=booking.starts_at - resource.buffer_before,
                blocked_until=booking.ends_at + resource.buffer_after,
                holds_slot=True,
                tentative=booking.status == Booking.Status.REQUESTED,
            )


def _create(
    *,
    user,
    owner,
    resource: Resource | None,
    kit: Kit | None,
    wanted: list[tuple[Resource, int]],
    borrower: Borrower,
    start: datetime,
    end: datetime,
    purpose: str,
    public_task: str,
    accepted_rules: bool,
    automatic: bool,
    series=None,
) -> Booking:
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what you need it for.")}, code="no_purpose")
    if not accepted_rules:
        raise ValidationError(
            {"accepted_rules": _("Accept the owner's lending rules to book.")},
            code="rules_not_accepted",
        )
    now = timezone.now()
    status = Booking.Status.APPROVED if automatic else Booking.Status.REQUESTED
    fee = reference = deposit = Decimal("0")
    for part, count in wanted:
        n = periods(part, start, end)
        fee += part.fee * n * count
        reference += part.reference_value * n * count
        deposit += part.deposit * count
    booking = Booking(
        owner=owner,
        resource=resource,
        kit=kit,
        series=series,
        requested_by=user,
        starts_at=start,
        ends_at=end,
        status=status,
        purpose=purpose,
        public_task=(public_task or "").strip(),
        accepted_rules=True,
        fee=fee,
        deposit=deposit,
        reference_value=reference,
        created_at=now,
        expires_at=now + Booking.DECISION_TIME if status == Booking.Status.REQUESTED else None,
        decided_at=now if automatic else None,
        **borrower.filters,
    )
    booking.full_clean()
    booking.save()
    try:
        with transaction.atomic():
            _insert_items(booking, wanted)
    except IntegrityError:
        # The exclusion constraint: another request took a unit between the check and the
        # insert (only if the lock were bypassed); the same message as a seen conflict.
        part, count = wanted[0]
        raise conflict_error(part, start=start, end=end, quantity=count, free=0) from None
    audit.record(
        actor=user,
        action="booking.approved" if automatic else "booking.requested",
        target=booking,
        after=audit.snapshot(booking, LOGGED_FIELDS),
        comment="automatic approval" if automatic else "",
    )
    notify_booking(booking, "approved" if automatic else "requested")
    return booking


@transaction.atomic
def booking_request(
    *,
    user,
    resource: Resource,
    borrower: Borrower,
    start: datetime,
    end: datetime,
    quantity: int = 1,
    purpose: str,
    public_task: str = "",
    accepted_rules: bool,
    series=None,
    count_limit: bool = True,
) -> Booking:
    """A borrower asks for ``quantity`` units of the resource. It holds the slot tentatively
    until an owner decides (or at once as approved, if the resource approves automatically)."""
    lock_resources([resource])
    resource = Resource.objects.select_related(
        "owner", "owner__department", "owner__organisation"
    ).get(pk=resource.pk)
    if not resource.is_public:
        raise ValidationError(_("This is no longer lent."), code="not_public")
    check_borrower(user, resource, borrower)
    check_period(resource, start, end)
    if quantity < 1:
        raise ValidationError({"quantity": _("Book at least one.")}, code="quantity")
    if count_limit:
        check_limit(resource, borrower)
    return _create(
        user=user,
        owner=resource.owner,
        resource=resource,
        kit=None,
        wanted=[(resource, quantity)],
        borrower=borrower,
        start=start,
        end=end,
        purpose=purpose,
        public_task=public_task,
        accepted_rules=accepted_rules,
        automatic=resource.approval == Resource.Approval.AUTOMATIC,
        series=series,
    )


@transaction.atomic
def kit_request(
    *,
    user,
    kit: Kit,
    borrower: Borrower,
    start: datetime,
    end: datetime,
    purpose: str,
    public_task: str = "",
    accepted_rules: bool,
) -> Booking:
    """The whole kit in one request, all or nothing; an owner decides it."""
    parts = list(kit.items.select_related("resource", "resource__owner"))
    if not parts:
        raise ValidationError(_("This kit has nothing in it."), code="empty_kit")
    lock_resources([part.resource for part in parts])
    for part in parts:
        if not part.resource.is_public:
            raise ValidationError(
                _("%(name)s is no longer lent.") % {"name": part.resource.name}, code="not_public"
            )
        check_borrower(user, part.resource, borrower)
        check_period(part.resource, start, end)
    return _create(
        user=user,
        owner=kit.owner,
        resource=None,
        kit=kit,
        wanted=[(part.resource, part.quantity) for part in parts],
        borrower=borrower,
        start=start,
        end=end,
        purpose=purpose,
        public_task=public_task,
        accepted_rules=accepted_rules,
        automatic=False,
    )


# --- decisions ---------------------------------------------------------------------------------


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("owner", "resource", "kit", "organisation", "department", "requested_by")
        .get(pk=booking.pk)
    )


def _require_manager(actor, booking: Booking) -> None:
    if not manages_owner(actor, booking.owner):
        raise ValidationError(_("Only the owner's managers can do this."), code="not_manager")


def _transition(
    booking: Booking,
    *,
    actor,
    allowed: tuple,
    status: str,
    action: str,
    release: bool = False,
    comment: str = "",
    **fields,
) -> Booking:
    if booking.status not in allowed:
        raise ValidationError(
            _("This booking is %(status)s; this cannot be done now.")
            % {"status": booking.get_status_display()},
            code="wrong_state",
        )
    before = booking.status
    booking.status = status
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", *fields])
    items = BookingItem.objects.filter(booking=booking)
    if release:
        items.update(holds_slot=False, tentative=False)
    elif status != Booking.Status.REQUESTED:
        items.update(tentative=False)
    audit.record(
        actor=actor,
        action=action,
        target=booking,
        before={"status": before},
        after={"status": status},
        comment=comment,
    )
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking, actor, note: str = "") -> Booking:
    booking = _locked(booking)
    _require_manager(actor, booking)
    booking = _transition(
        booking,
        actor=actor,
        allowed=(Booking.Status.REQUESTED,),
        status=Booking.Status.APPROVED,
        action="booking.approved",
        comment=note,
        decided_at=timezone.now(),
        decided_by=actor,
        decision_note=(note or "").strip(),
        expires_at=None,
    )
    notify_booking(booking, "approved")
    return booking


@transaction.atomic
def booking_reject(*, booking: Booking, actor, note: str = "") -> Booking:
    booking = _locked(booking)
    _require_manager(actor, booking)
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Tell the borrower why the request is rejected.")}, code="no_reason"
        )
    booking = _transition(
        booking,
        actor=actor,
        allowed=(Booking.Status.REQUESTED,),
        status=Booking.Status.REJECTED,
        action="booking.rejected",
        release=True,
        comment=note,
        decided_at=timezone.now(),
        decided_by=actor,
        decision_note=note,
        expires_at=None,
    )
    notify_booking(booking, "rejected")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor) -> Booking:
    """The borrower withdraws a request or an approved booking not yet handed out."""
    booking = _locked(booking)
    from ..permissions import is_borrower_side

    if not is_borrower_side(actor, booking):
        raise ValidationError(_("Only the borrower can cancel a booking."), code="not_borrower")
    booking = _transition(
        booking,
        actor=actor,
        allowed=(Booking.Status.REQUESTED, Booking.Status.APPROVED),
        status=Booking.Status.CANCELLED,
        action="booking.cancelled",
        release=True,
        cancelled_at=timezone.now(),
        expires_at=None,
    )
    notify_booking(booking, "cancelled")
    return booking


@transaction.atomic
def booking_mark_no_show(*, booking: Booking, actor) -> Booking:
    booking = _locked(booking)
    _require_manager(actor, booking)
    if booking.starts_at > timezone.now():
        raise ValidationError(_("The pick-up time has not come yet."), code="not_started")
    return _transition(
        booking,
        actor=actor,
        allowed=(Booking.Status.APPROVED,),
        status=Booking.Status.NO_SHOW,
        action="booking.no_show",
        release=True,
    )


@transaction.atomic
def booking_close(*, booking: Booking, actor, note: str = "") -> Booking:
    """After the return: the deposit is settled and nothing more is expected."""
    booking = _locked(booking)
    _require_manager(actor, booking)
    return _transition(
        booking,
        actor=actor,
        allowed=(Booking.Status.RETURNED,),
        status=Booking.Status.CLOSED,
        action="booking.closed",
        comment=note,
        closed_at=timezone.now(),
    )


def bookings_expire(*, now: datetime | None = None) -> int:
    """Requests nobody decided within 48 hours expire and free their slots. Idempotent: a
    booking is expired once, however often this runs. Returns how many expired now."""
    now = now or timezone.now()
    expired = 0
    pks = list(
        Booking.objects.filter(status=Booking.Status.REQUESTED, expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for pk in pks:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("owner", "resource", "kit", "requested_by")
                .filter(pk=pk, status=Booking.Status.REQUESTED, expires_at__lte=now)
                .first()
            )
            if booking is None:
                continue
            _transition(
                booking,
                actor=None,
                allowed=(Booking.Status.REQUESTED,),
                status=Booking.Status.EXPIRED,
                action="booking.expired",
                release=True,
                expires_at=booking.expires_at,
            )
            notify_booking(booking, "expired")
            expired += 1
    return expired
