"""Demo data of the exchange: offers of thirty of the verified demo PES (and two of those awaiting
verification, which stay out of the catalogue until they are verified), a few archived ones, and
conversations between the demo buyers and the PES. Loaded by ``load_demo`` after
``directory.demo``; it leaves the offers on the context for ``demand.demo``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.management.base import CommandError

from directory.models import Organisation
from pestor import audit
from pestor.demo import (
    BUSINESS_BUYER,
    OFFICIAL_LUBICZ,
    OFFICIAL_TORUN,
    OFFICIAL_TORUN_PARTNERSHIP,
    PES_EDITOR,
    DemoContext,
    plural,
)
from pestor.models import Department

from .models import CpvCode, Inquiry, InquiryMessage, Offer, refresh_offer_areas
from .services import LOGGED_FIELDS, render_description

SERVICE = Offer.Kind.SERVICE
PRODUCT = Offer.Kind.PRODUCT
FIXED = Offer.PriceType.FIXED
FROM = Offer.PriceType.FROM
ON_REQUEST = Offer.PriceType.ON_REQUEST

# Where an offer is delivered: the organisation's seat only, or both demo municipalities.
SEAT = "seat"
BOTH = "both"


@dataclass(frozen=True)
class DemoOffer:
    organisation: str  # short name of a demo organisation
    title: str
    cpv: str  # a code of the curated list (exchange.cpv_curated)
    description: str  # Markdown, as a PES member writes it
    price_type: str = ON_REQUEST
    price: str | None = None
    unit: str = ""
    lead_time_days: int | None = None
    kind: str = SERVICE
    served: str = SEAT
    archived: bool = False


DEMO_OFFERS = (
    # --- Toruń ----------------------------------------------------------------------------
    DemoOffer(
        "Smaczny Kąsek",
        "Catering na konferencje i spotkania",
        "55520000",
        "Przygotujemy poczęstunek na konferencję, szkolenie lub spotkanie z mieszkańcami — "
        "od przerwy kawowej po obiad z dwóch dań.\n\n"
        "**W cenie:**\n\n"
        "- dowóz i rozstawienie w Toruniu i gminie Lubicz,\n"
        "- zastawa wielorazowa i obrusy,\n"
        "- obsługa kelnerska przy grupach powyżej 50 osób.\n\n"
        "Gotujemy z produktów od lokalnych rolników; przygotujemy też dania wegetariańskie, "
        "bezglutenowe i dla dzieci. Pracujemy w zespołach, w których połowę stanowią osoby "
        "wracające na rynek pracy.",
        FROM,
        "38.00",
        "osoba",
        5,
        served=BOTH,
    ),
    DemoOffer(
        "Smaczny Kąsek",
        "Obiady dla szkół i przedszkoli",
        "55524000",
        "Codzienne obiady dwudaniowe z dowozem do szkół, przedszkoli i świetlic w Toruniu.\n\n"
        "- jadłospis układany z dietetykiem na dwa tygodnie naprzód,\n"
        "- diety eliminacyjne na podstawie zaświadczenia lekarskiego,\n"
        "- termosy i dowóz na godzinę wskazaną przez szkołę.\n\n"
        "Umowę zawieramy na semestr lub rok szkolny.",
        FIXED,
        "14.50",
        "obiad",
        14,
    ),
    DemoOffer(
        "Smaczny Kąsek",
        "Przerwa kawowa na szkolenia",
        "55320000",
        "Kawa z ekspresu, herbata, soki, domowe ciasto i drobne przekąski na wytrawnie. "
        "Przywozimy wszystko na miejsce i sprzątamy po spotkaniu.\n\n"
        "Przy zamówieniu na ponad 30 osób dodajemy owoce sezonowe bez dopłaty.",
        FIXED,
        "18.00",
        "osoba",
        3,
    ),
    DemoOffer(
        "Smaczny Kąsek",
        "Paczki świąteczne z domowymi przetworami",
        "15800000",
        "Kosz z konfiturami, marynatami i piernikiem z naszej kuchni, pakowany w skrzynkę z "
        "logo zamawiającego. Oferta sezonowa, przyjmowaliśmy zamówienia do końca listopada.",
        FIXED,
        "89.00",
        "szt.",
        21,
        kind=PRODUCT,
        archived=True,
    ),
    DemoOffer(
        "Zielona Wisła",
        "Warsztaty ekologiczne dla szkół",
        "80000000",
        "Dwugodzinne zajęcia o przyrodzie doliny Wisły: w klasie albo w terenie, na bulwarze "
        "lub w Kępie Bazarowej.\n\n"
        "Tematy do wyboru:\n\n"
        "1. Ptaki nad Wisłą,\n"
        "2. Skąd się bierze śmieć w rzece,\n"
        "3. Łąka kwietna zamiast trawnika.\n\n"
        "Prowadzą przyrodnicy z przygotowaniem pedagogicznym; materiały w cenie.",
        FIXED,
        "450.00",
        "warsztat",
        14,
    ),
    DemoOffer(
        "Zielona Wisła",
        "Sprzątanie brzegów Wisły — wolontariat pracowniczy dla firm",
        "90600000",
        "Organizujemy dla firm akcję sprzątania brzegów rzeki: wybór odcinka, uzgodnienia z "
        "zarządcą terenu, rękawice, worki i odbiór odpadów, a na koniec krótki spacer "
        "przyrodniczy z przewodnikiem.",
        FROM,
        "2500.00",
        "akcja",
        30,
    ),
    DemoOffer(
        "Nadzieja",
        "Grupy wsparcia dla kobiet po leczeniu onkologicznym",
        "85312000",
        "Spotkania grupy wsparcia prowadzone przez psychoonkologa, raz w tygodniu po 90 minut. "
        "Możemy poprowadzić grupę w siedzibie zamawiającego, np. w szpitalu lub przychodni.\n\n"
        "Cena zależy od liczby spotkań i uczestniczek — prosimy o kontakt.",
    ),
    DemoOffer(
        "Nadzieja",
        "Zajęcia rehabilitacyjne na basenie",
        "85312500",
        "Ćwiczenia w wodzie z fizjoterapeutą dla kobiet po mastektomii i innych zabiegach "
        "onkologicznych. Grupy do 10 osób na basenie przy ul. Bielańskiej.",
        FIXED,
        "35.00",
        "osoba",
        7,
    ),
    DemoOffer(
        "Krok Dalej",
        "Oprawa introligatorska dokumentów i ksiąg",
        "79820000",
        "Oprawiamy księgi uchwał, dzienniki budowy, prace dyplomowe i kroniki w twardą oprawę "
        "z tłoczeniem.\n\n"
        "- oprawa twarda płócienna z napisem na grzbiecie,\n"
        "- bindowanie i laminowanie od ręki,\n"
        "- renowacja starych ksiąg i kronik.\n\n"
        "W pracowni pracują absolwenci naszych kursów zawodowych.",
        FROM,
        "25.00",
        "szt.",
        7,
    ),
    DemoOffer(
        "Krok Dalej",
        "Warsztaty aktywizacji zawodowej dla grup",
        "80530000",
        "Cykl czterech warsztatów dla osób długotrwale bezrobotnych: bilans umiejętności, CV i "
        "list motywacyjny, rozmowa kwalifikacyjna, pierwsze tygodnie w pracy. Dla ośrodków "
        "pomocy społecznej, CIS i KIS.",
        FROM,
        "900.00",
        "warsztat",
        21,
        served=BOTH,
    ),
    DemoOffer(
        "CIS Przystań",
        "Catering okolicznościowy z pracowni gastronomicznej",
        "55520000",
        "Uczestnicy warsztatu gastronomicznego pod okiem kucharza przygotowują zimne płyty, "
        "sałatki, ciasta i obiady na spotkania do 60 osób. Zamawiając, wspierasz ich powrót "
        "na rynek pracy.",
        FROM,
        "28.00",
        "osoba",
        7,
    ),
    DemoOffer(
        "CIS Przystań",
        "Drobne prace remontowo-malarskie",
        "45442100",
        "Malowanie ścian i sufitów, szpachlowanie, drobne naprawy w lokalach użytkowych, "
        "świetlicach i mieszkaniach komunalnych. Materiały po stronie zamawiającego albo "
        "według kosztorysu.",
        FROM,
        "22.00",
        "m²",
        14,
    ),
    DemoOffer(
        "CIS Przystań",
        "Koszenie trawy i prace porządkowe na terenach zielonych",
        "77314000",
        "Koszenie, grabienie liści, przycinanie krzewów i wywóz skoszonej trawy. Pracujemy "
        "od kwietnia do listopada, w brygadach z brygadzistą.",
        FROM,
        "0.35",
        "m²",
        7,
    ),
    DemoOffer(
        "KIS Na Starówce",
        "Torby i woreczki szyte z materiałów z odzysku",
        "18930000",
        "Szyjemy torby na zakupy, worki na buty i woreczki upominkowe z banerów, firan i "
        "odzieży z odzysku. Możemy naszyć logo lub metkę zamawiającego.\n\n"
        "*Przy zamówieniach powyżej 200 sztuk prosimy o trzy tygodnie na realizację.*",
        FIXED,
        "24.00",
        "szt.",
        21,
        kind=PRODUCT,
    ),
    DemoOffer(
        "ZAZ Pracownia Toruńska",
        "Pranie i maglowanie pościeli oraz odzieży roboczej",
        "98310000",
        "Pralnia przemysłowa z odbiorem i dowozem: pościel, ręczniki, obrusy, odzież robocza "
        "i fartuchy. Pierzemy w temperaturze i środkach dostosowanych do wymagań placówek "
        "opiekuńczych.",
        FROM,
        "9.50",
        "kg",
        3,
        served=BOTH,
    ),
    DemoOffer(
        "ZAZ Pracownia Toruńska",
        "Druk cyfrowy: ulotki, plakaty, zaproszenia",
        "79810000",
        "Drukujemy ulotki, plakaty do A2, zaproszenia, identyfikatory i broszury z oprawą "
        "zszywaną. Pomożemy przygotować plik do druku.\n\n"
        "- nakłady od 50 do 20 000 sztuk,\n"
        "- papier z recyklingu na życzenie,\n"
        "- odbiór osobisty lub dowóz w Toruniu.",
        FROM,
        "0.45",
        "szt.",
        5,
        served=BOTH,
    ),
    DemoOffer(
        "ZAZ Pracownia Toruńska",
        "Sprzątanie biur i obiektów użyteczności publicznej",
        "90919200",
        "Codzienne lub cotygodniowe sprzątanie biur, przychodni i szkół. Zespoły osób z "
        "niepełnosprawnościami pod opieką koordynatora; własne środki czystości z ekoznakiem.",
        lead_time_days=7,
        served=BOTH,
    ),
    DemoOffer(
        "WTZ Tęcza",
        "Meble ogrodowe i ławki z drewna sosnowego",
        "39150000",
        "Ławki, stoły piknikowe, donice i budki dla ptaków z impregnowanego drewna. Wykonujemy "
        "je w pracowni stolarskiej warsztatu; możemy dostosować wymiary do miejsca.",
        FROM,
        "650.00",
        "szt.",
        30,
        kind=PRODUCT,
        served=BOTH,
    ),
    DemoOffer(
        "WTZ Tęcza",
        "Ceramiczne upominki i statuetki na zamówienie",
        "37810000",
        "Kubki, podstawki, anioły i statuetki z gliny, szkliwione i wypalane w naszej "
        "pracowni. Dobry pomysł na upominek dla gości konferencji albo nagrodę w konkursie.",
        FIXED,
        "45.00",
        "szt.",
        21,
        kind=PRODUCT,
    ),
    DemoOffer(
        "CUS Non-Profit",
        "Usługi opiekuńcze w domu seniora",
        "85312400",
        "Opiekunki pomagają w codziennych czynnościach, higienie, przygotowaniu posiłków i "
        "zakupach. Świadczymy usługi na zlecenie ośrodków pomocy społecznej i osób prywatnych.\n\n"
        "**Kwalifikacje:** kurs opiekuna osoby starszej, szkolenie z pierwszej pomocy, "
        "superwizja co miesiąc.",
        FIXED,
        "42.00",
        "godz.",
        3,
        served=BOTH,
    ),
    DemoOffer(
        "CUS Non-Profit",
        "Specjalistyczne usługi opiekuńcze dla osób z zaburzeniami psychicznymi",
        "85312400",
        "Usługi świadczone przez terapeutów zajęciowych i pielęgniarki zgodnie z "
        "rozporządzeniem w sprawie specjalistycznych usług opiekuńczych. Wycena po rozpoznaniu "
        "potrzeb.",
        served=BOTH,
    ),
    DemoOffer(
        "CUS Non-Profit",
        "Dowóz seniorów do lekarza z asystentem",
        "60130000",
        "Asystent odbiera seniora z domu, jedzie z nim do przychodni lub szpitala, pomaga w "
        "rejestracji i odwozi z powrotem.",
        FROM,
        "60.00",
        "kurs",
        2,
    ),
    DemoOffer(
        "Zielony Zakątek",
        "Pielęgnacja terenów zielonych",
        "77310000",
        "Kompleksowe utrzymanie zieleni dla wspólnot, szkół i urzędów: koszenie, pielęgnacja "
        "rabat i żywopłotów, grabienie liści, wiosenne i jesienne porządki.\n\n"
        "- harmonogram prac na cały sezon,\n"
        "- własny sprzęt i wywóz biomasy,\n"
        "- dokumentacja zdjęciowa po każdym wyjeździe.",
        FROM,
        "0.45",
        "m²",
        7,
        served=BOTH,
    ),
    DemoOffer(
        "Zielony Zakątek",
        "Łąki kwietne i ogrody deszczowe",
        "77315000",
        "Zakładamy łąki kwietne z rodzimych gatunków i ogrody deszczowe przy budynkach. "
        "Przygotowujemy projekt, sadzimy i pielęgnujemy przez pierwszy sezon.",
        FROM,
        "18.00",
        "m²",
        21,
        served=BOTH,
    ),
    DemoOffer(
        "Zielony Zakątek",
        "Odśnieżanie chodników i parkingów",
        "90620000",
        "Dyżur odśnieżania od listopada do marca: odśnieżanie ręczne i mechaniczne, "
        "posypywanie piaskiem. Oferta zawieszona — w tym sezonie nie mamy wolnych brygad.",
        FROM,
        "150.00",
        "godz.",
        1,
        archived=True,
    ),
    DemoOffer(
        "Czysty Dom",
        "Sprzątanie biur i klatek schodowych",
        "90911200",
        "Regularne sprzątanie biur, klatek schodowych i części wspólnych budynków. Cena za "
        "metr kwadratowy miesięcznie przy sprzątaniu dwa razy w tygodniu.",
        FROM,
        "4.50",
        "m²",
        5,
    ),
    DemoOffer(
        "Czysty Dom",
        "Sprzątanie po remoncie",
        "90910000",
        "Usuwamy pył, resztki farby i zaprawy, myjemy okna, podłogi i stolarkę. Przyjeżdżamy "
        "z profesjonalnym odkurzaczem przemysłowym.",
        FROM,
        "8.00",
        "m²",
        3,
    ),
    DemoOffer(
        "Czysty Dom",
        "Mycie okien i witryn",
        "90911300",
        "Mycie okien, witryn i przeszkleń do wysokości drugiego piętra, także z ramami i "
        "parapetami.",
        FROM,
        "6.00",
        "m²",
        5,
    ),
    DemoOffer(
        "Piernikowa Pracownia",
        "Pierniki toruńskie z logo firmy",
        "15812000",
        "Ręcznie zdobione pierniki z logo lub hasłem zamawiającego, pakowane pojedynczo w "
        "celofan albo w ozdobne puszki.\n\n"
        "- minimalne zamówienie: 50 sztuk,\n"
        "- projekt zdobienia do akceptacji przed wypiekiem,\n"
        "- termin przydatności: 6 miesięcy.",
        FROM,
        "12.00",
        "szt.",
        14,
        kind=PRODUCT,
    ),
    DemoOffer(
        "Piernikowa Pracownia",
        "Warsztaty zdobienia pierników dla grup",
        "80000000",
        "Półtorej godziny w naszej pracowni przy ul. Rabiańskiej: historia toruńskiego "
        "piernika, wałkowanie, wykrawanie i zdobienie lukrem. Każdy zabiera swoje pierniki.",
        FIXED,
        "45.00",
        "osoba",
        7,
    ),
    DemoOffer(
        "Piernikowa Pracownia",
        "Kalendarz adwentowy z piernikami",
        "15812000",
        "Kalendarz z 24 małymi piernikami w kartonowym domku. Edycja zeszłoroczna, wyprzedana.",
        FIXED,
        "79.00",
        "szt.",
        14,
        kind=PRODUCT,
        archived=True,
    ),
    DemoOffer(
        "Pod Krzywą Wieżą",
        "Organizacja koncertów i wydarzeń plenerowych",
        "79952100",
        "Przygotujemy wydarzenie od pomysłu po sprzątanie: program artystyczny, scena i "
        "nagłośnienie, zgłoszenie imprezy, wolontariusze i informacja dla mieszkańców. "
        "Mamy doświadczenie z bulwarów i rynków Torunia.",
        lead_time_days=30,
        served=BOTH,
    ),
    DemoOffer(
        "Pod Krzywą Wieżą",
        "Spacery z przewodnikiem po Starym Mieście",
        "63514000",
        "Dwugodzinne spacery tematyczne: *Toruń gotycki*, *Toruń Kopernika*, *Toruń nocą*. "
        "Dla grup szkolnych, gości konferencji i pracowników firm.",
        FIXED,
        "25.00",
        "osoba",
        3,
    ),
    DemoOffer(
        "Scena Podgórz",
        "Spektakle teatralne dla szkół i przedszkoli",
        "92312000",
        "Grane przez młodzież spektakle o przyjaźni, tolerancji i bezpieczeństwie w sieci, "
        "z rozmową z widzami po przedstawieniu. Przyjeżdżamy z własną scenografią.",
        FIXED,
        "1200.00",
        "spektakl",
        21,
        served=BOTH,
    ),
    DemoOffer(
        "Scena Podgórz",
        "Warsztaty teatralne dla młodzieży",
        "80410000",
        "Cykl zajęć z emisji głosu, improwizacji i ruchu scenicznego zakończony pokazem. Dla "
        "szkół, domów kultury i świetlic.",
        FROM,
        "300.00",
        "warsztat",
        14,
    ),
    DemoOffer(
        "UKS Orlik",
        "Zajęcia sportowe dla dzieci",
        "92620000",
        "Treningi piłki nożnej i lekkiej atletyki dla dzieci od 6 do 14 lat, dwa razy w "
        "tygodniu, na boiskach szkolnych na Jakubskim Przedmieściu. Trenerzy z licencją.",
        FIXED,
        "60.00",
        "osoba",
        7,
    ),
    DemoOffer(
        "UKS Orlik",
        "Półkolonie sportowe",
        "92600000",
        "Tygodniowe półkolonie w ferie i wakacje: zajęcia sportowe, basen, obiad i "
        "ubezpieczenie. Możemy zorganizować turnus dla dzieci pracowników firmy.",
        FIXED,
        "450.00",
        "osoba",
        30,
    ),
    DemoOffer(
        "Złota Jesień",
        "Wsparcie seniorów w miejscu zamieszkania",
        "85312400",
        "Odwiedziny, zakupy, towarzyszenie w wizytach u lekarza i w urzędzie, pomoc w "
        "drobnych sprawach domowych. Wolontariusze i opiekunki z przeszkoleniem.",
        FROM,
        "30.00",
        "godz.",
        5,
        served=BOTH,
    ),
    DemoOffer(
        "Prawo dla Każdego",
        "Dyżury poradnictwa prawnego i obywatelskiego",
        "79000000",
        "Prawnicy i doradcy obywatelscy prowadzą dyżury w siedzibie zamawiającego — w "
        "bibliotece, klubie seniora albo centrum aktywności lokalnej. Sporządzamy notatki z "
        "porad zgodnie z wymaganiami ustawy o nieodpłatnej pomocy prawnej.",
        served=BOTH,
    ),
    DemoOffer(
        "Prawo dla Każdego",
        "Szkolenia z praw konsumenta dla seniorów",
        "80400000",
        "Jak nie dać się oszukać na „wnuczka”, na pokazie handlowym i przez telefon. "
        "Dwugodzinne spotkanie z prawnikiem, materiały do domu w cenie.",
        FIXED,
        "600.00",
        "szkolenie",
        14,
    ),
    DemoOffer(
        "Wspólny Toruń",
        "Tłumaczenia ustne polsko-ukraińskie",
        "79540000",
        "Tłumaczenie konsekutywne na spotkaniach, w urzędzie, szkole i przychodni. Dyżury "
        "tłumaczy także w weekendy.",
        FIXED,
        "120.00",
        "godz.",
        2,
        served=BOTH,
    ),
    DemoOffer(
        "Wspólny Toruń",
        "Tłumaczenia pisemne z ukraińskiego na polski",
        "79530000",
        "Tłumaczymy pisma, ogłoszenia i materiały informacyjne dla mieszkańców. Strona "
        "rozliczeniowa to 1800 znaków ze spacjami.",
        FIXED,
        "45.00",
        "strona",
        3,
    ),
    DemoOffer(
        "Wspólny Toruń",
        "Kursy języka polskiego dla cudzoziemców",
        "80400000",
        "Kursy na poziomach od A1 do B1 w grupach do 12 osób, także dla pracowników firm w ich "
        "siedzibie.",
        FROM,
        "40.00",
        "godz.",
        14,
    ),
    DemoOffer(
        "Bez Barier",
        "Przewóz osób z niepełnosprawnościami busem z windą",
        "60130000",
        "Dowozimy na zajęcia terapeutyczne, do szkół, na turnusy i wycieczki. Bus ma windę "
        "i mocowania dla dwóch wózków; kierowcy są przeszkoleni z pomocy osobom z "
        "niepełnosprawnościami.\n\n"
        "- przejazdy stałe według harmonogramu lub jednorazowe,\n"
        "- opiekun w busie na życzenie.",
        FROM,
        "3.50",
        "km",
        3,
        served=BOTH,
    ),
    DemoOffer(
        "Bez Barier",
        "Trening samodzielności dla grup",
        "85312500",
        "Zajęcia dla młodzieży i dorosłych z niepełnosprawnością intelektualną: zakupy, "
        "gotowanie, korzystanie z komunikacji miejskiej. Prowadzą terapeuci z naszego "
        "mieszkania treningowego.",
        served=BOTH,
    ),
    DemoOffer(
        "Dzielmy się Chlebem",
        "Paczki żywnościowe dla rodzin w programach pomocowych",
        "85320000",
        "Kompletujemy i wydajemy paczki żywnościowe w ramach programów ośrodków pomocy "
        "społecznej i firm. Prowadzimy ewidencję odbiorców i rozliczenie.",
    ),
    DemoOffer(
        "Zdrowie na Start",
        "Warsztaty pierwszej pomocy dla dzieci i dorosłych",
        "80560000",
        "Praktyczne zajęcia na fantomach: resuscytacja, pozycja bezpieczna, zadławienia, "
        "AED. Prowadzą ratownicy medyczni; uczestnicy dostają zaświadczenie.",
        FIXED,
        "40.00",
        "osoba",
        10,
    ),
    DemoOffer(
        "Zdrowie na Start",
        "Lekcje zdrowego żywienia w szkołach",
        "80000000",
        "45-minutowe lekcje z dietetykiem dla klas I-VIII: talerz zdrowego żywienia, czytanie "
        "etykiet, drugie śniadanie bez cukru.",
        FIXED,
        "350.00",
        "zajęcia",
        14,
    ),
    DemoOffer(
        "Inkubator ES",
        "Doradztwo biznesowe dla podmiotów ekonomii społecznej",
        "79000000",
        "Biznesplan, wycena usług, przygotowanie do zamówień publicznych i klauzul "
        "społecznych. Dla spółdzielni socjalnych, fundacji i stowarzyszeń prowadzących "
        "działalność gospodarczą.",
        served=BOTH,
    ),
    DemoOffer(
        "Inkubator ES",
        "Wynajem sal szkoleniowych",
        "80520000",
        "Dwie sale na 20 i 40 osób przy ul. Kopernika, z rzutnikiem, tablicą i dostępem dla "
        "osób na wózkach. Catering zamówimy u zaprzyjaźnionej spółdzielni socjalnej.",
        FIXED,
        "80.00",
        "godz.",
        2,
    ),
    DemoOffer(
        "Kolorowe Kredki",
        "Kącik dziecięcy na wydarzeniach i konferencjach",
        "85312110",
        "Opieka nad dziećmi uczestników konferencji, zebrań i wydarzeń: zabawy, plastyka, "
        "bajki. Dwie opiekunki na 10 dzieci.",
        FROM,
        "70.00",
        "godz.",
        7,
    ),
    DemoOffer(
        "Kolorowe Kredki",
        "Miejsca w klubie malucha dla dzieci pracowników",
        "80110000",
        "Rezerwujemy miejsca w klubie malucha na Wrzosach dla dzieci pracowników firm i "
        "instytucji. Opieka od 6:30 do 17:00, wyżywienie w cenie.",
        FIXED,
        "1350.00",
        "miesiąc",
        30,
    ),
    # --- Lubicz ---------------------------------------------------------------------------
    DemoOffer(
        "Rozwój Lubicza",
        "Badania ankietowe i konsultacje społeczne",
        "79300000",
        "Przygotujemy i przeprowadzimy ankietę wśród mieszkańców, spotkania konsultacyjne i "
        "raport z wnioskami — np. przy planie rewitalizacji albo strategii gminy.",
        served=BOTH,
    ),
    DemoOffer(
        "KGW Grębocin",
        "Poczęstunki z kuchni kujawskiej",
        "55520000",
        "Pierogi, czernina, kaczka z jabłkami, domowe ciasta i chleb ze smalcem na "
        "uroczystości gminne, jubileusze i spotkania. Gotujemy w świetlicy w Grębocinie.",
        FROM,
        "32.00",
        "osoba",
        7,
    ),
    DemoOffer(
        "KGW Grębocin",
        "Organizacja festynów i dożynek",
        "79952000",
        "Stoiska z jadłem, konkursy, zabawy dla dzieci i występy zespołów ludowych. Pomożemy "
        "zorganizować festyn sołecki albo gminne dożynki.",
        lead_time_days=30,
    ),
    DemoOffer(
        "OSP Lubicz Dolny",
        "Szkolenia z pierwszej pomocy dla pracowników",
        "80560000",
        "Czterogodzinne szkolenie dla pracowników biur, szkół i zakładów pracy, prowadzone "
        "przez ratowników KPP. Ćwiczymy na fantomach i defibrylatorze szkoleniowym.",
        FIXED,
        "90.00",
        "osoba",
        14,
        served=BOTH,
    ),
    DemoOffer(
        "OSP Lubicz Dolny",
        "Zabezpieczenie imprez plenerowych",
        "79710000",
        "Zastęp strażaków z samochodem ratowniczym i zestawem pierwszej pomocy na festynach, "
        "biegach i koncertach.",
        FROM,
        "400.00",
        "impreza",
        14,
        served=BOTH,
    ),
    DemoOffer(
        "Lubickie Smaki",
        "Obiady dla szkół i przedszkoli z dowozem",
        "55524000",
        "Obiady dla szkół i przedszkoli gminy Lubicz i wschodniej części Torunia, z dowozem "
        "w termosach. Jadłospis zatwierdzany przez sanepid.",
        FIXED,
        "13.00",
        "obiad",
        14,
        served=BOTH,
    ),
    DemoOffer(
        "Lubickie Smaki",
        "Catering na uroczystości i spotkania",
        "55520000",
        "Obiady, zimne płyty i ciasta na spotkania, szkolenia i uroczystości do 120 osób. "
        "Dowozimy i rozstawiamy.",
        FROM,
        "35.00",
        "osoba",
        5,
        served=BOTH,
    ),
    DemoOffer(
        "Lubickie Smaki",
        "Wyroby garmażeryjne na targi i kiermasze",
        "15800000",
        "Pierogi, gołąbki, pasztety i sałatki na stoiska podczas targów i kiermaszów.",
        FIXED,
        "28.00",
        "kg",
        5,
        kind=PRODUCT,
    ),
    DemoOffer(
        "Dolina Drwęcy",
        "Spływy kajakowe Drwęcą z przewodnikiem przyrodnikiem",
        "63511000",
        "Jednodniowe spływy z Elgiszewa do Złotorii z przewodnikiem, który opowiada o "
        "rezerwacie. Kajaki, kamizelki i transport w cenie.",
        FROM,
        "75.00",
        "osoba",
        10,
        served=BOTH,
    ),
    DemoOffer(
        "Dolina Drwęcy",
        "Zajęcia terenowe z edukacji przyrodniczej dla szkół",
        "80000000",
        "Trzygodzinne zajęcia nad Drwęcą: badanie czystości wody, tropy zwierząt, rośliny "
        "nadrzeczne.",
        FIXED,
        "300.00",
        "zajęcia",
        14,
    ),
    DemoOffer(
        "Pogodna Jesień",
        "Zajęcia ruchowe i warsztaty dla seniorów",
        "85312100",
        "Gimnastyka, nordic walking, warsztaty pamięci i obsługi telefonu dla seniorów z "
        "gminy Lubicz. Prowadzimy zajęcia w świetlicach wiejskich.",
        FROM,
        "150.00",
        "zajęcia",
        7,
    ),
    DemoOffer(
        "Rodzinne Gniazdo",
        "Szkoła dla rodziców — cykl warsztatów",
        "80570000",
        "Dziesięć spotkań o komunikacji z dzieckiem, granicach i emocjach, prowadzonych "
        "przez pedagogów i psychologa.",
        FIXED,
        "2800.00",
        "cykl",
        30,
    ),
    DemoOffer(
        "Rodzinne Gniazdo",
        "Popołudniowa opieka nad dziećmi w świetlicy",
        "85312110",
        "Świetlica środowiskowa w Grębocinie: odrabianie lekcji, zajęcia plastyczne i "
        "podwieczorek dla dzieci w wieku od 7 do 13 lat.",
    ),
    # --- awaiting verification: listed, but public only once verified -------------------------
    DemoOffer(
        "Fachowcy",
        "Remonty mieszkań i lokali",
        "45453000",
        "Malowanie, gładzie, wymiana drzwi i paneli, drobne prace hydrauliczne.",
        lead_time_days=14,
    ),
    DemoOffer(
        "Ogrody Krobi",
        "Skrzynki warzyw ekologicznych prosto z pola",
        "15300000",
        "Co tydzień skrzynka sezonowych warzyw i ziół z naszych pól w Krobi.",
        FIXED,
        "65.00",
        "skrzynka",
        2,
        kind=PRODUCT,
    ),
)


@dataclass(frozen=True)
class DemoMessage:
    from_buyer: bool
    hours_ago: int
    body: str
    by_editor: bool = False  # written by the demo editor rather than the organisation's owner


@dataclass(frozen=True)
class DemoInquiry:
    offer: str  # title of a demo offer
    buyer: str  # key of a demo account
    quantity: str
    needed_in_days: int | None  # from the first message
    messages: tuple[DemoMessage, ...]
    closed: bool = False
    # Whether each side has opened the conversation since its last message.
    buyer_read: bool = True
    organisation_read: bool = True


DEMO_INQUIRIES = (
    DemoInquiry(
        "Catering na konferencje i spotkania",
        OFFICIAL_TORUN.key,
        "80 osób",
        24,
        (
            DemoMessage(
                True,
                30,
                "Dzień dobry, przygotowujemy konferencję „Senior w mieście” w Dworze Artusa. "
                "Czy mogą Państwo przygotować przerwę kawową i obiad dla ok. 80 osób, w tym 10 "
                "porcji wegetariańskich? Proszę o wycenę.",
            ),
        ),
        organisation_read=False,
    ),
    DemoInquiry(
        "Catering na konferencje i spotkania",
        BUSINESS_BUYER.key,
        "45 osób",
        30,
        (
            DemoMessage(
                True,
                12 * 24,
                "Dzień dobry, szukamy cateringu na jubileusz firmy — obiad i deser dla 45 "
                "osób w naszej siedzibie przy ul. Szosa Lubicka. Jaki jest najbliższy wolny "
                "termin?",
            ),
            DemoMessage(
                False,
                11 * 24,
                "Dzień dobry, dziękujemy za zapytanie. Mamy wolne terminy w drugiej połowie "
                "miesiąca. Przesyłam dwa warianty menu: obiad tradycyjny (52 zł/os.) i bufet "
                "(46 zł/os.). W cenie dowóz, zastawa i obsługa.",
            ),
            DemoMessage(
                True,
                3 * 24,
                "Dziękujemy, wybieramy bufet. Czy mogą Państwo dodać tort z logo firmy?",
            ),
            DemoMessage(
                False,
                20,
                by_editor=True,
                body="Tak, tort z logo przygotuje zaprzyjaźniona Piernikowa Pracownia — koszt "
                "ok. 350 zł. Potwierdzę termin po Państwa odpowiedzi.",
            ),
        ),
        buyer_read=False,
    ),
    DemoInquiry(
        "Przerwa kawowa na szkolenia",
        OFFICIAL_TORUN_PARTNERSHIP.key,
        "25 osób, 3 dni",
        14,
        (
            DemoMessage(
                True,
                45 * 24,
                "Dzień dobry, organizujemy trzydniowe szkolenie dla liderów organizacji "
                "pozarządowych. Prosimy o przerwę kawową dla 25 osób każdego dnia.",
            ),
            DemoMessage(
                False,
                44 * 24,
                "Dzień dobry, chętnie. Koszt to 18 zł za osobę dziennie, razem 1350 zł netto. "
                "Przywieziemy wszystko na 9:30.",
            ),
            DemoMessage(
                True,
                43 * 24,
                "Dziękujemy, zamawiamy. Zlecenie wyślemy mailem z Biura.",
            ),
        ),
        closed=True,
    ),
    DemoInquiry(
        "Catering na konferencje i spotkania",
        OFFICIAL_LUBICZ.key,
        "120 osób",
        40,
        (
            DemoMessage(
                True,
                4,
                "Dzień dobry, czy obsługują Państwo także uroczystości w gminie Lubicz? "
                "Potrzebujemy poczęstunku na Gminny Dzień Seniora dla ok. 120 osób.",
            ),
        ),
        organisation_read=False,
    ),
    DemoInquiry(
        "Pielęgnacja terenów zielonych",
        OFFICIAL_LUBICZ.key,
        "ok. 4000 m²",
        60,
        (
            DemoMessage(
                True,
                9 * 24,
                "Dzień dobry, szukamy wykonawcy koszenia i pielęgnacji zieleni przy trzech "
                "świetlicach wiejskich (Grębocin, Krobia, Złotoria). Czy mogą Państwo podać "
                "orientacyjną cenę za sezon?",
            ),
            DemoMessage(
                False,
                8 * 24,
                "Dzień dobry, przy 4000 m² i koszeniu co dwa tygodnie wychodzi ok. 0,45 zł "
                "za m² za jeden wyjazd. Chętnie obejrzymy tereny — proponuję wtorek rano.",
            ),
        ),
    ),
    DemoInquiry(
        "Sprzątanie po remoncie",
        BUSINESS_BUYER.key,
        "320 m²",
        10,
        (
            DemoMessage(
                True,
                6 * 24,
                "Dzień dobry, kończymy remont biura (320 m², 2 piętra). Potrzebujemy "
                "sprzątania po remoncie z myciem okien. Kiedy mogliby Państwo przyjechać?",
            ),
            DemoMessage(
                False,
                5 * 24,
                "Dzień dobry, możemy przyjechać w przyszły poniedziałek całym zespołem. "
                "Koszt: 8 zł/m² plus mycie okien 6 zł/m², razem ok. 3100 zł netto.",
            ),
        ),
        buyer_read=False,
    ),
    DemoInquiry(
        "Druk cyfrowy: ulotki, plakaty, zaproszenia",
        OFFICIAL_TORUN_PARTNERSHIP.key,
        "2000 ulotek A5, 50 plakatów A3",
        10,
        (
            DemoMessage(
                True,
                25 * 24,
                "Dzień dobry, prosimy o wycenę druku 2000 ulotek A5 (dwustronnie, kolor) i "
                "50 plakatów A3 na Toruńskie Dni Wolontariatu.",
            ),
            DemoMessage(
                False,
                24 * 24,
                "Dzień dobry, ulotki — 420 zł netto, plakaty — 190 zł netto. Realizacja 5 dni "
                "roboczych od akceptacji projektu.",
            ),
            DemoMessage(
                True,
                23 * 24,
                "Akceptujemy. Pliki wysłaliśmy mailem — prosimy o potwierdzenie, że są poprawne.",
            ),
            DemoMessage(
                False,
                23 * 24 - 3,
                "Pliki są w porządku, drukujemy. Odbiór możliwy w naszej siedzibie przy "
                "ul. Polnej.",
            ),
        ),
        closed=True,
    ),
    DemoInquiry(
        "Przewóz osób z niepełnosprawnościami busem z windą",
        OFFICIAL_TORUN.key,
        "6 osób, 2 razy w tygodniu",
        21,
        (
            DemoMessage(
                True,
                26,
                "Dzień dobry, szukamy przewozu sześciu uczestników (dwie osoby na wózkach) na "
                "zajęcia w Środowiskowym Domu Samopomocy, we wtorki i czwartki. Czy mają "
                "Państwo wolne terminy od przyszłego miesiąca?",
            ),
        ),
    ),
    DemoInquiry(
        "Pierniki toruńskie z logo firmy",
        BUSINESS_BUYER.key,
        "300 szt.",
        21,
        (
            DemoMessage(
                True,
                35 * 24,
                "Dzień dobry, chcemy zamówić 300 pierników z naszym logo jako upominki dla "
                "kontrahentów. Czy zdążą Państwo w trzy tygodnie?",
            ),
            DemoMessage(
                False,
                34 * 24,
                "Dzień dobry, tak. Przy 300 sztukach cena to 11 zł/szt. netto, w puszce "
                "+6 zł. Proszę przesłać logo w wektorze.",
            ),
        ),
        closed=True,
    ),
)


def load(context: DemoContext) -> str:
    offers = _load_offers(context)
    inquiries, messages = _load_inquiries(context, offers)
    archived = sum(offer.status == Offer.Status.ARCHIVED for offer in offers.values())
    with_offers = len({offer.organisation_id for offer in offers.values()})
    return ", ".join(
        [
            plural(len(offers), "oferta", "oferty", "ofert"),
            f"zarchiwizowane: {archived}",
            plural(with_offers, "organizacja", "organizacje", "organizacji") + " z ofertami",
            plural(inquiries, "zapytanie", "zapytania", "zapytań"),
            plural(messages, "wiadomość", "wiadomości", "wiadomości"),
        ]
    )


def _cpv_codes() -> dict[str, CpvCode]:
    wanted = {demo.cpv for demo in DEMO_OFFERS}
    codes = {code.code: code for code in CpvCode.objects.filter(code__in=wanted, is_curated=True)}
    missing = wanted - set(codes)
    if missing:
        raise CommandError(
            f"Brak kodów CPV {sorted(missing)} na liście wybranych kodów — czy wykonano "
            "migracje? / CPV codes missing from the curated list; run the migrations first."
        )
    return codes


def _load_offers(context: DemoContext) -> dict[str, Offer]:
    """The offers by title, in the order of DEMO_OFFERS; also put on the context."""
    codes = _cpv_codes()
    both = list(context.municipalities.values())
    offers: dict[str, Offer] = {}
    for demo in DEMO_OFFERS:
        organisation: Organisation = context.organisations[demo.organisation]
        owner = context.owners[organisation.pk]
        offer = Offer(
            organisation=organisation,
            kind=demo.kind,
            title=demo.title,
            description=demo.description,
            description_html=render_description(demo.description),
            cpv=codes[demo.cpv],
            price_type=demo.price_type,
            price=Decimal(demo.price) if demo.price is not None else None,
            unit=demo.unit,
            lead_time_days=demo.lead_time_days,
            status=Offer.Status.ACTIVE,
            created_by=owner,
        )
        offer.full_clean()
        offer.save()
        offer.municipalities_served.set(
            both if demo.served == BOTH else [organisation.seat_municipality]
        )
        created_at = _listed_at(context, organisation)
        audit.record(
            at=created_at,
            actor=owner,
            action="offer.created",
            target=offer,
            after=audit.snapshot(offer, LOGGED_FIELDS),
        )
        updated_at = created_at
        if demo.archived:
            updated_at = min(
                created_at + timedelta(days=context.rng.randrange(30, 90)),
                context.now - timedelta(days=2),
            )
            offer.status = Offer.Status.ARCHIVED
            offer.save(update_fields=["status"])
            audit.record(
                at=updated_at,
                actor=owner,
                action="offer.archived",
                target=offer,
                before={"status": Offer.Status.ACTIVE},
                after={"status": Offer.Status.ARCHIVED},
            )
        Offer.objects.filter(pk=offer.pk).update(created_at=created_at, updated_at=updated_at)
        refresh_offer_areas(Offer.objects.filter(pk=offer.pk))  # the date is copied there
        offer.created_at, offer.updated_at = created_at, updated_at
        offers[demo.title] = offer
    context.offers = list(offers.values())
    return offers


def _listed_at(context: DemoContext, organisation: Organisation) -> datetime:
    """Within three weeks of the organisation's verification (or registration, while it waits),
    so that notices published later find the offer."""
    start = organisation.verified_at or organisation.created_at
    listed = start + timedelta(days=context.rng.randrange(1, 21), hours=context.rng.randrange(8))
    # A day before now at the latest, unless the organisation registered later than that (just
    # after midnight "yesterday afternoon" is less than a day ago): then an hour after it did.
    return min(listed, max(context.now - timedelta(days=1), start + timedelta(hours=1)))


def _load_inquiries(context: DemoContext, offers: dict[str, Offer]) -> tuple[int, int]:
    departments = {
        OFFICIAL_TORUN.key: context.departments["torun", "WZiPS"],
        OFFICIAL_TORUN_PARTNERSHIP.key: context.departments["torun", "BTCP"],
        OFFICIAL_LUBICZ.key: context.departments["lubicz", "RSS"],
    }
    editor = context.accounts[PES_EDITOR.key]
    message_count = 0
    for demo in DEMO_INQUIRIES:
        offer = offers[demo.offer]
        buyer = context.accounts[demo.buyer]
        department: Department | None = departments.get(demo.buyer)
        owner = context.owners[offer.organisation_id]
        times = [context.now - timedelta(hours=message.hours_ago) for message in demo.messages]
        first, last = times[0], times[-1]
        inquiry = Inquiry(
            offer=offer,
            organisation=offer.organisation,
            buyer=buyer,
            buyer_department=department,
            buyer_company=None if department else context.company,
            quantity=demo.quantity,
            needed_by=(
                (first + timedelta(days=demo.needed_in_days)).date()
                if demo.needed_in_days
                else None
            ),
            status=_status(demo),
            last_message_at=last,
            buyer_read_at=_read_at(context, demo, times, buyer_side=True),
            organisation_read_at=_read_at(context, demo, times, buyer_side=False),
        )
        if demo.closed:
            # The buyer ends the conversation once the order is placed.
            inquiry.closed_at = min(last + timedelta(hours=2), context.now)
            inquiry.closed_by = buyer
        inquiry.full_clean()
        inquiry.save()
        Inquiry.objects.filter(pk=inquiry.pk).update(created_at=first)
        for message, sent_at in zip(demo.messages, times, strict=True):
            author = buyer if message.from_buyer else editor if message.by_editor else owner
            created = InquiryMessage.objects.create(
                inquiry=inquiry,
                author=author,
                from_buyer=message.from_buyer,
                body=message.body,
            )
            InquiryMessage.objects.filter(pk=created.pk).update(created_at=sent_at)
            message_count += 1
    return len(DEMO_INQUIRIES), message_count


def _status(demo: DemoInquiry) -> str:
    if demo.closed:
        return Inquiry.Status.CLOSED
    if any(not message.from_buyer for message in demo.messages):
        return Inquiry.Status.ANSWERED
    return Inquiry.Status.OPEN


def _read_at(context: DemoContext, demo: DemoInquiry, times, *, buyer_side: bool):
    """When a side last opened the conversation: after the last message if it has read
    everything, else when it last wrote (writing shows the conversation), or never."""
    has_read = demo.buyer_read if buyer_side else demo.organisation_read
    if has_read:
        return min(times[-1] + timedelta(minutes=context.rng.randrange(10, 180)), context.now)
    own = [
        sent_at
        for message, sent_at in zip(demo.messages, times, strict=True)
        if message.from_buyer == buyer_side
    ]
    return own[-1] if own else None
