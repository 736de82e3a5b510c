"""Spheres of public tasks, art. 4 ust. 1 of the Act of 24 April 2003 on public benefit activity
and volunteering (ustawa o działalności pożytku publicznego i o wolontariacie). The legal wording
stays in Polish: it is the name officials and PES know the spheres by."""

SPHERES = [
    (
        "1",
        "pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej oraz wyrównywanie szans tych rodzin i osób",
    ),
    ("1a", "wspieranie rodziny i systemu pieczy zastępczej"),
    (
        "1b",
        "udzielanie nieodpłatnej pomocy prawnej oraz zwiększanie świadomości prawnej społeczeństwa",
    ),
    (
        "2",
        "integracja i reintegracja zawodowa i społeczna osób zagrożonych wykluczeniem społecznym",
    ),
    ("3", "działalność charytatywna"),
    (
        "4",
        "podtrzymywanie i upowszechnianie tradycji narodowej, pielęgnowanie polskości oraz rozwój świadomości narodowej, obywatelskiej i kulturowej",
    ),
    ("5", "działalność na rzecz mniejszości narodowych i etnicznych oraz języka regionalnego"),
    ("5a", "działalność na rzecz integracji cudzoziemców"),
    ("6", "ochrona i promocja zdrowia, w tym działalność lecznicza"),
    ("7", "działalność na rzecz osób niepełnosprawnych"),
    (
        "8",
        "promocja zatrudnienia i aktywizacja zawodowa osób pozostających bez pracy i zagrożonych zwolnieniem z pracy",
    ),
    ("9", "działalność na rzecz równych praw kobiet i mężczyzn"),
    ("10", "działalność na rzecz osób w wieku emerytalnym"),
    ("11", "działalność wspomagająca rozwój gospodarczy, w tym rozwój przedsiębiorczości"),
    ("12", "działalność wspomagająca rozwój techniki, wynalazczości i innowacyjności"),
    ("13", "działalność wspomagająca rozwój wspólnot i społeczności lokalnych"),
    ("14", "nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie"),
    ("15", "działalność na rzecz dzieci i młodzieży, w tym wypoczynek dzieci i młodzieży"),
    ("16", "kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego"),
    ("17", "wspieranie i upowszechnianie kultury fizycznej"),
    ("18", "ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego"),
    ("19", "turystyka i krajoznawstwo"),
    ("20", "porządek i bezpieczeństwo publiczne"),
    ("21", "obronność państwa i działalność Sił Zbrojnych Rzeczypospolitej Polskiej"),
    (
        "22",
        "upowszechnianie i ochrona wolności i praw człowieka oraz swobód obywatelskich, a także działania wspomagające rozwój demokracji",
    ),
    ("23", "ratownictwo i ochrona ludności"),
    (
        "24",
        "pomoc ofiarom katastrof, klęsk żywiołowych, konfliktów zbrojnych i wojen w kraju i za granicą",
    ),
    ("25", "upowszechnianie i ochrona praw konsumentów"),
    (
        "26",
        "działalność na rzecz integracji europejskiej oraz rozwijanie kontaktów i współpracy między społeczeństwami",
    ),
    ("27", "promocja i organizacja wolontariatu"),
    ("28", "pomoc Polonii i Polakom za granicą"),
    ("29", "działalność na rzecz kombatantów i osób represjonowanych"),
    ("30", "promocja Rzeczypospolitej Polskiej za granicą"),
    (
        "31",
        "działalność na rzecz rodziny, macierzyństwa, rodzicielstwa, upowszechniania i ochrony praw dziecka",
    ),
    ("32", "przeciwdziałanie uzależnieniom i patologiom społecznym"),
    ("32a", "rewitalizacja"),
    (
        "33",
        "działalność wspomagająca technicznie, szkoleniowo, informacyjnie lub finansowo organizacje pozarządowe",
    ),
]
