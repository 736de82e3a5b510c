"""Hand-over and return with a condition report per unit; damage cases; in-kind value.

At return each unit's report is compared with its report at hand-over: whatever was fine then
and is not now opens a damage case, attributed to the booking, the borrower, the person who
booked and the date. A unit with an open case leaves the bookable pool until an owner clears it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opendata import changes as opendata_changes
from pestor import audit
from pestor.images import PHOTO_FORMATS, reencode

from ..models import Booking, BookingItem, ConditionReport, DamageCase
from ..validators import validate_photo
from .bookings import _locked, _require_manager, _transition
from .notifications import notify_booking

PHOTO_MAX_SIDE = 1600


def _stored_photo(upload):
    if not upload:
        return None
    try:
        validate_photo(upload)
        return reencode(upload, max_side=PHOTO_MAX_SIDE, formats=PHOTO_FORMATS)
    except ValidationError as error:
        raise ValidationError({"photo": error.error_list}) from None


def _record(item: BookingItem, *, stage: str, actor, data: dict) -> ConditionReport:
    allowed = set(item.resource.checklist_items)
    failed = [entry for entry in data.get("failed_items", []) if entry in allowed]
    report = ConditionReport(
        item=item,
        stage=stage,
        is_complete=bool(data.get("complete", True)),
        is_clean=bool(data.get("clean", True)),
        is_working=bool(data.get("working", True)),
        failed_items=failed,
        meter_reading=data.get("meter_reading"),
        notes=(data.get("notes") or "").strip(),
        recorded_by=actor,
    )
    report.full_clean(exclude=["photo", "item", "recorded_by"])
    photo = _stored_photo(data.get("photo"))
    if photo is not None:
        report.photo = photo
    report.save()
    return report


def _reports(booking: Booking, conditions: dict, *, stage: str, actor) -> list[ConditionReport]:
    items = list(booking.items.select_related("unit", "resource"))
    reports = []
    for item in items:
        data = conditions.get(item.pk, {})
        reports.append(_record(item, stage=stage, actor=actor, data=data))
    return reports


@transaction.atomic
def booking_hand_out(
    *, booking: Booking, actor, received_by: str, conditions: dict[int, dict]
) -> Booking:
    """The owner hands the units over to the borrower's representative and records each
    unit's condition. A unit that fell out of the pool since approval (a damage case, an
    expired inspection) stops the hand-over."""
    booking = _locked(booking)
    _require_manager(actor, booking)
    received_by = (received_by or "").strip()
    if not received_by:
        raise ValidationError(
            {"received_by": _("Write the name of the person who takes it.")}, code="no_name"
        )
    today = timezone.localdate()
    for item in booking.items.select_related("unit"):
        unit = item.unit
        if unit.damage_cases.filter(status=DamageCase.Status.OPEN).exists():
            raise ValidationError(
                _("Unit %(number)s has an open damage case; clear it first.")
                % {"number": unit.inventory_number},
                code="unit_damaged",
            )
        if unit.inspection_expired(today) or unit.status != unit.Status.AVAILABLE:
            raise ValidationError(
                _("Unit %(number)s is not available (in repair or its inspection expired).")
                % {"number": unit.inventory_number},
                code="unit_unavailable",
            )
    booking = _transition(
        booking,
        actor=actor,
        allowed=(Booking.Status.APPROVED,),
        status=Booking.Status.HANDED_OUT,
        action="booking.handed_out",
        handed_out_at=timezone.now(),
        handed_out_by=actor,
        handed_out_to=received_by,
    )
    _reports(booking, conditions, stage=ConditionReport.Stage.HANDOVER, actor=actor)
    notify_booking(booking, "handed_out")
    return booking


def _differences(handover: ConditionReport | None, returned: ConditionReport) -> list[str]:
    before = handover.findings() if handover else set()
    after = returned.findings()
    labels = {
        "complete": _("not complete"),
        "clean": _("not clean"),
        "working": _("not working"),
    }
    found = []
    for finding in sorted(after - before):
        if finding.startswith("item:"):
            found.append(finding.removeprefix("item:"))
        else:
            found.append(str(labels[finding]))
    return found


def in_kind_value(booking: Booking) -> Decimal:
    """Reference value of the period minus the fee charged, never below zero."""
    return max(Decimal("0.00"), booking.reference_value - booking.fee).quantize(Decimal("0.01"))


@transaction.atomic
def booking_return(
    *, booking: Booking, actor, returned_by: str, conditions: dict[int, dict]
) -> tuple[Booking, list[DamageCase]]:
    """The owner takes the units back and records each unit's condition; every difference from
    the hand-over opens a damage case. The booking is valued as in-kind support."""
    booking = _locked(booking)
    _require_manager(actor, booking)
    returned_by = (returned_by or "").strip()
    if not returned_by:
        raise ValidationError(
            {"returned_by": _("Write the name of the person who brings it back.")},
            code="no_name",
        )
    now = timezone.now()
    booking = _transition(
        booking,
        actor=actor,
        allowed=(Booking.Status.HANDED_OUT,),
        status=Booking.Status.RETURNED,
        action="booking.returned",
        release=True,
        returned_at=now,
        returned_to=actor,
        returned_by_name=returned_by,
        in_kind_value=in_kind_value(booking),
    )
    reports = _reports(booking, conditions, stage=ConditionReport.Stage.RETURN, actor=actor)
    handovers = {
        report.item_id: report
        for report in ConditionReport.objects.filter(
            item__booking=booking, stage=ConditionReport.Stage.HANDOVER
        )
    }
    cases = []
    for report in reports:
        differences = _differences(handovers.get(report.item_id), report)
        if not differences:
            continue
        description = "; ".join(differences)
        if report.notes:
            description += f". {report.notes}"
        case = DamageCase.objects.create(
            unit=report.item.unit,
            booking=booking,
            organisation=booking.organisation,
            department=booking.department,
            person=booking.requested_by,
            description=description,
            opened_at=now,
            opened_by=actor,
        )
        audit.record(
            actor=actor,
            action="damage.opened",
            target=case,
            after={"unit": report.item.unit.inventory_number, "booking": booking.pk},
            comment=description,
        )
        cases.append(case)
    if cases:
        notify_booking(booking, "damage_opened", context={"cases": cases})
    if booking.organisation_id:
        opendata_changes.data_changed("equipment_bank")
    return booking, cases


@transaction.atomic
def damage_open(*, unit, actor, description: str) -> DamageCase:
    """An owner records damage found outside a return (an inspection, a later check)."""
    from ..permissions import manages_owner

    if not manages_owner(actor, unit.resource.owner):
        raise ValidationError(_("Only the owner's managers can do this."), code="not_manager")
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the damage.")}, code="no_description")
    case = DamageCase.objects.create(
        unit=unit, description=description, opened_by=actor, opened_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action="damage.opened",
        target=case,
        after={"unit": unit.inventory_number},
        comment=description,
    )
    return case


@transaction.atomic
def damage_clear(*, case: DamageCase, actor, resolution: str) -> DamageCase:
    """An owner clears the case (repaired, paid for, written off); the unit is lent again."""
    from ..permissions import manages_owner

    case = (
        DamageCase.objects.select_for_update(of=("self",))
        .select_related("unit__resource__owner")
        .get(pk=case.pk)
    )
    if not manages_owner(actor, case.unit.resource.owner):
        raise ValidationError(_("Only the owner's managers can do this."), code="not_manager")
    if not case.is_open:
        raise ValidationError(_("This case is already cleared."), code="cleared")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError(
            {"resolution": _("Say how the damage was resolved.")}, code="no_resolution"
        )
    case.status = DamageCase.Status.CLEARED
    case.cleared_at = timezone.now()
    case.cleared_by = actor
    case.resolution = resolution
    case.save(update_fields=["status", "cleared_at", "cleared_by", "resolution"])
    audit.record(
        actor=actor,
        action="damage.cleared",
        target=case,
        before={"status": DamageCase.Status.OPEN},
        after={"status": DamageCase.Status.CLEARED},
        comment=resolution,
    )
    return case
