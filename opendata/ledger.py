"""The ledger: what the city buys from and gives to PES, per year and kind of support, for one
organisation (on its page) or summed over all PES of a municipality.

Each kind is a selector of the app that owns the data, with the signature
``(*, organisation=None, municipality=None) -> QuerySet`` of ``{"year", "count", "value"}``
(unevaluated, so that the ledger reads every kind in one query), named by dotted
path and imported when asked (as monitoring's computed indicators are). A later app adds its
kind with a line below.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Value
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    path: str


KINDS = (
    Kind("awards", _("Contracts awarded"), "demand.selectors.ledger_awards"),
    Kind("grants", _("Grants awarded"), "grants.selectors.ledger_grants"),
    Kind(
        "premises",
        _("Discounts on municipal premises"),
        "premises.selectors.ledger_support",
    ),
    Kind(
        "lending",
        _("Equipment and rooms lent (in-kind value)"),
        "equipment_bank.selectors.ledger_in_kind",
    ),
)


@dataclass
class Year:
    year: int
    cells: dict = field(default_factory=dict)  # kind key -> {"count", "value"}

    @property
    def total(self) -> Decimal:
        return sum((cell["value"] or Decimal(0) for cell in self.cells.values()), Decimal(0))


@dataclass
class Ledger:
    kinds: tuple[Kind, ...]
    years: list[Year]

    @property
    def totals(self) -> dict:
        found = {}
        for kind in self.kinds:
            cells = [year.cells[kind.key] for year in self.years if kind.key in year.cells]
            found[kind.key] = {
                "count": sum(cell["count"] for cell in cells),
                "value": sum((cell["value"] or Decimal(0) for cell in cells), Decimal(0)),
            }
        return found

    @property
    def total(self) -> Decimal:
        return sum((year.total for year in self.years), Decimal(0))

    def table(self) -> list[tuple[int, list, Decimal]]:
        """Per year: the year, each kind's cell (or None) in the order of ``kinds``, the total."""
        return [
            (year.year, [year.cells.get(kind.key) for kind in self.kinds], year.total)
            for year in self.years
        ]

    def total_cells(self) -> list[dict]:
        totals = self.totals
        return [totals[kind.key] for kind in self.kinds]

    def __bool__(self):
        return bool(self.years)

    def rows(self):
        """For CSV: year, kind, count, value (PLN)."""
        for year in self.years:
            for kind in self.kinds:
                cell = year.cells.get(kind.key)
                if cell:
                    yield year.year, str(kind.label), cell["count"], cell["value"]


def ledger(*, organisation=None, municipality=None) -> Ledger:
    """One query: each kind's selector (a GROUP BY year in the app that owns the data) returns
    its rows unevaluated, and the four are read together as one ``UNION ALL``. Years to come
    are left out: a lease's discount is recorded for every year of its term, given or not yet."""
    this_year = timezone.localdate().year
    parts = [
        import_string(kind.path)(organisation=organisation, municipality=municipality)
        .order_by()
        .annotate(ledger_kind=Value(kind.key, output_field=CharField()))
        .values_list("ledger_kind", "year", "count", "value")
        for kind in KINDS
    ]
    years: dict[int, Year] = {}
    for key, year, count, value in parts[0].union(*parts[1:], all=True):
        if year is None or year > this_year:
            continue
        years.setdefault(year, Year(year)).cells[key] = {
            "count": count,
            "value": value or Decimal(0),
        }
    return Ledger(KINDS, sorted(years.values(), key=lambda year: -year.year))
