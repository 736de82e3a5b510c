"""Demo data of the premises policy in Toruń: Toruń's discount rules, about twenty premises in
real districts (vacant, in calls, leased to PES under each rule, leased otherwise, not for
lease), leases with discounts from each rule (one set by hand with its reason, one indexed),
an open call with applications, a closed call with its decision, its committee's published scores
and the lease that followed, a closed call whose committee has scored (a conflict declared),
the tenants' annual reports (accepted, waiting, returned, one overdue) and a vacancy alert.
Loaded by ``load_demo`` after ``equipment_bank.demo``.

Leases go through ``services.lease_sign`` (it sends no e-mail), so their discounts and the
support they are worth are computed as an official's would be.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from directory.models import PublicBenefitSphere
from pestor.demo import DemoContext, plural

from . import selectors, services
from .models import (
    AdministeringUnit,
    AnnualReport,
    Application,
    ApplicationDocument,
    CallDecision,
    Floor,
    Premises,
    PremisesCall,
    PremisesStatusChange,
    VacancyAlert,
)

CENT = Decimal("0.01")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# key, address, district, (lat, lon), floor, area, rooms, step-free, market rent per m²
PREMISES = (
    (
        "szeroka",
        "ul. Szeroka 32",
        "Stare Miasto",
        ("53.01030", "18.60780"),
        Floor.GROUND,
        "64.5",
        3,
        True,
        "55",
    ),
    (
        "piekary",
        "ul. Piekary 14",
        "Stare Miasto",
        ("53.00990", "18.60290"),
        Floor.BASEMENT,
        "82.0",
        4,
        False,
        "38",
    ),
    (
        "mostowa",
        "ul. Mostowa 9",
        "Stare Miasto",
        ("53.00860", "18.61120"),
        Floor.GATEWAY,
        "28.0",
        1,
        True,
        "42",
    ),
    (
        "prosta",
        "ul. Prosta 4",
        "Stare Miasto",
        ("53.01160", "18.60560"),
        Floor.ATTIC,
        "71.0",
        3,
        False,
        "30",
    ),
    (
        "bydgoska",
        "ul. Bydgoska 50",
        "Bydgoskie Przedmieście",
        ("53.01480", "18.58410"),
        Floor.GROUND,
        "95.0",
        5,
        True,
        "34",
    ),
    (
        "mickiewicza",
        "ul. Mickiewicza 88",
        "Bydgoskie Przedmieście",
        ("53.01870", "18.58150"),
        Floor.OUTBUILDING,
        "46.0",
        2,
        True,
        "26",
    ),
    (
        "kraszewskiego",
        "ul. Kraszewskiego 21",
        "Bydgoskie Przedmieście",
        ("53.01600", "18.58930"),
        Floor.UPPER,
        "58.0",
        3,
        False,
        "28",
    ),
    (
        "rynek-nowomiejski",
        "Rynek Nowomiejski 13",
        "Nowe Miasto",
        ("53.01110", "18.61390"),
        Floor.GROUND,
        "40.0",
        2,
        True,
        "52",
    ),
    (
        "wlasna-strzecha",
        "ul. Własna Strzecha 9",
        "Jakubskie Przedmieście",
        ("53.01520", "18.63220"),
        Floor.GROUND,
        "120.0",
        6,
        True,
        "24",
    ),
    (
        "rydygiera",
        "ul. Rydygiera 30",
        "Jakubskie Przedmieście",
        ("53.01930", "18.62860"),
        Floor.BASEMENT,
        "66.0",
        3,
        False,
        "18",
    ),
    (
        "lubicka",
        "ul. Lubicka 27",
        "Mokre",
        ("53.02160", "18.63530"),
        Floor.GROUND,
        "54.0",
        2,
        True,
        "27",
    ),
    (
        "chrobrego",
        "ul. Bolesława Chrobrego 20",
        "Mokre",
        ("53.02660", "18.64410"),
        Floor.UPPER,
        "38.0",
        2,
        False,
        "22",
    ),
    (
        "dziewulskiego",
        "ul. Dziewulskiego 4",
        "Rubinkowo",
        ("53.03090", "18.66770"),
        Floor.GROUND,
        "88.0",
        4,
        True,
        "25",
    ),
    (
        "rubinkowo-pawilon",
        "ul. Rydygiera 15 (pawilon)",
        "Rubinkowo",
        ("53.02820", "18.66280"),
        Floor.GROUND,
        "150.0",
        6,
        True,
        "23",
    ),
    (
        "gagarina",
        "ul. Gagarina 150",
        "Bielany",
        ("53.02090", "18.57380"),
        Floor.GROUND,
        "62.0",
        3,
        True,
        "29",
    ),
    (
        "chelminska",
        "ul. Chełmińska 110",
        "Chełmińskie Przedmieście",
        ("53.02500", "18.59660"),
        Floor.BASEMENT,
        "74.0",
        3,
        False,
        "20",
    ),
    (
        "wybickiego",
        "ul. Wybickiego 42",
        "Chełmińskie Przedmieście",
        ("53.02480", "18.60860"),
        Floor.GROUND,
        "45.0",
        2,
        True,
        "27",
    ),
    (
        "poznanska",
        "ul. Poznańska 60",
        "Podgórz",
        ("52.99550", "18.59480"),
        Floor.GROUND,
        "70.0",
        3,
        True,
        "21",
    ),
    (
        "rypinska",
        "ul. Rypińska 5",
        "Podgórz",
        ("52.99710", "18.60090"),
        Floor.OUTBUILDING,
        "55.0",
        2,
        False,
        "17",
    ),
    (
        "grudziadzka",
        "ul. Grudziądzka 159",
        "Koniuchy",
        ("53.03480", "18.61480"),
        Floor.GROUND,
        "48.0",
        2,
        True,
        "24",
    ),
    (
        "mazowiecka",
        "ul. Mazowiecka 32",
        "Na Skarpie",
        ("53.02650", "18.68420"),
        Floor.GROUND,
        "99.0",
        4,
        True,
        "22",
    ),
)

# premises key, tenant short name, sphere code, start (days ago), override (percent, reason)
LEASES = (
    ("szeroka", "Dzielmy się Chlebem", "1", 900, None),  # 70%
    ("piekary", "Nadzieja", "3", 800, None),  # 70% + 20 (basement)
    ("mostowa", "Piernikowa Pracownia", "11", 700, None),  # 30% + 30 (gateway)
    ("prosta", "Scena Podgórz", "16", 650, None),  # 50% + 30 (attic)
    ("bydgoska", "Bez Barier", "7", 1000, None),  # 70%
    ("mickiewicza", "UKS Orlik", "17", 500, None),  # 50% + 30 (outbuilding)
    ("kraszewskiego", "Wspólny Toruń", "13", 600, None),  # 30%
    (
        "dziewulskiego",
        "Przyjaciele Rubinkowa",
        "13",
        750,
        (
            Decimal(60),
            "Świetlica osiedlowa jako jedyne miejsce spotkań seniorów i dzieci na Rubinkowie; "
            "uchwała Rady Osiedla nr 12/2024.",
        ),
    ),
    ("chelminska", "Złota Jesień", "1", 420, None),  # 70% + 20 (basement)
    ("poznanska", "Stary Podgórz", "16", 380, None),  # 50%
    ("gagarina", "Kolorowe Kredki", "15", 560, None),  # 50%
    ("grudziadzka", "Smaczny Kąsek", "11", 500, None),  # 30%; last year's report overdue
)


def existing_data() -> str:
    count = Premises.objects.count()
    return f"lokale: {count}" if count else ""


def load(context: DemoContext) -> str:
    torun = context.municipalities["torun"]
    official = context.accounts["official_torun"]
    services.torun_policy(municipality=torun, actor=official)
    # The Toruń official may change the rules in the portal (the admin grants the permission).
    official.user_permissions.add(
        Permission.objects.get(content_type__app_label="premises", codename="change_discountpolicy")
    )
    unit = AdministeringUnit.objects.create(
        department=context.departments["torun", "WGK"],
        name="Zakład Gospodarki Mieszkaniowej, Dział Lokali Użytkowych",
        contact_person="Ewa Malinowska",
        contact_email="lokale@zgm.torun.example",
        contact_phone="+48 56 611 00 00",
    )
    premises = {}
    for key, address, district, (lat, lon), floor, area, rooms, step_free, rent in PREMISES:
        item = Premises(
            unit=unit,
            municipality=torun,
            address=f"{address}, 87-100 Toruń",
            district=district,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            floor=floor,
            area_m2=Decimal(area),
            rooms=rooms,
            step_free_entrance=step_free,
            accessible_toilet=step_free and context.rng.random() < 0.6,
            has_gas=context.rng.random() < 0.3,
            market_rent_m2=Decimal(rent),
            description="Lokal użytkowy w zasobie Gminy Miasta Toruń.",
            status_changed_at=context.day(days_ago=1200),
        )
        item.full_clean()
        item.save()
        PremisesStatusChange.objects.create(
            premises=item, to_status=item.status, changed_at=context.day(days_ago=1200)
        )
        premises[key] = item
    spheres = {sphere.code: sphere for sphere in PublicBenefitSphere.objects.all()}
    orgs = context.organisations
    today = context.day(days_ago=0).date()
    leases = {}
    for key, tenant, sphere, days_ago, override in LEASES:
        organisation = orgs.get(tenant)
        if organisation is None or sphere not in spheres:
            continue
        start = (today - timedelta(days=days_ago)).replace(day=1)
        percent, reason = override or (None, "")
        leases[key] = services.lease_sign(
            premises=premises[key],
            organisation=organisation,
            sphere=spheres[sphere],
            activity=_activity(tenant),
            starts_on=start,
            ends_on=None,
            basic_rent_m2=(premises[key].market_rent_m2 * Decimal("0.8")).quantize(Decimal("1")),
            deposit=Decimal(1000),
            discount_percent=percent,
            override_reason=reason,
            actor=official,
        )
    if "szeroka" in leases:
        lease = leases["szeroka"]
        services.lease_index(
            lease=lease,
            valid_from=date(today.year, 1, 1),
            basic_rent_m2=(lease.rates.get().basic_rent_m2 * Decimal("1.05")).quantize(CENT),
            market_rent_m2=(premises["szeroka"].market_rent_m2 * Decimal("1.05")).quantize(CENT),
            note="Waloryzacja o wskaźnik inflacji GUS",
            actor=official,
        )
    services.premises_set_status(
        premises=premises["rynek-nowomiejski"],
        status=Premises.Status.LEASED_OTHER,
        actor=official,
        note="Najem komercyjny (przetarg)",
    )
    services.premises_set_status(
        premises=premises["rypinska"],
        status=Premises.Status.NOT_FOR_LEASE,
        actor=official,
        note="Wyłączony z najmu do remontu dachu",
    )
    reports = _reports(context, leases, today)
    calls = _calls(context, premises, spheres, official, today)
    alert_org = orgs.get("Smaczny Kąsek")
    if alert_org is not None:
        VacancyAlert.objects.create(
            organisation=alert_org,
            municipality=torun,
            min_area=Decimal(40),
            max_area=Decimal(120),
            step_free_only=True,
            purpose="sklep kawiarnia",
            created_by=context.owners.get(alert_org.pk),
        )
    return ", ".join(
        [
            plural(len(premises), "lokal", "lokale", "lokali"),
            plural(len(leases) + 1, "umowa najmu", "umowy najmu", "umów najmu"),
            plural(calls, "nabór", "nabory", "naborów"),
            plural(reports, "sprawozdanie", "sprawozdania", "sprawozdań"),
        ]
    )


_ACTIVITIES = {
    "Dzielmy się Chlebem": "Jadłodzielnia i punkt wydawania żywności dla potrzebujących.",
    "Nadzieja": "Magazyn darów i punkt pomocy charytatywnej.",
    "Piernikowa Pracownia": "Pracownia rzemiosła i sklep spółdzielni socjalnej.",
    "Scena Podgórz": "Sala prób teatru amatorskiego i zajęcia dla młodzieży.",
    "Bez Barier": "Punkt doradztwa i wsparcia dla osób z niepełnosprawnościami.",
    "UKS Orlik": "Magazyn sprzętu i szatnia klubu sportowego dzieci.",
    "Wspólny Toruń": "Centrum aktywności lokalnej, spotkania mieszkańców.",
    "Przyjaciele Rubinkowa": "Świetlica osiedlowa dla seniorów i dzieci.",
    "Złota Jesień": "Klub seniora z zajęciami opiekuńczymi.",
    "Stary Podgórz": "Izba pamięci i warsztaty dla mieszkańców Podgórza.",
    "Kolorowe Kredki": "Zajęcia pozalekcyjne i półkolonie dla dzieci.",
}


def _activity(tenant: str) -> str:
    return _ACTIVITIES.get(tenant, "Działalność pożytku publicznego.")


def _reports(context, leases, today) -> int:
    count = 0
    official = context.accounts["official_torun"]
    last_year = today.year - 1
    for index, (_key, lease) in enumerate(sorted(leases.items())):
        owner = context.owners.get(lease.organisation_id)
        if owner is None:
            continue
        for year in range(lease.starts_on.year, last_year + 1):
            latest = year == last_year
            if latest and (index % 5 == 4 or lease.premises.address.startswith("ul. Grudz")):
                continue  # overdue: not filed
            status = AnnualReport.Status.ACCEPTED
            if latest and index % 5 == 1:
                status = AnnualReport.Status.SUBMITTED
            elif latest and index % 5 == 2:
                status = AnnualReport.Status.RETURNED
            beneficiaries = context.rng.randrange(40, 900)
            AnnualReport.objects.create(
                lease=lease,
                year=year,
                activities=_activity(lease.organisation.short_name),
                beneficiaries=beneficiaries,
                hours_per_week=context.rng.randrange(10, 50),
                events=context.rng.randrange(4, 60),
                volunteers=context.rng.randrange(0, 30),
                in_kind_contribution=Decimal(context.rng.randrange(0, 20000)),
                narrative=(
                    f"W {year} roku z lokalu przy {lease.premises.address} skorzystało "
                    f"{beneficiaries} osób."
                ),
                status=status,
                submitted_by=owner,
                submitted_at=context.moment(days_ago=max(1, (today - date(year + 1, 3, 1)).days)),
                decided_by=official if status != AnnualReport.Status.SUBMITTED else None,
                decided_at=context.moment(days_ago=max(1, (today - date(year + 1, 4, 1)).days))
                if status != AnnualReport.Status.SUBMITTED
                else None,
                return_reason="Uzupełnij liczbę wolontariuszy i opis wydarzeń."
                if status == AnnualReport.Status.RETURNED
                else "",
            )
            count += 1
    return count


def _calls(context, premises, spheres, official, today) -> int:
    torun = context.municipalities["torun"]
    orgs = context.organisations
    # A closed call with its decision and the lease that followed.
    closed = PremisesCall.objects.create(
        municipality=torun,
        title="Nabór na lokal przy ul. Lubickiej 27 (Mokre)",
        purpose="Punkt aktywności lokalnej dla mieszkańców Mokrego.",
        documents_required="Statut; ostatnie sprawozdanie finansowe i merytoryczne.",
        opens_at=context.day(days_ago=120),
        closes_at=context.day(days_ago=90),
        # Decided below, once its committee has scored (the criteria are set before).
        status=PremisesCall.Status.PUBLISHED,
        published_at=context.day(days_ago=120),
        created_by=official,
    )
    closed.premises.set([premises["lubicka"]])
    applications = []
    for name in ("Krok Dalej", "Zdrowie na Start"):
        organisation = orgs.get(name)
        if organisation is None:
            continue
        applications.append(
            _application(context, closed, premises["lubicka"], organisation, days_ago=100)
        )
    chosen = applications[0] if applications else None
    for application in applications:
        application.status = (
            Application.Status.CHOSEN if application is chosen else Application.Status.NOT_CHOSEN
        )
        application.save(update_fields=["status"])
    CallDecision.objects.create(
        call=closed,
        premises=premises["lubicka"],
        application=chosen,
        reason="Najpełniejszy program zajęć i doświadczenie w pracy z mieszkańcami osiedla.",
        decided_by=official,
        decided_at=context.day(days_ago=80),
    )
    _committee(context, closed, official, scores=[("9", "5", "4"), ("7", "3", None)], close=True)
    closed.status = PremisesCall.Status.DECIDED
    closed.decided_at = context.day(days_ago=80)
    closed.save(update_fields=["status", "decided_at"])
    if chosen is not None:
        services.lease_sign(
            premises=premises["lubicka"],
            organisation=chosen.organisation,
            sphere=spheres["13"],
            activity=chosen.intended_use,
            starts_on=(today - timedelta(days=60)).replace(day=1),
            ends_on=None,
            basic_rent_m2=Decimal(20),
            application=chosen,
            actor=official,
        )
    # An open call with applications.
    open_call = PremisesCall.objects.create(
        municipality=torun,
        title="Nabór na lokale: sklep społeczny z kawiarnią",
        purpose="Sklep społeczny z kawiarnią, prowadzony przez podmiot ekonomii społecznej "
        "zatrudniający osoby zagrożone wykluczeniem.",
        documents_required="Statut; ostatnie sprawozdanie finansowe i merytoryczne.",
        opens_at=context.day(days_ago=10),
        closes_at=context.day(days_ago=-20),
        status=PremisesCall.Status.PUBLISHED,
        published_at=context.day(days_ago=10),
        created_by=official,
    )
    offered = [premises["wlasna-strzecha"], premises["wybickiego"]]
    open_call.premises.set(offered)
    for item in offered:
        services.premises_set_status(
            premises=item, status=Premises.Status.IN_CALL, actor=official, note=open_call.title
        )
    for name, item in (("Smaczny Kąsek", offered[0]), ("Czysty Dom", offered[1])):
        organisation = orgs.get(name)
        if organisation is not None:
            _application(context, open_call, item, organisation, days_ago=3)
    # A call closed last week, waiting for the decision, and a draft.
    waiting = PremisesCall.objects.create(
        municipality=torun,
        title="Nabór na lokal przy ul. Mazowieckiej 32 (Na Skarpie)",
        purpose="Klub dla dzieci i młodzieży z osiedla Na Skarpie.",
        documents_required="Statut; ostatnie sprawozdanie merytoryczne.",
        opens_at=context.day(days_ago=40),
        closes_at=context.day(days_ago=7),
        status=PremisesCall.Status.PUBLISHED,
        published_at=context.day(days_ago=40),
        created_by=official,
    )
    waiting.premises.set([premises["mazowiecka"]])
    services.premises_set_status(
        premises=premises["mazowiecka"],
        status=Premises.Status.IN_CALL,
        actor=official,
        note=waiting.title,
    )
    for name in ("Kolorowe Kredki", "Scena Podgórz", "Przyjaciele Rubinkowa"):
        organisation = orgs.get(name)
        if organisation is not None:
            _application(context, waiting, premises["mazowiecka"], organisation, days_ago=10)
    # Its committee has scored: the official decides with the ranking beside the form.
    _committee(
        context,
        waiting,
        official,
        scores=[("8", "4", "3"), ("6", "5", None), ("9", "2", "4")],
        close=False,
    )
    draft = PremisesCall.objects.create(
        municipality=torun,
        title="Nabór na lokal przy ul. Bolesława Chrobrego 20 (Mokre)",
        purpose="Punkt nieodpłatnej pomocy prawnej.",
        documents_required="Statut.",
        opens_at=context.day(days_ago=-7),
        closes_at=context.day(days_ago=-37),
        created_by=official,
    )
    draft.premises.set([premises["chrobrego"]])
    return 4


COMMITTEE_CRITERIA = [
    {"name": "Program działań w lokalu", "max_points": 10},
    {"name": "Doświadczenie w pracy z mieszkańcami", "max_points": 5},
    {"name": "Wkład własny (remont, wyposażenie)", "max_points": 5, "allow_not_applicable": True},
]


def _committee(context, call, official, *, scores, close):
    """The call's committee: the official chairs it with a colleague and a PES representative;
    the colleague declares a conflict of interest with the first application; the chair and the
    PES representative score every application they may (``scores``: points per criterion of
    each application in turn, None for "not applicable"), the colleague the others."""
    from scoring.demo_panels import seat_and_score

    return seat_and_score(
        context,
        panel=services.committee_create(call=call, actor=official, criteria=COMMITTEE_CRITERIA),
        chair=official,
        items=list(selectors.committee_items(call)),
        scores=scores,
        conflict_note="Jestem członkinią zarządu wnioskodawcy.",
        close=close,
    )


def _application(context, call, premises, organisation, *, days_ago):
    application = Application.objects.create(
        call=call,
        premises=premises,
        organisation=organisation,
        submitted_by=context.owners.get(organisation.pk) or context.accounts["pes_owner"],
        submitted_at=context.moment(days_ago=days_ago),
        intended_use=f"{organisation.display_name}: {call.purpose}",
        opening_hours="pon.-pt. 10:00-18:00",
        beneficiaries=context.rng.randrange(100, 1500),
        proposed_rent_m2=Decimal(context.rng.randrange(8, 20)),
    )
    document = ApplicationDocument(application=application, title="Statut")
    document.file.save("statut.pdf", ContentFile(PDF), save=True)
    return application
