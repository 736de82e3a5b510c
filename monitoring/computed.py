"""Indicators computed from the portal's own data.

Each is a selector of the app that owns the data, with the signature
``(*, municipality, start, end)`` (dates inclusive, Europe/Warsaw), returning a number. The
registry names them by dotted path and imports them only when asked, so monitoring depends on
the other apps at run time only (DESIGN: monitoring reads the others; nobody imports monitoring).
A later app adds its indicator here the same way: a selector in its app, a line below.
"""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext_lazy

logger = logging.getLogger(__name__)


# The currency as Polish pages write it after an amount ("zł"), one label everywhere.
CURRENCY = pgettext_lazy("currency after an amount", "PLN")


@dataclass(frozen=True)
class ComputedIndicator:
    key: str
    label: str
    # A fixed label ("%", the currency), or for a count a function of the number that gives the
    # noun in the form Polish needs after it (1 organizacja, 2 organizacje, 5 organizacji).
    unit: Any
    path: str
    # "count", "percent" or "money": how the value is written.
    kind: str = "count"

    def function(self):
        return import_string(self.path)

    def unit_for(self, value) -> str:
        """The unit as written after ``value``; with no value, the form that goes with "5"."""
        if not callable(self.unit):
            return str(self.unit)
        count = 5 if value is None or value != int(value) else int(value)
        return self.unit(count)


COMPUTED_INDICATORS: dict[str, ComputedIndicator] = {
    indicator.key: indicator
    for indicator in (
        ComputedIndicator(
            "verified_organisations",
            _("Verified PES seated in the municipality (at the end of the period)"),
            lambda n: npgettext("unit after a count", "organisation", "organisations", n),
            "directory.selectors.indicator_verified_organisations",
        ),
        ComputedIndicator(
            "new_registrations",
            _("PES registered in the portal in the period"),
            lambda n: npgettext("unit after a count", "organisation", "organisations", n),
            "directory.selectors.indicator_new_registrations",
        ),
        ComputedIndicator(
            "active_offers",
            _("Active offers of PES"),
            lambda n: npgettext("unit after a count", "offer", "offers", n),
            "exchange.selectors.indicator_active_offers",
        ),
        ComputedIndicator(
            "inquiries_sent",
            _("Inquiries sent to PES"),
            lambda n: npgettext("unit after a count", "inquiry", "inquiries", n),
            "exchange.selectors.indicator_inquiries_sent",
        ),
        ComputedIndicator(
            "notices_published",
            _("Demand notices published"),
            lambda n: npgettext("unit after a count", "notice", "notices", n),
            "demand.selectors.indicator_notices_published",
        ),
        ComputedIndicator(
            "social_clause_share",
            _("Share of published notices with a social clause"),
            "%",
            "demand.selectors.indicator_social_clause_share",
            kind="percent",
        ),
        ComputedIndicator(
            "awards_to_pes",
            _("Contracts awarded to PES"),
            lambda n: npgettext("unit after a count", "contract", "contracts", n),
            "demand.selectors.indicator_awards_to_pes",
        ),
        ComputedIndicator(
            "awards_value",
            _("Value of contracts awarded to PES"),
            CURRENCY,
            "demand.selectors.indicator_awards_value",
            kind="money",
        ),
        ComputedIndicator(
            "bank_bookings",
            _("Loans of equipment and rooms from the equipment bank"),
            lambda n: npgettext("unit after a count", "loan", "loans", n),
            "equipment_bank.selectors.indicator_bookings",
        ),
        ComputedIndicator(
            "bank_in_kind_value",
            _("In-kind support: value of the city's equipment and rooms lent"),
            CURRENCY,
            "equipment_bank.selectors.indicator_in_kind_value",
            kind="money",
        ),
        ComputedIndicator(
            "bank_utilisation",
            _("Utilisation of the city's equipment and rooms (share of bookable time)"),
            "%",
            "equipment_bank.selectors.indicator_utilisation",
            kind="percent",
        ),
        ComputedIndicator(
            "premises_leased",
            _("Municipal premises leased to PES"),
            lambda n: npgettext("unit after a count", "premises", "premises", n),
            "premises.selectors.indicator_premises_leased",
        ),
        ComputedIndicator(
            "premises_support_value",
            _("Support value of preferential rent for PES (market minus charged rent)"),
            CURRENCY,
            "premises.selectors.indicator_support_value",
            kind="money",
        ),
        ComputedIndicator(
            "premises_beneficiaries",
            _("Beneficiaries of the activities in premises leased to PES"),
            lambda n: npgettext("unit after a count", "person", "people", n),
            "premises.selectors.indicator_beneficiaries",
        ),
        ComputedIndicator(
            "grants_awarded",
            _("Grants awarded in open competitions"),
            lambda n: npgettext("unit after a count", "grant", "grants", n),
            "grants.selectors.indicator_grants_awarded",
        ),
        ComputedIndicator(
            "grants_value",
            _("Value of grants awarded in open competitions"),
            CURRENCY,
            "grants.selectors.indicator_grants_value",
            kind="money",
        ),
        ComputedIndicator(
            "grants_direct_share",
            _("Share of grant money for offers contributing directly to the strategy"),
            "%",
            "grants.selectors.indicator_direct_share",
            kind="percent",
        ),
        ComputedIndicator(
            "grants_cards_returned",
            _("Cards after funding returned by funded PES"),
            lambda n: npgettext("unit after a count", "card", "cards", n),
            "grants.selectors.indicator_cards_returned",
        ),
    )
}


def source_choices() -> list[tuple[str, str]]:
    from .models import Indicator

    return [
        (Indicator.MANUAL, _("entered by the team")),
        (
            _("computed by the portal"),
            [(key, indicator.label) for key, indicator in COMPUTED_INDICATORS.items()],
        ),
    ]


def evaluate(key: str, *, municipality, start: date, end: date) -> Decimal | None:
    """The indicator's value for the period, or None if its app does not provide it."""
    indicator = COMPUTED_INDICATORS[key]
    try:
        function = indicator.function()
    except ImportError:
        logger.warning("Computed indicator %s is not available (%s).", key, indicator.path)
        return None
    value = function(municipality=municipality, start=start, end=end)
    return None if value is None else Decimal(value)


class Evaluator:
    """Evaluates computed indicators for one municipality, each key and period once."""

    def __init__(self, municipality):
        self.municipality = municipality
        self._values: dict[tuple[str, date, date], Decimal | None] = {}

    def __call__(self, key: str, *, start: date, end: date) -> Decimal | None:
        cache_key = (key, start, end)
        if cache_key not in self._values:
            self._values[cache_key] = evaluate(
                key, municipality=self.municipality, start=start, end=end
            )
        return self._values[cache_key]
