"""Indicators' values for a period, and their progress from the baseline to the target.

The dashboard, the exports and the PDF report all read indicators through ``programme_figures``;
the report keeps the result as JSON (``Figure.as_json``) in its snapshot. Computed indicators
are read from their snapshots (``Snapshots``, one query), never computed in a request: each
figure says when it was taken, or that it has not been computed yet.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from . import selectors
from .computed import COMPUTED_INDICATORS
from .models import DASH, Indicator

HUNDRED = Decimal(100)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def progress_percent(*, value, target, baseline=None) -> Decimal | None:
    """How far the value has gone from the baseline towards the target, in percent (may be below
    0 or above 100). Without a baseline, the share of the target reached."""
    if value is None or target is None:
        return None
    start = baseline if baseline is not None else Decimal(0)
    if target == start:
        return None
    return ((value - start) / (target - start) * HUNDRED).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Reading:
    """A computed indicator's value and when it was taken."""

    value: Decimal | None
    taken_at: datetime


def _as_computed(value: Decimal | None) -> Decimal | None:
    """A stored value as the indicator gave it: a count stays a whole number (1, not 1.00)."""
    if value is None or value != value.to_integral_value():
        return value
    return value.quantize(Decimal(1))


class Snapshots:
    """The snapshots of one municipality's computed indicators for some periods, loaded in one
    query; ``reading`` is None for an indicator not computed yet."""

    def __init__(self, municipality, periods):
        self.municipality = municipality
        self._rows = selectors.indicator_snapshots(municipality=municipality, periods=periods)

    def reading(self, key: str, *, start: date, end: date) -> Reading | None:
        snapshot = self._rows.get((key, start, end))
        if snapshot is None:
            return None
        return Reading(value=_as_computed(snapshot.value), taken_at=snapshot.taken_at)

    def missing(self, keys, *, start: date, end: date) -> list[str]:
        return [key for key in keys if (key, start, end) not in self._rows]


@dataclass
class Figure:
    """One indicator's value for a period, with what it is measured against."""

    indicator_id: int
    name: str
    unit: str
    target: Decimal
    baseline: Decimal | None
    target_year: int | None
    value: Decimal | None
    source: str  # "manual" or a computed key
    source_label: str
    # The period of the measurement the value comes from, or "" if computed.
    measured: str = ""
    comment: str = ""
    # A computed value: when its snapshot was taken; ``missing`` if it has not been yet.
    taken_at: datetime | None = None
    missing: bool = False
    progress: Decimal | None = field(init=False)

    def __post_init__(self):
        self.progress = progress_percent(
            value=self.value, target=self.target, baseline=self.baseline
        )

    @property
    def is_manual(self):
        return self.source == Indicator.MANUAL

    @property
    def reached(self) -> bool:
        return self.progress is not None and self.progress >= HUNDRED

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("target", "baseline", "value", "progress"):
            if data[key] is not None:
                data[key] = str(data[key])
        if data["taken_at"] is not None:
            data["taken_at"] = data["taken_at"].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Figure":
        values = {key: data[key] for key in data if key != "progress"}
        for key in ("target", "baseline", "value"):
            if values.get(key) is not None:
                values[key] = Decimal(values[key])
        if values.get("taken_at"):
            values["taken_at"] = datetime.fromisoformat(values["taken_at"])
        return cls(**values)


def _manual_value(indicator: Indicator, start: date, end: date):
    """The latest measurement whose period lies within [start, end] (measurements prefetched
    newest first)."""
    for measurement in indicator.measurements.all():
        if measurement.period_start >= start and measurement.period_end <= end:
            return measurement
    return None


def indicator_figure(
    indicator: Indicator, *, start: date, end: date, evaluate: Snapshots
) -> Figure:
    measured = comment = ""
    taken_at, missing = None, False
    if indicator.is_manual:
        measurement = _manual_value(indicator, start, end)
        value = measurement.value if measurement else None
        if measurement:
            measured = f"{measurement.period_start:%d.%m.%Y}{DASH}{measurement.period_end:%d.%m.%Y}"
            comment = measurement.comment
        source_label = _("entered by the team")
    else:
        reading = evaluate.reading(indicator.source, start=start, end=end)
        value = reading.value if reading else None
        taken_at, missing = (reading.taken_at, False) if reading else (None, True)
        computed = COMPUTED_INDICATORS.get(indicator.source)
        source_label = (
            _("computed by the portal: %(name)s") % {"name": computed.label}
            if computed
            else indicator.source
        )
    return Figure(
        indicator_id=indicator.pk,
        name=indicator.name,
        unit=indicator.unit,
        target=indicator.target,
        baseline=indicator.baseline,
        target_year=indicator.target_year,
        value=value,
        source=indicator.source,
        source_label=str(source_label),
        measured=measured,
        comment=comment,
        taken_at=taken_at,
        missing=missing,
    )


def programme_figures(goals, *, municipality, start: date, end: date, evaluate=None) -> list[dict]:
    """For each goal (as given by ``selectors.programme_goals``): its indicators' figures and
    its actions with theirs. Computed values come from ``evaluate`` (the snapshots of the
    period, loaded here in one query if not given)."""
    evaluate = evaluate or Snapshots(municipality, [(start, end)])
    result = []
    for goal in goals:
        result.append(
            {
                "goal": goal,
                "figures": [
                    indicator_figure(indicator, start=start, end=end, evaluate=evaluate)
                    for indicator in goal.indicator_list
                ],
                "actions": [
                    {
                        "action": action,
                        "figures": [
                            indicator_figure(indicator, start=start, end=end, evaluate=evaluate)
                            for indicator in action.indicator_list
                        ],
                    }
                    for action in goal.action_list
                ],
            }
        )
    return result


def flat_rows(goal_figures: list[dict]) -> list[tuple[str, str, Figure]]:
    """(goal, action or "", figure) for every indicator, in the order of the programme."""
    rows = []
    for entry in goal_figures:
        goal = str(entry["goal"])
        rows += [(goal, "", figure) for figure in entry["figures"]]
        for action_entry in entry["actions"]:
            rows += [(goal, str(action_entry["action"]), f) for f in action_entry["figures"]]
    return rows


def computed_overview(*, municipality, start: date, end: date, evaluate=None) -> list[dict]:
    """Every computed indicator of the portal for the period (the report's "figures" part), with
    when each was taken (None: not computed yet)."""
    evaluate = evaluate or Snapshots(municipality, [(start, end)])
    rows = []
    for key, indicator in COMPUTED_INDICATORS.items():
        reading = evaluate.reading(key, start=start, end=end)
        value = reading.value if reading else None
        rows.append(
            {
                "key": key,
                "label": str(indicator.label),
                "unit": indicator.unit_for(value),
                "kind": indicator.kind,
                "value": value,
                "taken_at": reading.taken_at if reading else None,
            }
        )
    return rows
