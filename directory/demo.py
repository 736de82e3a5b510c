"""Demo data of the PES directory: about forty organisations of Toruń and Lubicz in every state
of verification, each with an owner and the history the directory's services would have logged,
the demo editor who helps two of them, and the demo owner's pending change of legal data for a
Toruń official to review. Loaded by ``load_demo`` after ``pestor.demo``.
"""

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.text import slugify

from directory.models import (
    LegalDataChange,
    LegalForm,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    PublicBenefitSphere,
)
from pestor import audit
from pestor.demo import (
    LUBICZ,
    PENDING_OWNER,
    PES_EDITOR,
    PES_OWNER,
    TORUN,
    DemoAccount,
    DemoContext,
    DemoMunicipality,
    create_accounts,
    plural,
)
from pestor.models import User
from pestor.text import fold

VERIFIED = Organisation.Status.VERIFIED
PENDING = Organisation.Status.PENDING
REJECTED = Organisation.Status.REJECTED


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    short_name: str
    legal_form: str
    seat: DemoMunicipality
    city: str
    street: str
    description: str
    spheres: tuple[str, ...]  # items of art. 4 ust. 1
    year_founded: int
    employees: int = 0
    employees_at_risk: int = 0
    is_public_benefit: bool = False
    is_social_enterprise: bool = False
    # CIS, KIS, WTZ, ZAZ and rural housewives' circles are run by others or kept in other
    # registers, so they have no KRS number of their own.
    in_krs: bool = True
    status: str = VERIFIED
    rejection_reason: str = ""
    owner: DemoAccount | None = None
    # After verification: "suspended" by an official, or "unconfirmed" (reminded of the
    # yearly check over 60 days ago, not confirmed).
    standing: str = ""


DEMO_ORGANISATIONS = (
    DemoOrganisation(
        name="Spółdzielnia Socjalna Smaczny Kąsek",
        short_name="Smaczny Kąsek",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat=TORUN,
        city="Toruń",
        street="ul. Grudziądzka 45",
        description=(
            "Prowadzimy catering i stołówkę dla szkół oraz instytucji w Toruniu. Zatrudniamy "
            "osoby, które po długiej przerwie wracają na rynek pracy, a posiłki przygotowujemy z "
            "produktów od lokalnych rolników. Obsługujemy też konferencje, pikniki rodzinne i "
            "zamówienia okolicznościowe."
        ),
        spheres=("2", "8", "11"),
        year_founded=2014,
        employees=14,
        employees_at_risk=9,
        is_social_enterprise=True,
        owner=PES_OWNER,
    ),
    DemoOrganisation(
        name="Fundacja Ekologiczna Zielona Wisła",
        short_name="Zielona Wisła",
        legal_form=LegalForm.FOUNDATION,
        seat=TORUN,
        city="Toruń",
        street="Bulwar Filadelfijski 10",
        description=(
            "Chronimy przyrodę doliny Wisły i uczymy mieszkańców, jak o nią dbać. Co roku "
            "organizujemy sprzątanie brzegów rzeki, warsztaty dla szkół i spacery przyrodnicze z "
            "przewodnikiem."
        ),
        spheres=("18", "14", "27"),
        year_founded=2009,
        employees=3,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Stowarzyszenie Przyjaciół Osiedla Rubinkowo",
        short_name="Przyjaciele Rubinkowa",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Dziewulskiego 31",
        description=(
            "Sąsiedzi z Rubinkowa, którzy chcą, żeby na osiedlu działo się więcej. Prowadzimy "
            "klub sąsiedzki, zajęcia dla dzieci po lekcjach i spotkania dla seniorów."
        ),
        spheres=("13", "15", "10"),
        year_founded=2001,
        employees=1,
        standing="unconfirmed",
    ),
    DemoOrganisation(
        name="Stowarzyszenie Wsparcia Kobiet po Chorobie Nowotworowej Nadzieja",
        short_name="Nadzieja",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Skłodowskiej-Curie 27",
        description=(
            "Wspieramy kobiety w trakcie leczenia onkologicznego i po nim. Prowadzimy grupy "
            "wsparcia, konsultacje z psychologiem oraz zajęcia rehabilitacyjne na basenie."
        ),
        spheres=("6", "9", "1"),
        year_founded=1998,
        employees=2,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Fundacja Aktywizacji Zawodowej Krok Dalej",
        short_name="Krok Dalej",
        legal_form=LegalForm.FOUNDATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Mickiewicza 24",
        description=(
            "Pomagamy osobom długotrwale bezrobotnym znaleźć i utrzymać pracę. Oferujemy doradztwo "
            "zawodowe, kursy i staże u lokalnych pracodawców. Prowadzimy też pracownię "
            "introligatorską, w której zatrudniamy naszych absolwentów."
        ),
        spheres=("8", "2", "7"),
        year_founded=2011,
        employees=12,
        employees_at_risk=5,
        is_public_benefit=True,
        is_social_enterprise=True,
    ),
    DemoOrganisation(
        name="Centrum Integracji Społecznej Przystań w Toruniu",
        short_name="CIS Przystań",
        legal_form=LegalForm.CIS,
        seat=TORUN,
        city="Toruń",
        street="ul. Szosa Chełmińska 177",
        description=(
            "Przez rok uczestnicy naszych warsztatów uczą się zawodu i wracają do rytmu pracy. "
            "Prowadzimy warsztaty gastronomiczny, remontowo-budowlany i ogrodniczy, a po ich "
            "ukończeniu pomagamy w znalezieniu zatrudnienia."
        ),
        spheres=("2", "8", "32"),
        year_founded=2008,
        employees=9,
        employees_at_risk=2,
        in_krs=False,
    ),
    DemoOrganisation(
        name="Klub Integracji Społecznej Na Starówce",
        short_name="KIS Na Starówce",
        legal_form=LegalForm.KIS,
        seat=TORUN,
        city="Toruń",
        street="ul. Podmurna 12",
        description=(
            "Klub dla osób, które potrzebują wsparcia w powrocie do aktywności społecznej i "
            "zawodowej. Prowadzimy warsztaty umiejętności, grupy samopomocowe i prace społecznie "
            "użyteczne."
        ),
        spheres=("2", "1"),
        year_founded=2012,
        employees=3,
        in_krs=False,
    ),
    DemoOrganisation(
        name="Zakład Aktywności Zawodowej Pracownia Toruńska",
        short_name="ZAZ Pracownia Toruńska",
        legal_form=LegalForm.ZAZ,
        seat=TORUN,
        city="Toruń",
        street="ul. Polna 115",
        description=(
            "Zatrudniamy osoby z niepełnosprawnościami w pralni, poligrafii i usługach "
            "porządkowych. Przyjmujemy zlecenia od firm i instytucji publicznych z całego regionu."
        ),
        spheres=("7", "8", "2"),
        year_founded=2005,
        employees=42,
        employees_at_risk=31,
        in_krs=False,
    ),
    DemoOrganisation(
        name="Warsztat Terapii Zajęciowej Tęcza",
        short_name="WTZ Tęcza",
        legal_form=LegalForm.WTZ,
        seat=TORUN,
        city="Toruń",
        street="ul. Fałata 45",
        description=(
            "Prowadzimy terapię zajęciową dla dorosłych osób z niepełnosprawnościami w "
            "pracowniach ceramicznej, plastycznej, stolarskiej i kulinarnej. Prace uczestników "
            "można kupić na naszych kiermaszach."
        ),
        spheres=("7", "6", "16"),
        year_founded=2003,
        employees=11,
        employees_at_risk=2,
        in_krs=False,
    ),
    DemoOrganisation(
        name="Centrum Usług Społecznych Non-Profit sp. z o.o.",
        short_name="CUS Non-Profit",
        legal_form=LegalForm.NON_PROFIT_COMPANY,
        seat=TORUN,
        city="Toruń",
        street="ul. Kościuszki 71",
        description=(
            "Świadczymy usługi opiekuńcze w domach seniorów i osób z niepełnosprawnościami. Cały "
            "zysk przeznaczamy na rozwój usług i szkolenia opiekunek."
        ),
        spheres=("1", "10", "7"),
        year_founded=2016,
        employees=18,
        employees_at_risk=8,
        is_social_enterprise=True,
    ),
    DemoOrganisation(
        name="Spółdzielnia Socjalna Zielony Zakątek",
        short_name="Zielony Zakątek",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat=TORUN,
        city="Toruń",
        street="ul. Szosa Lubicka 40",
        description=(
            "Pielęgnujemy tereny zielone, zakładamy ogrody deszczowe i łąki kwietne. Pracujemy dla "
            "wspólnot mieszkaniowych, szkół i miasta."
        ),
        spheres=("18", "2", "8"),
        year_founded=2017,
        employees=8,
        employees_at_risk=5,
        is_social_enterprise=True,
    ),
    DemoOrganisation(
        name="Spółdzielnia Socjalna Czysty Dom",
        short_name="Czysty Dom",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat=TORUN,
        city="Toruń",
        street="ul. Wschodnia 36",
        description=(
            "Sprzątamy biura, klatki schodowe i mieszkania, także po remontach. Zatrudniamy "
            "kobiety powracające na rynek pracy po okresie opieki nad dziećmi."
        ),
        spheres=("2", "8", "9"),
        year_founded=2015,
        employees=11,
        employees_at_risk=7,
        is_social_enterprise=True,
    ),
    DemoOrganisation(
        name="Spółdzielnia Socjalna Piernikowa Pracownia",
        short_name="Piernikowa Pracownia",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat=TORUN,
        city="Toruń",
        street="ul. Rabiańska 14",
        description=(
            "Wypiekamy i ręcznie zdobimy toruńskie pierniki według dawnych receptur. Prowadzimy "
            "warsztaty dla turystów i grup szkolnych oraz przygotowujemy upominki firmowe."
        ),
        spheres=("2", "16", "19"),
        year_founded=2018,
        employees=6,
        employees_at_risk=3,
        is_social_enterprise=True,
    ),
    DemoOrganisation(
        name="Spółdzielnia Socjalna Fachowcy",
        short_name="Fachowcy",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat=TORUN,
        city="Toruń",
        street="ul. Lubicka 28",
        description=(
            "Wykonujemy drobne remonty, malowanie i naprawy w mieszkaniach i lokalach użytkowych. "
            "Spółdzielnię założyli absolwenci Centrum Integracji Społecznej."
        ),
        spheres=("2", "8"),
        year_founded=2025,
        employees=5,
        employees_at_risk=4,
        status=PENDING,
        owner=PENDING_OWNER,
    ),
    DemoOrganisation(
        name="Stowarzyszenie Kulturalne Pod Krzywą Wieżą",
        short_name="Pod Krzywą Wieżą",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Krzyżacka 6",
        description=(
            "Organizujemy koncerty, wieczory poetyckie i spacery po Starym Mieście. Od lat "
            "współtworzymy letnie imprezy na toruńskich bulwarach."
        ),
        spheres=("16", "4", "19"),
        year_founded=1995,
        employees=2,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Fundacja Teatralna Scena Podgórz",
        short_name="Scena Podgórz",
        legal_form=LegalForm.FOUNDATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Poznańska 52",
        description=(
            "Prowadzimy amatorski teatr dzielnicowy i warsztaty teatralne dla młodzieży z "
            "Podgórza. Nasze spektakle gramy w szkołach, domach kultury i na podwórkach."
        ),
        spheres=("16", "15"),
        year_founded=2013,
        employees=1,
    ),
    DemoOrganisation(
        name="Uczniowski Klub Sportowy Orlik Toruń",
        short_name="UKS Orlik",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Gagarina 7",
        description=(
            "Szkolimy dzieci i młodzież w piłce nożnej i lekkiej atletyce. Treningi prowadzimy na "
            "boiskach szkolnych, a latem organizujemy obozy sportowe."
        ),
        spheres=("17", "15"),
        year_founded=2006,
    ),
    DemoOrganisation(
        name="Stowarzyszenie Sportowe Toruńskie Smoki",
        short_name="Toruńskie Smoki",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Bema 23",
        description=(
            "Trenujemy smoczą łódź na Wiśle i zapraszamy do drużyny osoby w każdym wieku. "
            "Prowadzimy też zajęcia wioślarskie dla osób z niepełnosprawnościami."
        ),
        spheres=("17", "7"),
        year_founded=2019,
        employees=1,
        status=PENDING,
    ),
    DemoOrganisation(
        name="Fundacja Pomocy Seniorom Złota Jesień",
        short_name="Złota Jesień",
        legal_form=LegalForm.FOUNDATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Broniewskiego 90",
        description=(
            "Odwiedzamy samotnych seniorów, robimy im zakupy i towarzyszymy w wizytach u lekarza. "
            "Prowadzimy telefon zaufania dla osób starszych i klub seniora na Bielanach."
        ),
        spheres=("10", "1", "6"),
        year_founded=2010,
        employees=4,
        employees_at_risk=1,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Stowarzyszenie Rodzin Zastępczych Ciepły Dom",
        short_name="Ciepły Dom",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Bażyńskich 8",
        description=(
            "Zrzeszamy rodziny zastępcze z Torunia i okolic. Organizujemy szkolenia, grupy "
            "wsparcia i wspólny wypoczynek dla dzieci w pieczy zastępczej."
        ),
        spheres=("1a", "31", "15"),
        year_founded=2004,
        employees=2,
    ),
    DemoOrganisation(
        name="Fundacja Prawo dla Każdego",
        short_name="Prawo dla Każdego",
        legal_form=LegalForm.FOUNDATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Mostowa 18",
        description=(
            "Udzielamy nieodpłatnej pomocy prawnej i poradnictwa obywatelskiego. Prowadzimy "
            "lekcje o prawach konsumenta w szkołach i dyżury prawników w bibliotekach miejskich."
        ),
        spheres=("1b", "22", "25"),
        year_founded=2012,
        employees=5,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Stowarzyszenie Trzeźwości Nowy Start",
        short_name="Nowy Start",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Bydgoska 52",
        description=(
            "Pomagamy osobom uzależnionym i ich rodzinom. Prowadzimy klub abstynenta, grupy "
            "wsparcia i zajęcia aktywizujące dla osób kończących terapię."
        ),
        spheres=("32", "2"),
        year_founded=1999,
        employees=2,
        employees_at_risk=1,
        standing="suspended",
    ),
    DemoOrganisation(
        name="Fundacja Wspólny Toruń",
        short_name="Wspólny Toruń",
        legal_form=LegalForm.FOUNDATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Jęczmienna 21",
        description=(
            "Wspieramy cudzoziemców mieszkających w Toruniu: uczymy języka polskiego i pomagamy w "
            "sprawach urzędowych. Organizujemy też spotkania międzykulturowe i dyżury tłumaczy "
            "języka ukraińskiego."
        ),
        spheres=("5a", "26", "14"),
        year_founded=2022,
        employees=3,
    ),
    DemoOrganisation(
        name="Stowarzyszenie na rzecz Osób z Niepełnosprawnością Intelektualną Bez Barier",
        short_name="Bez Barier",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Konstytucji 3 Maja 42",
        description=(
            "Działamy na rzecz dzieci i dorosłych z niepełnosprawnością intelektualną oraz ich "
            "rodzin. Prowadzimy zajęcia terapeutyczne, treningi samodzielności i mieszkanie "
            "treningowe."
        ),
        spheres=("7", "15"),
        year_founded=1997,
        employees=6,
        employees_at_risk=2,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Stowarzyszenie Dzielmy się Chlebem",
        short_name="Dzielmy się Chlebem",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Szosa Bydgoska 58",
        description=(
            "Odbieramy nadwyżki żywności ze sklepów i piekarni i przekazujemy je potrzebującym "
            "rodzinom. Współpracujemy z jadłodzielniami i parafialnymi zespołami Caritas."
        ),
        spheres=("3", "1", "24"),
        year_founded=2007,
        employees=4,
        employees_at_risk=1,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Fundacja Zdrowie na Start",
        short_name="Zdrowie na Start",
        legal_form=LegalForm.FOUNDATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Chełmińska 18",
        description=(
            "Prowadzimy programy profilaktyki zdrowotnej dla dzieci i młodzieży. Uczymy zasad "
            "zdrowego żywienia i pierwszej pomocy w szkołach podstawowych."
        ),
        spheres=("6", "15", "14"),
        year_founded=2015,
        employees=2,
    ),
    DemoOrganisation(
        name="Stowarzyszenie Miłośników Starego Podgórza",
        short_name="Stary Podgórz",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Rolnicza 6",
        description=(
            "Dbamy o pamięć i dziedzictwo Podgórza, dawnego miasta, dziś dzielnicy Torunia. "
            "Zbieramy wspomnienia mieszkańców i włączamy się w rewitalizację dzielnicy."
        ),
        spheres=("13", "4", "32a"),
        year_founded=2020,
        status=PENDING,
    ),
    DemoOrganisation(
        name="Fundacja Inkubator Ekonomii Społecznej",
        short_name="Inkubator ES",
        legal_form=LegalForm.FOUNDATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Kopernika 30",
        description=(
            "Pomagamy zakładać i rozwijać spółdzielnie socjalne i inne podmioty ekonomii "
            "społecznej. Prowadzimy doradztwo biznesowe, szkolenia i inkubator z salami do "
            "wynajęcia."
        ),
        spheres=("33", "11", "12"),
        year_founded=2010,
        employees=7,
        employees_at_risk=1,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Spółdzielnia Socjalna Kolorowe Kredki",
        short_name="Kolorowe Kredki",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat=TORUN,
        city="Toruń",
        street="ul. Okólna 120",
        description=(
            "Prowadzimy niepubliczne przedszkole i klub malucha na Wrzosach. Pracują u nas "
            "opiekunki, które wróciły do zawodu dzięki naszej spółdzielni."
        ),
        spheres=("14", "15", "31"),
        year_founded=2016,
        employees=10,
        employees_at_risk=3,
        is_social_enterprise=True,
    ),
    DemoOrganisation(
        name="Toruńskie Stowarzyszenie Turystyczne Szlak Kopernika",
        short_name="Szlak Kopernika",
        legal_form=LegalForm.ASSOCIATION,
        seat=TORUN,
        city="Toruń",
        street="ul. Szeroka 30",
        description=(
            "Oprowadzamy po Toruniu szlakiem Mikołaja Kopernika i zabytków gotyku. Szkolimy "
            "młodych przewodników-wolontariuszy."
        ),
        spheres=("19", "16"),
        year_founded=2021,
        is_public_benefit=True,
        status=REJECTED,
        rejection_reason=(
            "Stowarzyszenie nie figuruje w wykazie organizacji pożytku publicznego. Prosimy "
            "odznaczyć status OPP albo podać numer KRS, pod którym ten status został wpisany."
        ),
    ),
    DemoOrganisation(
        name="Stowarzyszenie Rozwoju Gminy Lubicz",
        short_name="Rozwój Lubicza",
        legal_form=LegalForm.ASSOCIATION,
        seat=LUBICZ,
        city="Lubicz Dolny",
        street="ul. Toruńska 35",
        description=(
            "Wspieramy inicjatywy mieszkańców gminy Lubicz i pomagamy im zdobywać środki na "
            "lokalne projekty. Współtworzymy plan rewitalizacji centrum Lubicza Dolnego."
        ),
        spheres=("13", "11", "32a"),
        year_founded=2003,
        employees=2,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Koło Gospodyń Wiejskich w Grębocinie",
        short_name="KGW Grębocin",
        legal_form=LegalForm.OTHER,
        seat=LUBICZ,
        city="Grębocin",
        street="ul. Kościelna 4",
        description=(
            "Kultywujemy tradycje kuchni kujawskiej i organizujemy dożynki oraz festyny gminne. "
            "Przygotowujemy poczęstunki na wydarzenia lokalne."
        ),
        spheres=("4", "13", "9"),
        year_founded=2019,
        in_krs=False,
    ),
    DemoOrganisation(
        name="Ochotnicza Straż Pożarna w Lubiczu Dolnym",
        short_name="OSP Lubicz Dolny",
        legal_form=LegalForm.ASSOCIATION,
        seat=LUBICZ,
        city="Lubicz Dolny",
        street="ul. Dworcowa 3",
        description=(
            "Gasimy pożary i ratujemy ludzi na terenie gminy Lubicz i na drodze krajowej nr 10. "
            "Prowadzimy młodzieżową drużynę pożarniczą i szkolenia z pierwszej pomocy."
        ),
        spheres=("23", "20", "15"),
        year_founded=1923,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Spółdzielnia Socjalna Lubickie Smaki",
        short_name="Lubickie Smaki",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat=LUBICZ,
        city="Lubicz Górny",
        street="ul. Leśna 12",
        description=(
            "Przygotowujemy obiady dla szkół i przedszkoli w gminie Lubicz oraz wyroby "
            "garmażeryjne na lokalne targi. Połowę załogi stanowią osoby z niepełnosprawnościami."
        ),
        spheres=("2", "7", "8"),
        year_founded=2018,
        employees=7,
        employees_at_risk=4,
        is_social_enterprise=True,
    ),
    DemoOrganisation(
        name="Fundacja Dolina Drwęcy",
        short_name="Dolina Drwęcy",
        legal_form=LegalForm.FOUNDATION,
        seat=LUBICZ,
        city="Lubicz Dolny",
        street="ul. Młyńska 5",
        description=(
            "Chronimy przyrodę rezerwatu Dolina Drwęcy i promujemy turystykę kajakową. Prowadzimy "
            "zajęcia terenowe dla szkół i sprzątanie rzeki z wolontariuszami."
        ),
        spheres=("18", "19", "17"),
        year_founded=2014,
        employees=1,
    ),
    DemoOrganisation(
        name="Uczniowski Klub Sportowy Drwęca Lubicz",
        short_name="UKS Drwęca",
        legal_form=LegalForm.ASSOCIATION,
        seat=LUBICZ,
        city="Lubicz Górny",
        street="ul. Szkolna 8",
        description=(
            "Prowadzimy zajęcia piłki siatkowej i tenisa stołowego dla uczniów szkół z gminy "
            "Lubicz. Organizujemy gminne turnieje i wyjazdy na zawody."
        ),
        spheres=("17", "15"),
        year_founded=2010,
        status=REJECTED,
        rejection_reason=(
            "Podany numer KRS należy do innej organizacji. Prosimy sprawdzić numer w wyszukiwarce "
            "Krajowego Rejestru Sądowego i poprawić dane."
        ),
    ),
    DemoOrganisation(
        name="Stowarzyszenie Seniorów Gminy Lubicz Pogodna Jesień",
        short_name="Pogodna Jesień",
        legal_form=LegalForm.ASSOCIATION,
        seat=LUBICZ,
        city="Złotoria",
        street="ul. Lipowa 10",
        description=(
            "Zrzeszamy seniorów z całej gminy Lubicz. Organizujemy wycieczki, zajęcia ruchowe i "
            "kursy obsługi komputera i telefonu."
        ),
        spheres=("10", "13"),
        year_founded=2011,
    ),
    DemoOrganisation(
        name="Spółdzielnia Socjalna Ogrody Krobi",
        short_name="Ogrody Krobi",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat=LUBICZ,
        city="Krobia",
        street="ul. Polna 2",
        description=(
            "Uprawiamy warzywa i zioła metodami ekologicznymi i sprzedajemy je w skrzynkach "
            "prosto z pola. Zatrudniamy osoby długotrwale bezrobotne z okolicznych wsi."
        ),
        spheres=("2", "8", "18"),
        year_founded=2024,
        employees=5,
        employees_at_risk=3,
        status=PENDING,
    ),
    DemoOrganisation(
        name="Fundacja Rodzinne Gniazdo",
        short_name="Rodzinne Gniazdo",
        legal_form=LegalForm.FOUNDATION,
        seat=LUBICZ,
        city="Grębocin",
        street="ul. Szkolna 15",
        description=(
            "Wspieramy rodziny w kryzysie: prowadzimy świetlicę środowiskową, konsultacje z "
            "pedagogiem i szkołę dla rodziców. Pomagamy też rodzinom zastępczym z gminy."
        ),
        spheres=("31", "1a", "15"),
        year_founded=2015,
        employees=3,
        employees_at_risk=1,
        is_public_benefit=True,
    ),
    DemoOrganisation(
        name="Stowarzyszenie Miłośników Historii Ziemi Lubickiej",
        short_name="Ziemia Lubicka",
        legal_form=LegalForm.ASSOCIATION,
        seat=LUBICZ,
        city="Lubicz Dolny",
        street="ul. Toruńska 10",
        description=(
            "Badamy i opisujemy historię wsi gminy Lubicz. Wydajemy zeszyty historyczne i "
            "opiekujemy się zabytkowymi krzyżami przydrożnymi."
        ),
        spheres=("4", "16"),
        year_founded=2008,
    ),
)


def _owner_emails() -> tuple[str, ...]:
    """The owner of each of DEMO_ORGANISATIONS, in order; owners without a named account get
    numbered addresses."""
    numbers = itertools.count(1)
    return tuple(
        demo.owner.email if demo.owner else f"kontakt+{next(numbers):02d}@pestor.example"
        for demo in DEMO_ORGANISATIONS
    )


OWNER_EMAILS = _owner_emails()
GENERATED_OWNER_EMAILS = tuple(
    email for email, demo in zip(OWNER_EMAILS, DEMO_ORGANISATIONS, strict=True) if not demo.owner
)
DEMO_EMAILS = GENERATED_OWNER_EMAILS
ACCOUNTS_NOTE = (
    "Właściciele pozostałych organizacji / owners of the other organisations: "
    f"{GENERATED_OWNER_EMAILS[0]} … {GENERATED_OWNER_EMAILS[-1]} (to samo hasło / same password)."
)


def existing_data() -> str:
    count = Organisation.objects.count()
    return f"organizacje: {count}" if count else ""


def load(context: DemoContext) -> str:
    spheres = {sphere.code: sphere for sphere in PublicBenefitSphere.objects.all()}
    missing = {code for demo in DEMO_ORGANISATIONS for code in demo.spheres} - set(spheres)
    if missing:
        raise CommandError(
            f"Brak dziedzin pożytku publicznego {sorted(missing)} — czy wykonano migracje? / "
            "Public benefit spheres are missing; run the migrations first."
        )
    generated = create_accounts(
        context,
        [(email, *context.random_person()) for email in GENERATED_OWNER_EMAILS],
        joined=context.now - timedelta(days=760),
    )
    owners = [
        _account(context, demo.owner) if demo.owner else generated[email]
        for demo, email in zip(DEMO_ORGANISATIONS, OWNER_EMAILS, strict=True)
    ]
    register_organisations(
        context, DEMO_ORGANISATIONS, owners, area=list(context.municipalities.values())
    )
    editor = _account(context, PES_EDITOR)
    for short_name in ("Smaczny Kąsek", "Krok Dalej"):
        _add_editor(context, context.organisations[short_name], editor)
    _propose_legal_change(context, context.organisations["Smaczny Kąsek"])
    for demo in DEMO_ORGANISATIONS:
        if demo.standing:
            _set_standing(context, context.organisations[demo.short_name], demo)
    organisations = context.organisations.values()
    verified = sum(organisation.status == VERIFIED for organisation in organisations)
    return ", ".join(
        [
            plural(len(organisations), "organizacja", "organizacje", "organizacji"),
            f"zweryfikowane: {verified}",
            plural(len(generated), "konto właściciela", "konta właścicieli", "kont właścicieli"),
        ]
    )


def register_organisations(
    context: DemoContext,
    demos: tuple[DemoOrganisation, ...],
    owners: list[User],
    *,
    area: list,
) -> list[Organisation]:
    """Organisations in the shape the directory's services leave them: each with its owner (in
    the order of ``demos``), its spheres, the municipalities it serves (its seat, or for some
    the whole ``area``) and the registration and the seat's official's decision in the log.
    Put on the context; other apps' demos add organisations of their own municipalities with it
    (the seat's officials must be on the context first)."""
    spheres = {sphere.code: sphere for sphere in PublicBenefitSphere.objects.all()}
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    memberships, organisations = [], []
    for demo, owner in zip(demos, owners, strict=True):
        organisation = _organisation(context, demo, slug=_slug(demo.name, slugs))
        organisation.full_clean()
        organisation.save()
        organisation.spheres.set([spheres[code] for code in demo.spheres])
        served = [organisation.seat_municipality]
        if context.rng.random() < 0.3:
            served = area
        organisation.municipalities_served.set(served)
        memberships.append(
            OrganisationMembership(
                organisation=organisation, user=owner, role=OrganisationMembership.Role.OWNER
            )
        )
        _record_history(context, organisation, owner=owner, demo=demo)
        context.organisations[organisation.short_name] = organisation
        context.owners[organisation.pk] = owner
        organisations.append(organisation)
    OrganisationMembership.objects.bulk_create(memberships)
    return organisations


def _account(context: DemoContext, account: DemoAccount) -> User:
    return context.accounts[account.key]


def _slug(name: str, taken: set[str]) -> str:
    base = slugify(fold(name))[:100]
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    taken.add(slug)
    return slug


def _organisation(context: DemoContext, demo: DemoOrganisation, *, slug: str) -> Organisation:
    rng, numbers = context.rng, context.numbers
    seat = context.municipalities[demo.seat.slug]
    lat_spread, lon_spread = demo.seat.spread
    domain = f"{slugify(fold(demo.short_name))}.example"
    created_at, decided_at = _timeline(context, demo.status, demo.standing)
    verified = demo.status == VERIFIED
    return Organisation(
        name=demo.name,
        short_name=demo.short_name,
        slug=slug,
        legal_form=demo.legal_form,
        krs=numbers.krs() if demo.in_krs else "",
        nip=numbers.nip(),
        regon=numbers.regon(),
        is_public_benefit=demo.is_public_benefit,
        is_social_enterprise=demo.is_social_enterprise,
        social_enterprise_since=(
            _social_enterprise_since(context) if demo.is_social_enterprise else None
        ),
        year_founded=demo.year_founded,
        street=demo.street,
        postal_code=demo.seat.postal_code,
        city=demo.city,
        latitude=_coordinate(seat.latitude, rng.uniform(-lat_spread, lat_spread)),
        longitude=_coordinate(seat.longitude, rng.uniform(-lon_spread, lon_spread)),
        seat_municipality=seat,
        description=demo.description,
        website=f"https://{domain}/" if rng.random() < 0.6 else "",
        email=f"biuro@{domain}",
        phone=f"56 6{rng.randrange(10, 100)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}",
        employees=demo.employees,
        employees_at_risk=demo.employees_at_risk,
        status=demo.status,
        rejection_reason=demo.rejection_reason,
        verified_at=decided_at if verified else None,
        verified_by=rng.choice(context.officials[demo.seat.slug]) if verified else None,
        created_at=created_at,
    )


def _timeline(
    context: DemoContext, status: str, standing: str = ""
) -> tuple[datetime, datetime | None]:
    """When the organisation registered and when an official decided on it."""
    rng = context.rng
    jitter = timedelta(hours=rng.randrange(8, 16), minutes=rng.randrange(60))
    if status == PENDING:
        created_at = context.day(days_ago=rng.randrange(1, 15)) + jitter
        return created_at, None
    if status == REJECTED:
        created_at = context.day(days_ago=rng.randrange(20, 60)) + jitter
    elif standing == "unconfirmed":
        # Verified long enough ago to have been reminded of the yearly check.
        created_at = context.day(days_ago=rng.randrange(560, 700)) + jitter
    else:
        # Within the last two years, so some are due for the yearly re-confirmation.
        created_at = context.day(days_ago=rng.randrange(25, 720)) + jitter
    decided_at = created_at + timedelta(days=rng.randrange(1, 12), hours=rng.randrange(1, 6))
    return created_at, min(decided_at, context.now - timedelta(hours=1))


def _social_enterprise_since(context: DemoContext) -> date:
    # Statuses under the Act on social economy are granted since its entry into force.
    first = date(2023, 1, 16)
    last = timezone.localdate(context.now) - timedelta(days=30)
    return first + timedelta(days=context.rng.randrange((last - first).days))


def _record_history(
    context: DemoContext, organisation: Organisation, *, owner: User, demo: DemoOrganisation
) -> None:
    """The events organisation_register, _verify and _reject would have logged."""
    rng = context.rng
    owner.date_joined = organisation.created_at - timedelta(minutes=rng.randrange(5, 90))
    User.objects.filter(pk=owner.pk).update(date_joined=owner.date_joined)
    audit.record(
        at=organisation.created_at,
        actor=owner,
        action="organisation.registered",
        target=organisation,
        after=audit.snapshot(organisation, Organisation.LEGAL_FIELDS),
    )
    if demo.status == VERIFIED:
        audit.record(
            at=organisation.verified_at,
            actor=organisation.verified_by,
            action="organisation.verified",
            target=organisation,
            before={"status": PENDING},
            after={"status": VERIFIED},
        )
        last_change = organisation.verified_at
    elif demo.status == REJECTED:
        last_change = organisation.created_at + timedelta(days=rng.randrange(2, 8))
        audit.record(
            at=last_change,
            actor=rng.choice(context.officials[demo.seat.slug]),
            action="organisation.rejected",
            target=organisation,
            before={"status": PENDING},
            after={"status": REJECTED},
            comment=demo.rejection_reason,
        )
    else:
        last_change = organisation.created_at
    Organisation.objects.filter(pk=organisation.pk).update(updated_at=last_change)


def _add_editor(context: DemoContext, organisation: Organisation, editor: User) -> None:
    """What invitation_send and invitation_accept leave behind."""
    joined_at = min(
        (organisation.verified_at or organisation.created_at) + timedelta(days=3),
        context.now - timedelta(hours=1),
    )
    invitation = OrganisationInvitation.objects.create(
        organisation=organisation,
        email=editor.email,
        invited_by=context.owners[organisation.pk],
        accepted_at=joined_at,
        accepted_by=editor,
    )
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        created_at=joined_at - timedelta(hours=5)
    )
    membership = OrganisationMembership.objects.create(
        organisation=organisation, user=editor, role=OrganisationMembership.Role.EDITOR
    )
    OrganisationMembership.objects.filter(pk=membership.pk).update(created_at=joined_at)
    audit.record(
        at=joined_at,
        actor=editor,
        action="organisation.member_joined",
        target=organisation,
        after={"member": editor.email, "role": membership.role},
    )


def _propose_legal_change(context: DemoContext, organisation: Organisation) -> None:
    """What legal_change_request leaves behind: the demo owner's cooperative has moved its seat
    and gained the OPP status; the verified data stay public until a Toruń official decides."""
    requested_at = context.now - timedelta(days=2, hours=3)
    owner = context.owners[organisation.pk]
    proposed = Organisation.objects.get(pk=organisation.pk)
    proposed.street = "ul. Szosa Chełmińska 17"
    proposed.is_public_benefit = True
    proposed.full_clean()
    LegalDataChange.objects.create(
        organisation=organisation,
        proposed=LegalDataChange.legal_data_of(proposed),
        requested_by=owner,
        requested_at=requested_at,
    )
    audit.record(
        at=requested_at,
        actor=owner,
        action="organisation.legal_change_requested",
        target=organisation,
        before=audit.snapshot(organisation, Organisation.LEGAL_FIELDS),
        after=audit.snapshot(proposed, Organisation.LEGAL_FIELDS),
    )


SUSPENSION_REASON = (
    "Organizacja została wykreślona z Krajowego Rejestru Sądowego (postanowienie sądu "
    "rejestrowego). Zawieszamy wpis do czasu wyjaśnienia; prosimy o kontakt z Wydziałem "
    "Zdrowia i Polityki Społecznej."
)


def _set_standing(context: DemoContext, organisation: Organisation, demo: DemoOrganisation):
    """What organisation_suspend or the yearly reminder (confirmation_reminders_send) leave
    behind."""
    if demo.standing == "suspended":
        at = context.now - timedelta(days=6, hours=2)
        organisation.status = Organisation.Status.SUSPENDED
        organisation.suspension_reason = SUSPENSION_REASON
        organisation.save(update_fields=["status", "suspension_reason"])
        audit.record(
            at=at,
            actor=context.rng.choice(context.officials[demo.seat.slug]),
            action="organisation.suspended",
            target=organisation,
            before={"status": VERIFIED},
            after={"status": Organisation.Status.SUSPENDED},
            comment=SUSPENSION_REASON,
        )
    elif demo.standing == "unconfirmed":
        at = context.now - timedelta(days=75)
        organisation.confirmation_requested_at = at
        organisation.save(update_fields=["confirmation_requested_at"])
        audit.record(
            at=at, actor=None, action="organisation.confirmation_requested", target=organisation
        )
    Organisation.objects.filter(pk=organisation.pk).update(updated_at=at)


def _coordinate(centre: Decimal, offset: float) -> Decimal:
    return (centre + Decimal(str(offset))).quantize(Decimal("0.000001"))
