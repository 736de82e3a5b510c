"""The monitoring models' invariants, in clean() for the message and in the database for the
guarantee; progress and its chart; the PDF's URL fetcher."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from monitoring.figures import Figure, progress_percent
from monitoring.models import CooperationProgramme, Indicator, Report
from pestor.charts import describe, progress_bar
from pestor.pdf import fetch_url
from tests.monitoring.factories import (
    ActionFactory,
    GoalFactory,
    IndicatorFactory,
    ProgrammeFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db


def test_an_indicator_belongs_to_exactly_one_goal_or_action():
    goal = GoalFactory()
    action = ActionFactory(goal=goal)
    both = Indicator(
        programme=goal.programme, goal=goal, action=action, name="x", unit="x", target=1
    )
    neither = Indicator(programme=goal.programme, name="x", unit="x", target=1)
    for indicator in (both, neither):
        with pytest.raises(ValidationError) as error:
            indicator.full_clean()
        assert "goal" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            indicator.save()


def test_an_indicators_source_must_be_known():
    indicator = IndicatorFactory.build(goal=GoalFactory(), source="made_up")
    indicator.programme = indicator.goal.programme
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "source" in error.value.message_dict


def test_an_indicator_takes_its_programme_from_its_action():
    action = ActionFactory()
    indicator = Indicator(action=action, name="x", unit="x", target=Decimal(1))
    indicator.save()
    assert indicator.programme == action.goal.programme


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "annual", "year_from": 2026, "year_to": 2027}, "year_to"),
        ({"kind": "multi_year", "year_from": 2026, "year_to": 2026}, "year_to"),
        ({"year_from": 2027, "year_to": 2026}, "year_to"),
        ({"status": "adopted", "resolution_number": ""}, "resolution_number"),
        ({"status": "adopted", "resolution_date": None}, "resolution_date"),
    ],
)
def test_programme_rules_have_messages_on_their_fields(municipality, fields, field):
    programme = ProgrammeFactory.build(municipality=municipality, **fields)
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "annual", "year_from": 2026, "year_to": 2027},
        {"year_from": 2027, "year_to": 2026},
        {"status": "adopted", "resolution_number": ""},
    ],
)
def test_the_database_holds_the_programme_rules(municipality, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeFactory(municipality=municipality, **fields)


def test_one_annual_report_per_programme_and_year_in_the_database():
    report = ReportFactory()
    ReportFactory(programme=report.programme, kind=Report.Kind.PROGRESS)  # progress: any number
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(programme=report.programme)


def test_a_report_period_must_fall_within_the_programme():
    report = ReportFactory.build(
        programme=ProgrammeFactory(), period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "period_start" in error.value.message_dict


def test_report_labels_and_deadline():
    report = ReportFactory.build(programme=ProgrammeFactory.build())
    assert report.period_label == "2026"
    assert report.statutory_deadline == date(2027, 5, 31)
    progress = ReportFactory.build(
        kind="progress", period_start=date(2026, 1, 1), period_end=date(2026, 6, 30)
    )
    assert progress.period_label == "01.01.2026\N{EN DASH}30.06.2026"
    assert progress.statutory_deadline is None


def test_adopted_programmes_covering_a_year():
    covering = ProgrammeFactory()
    ProgrammeFactory(draft=True)
    ProgrammeFactory(kind="annual", year_from=2025, year_to=2025)
    assert list(CooperationProgramme.objects.adopted().covering(2027)) == [covering]


# --- progress and charts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "baseline", "expected"),
    [
        (Decimal(20), Decimal(50), None, Decimal("40.0")),
        (Decimal(30), Decimal(50), Decimal(10), Decimal("50.0")),
        # an indicator that should go down: from 40 towards 10
        (Decimal(25), Decimal(10), Decimal(40), Decimal("50.0")),
        (Decimal(60), Decimal(50), Decimal(0), Decimal("120.0")),
        (None, Decimal(50), None, None),
        (Decimal(5), Decimal(10), Decimal(10), None),  # target equals the baseline
    ],
)
def test_progress_from_the_baseline_to_the_target(value, target, baseline, expected):
    assert progress_percent(value=value, target=target, baseline=baseline) == expected


def _figure(**fields):
    defaults = {
        "indicator_id": 7,
        "name": "Liczba szkoleń",
        "unit": "szkolenia",
        "target": Decimal(50),
        "baseline": Decimal(0),
        "target_year": None,
        "value": Decimal(20),
        "source": "manual",
        "source_label": "wprowadzane",
    }
    return Figure(**{**defaults, **fields})


def test_the_chart_has_an_accessible_name_saying_the_figures():
    svg = str(progress_bar(_figure(), chart_id="c"))
    assert 'role="img"' in svg
    assert 'aria-labelledby="c-title"' in svg
    assert '<title id="c-title">' in svg
    assert "20 wobec celu 50 (jednostka: szkolenia)" in svg and "40%" in svg


def test_the_chart_escapes_what_the_team_typed():
    svg = str(progress_bar(_figure(name='<script>alert("x")</script>'), chart_id="c"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_a_chart_without_a_value_says_so():
    figure = _figure(value=None)
    with translation.override("en"):
        assert "no value" in describe(figure)
    assert "—" in str(progress_bar(figure, chart_id="c"))


def test_the_bar_stops_at_one_and_a_half_times_the_target():
    svg = str(progress_bar(_figure(value=Decimal(500)), chart_id="c"))
    assert "1\xa0000%" in svg  # the label says how far, in the Polish number format
    assert 'width="260"' in svg  # the whole track, not beyond it


def test_figures_survive_the_snapshot():
    figure = _figure(value=Decimal("12.50"), baseline=None)
    again = Figure.from_json(figure.as_json())
    assert again == figure
    assert again.progress == Decimal("25.0")


# --- the PDF's fetcher ------------------------------------------------------------------------


def test_the_fetcher_serves_the_projects_static_files():
    assert b"@page" in fetch_url("file:///static/css/report.css").read()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/css/report.css",
        "http://127.0.0.1/static/css/report.css",
        "file:///etc/passwd",
        "file:///media/logos/x.png",
        "file:///static/../pestor/settings.py",
        "file:///static/%2e%2e/pestor/settings.py",
        "file:///static/css/nothing-here.css",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError):
        fetch_url(url)
