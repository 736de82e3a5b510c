"""Demo data of the monitoring: Toruń's two-year cooperation programme (2026 to 2027) with its
strategic part, four specific goals, their actions and indicators (some entered by the team, some
computed from the other apps' demo data), measurements, comments of the team, and one finished
report, built here as the worker would build it. Loaded by ``load_demo`` last, after the
apps whose figures it reads.

Rows are written directly, not through ``monitoring.services`` (which send e-mails), in the shape
the services leave behind, with the same events in the log dated back.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from pestor import audit
from pestor.demo import MONITORING, DemoContext, plural

from . import reports, services
from .models import (
    Action,
    CooperationProgramme,
    Goal,
    Indicator,
    Measurement,
    ProgrammeFunds,
    Report,
    ReportComment,
)

MANUAL = Indicator.MANUAL


@dataclass(frozen=True)
class DemoIndicator:
    name: str
    unit: str
    target: str
    source: str = MANUAL
    baseline: str | None = None
    target_year: int | None = None
    # Manual indicators: (period start, period end, value, comment).
    measurements: tuple[tuple[date, date, str, str], ...] = ()


@dataclass(frozen=True)
class DemoAction:
    title: str
    department: str  # the code of a Toruń department in pestor.demo
    status: str
    rationale: str
    novelty: str
    partners: str
    schedule: str
    indicators: tuple[DemoIndicator, ...] = ()


@dataclass(frozen=True)
class DemoGoal:
    title: str
    description: str
    indicators: tuple[DemoIndicator, ...]
    actions: tuple[DemoAction, ...]


# Measurements add up from the start of the year: the latest one within a period is its value.
H1_2026 = (date(2026, 1, 1), date(2026, 6, 30))
TO_Q3_2026 = (date(2026, 1, 1), date(2026, 9, 30))

PROGRAMME = {
    "title": (
        "Wieloletni program współpracy Gminy Miasta Toruń z organizacjami pozarządowymi "
        "i podmiotami ekonomii społecznej na lata 2026\N{EN DASH}2027"
    ),
    "kind": CooperationProgramme.Kind.MULTI_YEAR,
    "year_from": 2026,
    "year_to": 2027,
    "resolution_number": "XLV/812/2025",
    "resolution_date": date(2025, 11, 20),
    "status": CooperationProgramme.Status.ADOPTED,
    "diagnosis": (
        "W Toruniu działa ponad 700 organizacji pozarządowych, z czego około 60 prowadzi "
        "działalność gospodarczą lub odpłatną. Podmioty ekonomii społecznej rzadko biorą udział "
        "w zamówieniach miasta: w 2025 roku tylko 4% ogłoszeń poniżej 130 000 zł zawierało "
        "klauzulę społeczną.\n\n"
        "Organizacje wskazują w konsultacjach na brak lokali, sprzętu i wiedzy o potrzebach "
        "miasta, a wydziały — na brak wiedzy o ofercie PES."
    ),
    "vision": (
        "Toruń miastem, w którym gmina, organizacje pozarządowe, podmioty ekonomii społecznej "
        "i przedsiębiorcy wspólnie odpowiadają na potrzeby mieszkańców."
    ),
    "main_goal": (
        "Rozwój partnerskiej współpracy samorządu z organizacjami pozarządowymi i podmiotami "
        "ekonomii społecznej w realizacji zadań publicznych."
    ),
    "legal_basis": (
        "Art. 5a ust. 1 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego "
        "i o wolontariacie oraz art. 18 ust. 2 pkt 15 ustawy z dnia 8 marca 1990 r. o samorządzie "
        "gminnym."
    ),
    "strategy_coherence": (
        "Program realizuje cele Strategii Rozwoju Miasta Torunia do 2030 roku (obszar „Aktywni "
        "mieszkańcy”) oraz Gminnej Strategii Rozwiązywania Problemów Społecznych i jest zgodny "
        "z Regionalnym Programem Rozwoju Ekonomii Społecznej."
    ),
    "evaluation_method": (
        "Zespół monitorujący co pół roku wpisuje wartości wskaźników; portal liczy wskaźniki "
        "dotyczące PES i ogłoszeń. Ocena realizacji programu trafia do sprawozdania "
        "przedkładanego Radzie Miasta do 31 maja następnego roku."
    ),
    "preparation_and_consultation": (
        "Projekt przygotował Wydział Zdrowia i Polityki Społecznej wspólnie z Toruńską Radą "
        "Działalności Pożytku Publicznego. Konsultacje trwały od 1 do 21 października 2025 r.: "
        "wpłynęło 14 uwag, z których 9 uwzględniono; odbyło się jedno spotkanie otwarte."
    ),
    "competition_committees": (
        "Komisje konkursowe powołuje Prezydent Miasta zarządzeniem; zasiadają w nich "
        "przedstawiciele wydziałów i co najmniej dwie osoby wskazane przez organizacje "
        "pozarządowe niebiorące udziału w konkursie. Komisja ocenia oferty na karcie oceny "
        "i przedstawia Prezydentowi propozycję podziału środków."
    ),
}
FUNDS = {2026: Decimal("14850000.00"), 2027: Decimal("15300000.00")}

GOALS = (
    DemoGoal(
        title="Wzmacnianie potencjału organizacji pozarządowych i podmiotów ekonomii społecznej",
        description="Wsparcie szkoleniowe, doradcze i lokalowe dla organizacji.",
        indicators=(
            DemoIndicator(
                "Zweryfikowane PES z siedzibą w Toruniu",
                "podmioty",
                "45",
                source="verified_organisations",
                baseline="20",
            ),
            DemoIndicator(
                "Nowe PES zarejestrowane w portalu",
                "podmioty",
                "15",
                source="new_registrations",
                target_year=2026,
            ),
        ),
        actions=(
            DemoAction(
                title="Doradztwo i szkolenia w Toruńskim Centrum Organizacji Pozarządowych",
                department="BTCP",
                status=Action.Status.IN_PROGRESS,
                rationale="Organizacje zgłaszają potrzebę wsparcia w rozliczaniu dotacji.",
                novelty="Dyżury doradców także w soboty i doradztwo online.",
                partners="Toruńskie Centrum Organizacji Pozarządowych",
                schedule="cały rok, dyżury we wtorki i soboty",
                indicators=(
                    DemoIndicator(
                        "Organizacje objęte doradztwem w roku",
                        "organizacje",
                        "120",
                        target_year=2026,
                        measurements=(
                            (*H1_2026, "52", "Rejestr porad TCOP."),
                            (*TO_Q3_2026, "79", "Rejestr porad TCOP; przerwa w sierpniu."),
                        ),
                    ),
                ),
            ),
            DemoAction(
                title="Bank sprzętu i sal dla organizacji",
                department="BTCP",
                status=Action.Status.PLANNED,
                rationale="Brak sprzętu nagłośnieniowego i sal na wydarzenia.",
                novelty="Rezerwacje przez portal PES-TOR.",
                partners="Centrum Kulturalno-Kongresowe Jordanki",
                schedule="od III kwartału 2026",
            ),
        ),
    ),
    DemoGoal(
        title="Zwiększenie udziału PES w zamówieniach publicznych miasta",
        description="Klauzule społeczne i rozeznanie rynku wśród PES przed zamówieniem.",
        indicators=(
            DemoIndicator(
                "Udział ogłoszeń z klauzulą społeczną",
                "%",
                "25",
                source="social_clause_share",
                baseline="4",
            ),
            DemoIndicator(
                "Wartość zamówień udzielonych PES",
                "zł",
                "500000",
                source="awards_value",
            ),
        ),
        actions=(
            DemoAction(
                title="Stosowanie klauzul społecznych w zamówieniach poniżej 130 000 zł",
                department="WZiPS",
                status=Action.Status.IN_PROGRESS,
                rationale="Zamówienia z klauzulą dają pracę osobom zagrożonym wykluczeniem.",
                novelty="Obowiązkowy test klauzuli społecznej przed publikacją ogłoszenia.",
                partners="Spółdzielnie socjalne, Regionalny Ośrodek Ekonomii Społecznej",
                schedule="w latach 2026 i 2027",
                indicators=(
                    DemoIndicator(
                        "Ogłoszenia wydziałów w bazie zapotrzebowania",
                        "ogłoszenia",
                        "40",
                        source="notices_published",
                    ),
                    DemoIndicator(
                        "Zamówienia udzielone PES",
                        "zamówienia",
                        "12",
                        source="awards_to_pes",
                    ),
                ),
            ),
            DemoAction(
                title="Szkolenia urzędników z klauzul społecznych",
                department="WZiPS",
                status=Action.Status.DONE,
                rationale="Urzędnicy nie znali art. 94 i 96 Prawa zamówień publicznych.",
                novelty="Warsztaty z przykładami z Torunia.",
                partners="Urząd Zamówień Publicznych",
                schedule="marzec i kwiecień 2026",
                indicators=(
                    DemoIndicator(
                        "Przeszkoleni urzędnicy",
                        "osoby",
                        "40",
                        baseline="0",
                        target_year=2026,
                        measurements=((*H1_2026, "36", "Listy obecności z 3 warsztatów."),),
                    ),
                ),
            ),
        ),
    ),
    DemoGoal(
        title="Rozwój współpracy międzysektorowej",
        description="Giełda zamówień społecznie odpowiedzialnych i partnerstwo trójsektorowe.",
        indicators=(
            DemoIndicator(
                "Aktywne oferty PES na giełdzie",
                "oferty",
                "80",
                source="active_offers",
            ),
            DemoIndicator(
                "Zapytania wysłane do PES",
                "zapytania",
                "50",
                source="inquiries_sent",
            ),
        ),
        actions=(
            DemoAction(
                title="Spotkania sieciujące PES z przedsiębiorcami",
                department="BTCP",
                status=Action.Status.IN_PROGRESS,
                rationale="Przedsiębiorcy nie znają oferty PES.",
                novelty="Spotkania w siedzibach firm, z prezentacją ofert z giełdy.",
                partners="Toruńska Izba Gospodarcza",
                schedule="raz na kwartał",
                indicators=(
                    DemoIndicator(
                        "Spotkania sieciujące od początku programu",
                        "spotkania",
                        "8",
                        baseline="0",
                        measurements=(
                            (*H1_2026, "2", ""),
                            (*TO_Q3_2026, "3", "Trzecie w Toruńskim Parku Technologicznym."),
                        ),
                    ),
                ),
            ),
        ),
    ),
    DemoGoal(
        title="Zwiększenie aktywności obywatelskiej mieszkańców",
        description="Otwarte konkursy ofert i małe granty (art. 19a ustawy).",
        indicators=(
            DemoIndicator(
                "Oferty złożone w otwartych konkursach w roku",
                "oferty",
                "350",
                target_year=2026,
                measurements=((*H1_2026, "198", "Wydział Zdrowia i Polityki Społecznej."),),
            ),
        ),
        actions=(
            DemoAction(
                title="Otwarte konkursy ofert na zadania publiczne",
                department="WZiPS",
                status=Action.Status.IN_PROGRESS,
                rationale="Podstawowa forma finansowej współpracy (art. 11 ustawy).",
                novelty="Karty oceny kosztu rezultatu w portalu.",
                partners="Toruńska Rada Działalności Pożytku Publicznego",
                schedule="nabory w styczniu i czerwcu",
            ),
            DemoAction(
                title="Małe granty z pominięciem konkursu (art. 19a)",
                department="WK",
                status=Action.Status.IN_PROGRESS,
                rationale="Szybkie wsparcie małych inicjatyw lokalnych.",
                novelty="Nabór ciągły przez cały rok.",
                partners="Rady okręgów",
                schedule="nabór ciągły",
                indicators=(
                    DemoIndicator(
                        "Małe granty udzielone w roku",
                        "granty",
                        "60",
                        target_year=2026,
                        measurements=((*H1_2026, "27", ""),),
                    ),
                ),
            ),
        ),
    ),
)

COMMENTS = (
    (
        None,
        "Zespół monitorujący pozytywnie ocenia dotychczasową realizację programu. "
        "Wskaźniki dotyczące klauzul społecznych wymagają dalszej pracy z wydziałami.",
    ),
    (
        1,
        "Doradztwo TCOP cieszy się dużym zainteresowaniem; warto rozważyć dodatkowy dyżur.",
    ),
)


def existing_data() -> str:
    count = CooperationProgramme.objects.count()
    return f"programy współpracy: {count}" if count else ""


def load(context: DemoContext) -> str:
    torun = context.municipalities["torun"]
    team_member = context.accounts[MONITORING.key]
    adopted_at = _moment(context, date(2025, 11, 25))

    programme = CooperationProgramme(municipality=torun, **PROGRAMME)
    programme.full_clean()
    programme.save()
    audit.record(
        actor=team_member,
        action="programme.created",
        target=programme,
        after={"title": programme.title, "status": CooperationProgramme.Status.DRAFT},
        at=adopted_at,
    )
    audit.record(
        actor=team_member,
        action="programme.adopted",
        target=programme,
        before={"status": CooperationProgramme.Status.DRAFT},
        after={"status": programme.status, "resolution_number": programme.resolution_number},
        at=adopted_at,
    )
    ProgrammeFunds.objects.bulk_create(
        ProgrammeFunds(programme=programme, year=year, amount=amount)
        for year, amount in FUNDS.items()
    )

    counts = {"actions": 0, "indicators": 0, "measurements": 0}
    goals = []
    for position, demo_goal in enumerate(GOALS, start=1):
        goal = Goal.objects.create(
            programme=programme,
            position=position,
            title=demo_goal.title,
            description=demo_goal.description,
        )
        goals.append(goal)
        for demo_indicator in demo_goal.indicators:
            _indicator(context, programme, demo_indicator, counts, goal=goal, actor=team_member)
        for demo_action in demo_goal.actions:
            action = Action(
                goal=goal,
                title=demo_action.title,
                rationale=demo_action.rationale,
                novelty=demo_action.novelty,
                department=context.departments["torun", demo_action.department],
                partners=demo_action.partners,
                schedule=demo_action.schedule,
                status=demo_action.status,
            )
            action.full_clean()
            action.save()
            counts["actions"] += 1
            for demo_indicator in demo_action.indicators:
                _indicator(
                    context, programme, demo_indicator, counts, action=action, actor=team_member
                )

    # The portal's indicators as celery beat would have taken them, so that the dashboard shows
    # figures at once (the report below takes those of its own period).
    for start, end, _renew in services.snapshot_periods(
        programme=programme, today=timezone.localdate(context.now)
    ):
        services.indicator_snapshots_refresh(municipality=torun, start=start, end=end)
    report = _finished_report(context, programme, goals, team_member)
    return ", ".join(
        [
            plural(1, "program współpracy", "programy współpracy", "programów współpracy"),
            plural(len(goals), "cel", "cele", "celów"),
            plural(counts["actions"], "działanie", "działania", "działań"),
            plural(counts["indicators"], "wskaźnik", "wskaźniki", "wskaźników"),
            plural(counts["measurements"], "pomiar", "pomiary", "pomiarów"),
            f"opublikowany raport za {report.period_label}",
        ]
    )


def _moment(context: DemoContext, day: date) -> datetime:
    """Office hours on ``day``, never later than the demo's now."""
    moment = timezone.make_aware(datetime.combine(day, time(10, 30)))
    return min(moment, context.now)


def _indicator(context, programme, demo: DemoIndicator, counts, *, actor, goal=None, action=None):
    indicator = Indicator(
        programme=programme,
        goal=goal,
        action=action,
        name=demo.name,
        unit=demo.unit,
        baseline=Decimal(demo.baseline) if demo.baseline is not None else None,
        target=Decimal(demo.target),
        target_year=demo.target_year,
        source=demo.source,
    )
    indicator.full_clean()
    indicator.save()
    counts["indicators"] += 1
    for start, end, value, comment in demo.measurements:
        entered_on = end + timedelta(days=10)
        if timezone.localdate(context.now) < entered_on:
            continue  # not entered yet on the day the demo is loaded
        entered_at = _moment(context, entered_on)
        measurement = Measurement(
            indicator=indicator,
            period_start=start,
            period_end=end,
            value=Decimal(value),
            comment=comment,
            entered_by=actor,
            entered_at=entered_at,
        )
        measurement.full_clean()
        measurement.save()
        audit.record(
            actor=actor,
            action="measurement.recorded",
            target=indicator,
            after={"value": value, "period": f"{start.isoformat()}/{end.isoformat()}"},
            comment=comment,
            at=entered_at,
        )
        counts["measurements"] += 1
    return indicator


def _finished_report(context, programme, goals, team_member) -> Report:
    """Once 2026 is over, its annual report; before that, a progress report on 2026 so far.
    Ordered by the team, with its comments, and built here as the worker builds it."""
    today = timezone.localdate(context.now)
    if today.year > 2026:
        kind, start, end = Report.Kind.STATUTORY, date(2026, 1, 1), date(2026, 12, 31)
        ordered_on = date(2027, 1, 15)
    else:
        kind, start = Report.Kind.PROGRESS, date(2026, 1, 1)
        end = max(start, today - timedelta(days=1))
        ordered_on = max(start, today)
    ordered_at = _moment(context, ordered_on)
    report = Report(
        programme=programme,
        kind=kind,
        period_start=start,
        period_end=end,
        requested_by=team_member,
    )
    report.full_clean()
    report.save()
    for goal_number, body in COMMENTS:
        comment = ReportComment(
            report=report,
            goal=goals[goal_number - 1] if goal_number else None,
            body=body,
            author=team_member,
        )
        comment.full_clean()
        comment.save()
    audit.record(
        actor=team_member,
        action="report.ordered",
        target=report,
        after={"kind": report.kind, "period": report.period_label},
        at=ordered_at,
    )
    snapshot = reports.build_snapshot(report)
    report.file.name = reports.write_report_file(report, reports.render_pdf(report, snapshot))
    report.snapshot = snapshot
    report.status = Report.Status.DONE
    report.progress = 100
    report.attempts = 1
    report.started_at = report.finished_at = ordered_at
    # Published as art. 5a ust. 3 asks, so that the public page lists it.
    report.published_at = min(ordered_at + timedelta(hours=2), context.now)
    report.published_by = team_member
    report.save()
    Report.objects.filter(pk=report.pk).update(created_at=ordered_at)
    ReportComment.objects.filter(report=report).update(created_at=ordered_at)
    audit.record(
        at=report.published_at,
        actor=team_member,
        action="report.published",
        target=report,
        after={"published_at": report.published_at.isoformat()},
    )
    return report
