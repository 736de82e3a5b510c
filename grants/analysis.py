"""The cost-benefit analysis of a competition, or of a strategy area over its competitions with
published results: how far the grant money buys the strategy's outcomes. Read from the funded
offers' promises (the offer) and achievements (the card after funding), in two queries whatever
the number of offers.

- per outcome served: the grant money of the funded offers that promised a direct contribution
  to it, the quantities promised and achieved, and the cost per unit of each;
- the share of the money that went to offers with no direct contribution to any outcome;
- the outcomes no funded offer serves directly;
- per funded offer a traffic light: the share of its direct promises it achieved, the mean over
  the outcomes it serves directly (green from 90 %, amber from 50 %, red below; none until its
  card is returned).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from pestor.charts import figure_number

from .models import Competition, Contribution, Offer, OfferOutcome

CENT = Decimal("0.01")
GREEN, AMBER = Decimal(90), Decimal(50)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _per_unit(money: Decimal, quantity: Decimal) -> Decimal | None:
    return _money(money / quantity) if quantity else None


@dataclass
class OutcomeRow:
    outcome: object
    # The grants of the offers with a direct contribution to it, each shared equally among
    # the outcomes its offer serves directly.
    money: Decimal = Decimal(0)
    offers: int = 0
    promised: Decimal = Decimal(0)
    achieved: Decimal = Decimal(0)
    reported: int = 0  # of those offers, how many returned their card
    promised_reported: Decimal = Decimal(0)  # what those that returned their card promised

    # The outcome as a chart's figure (pestor.charts): achieved against what was promised by
    # the offers that returned their card (the others cannot have achieved anything yet).
    @property
    def name(self) -> str:
        return self.outcome.name

    @property
    def unit(self) -> str:
        return self.outcome.unit

    @property
    def value(self) -> Decimal | None:
        return self.achieved if self.reported else None

    @property
    def target(self) -> Decimal:
        return self.promised_reported if self.reported else self.promised

    @property
    def progress(self) -> Decimal | None:
        if not self.reported or not self.promised_reported:
            return None
        return (self.achieved * 100 / self.promised_reported).quantize(Decimal("0.1"))

    @property
    def reached(self) -> bool:
        return self.progress is not None and self.progress >= 100

    @property
    def description(self) -> str:
        """The chart in words (its accessible name and its text beside it)."""
        values = {
            "name": self.outcome.name,
            "unit": self.outcome.unit,
            "promised": figure_number(self.target),
            "achieved": figure_number(self.achieved),
            "share": figure_number(self.progress),
        }
        if not self.offers:
            return _("%(name)s: no funded offer promised a direct contribution.") % values
        if not self.reported:
            return (
                _(
                    "%(name)s: no card after funding returned yet; promised %(promised)s "
                    "(unit: %(unit)s)."
                )
                % values
            )
        return (
            _(
                "%(name)s: achieved %(achieved)s of the %(promised)s promised by the offers "
                "that returned their card (unit: %(unit)s), %(share)s%%."
            )
            % values
        )

    @property
    def cost_promised(self) -> Decimal | None:
        return _per_unit(self.money, self.promised)

    @property
    def cost_achieved(self) -> Decimal | None:
        return _per_unit(self.money, self.achieved) if self.reported else None


@dataclass
class OfferRow:
    offer: Offer
    direct: bool = False
    # achieved / promised for each outcome it serves directly (units differ: shares, not sums)
    ratios: list = field(default_factory=list)

    @property
    def achieved_share(self) -> Decimal | None:
        if not self.ratios:
            return None
        return (sum(self.ratios, Decimal(0)) * 100 / len(self.ratios)).quantize(Decimal(1))

    @property
    def light(self) -> str:
        share = self.achieved_share
        if share is None:
            return ""
        if share >= GREEN:
            return "green"
        return "amber" if share >= AMBER else "red"


@dataclass
class Analysis:
    outcomes: list[OutcomeRow]
    offers: list[OfferRow]
    awarded: Decimal
    indirect_money: Decimal  # to offers with no direct contribution to any outcome
    unserved: list = field(default_factory=list)  # outcomes no funded offer serves directly

    @property
    def indirect_share(self) -> Decimal | None:
        if not self.awarded:
            return None
        return (self.indirect_money * 100 / self.awarded).quantize(Decimal("0.1"))


def competition_analysis(*, competition, outcomes) -> Analysis:
    """``outcomes``: the competition's outcomes, in the order the page lists them."""
    funded = (
        competition.offers.filter(status=Offer.Status.FUNDED)
        .select_related("organisation")
        .order_by("-awarded_amount", "pk")
    )
    return analyse(funded=funded, outcomes=outcomes)


def area_analysis(*, area, outcomes) -> Analysis:
    """The area's outcomes over every competition with published results that serves one of
    them. An offer counts as direct here when it contributes directly to an outcome of the
    area; its grant is still shared among all the outcomes it serves directly, so money bought
    elsewhere is not counted in this area."""
    funded = (
        Offer.objects.filter(
            status=Offer.Status.FUNDED,
            competition__status=Competition.Status.DECIDED,
            competition__in=Competition.objects.filter(
                outcomes__goal__area=area, status=Competition.Status.DECIDED
            ).values("pk"),
        )
        .select_related("organisation", "competition")
        .order_by("-awarded_amount", "pk")
    )
    return analyse(funded=funded, outcomes=outcomes)


def analyse(*, funded, outcomes) -> Analysis:
    """``funded``: the funded offers (a queryset, read once); ``outcomes``: the outcomes the
    analysis is about, in the order the page lists them."""
    funded = list(funded)
    rows = {outcome.pk: OutcomeRow(outcome=outcome) for outcome in outcomes}
    offers = {offer.pk: OfferRow(offer=offer) for offer in funded}
    contributions = list(
        OfferOutcome.objects.filter(
            offer__in=[offer.pk for offer in funded], contribution=Contribution.DIRECT
        ).only("offer_id", "outcome_id", "promised_quantity", "achieved_quantity")
    )
    direct_count = {}
    for contribution in contributions:
        direct_count[contribution.offer_id] = direct_count.get(contribution.offer_id, 0) + 1
    for contribution in contributions:
        offer_row = offers[contribution.offer_id]
        offer = offer_row.offer
        row = rows.get(contribution.outcome_id)
        reported = offer.card_submitted_at is not None
        achieved = (contribution.achieved_quantity or Decimal(0)) if reported else None
        if reported and contribution.promised_quantity:
            offer_row.ratios.append(achieved / contribution.promised_quantity)
        if row is None:
            continue
        offer_row.direct = True
        # An offer serving several outcomes directly buys each with an equal share.
        row.money += offer.awarded_amount / direct_count[offer.pk]
        row.offers += 1
        row.promised += contribution.promised_quantity or 0
        if reported:
            row.achieved += achieved
            row.promised_reported += contribution.promised_quantity or 0
            row.reported += 1
    for row in rows.values():
        row.money = _money(row.money)
    awarded = sum((offer.awarded_amount for offer in funded), Decimal(0))
    indirect = sum(
        (row.offer.awarded_amount for row in offers.values() if not row.direct), Decimal(0)
    )
    outcome_rows = [rows[outcome.pk] for outcome in outcomes]
    return Analysis(
        outcomes=outcome_rows,
        offers=list(offers.values()),
        awarded=awarded,
        indirect_money=indirect,
        unserved=[row.outcome for row in outcome_rows if not row.offers],
    )
