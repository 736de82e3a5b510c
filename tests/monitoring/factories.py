"""Factories of the monitoring app: programmes and their parts, measurements, reports."""

from datetime import date
from decimal import Decimal

import factory

from monitoring.models import (
    Action,
    CooperationProgramme,
    Goal,
    Indicator,
    Measurement,
    ProgrammeFunds,
    Report,
    ReportComment,
)
from tests.factories import MunicipalityFactory, UserFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An adopted two-year programme (2026 to 2027); ``draft=True`` for one not yet adopted."""

    class Meta:
        model = CooperationProgramme

    class Params:
        draft = factory.Trait(
            status=CooperationProgramme.Status.DRAFT, resolution_number="", resolution_date=None
        )

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(
        lambda n: f"Wieloletni program współpracy z organizacjami pozarządowymi nr {n}"
    )
    kind = CooperationProgramme.Kind.MULTI_YEAR
    year_from = 2026
    year_to = 2027
    resolution_number = factory.Sequence(lambda n: f"XXI/{n}/2025")
    resolution_date = date(2025, 11, 20)
    status = CooperationProgramme.Status.ADOPTED
    diagnosis = "W gminie działa 120 organizacji pozarządowych."
    vision = "Silny, współpracujący trzeci sektor."
    main_goal = "Rozwój współpracy gminy z organizacjami."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    programme = factory.SubFactory(ProgrammeFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Wzmacnianie potencjału organizacji {n}")


class FundsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeFunds

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2026
    amount = Decimal("1500000.00")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Szkolenia dla liderów organizacji {n}")
    rationale = "Organizacje zgłaszają potrzebę wsparcia."
    partners = "Toruńskie Centrum Organizacji Pozarządowych"
    schedule = "od kwietnia do grudnia"
    status = Action.Status.IN_PROGRESS


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A manual indicator of a goal."""

    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    programme = factory.LazyAttribute(
        lambda o: o.goal.programme if o.goal else o.action.goal.programme
    )
    name = factory.Sequence(lambda n: f"Liczba przeszkolonych osób {n}")
    unit = "osoby"
    baseline = Decimal("0")
    target = Decimal("100")
    source = Indicator.MANUAL


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)
    value = Decimal("40")
    comment = "Dane z list obecności."


class ReportFactory(factory.django.DjangoModelFactory):
    """A statutory report on 2026, queued."""

    class Meta:
        model = Report

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Report.Kind.STATUTORY
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)
    requested_by = factory.SubFactory(UserFactory)


class ReportCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportComment

    report = factory.SubFactory(ReportFactory)
    body = "Zespół pozytywnie ocenia realizację programu."
    author = factory.SubFactory(UserFactory)
