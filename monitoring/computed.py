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
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext_lazy

logger = logging.getLogger(__name__)


# The kinds of community events, each counted apart (community.models.Event.Kind; named here
# so that monitoring does not import the app).
EVENT_KINDS = (
    ("forum", pgettext_lazy("indicator", "Social Economy Forum")),
    ("training", pgettext_lazy("indicator", "trainings")),
    ("study_visit", pgettext_lazy("indicator", "study visits")),
    ("fair", pgettext_lazy("indicator", "fairs")),
    ("laboratory", pgettext_lazy("indicator", "Social Economy Laboratory sessions")),
    ("consultation", pgettext_lazy("indicator", "consultation meetings")),
    ("other", pgettext_lazy("indicator", "other events")),
)

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
        ComputedIndicator(
            "community_events",
            _("Events of the programme held (forums, trainings, visits, fairs, sessions)"),
            lambda n: npgettext("unit after a count", "event", "events", n),
            "community.selectors.indicator_events",
        ),
        *(
            ComputedIndicator(
                f"community_events_{kind}",
                format_lazy(_("Events held: {kind}"), kind=label),
                lambda n: npgettext("unit after a count", "event", "events", n),
                f"community.selectors.indicator_events_{kind}",
            )
            for kind, label in EVENT_KINDS
        ),
        ComputedIndicator(
            "community_participants_pes",
            _("Participants of events from PES"),
            lambda n: npgettext("unit after a count", "person", "people", n),
            "community.selectors.indicator_participants_pes",
        ),
        ComputedIndicator(
            "community_participants_administration",
            _("Participants of events from the public administration"),
            lambda n: npgettext("unit after a count", "person", "people", n),
            "community.selectors.indicator_participants_administration",
        ),
        ComputedIndicator(
            "community_training_hours",
            _("Hours of trainings held"),
            lambda n: npgettext("unit after a count", "hour", "hours", n),
            "community.selectors.indicator_training_hours",
        ),
        ComputedIndicator(
            "community_surveys",
            _("Competence surveys run (closing in the period)"),
            lambda n: npgettext("unit after a count", "survey", "surveys", n),
            "community.selectors.indicator_surveys",
        ),
        ComputedIndicator(
            "community_survey_responses",
            _("Answers to the competence surveys (people)"),
            lambda n: npgettext("unit after a count", "person", "people", n),
            "community.selectors.indicator_survey_responses",
        ),
        ComputedIndicator(
            "community_nominations",
            _("Nominations for the President's award and contests"),
            lambda n: npgettext("unit after a count", "nomination", "nominations", n),
            "community.selectors.indicator_nominations",
        ),
        ComputedIndicator(
            "community_laureates",
            _("Laureates of the President's award and contests"),
            lambda n: npgettext("unit after a count", "laureate", "laureates", n),
            "community.selectors.indicator_laureates",
        ),
        ComputedIndicator(
            "finance_loans_granted",
            _("Repayable finance granted to PES (loans, guarantees, leasing)"),
            lambda n: npgettext("unit after a count", "loan", "loans", n),
            "partnerships.selectors.indicator_loans_granted",
        ),
        ComputedIndicator(
            "finance_loans_value",
            _("Value of repayable finance granted to PES"),
            CURRENCY,
            "partnerships.selectors.indicator_loans_value",
            kind="money",
        ),
        ComputedIndicator(
            "finance_repayment_rate",
            _("Share of the repayable finance of the period repaid so far"),
            "%",
            "partnerships.selectors.indicator_repayment_rate",
            kind="percent",
        ),
        ComputedIndicator(
            "finance_jobs",
            _("Jobs for excluded persons created or kept by the ventures financed"),
            lambda n: npgettext("unit after a count", "job", "jobs", n),
            "partnerships.selectors.indicator_jobs",
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
