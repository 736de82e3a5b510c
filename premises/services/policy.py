"""The discount policy of a municipality, kept as data."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directory.models import PublicBenefitSphere
from pestor import audit

from ..models import DiscountPolicy, Floor, FloorDiscount, PolicyRevision, SphereDiscount
from ..permissions import can_edit_policy

# Toruń's rules (the mayor's ordinance on preferential rent for NGOs), by item of art. 4 ust. 1
# of the Act on public benefit activity and volunteering.
TORUN_SPHERES = {
    Decimal(70): ("1", "3", "7"),  # social assistance, charity, work for disabled people
    # health, science and education, children's recreation, culture, sport, public safety
    Decimal(50): ("6", "14", "15", "16", "17", "20"),
    Decimal(30): ("11", "13"),  # economic development, development of local communities
}
TORUN_FLOORS = {
    Floor.BASEMENT: Decimal(20),
    Floor.ATTIC: Decimal(30),
    Floor.OUTBUILDING: Decimal(30),
    Floor.GATEWAY: Decimal(30),
}


@transaction.atomic
def policy_set(
    *,
    municipality,
    actor=None,
    spheres: dict,
    floors: dict,
    discount_months: int,
    lease_term_months: int | None,
    report_due_month: int = 3,
    report_due_day: int = 31,
    reason: str = "",
) -> DiscountPolicy:
    """Replace the municipality's rules: ``spheres`` {sphere: max %}, ``floors`` {floor:
    extra points}. Each change is kept as a version of the rules (``PolicyRevision``) and in
    the event log."""
    policy, _created = DiscountPolicy.objects.get_or_create(municipality=municipality)
    before = policy_summary(policy)
    policy.discount_months = discount_months
    policy.lease_term_months = lease_term_months
    policy.report_due_month = report_due_month
    policy.report_due_day = report_due_day
    policy.full_clean()
    policy.save()
    policy.sphere_discounts.all().delete()
    policy.floor_discounts.all().delete()
    for sphere, percent in spheres.items():
        row = SphereDiscount(policy=policy, sphere=sphere, max_percent=percent)
        row.full_clean()
        row.save()
    for floor, points in floors.items():
        row = FloorDiscount(policy=policy, floor=floor, extra_points=points)
        row.full_clean()
        row.save()
    after = policy_summary(policy)
    PolicyRevision.objects.create(
        policy=policy,
        revised_by=actor,
        reason=reason.strip(),
        rules={
            **after,
            "report_due_month": policy.report_due_month,
            "report_due_day": policy.report_due_day,
        },
    )
    audit.record(
        actor=actor,
        action="premises.policy_set",
        target=policy,
        before=before,
        after=after,
        comment=reason.strip(),
    )
    return policy


def policy_change(*, municipality, actor, reason: str, **rules) -> DiscountPolicy:
    """An official's change of the rules in the portal: allowed to the officials of the
    municipality who hold the permission to change them, always with a reason."""
    if not can_edit_policy(actor, municipality):
        raise ValidationError(
            _("Only the officials allowed to change the rules of this municipality can do this."),
            code="not_allowed",
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the rules change.")}, code="reason_required")
    for percent in [*rules.get("spheres", {}).values(), *rules.get("floors", {}).values()]:
        if not Decimal(0) <= percent <= Decimal(100):
            raise ValidationError(_("Discounts and extra points lie between 0 and 100."))
    return policy_set(municipality=municipality, actor=actor, reason=reason, **rules)


def policy_summary(policy: DiscountPolicy) -> dict:
    if policy.pk is None:
        return {}
    return {
        "discount_months": policy.discount_months,
        "lease_term_months": policy.lease_term_months,
        "spheres": {row.sphere.code: str(row.max_percent) for row in policy.sphere_discounts.all()},
        "floors": {row.floor: str(row.extra_points) for row in policy.floor_discounts.all()},
    }


def torun_policy(*, municipality, actor=None) -> DiscountPolicy:
    """Seed Toruń's rules (the demo and a new installation for Toruń)."""
    known = {sphere.code: sphere for sphere in PublicBenefitSphere.objects.all()}
    spheres = {
        known[code]: percent
        for percent, codes in TORUN_SPHERES.items()
        for code in codes
        if code in known
    }
    return policy_set(
        municipality=municipality,
        actor=actor,
        spheres=spheres,
        floors=TORUN_FLOORS,
        discount_months=12,
        lease_term_months=36,
    )
