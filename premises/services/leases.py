"""Leases: signing with the discount the rules propose (or another, with a written reason),
indexation of the rates, ending, and what each year of support is worth.

Never two leases of one premises at once: the premises' row is locked for the whole request
(``select_for_update`` on PostgreSQL; on SQLite a write at the start of the transaction takes the
database's write lock), the overlap is checked under that lock, and on PostgreSQL the exclusion
constraint over (premises, lease period) refuses anything that slipped past.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opendata import changes as opendata_changes
from pestor import audit

from ..models import DiscountPolicy, Lease, LeaseRate, LeaseSupportYear, Premises
from ..permissions import can_manage_lease, can_manage_premises
from ..rules import add_months, lease_months, propose_discount

LOGGED_FIELDS = (
    "premises",
    "organisation",
    "sphere",
    "starts_on",
    "ends_on",
    "deposit",
    "proposed_discount",
    "discount_percent",
    "discount_rule",
    "override_reason",
    "discount_until",
)


def lock_premises(premises: Premises) -> Premises:
    if connection.vendor == "postgresql":
        return Premises.objects.select_for_update().get(pk=premises.pk)
    Premises.objects.filter(pk=premises.pk).update(status_changed_at=F("status_changed_at"))
    return Premises.objects.get(pk=premises.pk)


def overlapping(premises: Premises, *, starts_on: date, ends_on: date | None, exclude=None):
    found = Lease.objects.filter(premises=premises).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
    )
    if ends_on is not None:
        found = found.filter(starts_on__lt=ends_on)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("starts_on").first()


def overlap_error(other: Lease) -> ValidationError:
    until = date_format(other.ends_on, "SHORT_DATE_FORMAT") if other.ends_on else _("indefinitely")
    message = _(
        "The premises are leased to %(tenant)s from %(start)s until %(end)s in this "
        "period: two leases of one premises cannot run at once."
    ) % {
        "tenant": other.organisation.display_name,
        "start": date_format(other.starts_on, "SHORT_DATE_FORMAT"),
        "end": until,
    }
    return ValidationError({"starts_on": ValidationError(message, code="lease_overlap")})


def policy_of(municipality_id) -> DiscountPolicy | None:
    return (
        DiscountPolicy.objects.filter(municipality_id=municipality_id)
        .prefetch_related("sphere_discounts__sphere", "floor_discounts")
        .first()
    )


def lease_proposal(*, premises: Premises, sphere):
    return propose_discount(
        policy=policy_of(premises.municipality_id), sphere=sphere, floor=premises.floor
    )


@transaction.atomic
def lease_sign(
    *,
    premises: Premises,
    organisation,
    sphere,
    activity: str,
    starts_on: date,
    ends_on: date | None,
    basic_rent_m2: Decimal,
    deposit: Decimal = Decimal(0),
    discount_percent: Decimal | None = None,
    override_reason: str = "",
    application=None,
    actor,
) -> Lease:
    """Sign a lease. ``discount_percent`` None takes the rules' proposal; another value needs
    ``override_reason`` (kept, and written to the event log)."""
    premises = lock_premises(premises)
    if not can_manage_premises(actor, premises):
        raise ValidationError(_("Only the officials of the premises' municipality can do this."))
    policy = policy_of(premises.municipality_id)
    proposal = propose_discount(policy=policy, sphere=sphere, floor=premises.floor)
    override_reason = (override_reason or "").strip()
    if discount_percent is None:
        discount_percent = proposal.percent
    if discount_percent < 0 or discount_percent > 100:
        raise ValidationError(
            {"discount_percent": _("A discount lies between 0% and 100%.")},
            code="discount_range",
        )
    if discount_percent != proposal.percent and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "The rules propose %(percent)s%%: give the reason for another discount."
                )
                % {"percent": f"{proposal.percent.normalize():f}"}
            },
            code="override_reason_required",
        )
    if ends_on is None and policy is not None and policy.lease_term_months:
        ends_on = add_months(starts_on, policy.lease_term_months)
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError(
            {"ends_on": _("A lease must end after it starts.")}, code="lease_period"
        )
    other = overlapping(premises, starts_on=starts_on, ends_on=ends_on)
    if other is not None:
        raise overlap_error(other)
    months = policy.discount_months if policy is not None else 12
    lease = Lease(
        premises=premises,
        organisation=organisation,
        municipality_id=premises.municipality_id,
        district=premises.district,
        sphere=sphere,
        activity=(activity or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        deposit=deposit,
        proposed_discount=proposal.percent,
        discount_percent=discount_percent,
        discount_rule=proposal.rule[:300],
        override_reason=override_reason if discount_percent != proposal.percent else "",
        discount_until=add_months(starts_on, months),
        application=application,
        created_by=actor,
    )
    lease.full_clean(exclude=["application"])
    try:
        with transaction.atomic():
            lease.save()
    except IntegrityError:
        # The exclusion constraint (PostgreSQL): a lease slipped in past the lock.
        raise ValidationError(
            {"starts_on": _("Two leases of one premises cannot run at once.")},
            code="lease_overlap",
        ) from None
    LeaseRate.objects.create(
        lease=lease,
        valid_from=starts_on,
        basic_rent_m2=basic_rent_m2,
        market_rent_m2=premises.market_rent_m2,
    )
    audit.record(
        actor=actor,
        action="lease.signed",
        target=lease,
        after=audit.snapshot(lease, LOGGED_FIELDS),
        comment=lease.override_reason,
    )
    if lease.override_reason:
        audit.record(
            actor=actor,
            action="lease.discount_overridden",
            target=lease,
            before={"discount_percent": str(proposal.percent)},
            after={"discount_percent": str(discount_percent)},
            comment=lease.override_reason,
        )
    if lease.is_active_on(timezone.localdate()):
        from .registry import premises_set_status

        premises_set_status(
            premises=premises, status=Premises.Status.LEASED_PES, actor=actor, note=str(lease)
        )
    support_refresh(lease=lease)
    return lease


@transaction.atomic
def lease_index(
    *,
    lease: Lease,
    valid_from: date,
    basic_rent_m2: Decimal,
    market_rent_m2: Decimal,
    actor,
    note="",
) -> LeaseRate:
    """Indexation: new rates from a day on; the months before keep theirs."""
    if not can_manage_lease(actor, lease):
        raise ValidationError(_("Only the officials of the premises' municipality can do this."))
    if valid_from <= lease.starts_on or (lease.ends_on and valid_from >= lease.ends_on):
        raise ValidationError(
            {"valid_from": _("New rates start within the lease, after its first day.")},
            code="rate_outside_lease",
        )
    if lease.rates.filter(valid_from=valid_from).exists():
        raise ValidationError(
            {"valid_from": _("The lease already has rates from this day.")}, code="rate_twice"
        )
    rate = LeaseRate(
        lease=lease,
        valid_from=valid_from,
        basic_rent_m2=basic_rent_m2,
        market_rent_m2=market_rent_m2,
        note=(note or "").strip(),
    )
    rate.full_clean()
    rate.save()
    audit.record(
        actor=actor,
        action="lease.indexed",
        target=lease,
        after={
            "valid_from": valid_from.isoformat(),
            "basic_rent_m2": str(basic_rent_m2),
            "market_rent_m2": str(market_rent_m2),
        },
        comment=rate.note,
    )
    support_refresh(lease=lease)
    return rate


@transaction.atomic
def lease_end(*, lease: Lease, ends_on: date, actor, reason: str) -> Lease:
    """End a lease earlier (termination, the tenant moving out); the premises become vacant
    when it has ended."""
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if not can_manage_lease(actor, lease):
        raise ValidationError(_("Only the officials of the premises' municipality can do this."))
    if ends_on <= lease.starts_on or (lease.ends_on and ends_on > lease.ends_on):
        raise ValidationError(
            {"ends_on": _("The new end lies after the start and no later than the agreed end.")},
            code="lease_end",
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the lease ends.")}, code="reason_required")
    before = {"ends_on": lease.ends_on.isoformat() if lease.ends_on else None}
    lease.ends_on = ends_on
    lease.save(update_fields=["ends_on"])
    audit.record(
        actor=actor,
        action="lease.ended",
        target=lease,
        before=before,
        after={"ends_on": ends_on.isoformat()},
        comment=reason.strip(),
    )
    support_refresh(lease=lease)
    leases_sync_status(premises=lease.premises, actor=actor)
    return lease


def leases_sync_status(*, premises: Premises, actor=None) -> None:
    """Leased while a lease runs today; vacant again when none does (and it was leased)."""
    from .registry import premises_set_status

    today = timezone.localdate()
    running = (
        Lease.objects.filter(premises=premises, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .exists()
    )
    if running:
        premises_set_status(premises=premises, status=Premises.Status.LEASED_PES, actor=actor)
    elif premises.status == Premises.Status.LEASED_PES:
        premises_set_status(
            premises=premises, status=Premises.Status.VACANT, actor=actor, note=_("lease ended")
        )


def support_refresh(*, lease: Lease, until: date | None = None) -> list[LeaseSupportYear]:
    """Recompute the lease's yearly support rows from its rates, up to the end of the current
    year for a lease of indefinite term (beat extends them each January)."""
    today = timezone.localdate()
    until = until or date(today.year + 1, 1, 1)
    if lease.ends_on is not None:
        until = lease.ends_on
    area = lease.premises.area_m2
    months = lease_months(
        lease=lease, rates=list(lease.rates.order_by("valid_from")), area=area, until=until
    )
    totals: dict[int, list] = {}
    for month in months:
        year = totals.setdefault(month.month.year, [0, Decimal(0), Decimal(0)])
        year[0] += 1
        year[1] += month.charged
        year[2] += month.support
    LeaseSupportYear.objects.filter(lease=lease).exclude(year__in=totals).delete()
    rows = []
    for year, (count, charged, support) in sorted(totals.items()):
        row, _created = LeaseSupportYear.objects.update_or_create(
            lease=lease,
            year=year,
            defaults={
                "months": count,
                "charged": charged,
                "support": support,
                "municipality_id": lease.municipality_id,
                "organisation_id": lease.organisation_id,
                "sphere_id": lease.sphere_id,
                "district": lease.district,
                "area_m2": area,
            },
        )
        rows.append(row)
    opendata_changes.data_changed("premises")
    return rows


def support_extend_indefinite() -> int:
    """Each January: the new year's rows of the leases of indefinite term, and the premises'
    statuses of leases that started or ended."""
    count = 0
    for lease in Lease.objects.filter(ends_on__isnull=True).select_related("premises").iterator():
        support_refresh(lease=lease)
        count += 1
    return count
