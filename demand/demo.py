"""Demo data of the demand register: notices of the Toruń and Lubicz officials and of the demo
company in every state (drafts, open ones — one closing within a week —, closed, awarded in this
and the previous year, cancelled), their social-clause checks, the PES matched to them, answers
(one of them from a consortium) and the awards, with the events the services would have logged.
Loaded by ``load_demo`` after ``exchange.demo``, whose offers it matches.

A notice is matched as ``notice_publish`` does it (``exchange.selectors.offers_matching``: the
verified PES with an active offer in the same CPV group delivered in the notice's municipality),
counting only offers listed before the notice was published, since matching happens then.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.base import CommandError
from django.utils import timezone

from directory.selectors import organisations_qualifying_for_reserved_contract
from exchange import cpv
from exchange import selectors as exchange_selectors
from exchange.models import CpvCode, Offer
from pestor import audit
from pestor.demo import (
    BUSINESS_BUYER,
    OFFICIAL_LUBICZ,
    OFFICIAL_TORUN,
    OFFICIAL_TORUN_PARTNERSHIP,
    DemoContext,
    plural,
)

from .models import (
    PROCUREMENT_LAW_THRESHOLD,
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeCorrection,
    NoticeMatch,
    NoticeQuestion,
    SocialClauseCheck,
)
from .services import ANSWER_FIELDS, LOGGED_NOTICE_FIELDS

Status = DemandNotice.Status
INTEREST = Answer.Kind.INTEREST
OFFER = Answer.Kind.OFFER

# When an awarded notice's award was made: this year, or (earlier or later in) the previous one.
THIS_YEAR = "this_year"
LAST_YEAR_LATE = "last_year_late"
LAST_YEAR_EARLY = "last_year_early"

# The department each demo official posts for.
DEPARTMENTS = {
    OFFICIAL_TORUN.key: ("torun", "WZiPS"),
    OFFICIAL_TORUN_PARTNERSHIP.key: ("torun", "BTCP"),
    OFFICIAL_LUBICZ.key: ("lubicz", "RSS"),
}
PHONES = {
    OFFICIAL_TORUN.key: "56 611 85 42",
    OFFICIAL_TORUN_PARTNERSHIP.key: "56 611 87 15",
    OFFICIAL_LUBICZ.key: "56 621 21 07",
    BUSINESS_BUYER.key: "56 654 30 12",
}


@dataclass(frozen=True)
class DemoClause:
    estimated_value: str
    is_social_service: bool = False
    reserved_for_pes: bool = False
    employment_requirement: bool = False
    no_clause_reason: str = ""


@dataclass(frozen=True)
class DemoAnswer:
    organisation: str  # short name; must be matched to the notice
    kind: str
    message: str
    price: str | None = None
    terms: str = ""
    awarded: bool = False
    # Consortium partners: (short name, whether it has confirmed).
    partners: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class DemoCorrection:
    """A correction of the published notice (what notice_correct leaves behind)."""

    days_after_publication: int
    reason: str
    changes: dict  # {field: new value}


@dataclass(frozen=True)
class DemoNotice:
    buyer: str  # key of a demo account: an official (for their department) or the business buyer
    title: str
    description: str
    cpv: tuple[str, ...]
    status: str
    estimated_value: str
    quantity: str | None = None
    unit: str = ""
    estimated_value_public: bool = False
    delivery_place: str = ""
    # Days from the deadline to the start and the end of delivery.
    delivery: tuple[int, int] | None = None
    municipality: str = ""  # slug; a department's notice is in the department's municipality
    # Drafts: created this many days ago. The others: published this many days ago (awarded
    # notices: counted back from the award).
    days_ago: int = 0
    open_days: int = 21  # from publication to the deadline for answers
    award: str = ""
    cancel_reason: str = ""
    clause: DemoClause | None = None
    answers: tuple[DemoAnswer, ...] = field(default=())
    correction: DemoCorrection | None = None
    # Questions of PES: (short name of the organisation, question, the buyer's answer).
    questions: tuple[tuple[str, str, str], ...] = ()


DEMO_NOTICES = (
    # --- drafts ------------------------------------------------------------------------------
    DemoNotice(
        OFFICIAL_TORUN.key,
        "Usługi opiekuńcze dla seniorów z osiedla Rubinkowo w 2027 r.",
        "Miejski Ośrodek Pomocy Rodzinie szuka wykonawcy usług opiekuńczych w miejscu "
        "zamieszkania dla około 25 seniorów z osiedla Rubinkowo: pomoc w codziennych "
        "czynnościach, higiena, zakupy, przygotowanie posiłków.\n\n"
        "Wymiar: ok. 7000 godzin w roku, od poniedziałku do soboty.",
        ("85312400",),
        Status.DRAFT,
        "96000.00",
        quantity="7000",
        unit="godz.",
        delivery_place="Toruń, osiedle Rubinkowo",
        delivery=(40, 405),
        days_ago=2,
        open_days=30,
        clause=DemoClause("96000.00", is_social_service=True),
    ),
    DemoNotice(
        BUSINESS_BUYER.key,
        "Sprzątanie biura po remoncie",
        "Po remoncie naszego biura (dwa piętra, 320 m²) potrzebujemy sprzątania: usunięcia "
        "pyłu, mycia okien, podłóg i stolarki. Chętnie powierzymy je spółdzielni socjalnej.",
        ("90910000",),
        Status.DRAFT,
        "3200.00",
        quantity="320",
        unit="m²",
        estimated_value_public=True,
        delivery_place="Toruń, ul. Szosa Lubicka 160",
        delivery=(3, 5),
        municipality="torun",
        days_ago=1,
        open_days=10,
    ),
    # --- published, open for answers --------------------------------------------------------
    DemoNotice(
        OFFICIAL_TORUN.key,
        "Przygotowanie i dostarczanie posiłków dla podopiecznych MOPR w 2027 r.",
        "Zamówienie obejmuje przygotowanie i dostarczanie jednodaniowych gorących posiłków "
        "dla ok. 160 osób dziennie, korzystających z pomocy Miejskiego Ośrodka Pomocy Rodzinie, "
        "do trzech punktów wydawania posiłków w Toruniu.\n\n"
        "Zamówienie jest zastrzeżone dla podmiotów ekonomii społecznej (art. 94 ustawy Prawo "
        "zamówień publicznych). Dopuszczamy oferty wspólne kilku PES.",
        ("55521100", "55523000"),
        Status.PUBLISHED,
        "420000.00",
        quantity="40000",
        unit="posiłek",
        estimated_value_public=True,
        delivery_place="Toruń, punkty wydawania posiłków przy ul. Dziewulskiego, Bema i Rolniczej",
        delivery=(35, 400),
        days_ago=6,
        open_days=27,
        clause=DemoClause("420000.00", reserved_for_pes=True),
        questions=(
            (
                "Smaczny Kąsek",
                "Czy w ramach zamówienia trzeba zapewnić posiłki dietetyczne (np. bezglutenowe) "
                "i ile ich może być dziennie?",
                "Tak, do 10 posiłków dziennie w diecie bezglutenowej lub cukrzycowej; listę "
                "osób przekażemy wykonawcy tydzień przed rozpoczęciem dostaw.",
            ),
        ),
        correction=DemoCorrection(
            2,
            "Punkt wydawania przy ul. Rolniczej przenosimy na ul. Szosa Chełmińska 49 "
            "(remont budynku). Pozostałe warunki bez zmian.",
            {
                "delivery_place": "Toruń, punkty wydawania posiłków przy ul. Dziewulskiego, "
                "Bema i Szosa Chełmińska"
            },
        ),
        answers=(
            DemoAnswer(
                "Smaczny Kąsek",
                OFFER,
                "Składamy ofertę wspólną z Lubickimi Smakami i CIS Przystań: Smaczny Kąsek "
                "gotuje dla punktów przy ul. Dziewulskiego i Bema, partnerzy — przy ul. Rolniczej.",
                price="398400.00",
                terms="Cena za posiłek 9,96 zł netto. Dowóz w termosach do 12:00, jadłospis "
                "dekadowy do akceptacji MOPR.",
                partners=(("Lubickie Smaki", True), ("CIS Przystań", False)),
            ),
        ),
    ),
    DemoNotice(
        OFFICIAL_TORUN_PARTNERSHIP.key,
        "Sprzątanie siedziby Toruńskiego Centrum Partnerstwa w 2027 r.",
        "Codzienne sprzątanie pomieszczeń biurowych, sal szkoleniowych i części wspólnych "
        "(ok. 1100 m²) w siedzibie Centrum przy ul. Szerokiej, od poniedziałku do piątku po "
        "godz. 16:00.\n\n"
        "Wykonawca zatrudni przy zamówieniu co najmniej dwie osoby bezrobotne lub z "
        "niepełnosprawnościami (art. 96 ust. 2 pkt 2 ustawy Prawo zamówień publicznych).",
        ("90919200",),
        Status.PUBLISHED,
        "148000.00",
        quantity="12",
        unit="miesiąc",
        delivery_place="Toruń, ul. Szeroka 20",
        delivery=(38, 402),
        days_ago=9,
        open_days=21,
        clause=DemoClause("148000.00", employment_requirement=True),
        answers=(
            DemoAnswer(
                "Czysty Dom",
                OFFER,
                "Zatrudnimy przy zamówieniu trzy osoby powracające na rynek pracy.",
                price="139500.00",
                terms="Cena ryczałtowa 11 625 zł netto miesięcznie, środki czystości z "
                "ekoznakiem po naszej stronie.",
            ),
            DemoAnswer(
                "ZAZ Pracownia Toruńska",
                INTEREST,
                "Jesteśmy zainteresowani. Prosimy o możliwość obejrzenia pomieszczeń przed "
                "złożeniem oferty cenowej.",
            ),
        ),
    ),
    DemoNotice(
        OFFICIAL_LUBICZ.key,
        "Prowadzenie Klubu Seniora w Złotorii w 2027 r.",
        "Gmina Lubicz powierzy prowadzenie Klubu Seniora w Złotorii: zajęcia ruchowe, "
        "warsztaty, spotkania z ciekawymi ludźmi i wyjazdy, cztery dni w tygodniu po cztery "
        "godziny, dla 30 uczestników.\n\n"
        "Usługa społeczna z załącznika XIV do dyrektywy 2014/24/UE; zamówienie zastrzeżone na "
        "podstawie art. 361 ustawy Prawo zamówień publicznych.",
        ("85312100",),
        Status.PUBLISHED,
        "165000.00",
        quantity="12",
        unit="miesiąc",
        estimated_value_public=True,
        delivery_place="Złotoria, świetlica wiejska, ul. Lipowa 10",
        delivery=(30, 395),
        days_ago=3,
        open_days=21,
        clause=DemoClause("165000.00", is_social_service=True),
        answers=(
            DemoAnswer(
                "Pogodna Jesień",
                OFFER,
                "Od lat prowadzimy zajęcia dla seniorów z gminy; klub poprowadzą nasze "
                "instruktorki i wolontariusze.",
                price="158000.00",
                terms="Program zajęć na każdy kwartał do akceptacji Referatu.",
            ),
            DemoAnswer(
                "CUS Non-Profit",
                INTEREST,
                "Chętnie złożymy ofertę wspólnie z lokalną organizacją seniorów.",
            ),
        ),
    ),
    DemoNotice(
        OFFICIAL_TORUN_PARTNERSHIP.key,
        "Druk ulotek i plakatów na Toruńskie Dni Ekonomii Społecznej",
        "Druk 5000 ulotek DL (dwustronnie, kolor, papier 170 g) i 150 plakatów B2 według "
        "dostarczonych projektów. Dostawa do siedziby Centrum.",
        ("79810000",),
        Status.PUBLISHED,
        "8500.00",
        quantity="5150",
        unit="szt.",
        estimated_value_public=True,
        delivery_place="Toruń, ul. Szeroka 20",
        delivery=(5, 12),
        days_ago=10,
        open_days=14,
        clause=DemoClause(
            "8500.00",
            no_clause_reason=(
                "Wartość zamówienia jest niższa niż 130 000 zł netto, a druk nie jest usługą "
                "społeczną. Udzielimy go po rozeznaniu rynku; zapraszamy wszystkich wykonawców, "
                "także podmioty ekonomii społecznej."
            ),
        ),
        answers=(
            DemoAnswer(
                "ZAZ Pracownia Toruńska",
                OFFER,
                "Wydrukujemy na papierze z recyklingu bez dopłaty.",
                price="7900.00",
                terms="Realizacja w 5 dni roboczych od akceptacji plików.",
            ),
        ),
    ),
    DemoNotice(
        BUSINESS_BUYER.key,
        "Pielęgnacja zieleni wokół siedziby firmy w sezonie 2027",
        "Koszenie trawników (ok. 2500 m²), pielęgnacja żywopłotów i rabat, jesienne grabienie "
        "liści wokół naszej siedziby i parkingu, od kwietnia do listopada.\n\n"
        "W ramach polityki zakupów społecznie odpowiedzialnych zapraszamy wyłącznie podmioty "
        "ekonomii społecznej.",
        ("77314000",),
        Status.PUBLISHED,
        "36000.00",
        quantity="8",
        unit="miesiąc",
        delivery_place="Toruń, ul. Szosa Lubicka 160",
        delivery=(125, 370),
        municipality="torun",
        days_ago=2,
        open_days=30,
        clause=DemoClause("36000.00", reserved_for_pes=True),
        answers=(
            DemoAnswer(
                "Zielony Zakątek",
                OFFER,
                "Obsługujemy już kilka firm w tej okolicy; możemy dodać łąkę kwietną przy "
                "parkingu.",
                price="33500.00",
                terms="Koszenie co 2 tygodnie, wywóz biomasy w cenie.",
            ),
        ),
    ),
    # --- closed for answers, not awarded yet -------------------------------------------------
    DemoNotice(
        OFFICIAL_TORUN.key,
        "Warsztaty pierwszej pomocy i profilaktyki zdrowotnej w szkołach podstawowych",
        "Cykl 60 warsztatów (po 2 godziny lekcyjne) z pierwszej pomocy i zdrowego stylu "
        "życia dla uczniów klas VII i VIII toruńskich szkół podstawowych, w ramach Miejskiego "
        "Programu Profilaktyki.\n\n"
        "Wykonawca zatrudni przy realizacji zamówienia co najmniej jedną osobę bezrobotną lub "
        "z niepełnosprawnością (art. 96 ustawy Prawo zamówień publicznych).",
        ("80560000",),
        Status.CLOSED,
        "24000.00",
        quantity="60",
        unit="warsztat",
        estimated_value_public=True,
        delivery_place="Toruń, szkoły podstawowe według harmonogramu",
        delivery=(20, 140),
        days_ago=20,
        open_days=14,
        # Not reserved (the answering foundation and fire brigade would not qualify under
        # art. 94): an art. 96 employment requirement instead.
        clause=DemoClause("24000.00", employment_requirement=True),
        answers=(
            DemoAnswer(
                "Zdrowie na Start",
                OFFER,
                "Warsztaty poprowadzą ratownicy medyczni i dietetyczka.",
                price="21600.00",
                terms="360 zł netto za warsztat, fantomy i materiały w cenie.",
            ),
            DemoAnswer(
                "OSP Lubicz Dolny",
                OFFER,
                "Nasi ratownicy KPP prowadzą podobne zajęcia w szkołach gminy Lubicz.",
                price="23400.00",
            ),
        ),
    ),
    DemoNotice(
        OFFICIAL_LUBICZ.key,
        "Organizacja Mikołajek dla dzieci z gminy Lubicz",
        "Zorganizowanie imprezy mikołajkowej dla ok. 250 dzieci w hali sportowej w Lubiczu "
        "Górnym: program artystyczny, animacje, paczki, poczęstunek.",
        ("79952000",),
        Status.CLOSED,
        "18000.00",
        quantity="1",
        unit="impreza",
        delivery_place="Lubicz Górny, hala sportowa przy ul. Szkolnej",
        delivery=(22, 22),
        days_ago=23,
        open_days=14,
        clause=DemoClause(
            "18000.00",
            no_clause_reason=(
                "Jednorazowe wydarzenie o niewielkiej wartości, udzielane po rozeznaniu rynku; "
                "lokalne organizacje zostały o nim poinformowane."
            ),
        ),
        answers=(
            DemoAnswer(
                "Pod Krzywą Wieżą",
                OFFER,
                "Przygotujemy spektakl mikołajkowy, animacje i nagłośnienie.",
                price="16800.00",
            ),
            DemoAnswer(
                "KGW Grębocin",
                INTEREST,
                "Chętnie przygotujemy poczęstunek i stoisko z piernikami.",
            ),
        ),
    ),
    # --- awarded ------------------------------------------------------------------------------
    DemoNotice(
        OFFICIAL_TORUN_PARTNERSHIP.key,
        "Catering na Toruńskie Forum Organizacji Pozarządowych",
        "Przerwa kawowa i obiad dla 160 uczestników forum w Centrum Kulturalno-Kongresowym "
        "Jordanki, w tym 20 porcji wegetariańskich.",
        ("55520000",),
        Status.AWARDED,
        "12500.00",
        quantity="160",
        unit="osoba",
        estimated_value_public=True,
        delivery_place="Toruń, CKK Jordanki",
        delivery=(14, 14),
        open_days=21,
        award=LAST_YEAR_EARLY,
        clause=DemoClause("12500.00", reserved_for_pes=True),
        answers=(
            DemoAnswer(
                "Smaczny Kąsek",
                OFFER,
                "Obsługiwaliśmy już konferencje w Jordankach; zapewnimy obsługę kelnerską.",
                price="11840.00",
                terms="74 zł netto za osobę, zastawa wielorazowa.",
                awarded=True,
            ),
            DemoAnswer(
                "CIS Przystań",
                OFFER,
                "Posiłki przygotuje nasz warsztat gastronomiczny.",
                price="10400.00",
            ),
        ),
    ),
    DemoNotice(
        OFFICIAL_LUBICZ.key,
        "Pielęgnacja terenów zielonych przy świetlicach wiejskich",
        "Koszenie i pielęgnacja zieleni (ok. 4000 m²) przy świetlicach w Grębocinie, Krobi i "
        "Złotorii, od kwietnia do października.\n\n"
        "Wykonawca zatrudni przy zamówieniu co najmniej jedną osobę długotrwale bezrobotną.",
        ("77310000",),
        Status.AWARDED,
        "30000.00",
        quantity="4000",
        unit="m²",
        delivery_place="Grębocin, Krobia, Złotoria",
        delivery=(100, 310),
        open_days=21,
        award=LAST_YEAR_LATE,
        clause=DemoClause("30000.00", employment_requirement=True),
        answers=(
            DemoAnswer(
                "Zielony Zakątek",
                OFFER,
                "Zatrudnimy przy zamówieniu dwie osoby z gminy Lubicz.",
                price="27600.00",
                terms="Koszenie co 2 tygodnie, dokumentacja zdjęciowa po każdym wyjeździe.",
                awarded=True,
            ),
        ),
    ),
    DemoNotice(
        OFFICIAL_TORUN.key,
        "Przewóz osób z niepełnosprawnościami na zajęcia rehabilitacyjne",
        "Przewóz 12 osób (w tym 4 na wózkach) z domów na zajęcia w ośrodku rehabilitacji przy "
        "ul. Konstytucji 3 Maja i z powrotem, od poniedziałku do piątku, przez sześć miesięcy.",
        ("60130000",),
        Status.AWARDED,
        "52000.00",
        quantity="6",
        unit="miesiąc",
        delivery_place="Toruń",
        delivery=(20, 200),
        open_days=21,
        award=THIS_YEAR,
        clause=DemoClause("52000.00", reserved_for_pes=True),
        answers=(
            DemoAnswer(
                "Bez Barier",
                OFFER,
                "Bus z windą i opiekun w każdym kursie.",
                price="48300.00",
                terms="Stała cena za miesiąc: 8050 zł netto.",
                awarded=True,
            ),
            DemoAnswer(
                "CUS Non-Profit",
                OFFER,
                "Zapewnimy asystenta w każdym kursie.",
                price="56000.00",
            ),
        ),
    ),
    # --- cancelled ---------------------------------------------------------------------------
    DemoNotice(
        OFFICIAL_LUBICZ.key,
        "Wykonanie ławek i stołów piknikowych do parku w Lubiczu Dolnym",
        "Wykonanie i dostawa 12 ławek oraz 4 stołów piknikowych z drewna, impregnowanych, do "
        "parku przy ul. Toruńskiej.",
        ("39150000",),
        Status.CANCELLED,
        "15000.00",
        quantity="16",
        unit="szt.",
        delivery_place="Lubicz Dolny, park przy ul. Toruńskiej",
        delivery=(30, 60),
        days_ago=95,
        open_days=21,
        cancel_reason=(
            "Gmina nie otrzymała dofinansowania z programu rewitalizacji, z którego miał być "
            "sfinansowany zakup. Ogłosimy zapotrzebowanie ponownie po uchwaleniu budżetu na "
            "przyszły rok."
        ),
        clause=DemoClause("15000.00", reserved_for_pes=True),
        answers=(
            DemoAnswer(
                "WTZ Tęcza",
                OFFER,
                "Ławki wykonają uczestnicy naszej pracowni stolarskiej.",
                price="14200.00",
            ),
        ),
    ),
)


# For the summary line the command prints.
STATE_NAMES = {
    Status.DRAFT: "szkice",
    Status.PUBLISHED: "otwarte",
    Status.CLOSED: "zamknięte",
    Status.AWARDED: "rozstrzygnięte",
    Status.CANCELLED: "anulowane",
}


def load(context: DemoContext) -> str:
    codes = _cpv_codes()
    notices = [_load_notice(context, demo, codes) for demo in DEMO_NOTICES]
    answers = Answer.objects.filter(notice__in=notices).count()
    matches = NoticeMatch.objects.filter(notice__in=notices).count()
    return ", ".join(
        [
            plural(len(notices), "ogłoszenie", "ogłoszenia", "ogłoszeń"),
            *(
                f"{name}: {sum(notice.status == state for notice in notices)}"
                for state, name in STATE_NAMES.items()
            ),
            plural(matches, "dopasowanie", "dopasowania", "dopasowań"),
            plural(answers, "odpowiedź", "odpowiedzi", "odpowiedzi"),
        ]
    )


def _cpv_codes() -> dict[str, CpvCode]:
    wanted = {code for demo in DEMO_NOTICES for code in demo.cpv}
    codes = {code.code: code for code in CpvCode.objects.filter(code__in=wanted, is_curated=True)}
    missing = wanted - set(codes)
    if missing:
        raise CommandError(
            f"Brak kodów CPV {sorted(missing)} na liście wybranych kodów — czy wykonano "
            "migracje? / CPV codes missing from the curated list; run the migrations first."
        )
    return codes


@dataclass
class _Timeline:
    created_at: datetime
    published_at: datetime | None = None
    deadline: datetime | None = None
    award_date: date | None = None
    awarded_at: datetime | None = None
    cancelled_at: datetime | None = None


def _timeline(context: DemoContext, demo: DemoNotice) -> _Timeline:
    rng = context.rng
    if demo.status == Status.DRAFT:
        created_at = context.moment(days_ago=demo.days_ago)
        deadline = _at(context.day(days_ago=demo.days_ago - demo.open_days), hour=12)
        return _Timeline(created_at=created_at, deadline=deadline)
    if demo.award:
        award_date = _award_date(context, demo.award)
        decided_after = rng.randrange(5, 12)
        days_ago = (timezone.localdate(context.now) - award_date).days
        days_ago += decided_after + demo.open_days
    else:
        award_date, days_ago = None, demo.days_ago
    published_at = context.moment(days_ago=days_ago)
    timeline = _Timeline(
        created_at=published_at - timedelta(days=rng.randrange(1, 4), hours=rng.randrange(1, 5)),
        published_at=published_at,
        deadline=_at(context.day(days_ago=days_ago - demo.open_days), hour=12),
        award_date=award_date,
    )
    if award_date is not None:
        timeline.awarded_at = min(
            _at(award_date, hour=rng.randrange(9, 15)), context.now - timedelta(minutes=30)
        )
    if demo.status == Status.CANCELLED:
        timeline.cancelled_at = timeline.deadline + timedelta(days=rng.randrange(10, 20), hours=2)
    return timeline


def _award_date(context: DemoContext, when: str) -> date:
    """Award dates that give monitoring figures for this year and the previous one."""
    today = timezone.localdate(context.now)
    if when == THIS_YEAR:
        return max(date(today.year, 1, 1), today - timedelta(days=25))
    if when == LAST_YEAR_LATE:
        return min(today - timedelta(days=60), date(today.year - 1, 12, 15))
    return min(today - timedelta(days=250), date(today.year - 1, 9, 30))


def _at(day: date | datetime, *, hour: int) -> datetime:
    """``hour`` o'clock on ``day`` in the portal's time zone."""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date()
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def _load_notice(context: DemoContext, demo: DemoNotice, codes) -> DemandNotice:
    poster = context.accounts[demo.buyer]
    timeline = _timeline(context, demo)
    if demo.buyer in DEPARTMENTS:
        department = context.departments[DEPARTMENTS[demo.buyer]]
        municipality, company = department.municipality, None
    else:
        department, company = None, context.company
        municipality = context.municipalities[demo.municipality]
    delivery_from = delivery_to = None
    if demo.delivery:
        deadline_day = timezone.localtime(timeline.deadline).date()
        delivery_from = deadline_day + timedelta(days=demo.delivery[0])
        delivery_to = deadline_day + timedelta(days=demo.delivery[1])
    notice = DemandNotice(
        title=demo.title,
        description=demo.description,
        quantity=Decimal(demo.quantity) if demo.quantity else None,
        unit=demo.unit,
        estimated_value=Decimal(demo.estimated_value),
        estimated_value_public=demo.estimated_value_public,
        answers_deadline=timeline.deadline,
        delivery_from=delivery_from,
        delivery_to=delivery_to,
        delivery_place=demo.delivery_place,
        contact_name=poster.get_full_name(),
        contact_email=poster.email,
        contact_phone=PHONES[demo.buyer],
        municipality=municipality,
        department=department,
        company=company,
        posted_by=poster,
        status=Status.DRAFT,
    )
    notice.full_clean()
    notice.save()
    notice.cpv_codes.set([codes[code] for code in demo.cpv])
    audit.record(
        at=timeline.created_at,
        actor=poster,
        action="notice.created",
        target=notice,
        after=audit.snapshot(notice, LOGGED_NOTICE_FIELDS),
    )
    last_change = timeline.created_at
    if demo.clause:
        decided_at = (
            timeline.published_at - timedelta(minutes=context.rng.randrange(10, 120))
            if timeline.published_at
            else timeline.created_at + timedelta(minutes=context.rng.randrange(10, 60))
        )
        _record_clause_check(notice, demo.clause, poster=poster, at=decided_at)
        last_change = decided_at
    if timeline.published_at:
        last_change = _publish(context, notice, demo, poster=poster, timeline=timeline)
        if demo.correction:
            last_change = _correct(notice, demo.correction, poster=poster, timeline=timeline)
        for position, (name, question, answer) in enumerate(demo.questions, start=1):
            _ask(
                context,
                notice,
                name,
                question,
                answer,
                poster=poster,
                timeline=timeline,
                n=position,
            )
    DemandNotice.objects.filter(pk=notice.pk).update(
        created_at=timeline.created_at, updated_at=last_change
    )
    notice.refresh_from_db()
    return notice


def _ask(context, notice, name, question, answer, *, poster, timeline, n) -> None:
    """What question_ask and question_answer leave behind."""
    organisation = context.organisations[name]
    asked_at = timeline.published_at + timedelta(days=n, hours=2)
    answered_at = asked_at + timedelta(hours=20)
    NoticeQuestion.objects.create(
        notice=notice,
        organisation=organisation,
        asked_by=context.owners[organisation.pk],
        question=question,
        asked_at=asked_at,
        answer=answer,
        answered_by=poster,
        answered_at=answered_at,
    )
    audit.record(
        at=asked_at,
        actor=context.owners[organisation.pk],
        action="notice.question_asked",
        target=notice,
        after={"question": question, "organisation": organisation.name},
    )
    audit.record(
        at=answered_at,
        actor=poster,
        action="notice.question_answered",
        target=notice,
        after={"question": question, "answer": answer},
    )


def _correct(notice, demo: DemoCorrection, *, poster, timeline) -> datetime:
    at = timeline.published_at + timedelta(days=demo.days_after_publication, hours=3)
    before = audit.snapshot(notice, list(demo.changes))
    for name, value in demo.changes.items():
        setattr(notice, name, value)
    notice.full_clean()
    notice.save()
    after = audit.snapshot(notice, list(demo.changes))
    NoticeCorrection.objects.create(
        notice=notice,
        changes={name: [before[name], after[name]] for name in demo.changes},
        reason=demo.reason,
        corrected_by=poster,
        corrected_at=at,
    )
    audit.record(
        at=at,
        actor=poster,
        action="notice.corrected",
        target=notice,
        before=before,
        after=after,
        comment=demo.reason,
    )
    return at


def _record_clause_check(notice, clause: DemoClause, *, poster, at: datetime) -> None:
    """What clause_check_save leaves behind."""
    value = Decimal(clause.estimated_value)
    check = SocialClauseCheck(
        notice=notice,
        estimated_value=value,
        procurement_law_applies=value >= PROCUREMENT_LAW_THRESHOLD,
        is_social_service=clause.is_social_service,
        reserved_for_pes=clause.reserved_for_pes,
        employment_requirement=clause.employment_requirement,
        no_clause_reason=clause.no_clause_reason,
        decided_by=poster,
        decided_at=at,
    )
    check.full_clean()
    check.save()
    audit.record(
        at=at,
        actor=poster,
        action="notice.clause_checked",
        target=notice,
        before={},
        after=audit.snapshot(check, SocialClauseCheck.LOGGED_FIELDS),
    )


def _publish(context: DemoContext, notice, demo: DemoNotice, *, poster, timeline) -> datetime:
    """Publication, matching, answers, and whatever followed; returns the last change."""
    notice.status = Status.PUBLISHED
    notice.published_at = timeline.published_at
    notice.save(update_fields=["status", "published_at"])
    audit.record(
        at=timeline.published_at,
        actor=poster,
        action="notice.published",
        target=notice,
        before={"status": Status.DRAFT},
        after={"status": Status.PUBLISHED},
    )
    matched = _match(context, notice, demo, published_at=timeline.published_at)
    answers = _answer(context, notice, demo, matched=matched, timeline=timeline)
    last_change = timeline.published_at
    if demo.status in (Status.CLOSED, Status.AWARDED) or (
        demo.status == Status.CANCELLED and timeline.cancelled_at > timeline.deadline
    ):
        notice.status = Status.CLOSED
        notice.closed_at = timeline.deadline
        notice.save(update_fields=["status", "closed_at"])
        audit.record(
            at=timeline.deadline,
            actor=None,
            action="notice.closed",
            target=notice,
            before={"status": Status.PUBLISHED},
            after={"status": Status.CLOSED},
        )
        last_change = timeline.deadline
    if demo.status == Status.AWARDED:
        last_change = _award(notice, answers, poster=poster, timeline=timeline)
    elif demo.status == Status.CANCELLED:
        before = notice.status
        notice.status = Status.CANCELLED
        notice.cancelled_at = timeline.cancelled_at
        notice.cancel_reason = demo.cancel_reason
        notice.full_clean()
        notice.save()
        audit.record(
            at=timeline.cancelled_at,
            actor=poster,
            action="notice.cancelled",
            target=notice,
            before={"status": before},
            after={"status": Status.CANCELLED},
            comment=demo.cancel_reason,
        )
        last_change = timeline.cancelled_at
    return last_change


def _match(context: DemoContext, notice, demo: DemoNotice, *, published_at: datetime) -> dict:
    """The organisations notice_publish matched, by short name: those that
    ``exchange.selectors.offers_matching`` finds, less those that listed their offer in the
    notice's CPV groups only after it was published (the demo's offers are dated back, and
    matching happens at publication)."""
    groups = {cpv.group_prefix(code) for code in demo.cpv}
    listed_in_time = {
        offer.organisation_id
        for offer in context.offers
        if offer.status == Offer.Status.ACTIVE
        and cpv.group_prefix(offer.cpv_id) in groups
        and offer.created_at < published_at
    }
    organisations = exchange_selectors.offers_matching(
        cpv_codes=list(notice.cpv_codes.all()), municipality=notice.municipality
    )
    if demo.clause and demo.clause.reserved_for_pes:
        organisations = organisations_qualifying_for_reserved_contract(organisations)
    matched = {
        organisation.short_name: organisation
        for organisation in organisations
        if organisation.pk in listed_in_time
    }
    rows = NoticeMatch.objects.bulk_create(
        NoticeMatch(notice=notice, organisation=organisation) for organisation in matched.values()
    )
    for row in rows:
        # The e-mail task runs right after the commit.
        NoticeMatch.objects.filter(pk=row.pk).update(
            matched_at=published_at,
            notified_at=published_at + timedelta(minutes=context.rng.randrange(1, 5)),
        )
    return matched


def _answer(context: DemoContext, notice, demo: DemoNotice, *, matched: dict, timeline):
    """The answers of the matched PES (a PES matched only by offers listed after this notice
    was published cannot have answered it, so its answer is left out)."""
    rng = context.rng
    end = min(timeline.deadline, context.now)
    answers = []
    for demo_answer in demo.answers:
        organisation = matched.get(demo_answer.organisation)
        if organisation is None:
            continue
        owner = context.owners[organisation.pk]
        span = (end - timeline.published_at).total_seconds()
        submitted_at = timeline.published_at + timedelta(seconds=span * rng.uniform(0.1, 0.9))
        answer = Answer(
            notice=notice,
            organisation=organisation,
            kind=demo_answer.kind,
            price_net=Decimal(demo_answer.price) if demo_answer.price else None,
            terms=demo_answer.terms,
            message=demo_answer.message,
            submitted_by=owner,
            employment_confirmed=bool(demo.clause and demo.clause.employment_requirement),
        )
        answer.full_clean()
        answer.save()
        partners = [
            (context.organisations[name], confirmed) for name, confirmed in demo_answer.partners
        ]
        for partner, confirmed in partners:
            confirmed_at = submitted_at + timedelta(hours=rng.randrange(2, 48))
            ConsortiumPartner.objects.create(
                answer=answer,
                organisation=partner,
                confirmed_at=confirmed_at if confirmed else None,
                confirmed_by=context.owners[partner.pk] if confirmed else None,
            )
            if confirmed:
                audit.record(
                    at=confirmed_at,
                    actor=context.owners[partner.pk],
                    action="partner.confirmed",
                    target=answer,
                    after={"partner": partner.name},
                )
        audit.record(
            at=submitted_at,
            actor=owner,
            action="answer.submitted",
            target=answer,
            after={
                **audit.snapshot(answer, ANSWER_FIELDS),
                "partners": sorted(partner.name for partner, _confirmed in partners),
            },
        )
        Answer.objects.filter(pk=answer.pk).update(created_at=submitted_at, updated_at=submitted_at)
        answers.append((demo_answer, answer))
    return answers


def _award(notice, answers, *, poster, timeline) -> datetime:
    """What notice_award leaves behind: the chosen answer marked, the value and the date."""
    chosen = [answer for demo_answer, answer in answers if demo_answer.awarded]
    if not chosen:
        # The PES meant to win joined the portal after this notice; the best price wins.
        priced = [answer for _demo_answer, answer in answers if answer.price_net is not None]
        chosen = sorted(priced, key=lambda answer: answer.price_net)[:1]
    if not chosen:
        raise CommandError(f"No answer to award for the demo notice {notice.title!r}.")
    Answer.objects.filter(pk__in=[answer.pk for answer in chosen]).update(is_awarded=True)
    awarded_value = sum((answer.price_net for answer in chosen), Decimal("0.00"))
    notice.status = Status.AWARDED
    notice.awarded_at = timeline.awarded_at
    notice.award_date = timeline.award_date
    notice.awarded_value = awarded_value
    notice.full_clean()
    notice.save()
    audit.record(
        at=timeline.awarded_at,
        actor=poster,
        action="notice.awarded",
        target=notice,
        before={"status": Status.CLOSED},
        after={
            "status": Status.AWARDED,
            "awarded_value": str(awarded_value),
            "award_date": timeline.award_date.isoformat(),
            "organisations": sorted(answer.organisation.name for answer in chosen),
        },
    )
    return timeline.awarded_at
