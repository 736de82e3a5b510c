"""The arithmetic of the premises policy, free of the database's writes: the discount the rules
propose, the rent charged in a month and what that month's support is worth.

Support per month = (market rent - charged rent) x area, where the charged rent per m² is the
basic rent less the discount while the discount period lasts, the basic rent after it. The rates
are those valid on the first day the lease runs in that month (indexation from a later day of
the month counts from the next month), so that a past month computes as it was.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Proposal:
    percent: Decimal
    rule: str


def propose_discount(*, policy, sphere, floor: str) -> Proposal:
    """The sphere's maximum plus the floor's extra points, never above 100%. A sphere the
    policy does not name gets no discount (the official may still set one, with a reason)."""
    from .models import Floor

    if policy is None:
        return Proposal(Decimal(0), _("the municipality has no discount rules"))
    by_sphere = {row.sphere_id: row.max_percent for row in policy.sphere_discounts.all()}
    by_floor = {row.floor: row.extra_points for row in policy.floor_discounts.all()}
    base = by_sphere.get(sphere.pk if sphere else None, Decimal(0))
    extra = by_floor.get(floor, Decimal(0))
    parts = [_("%(sphere)s: up to %(percent)s%%") % {"sphere": sphere, "percent": _n(base)}]
    if extra:
        parts.append(
            _("%(floor)s: +%(points)s points") % {"floor": Floor(floor).label, "points": _n(extra)}
        )
    total = min(base + extra, HUNDRED)
    if base + extra > HUNDRED:
        parts.append(_("capped at 100%"))
    return Proposal(total, "; ".join(parts))


def _n(value: Decimal) -> str:
    return f"{value.normalize():f}"


def month_starts(start: date, end: date):
    """The first days of the months a period [start, end) touches."""
    current = date(start.year, start.month, 1)
    while current < end:
        yield current
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass(frozen=True)
class Month:
    month: date
    basic_m2: Decimal
    charged_m2: Decimal
    market_m2: Decimal
    charged: Decimal
    support: Decimal


def lease_months(*, lease, rates, area: Decimal, until: date) -> list[Month]:
    """Each month the lease runs in, up to ``until`` (exclusive), with what it cost and was
    worth. ``rates``: the lease's rates in order of ``valid_from``. A month the lease runs in
    only partly counts whole (rent is due per started month, as the leases say)."""
    end = min(lease.ends_on, until) if lease.ends_on else until
    months = []
    for first in month_starts(lease.starts_on, end):
        day = max(first, lease.starts_on)
        rate = None
        for candidate in rates:
            if candidate.valid_from <= day:
                rate = candidate
        if rate is None:
            continue
        discount = lease.discount_percent if day < lease.discount_until else Decimal(0)
        charged_m2 = (rate.basic_rent_m2 * (HUNDRED - discount) / HUNDRED).quantize(
            CENT, ROUND_HALF_UP
        )
        charged = (charged_m2 * area).quantize(CENT, ROUND_HALF_UP)
        support = max(
            ((rate.market_rent_m2 - charged_m2) * area).quantize(CENT, ROUND_HALF_UP), Decimal(0)
        )
        months.append(
            Month(first, rate.basic_rent_m2, charged_m2, rate.market_rent_m2, charged, support)
        )
    return months
