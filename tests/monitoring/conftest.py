from decimal import Decimal

import pytest

from monitoring.models import Report
from monitoring.reports import write_report_file
from tests.factories import make_monitoring_member
from tests.monitoring.factories import (
    ActionFactory,
    FundsFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgrammeFactory,
    ReportFactory,
)


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Report files go to a temporary directory, never into the repository's private/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def other_monitoring_member(other_municipality):
    """A member of another municipality's monitoring team."""
    return make_monitoring_member(other_municipality, email="zespol@chelmza.example.org")


@pytest.fixture
def programme(municipality):
    """Toruń's adopted programme for 2026-2027: one goal with a manual indicator measured in
    2026, one action with a computed indicator, and planned funds."""
    programme = ProgrammeFactory(
        municipality=municipality,
        title="Wieloletni program współpracy Gminy Miasta Toruń z organizacjami pozarządowymi",
    )
    goal = GoalFactory(programme=programme, position=1, title="Wzmacnianie potencjału organizacji")
    indicator = IndicatorFactory(
        goal=goal, name="Liczba przeszkolonych liderów", unit="osoby", target=Decimal(50)
    )
    MeasurementFactory(indicator=indicator, value=Decimal(20))
    action = ActionFactory(goal=goal, title="Szkolenia dla liderów organizacji")
    IndicatorFactory(
        goal=None,
        action=action,
        programme=programme,
        name="Zweryfikowane podmioty ekonomii społecznej",
        unit="podmioty",
        target=Decimal(10),
        source="verified_organisations",
    )
    FundsFactory(programme=programme, year=2026, amount=Decimal("1250000.00"))
    return programme


@pytest.fixture
def draft_programme(municipality):
    return ProgrammeFactory(municipality=municipality, draft=True, title="Projekt programu 2028")


@pytest.fixture
def done_report(programme, monitoring_member):
    """A finished statutory report on 2026 with a (tiny) file in private storage."""
    report = ReportFactory(programme=programme, requested_by=monitoring_member)
    report.file.name = write_report_file(report, b"%PDF-1.4\n% raport testowy\n")
    report.status = Report.Status.DONE
    report.progress = 100
    report.save()
    return report
