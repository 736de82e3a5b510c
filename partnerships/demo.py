"""Demo data of partnerships and finance: the Płock subregion (Płock and Słupno, each with an
official) and its PES, among them the environmental-services cooperative of legal persons (the
gmina, an NGO and a parish) and the land-drainage cooperative (with the water company, a legal
person named by its NIP), a cluster of PES in its four themes, Toruń's three-sector partnership
with the business buyer's company (coordinated by the city: its officials manage it) and an
event of it in the calendar (run by its member Smaczny Kąsek), and the
financial instrument: three products from two lenders, requests in every state, loans with
repayments. The organisations are registered as the directory's demo registers its own; the
rest is written through the services (the event log as they leave it)."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from directory import services as directory_services
from directory.demo import DemoOrganisation, register_organisations
from directory.models import LegalForm
from pestor.demo import (
    DemoAccount,
    DemoContext,
    DemoMunicipality,
    create_accounts,
    create_municipality,
    plural,
)
from pestor.models import OfficialMembership, Voivodeship

from . import purposes, services
from .models import Lender, LenderStaff, Meeting, PartnershipMember, Product, Theme

FUND_STAFF = ("doradca@fundusz-es.example", "Ewa", "Pożyczkowska")
BANK_STAFF = ("kredyty@bank-plock.example", "Piotr", "Bankowski")

# Powiat płocki is 1419 and Słupno its 12th gmina (a rural one, type 2); Płock is a city with
# powiat rights (1462, type 1).
PLOCK = DemoMunicipality(
    slug="plock",
    name="Płock",
    teryt="1462011",
    latitude="52.546345",
    longitude="19.706536",
    postal_code="09-400",
    spread=(0.02, 0.05),
    departments=(("Wydział Polityki Społecznej", "WPS"),),
)
SLUPNO = DemoMunicipality(
    slug="slupno",
    name="Słupno",
    teryt="1419122",
    latitude="52.591667",
    longitude="19.788333",
    postal_code="09-472",
    spread=(0.01, 0.02),
    departments=(("Referat Spraw Społecznych", "RSS"),),
)
# The subregion's officials verified its organisations.
OFFICIALS = (
    (
        DemoAccount(
            "official_plock",
            "urzędnik Płock (WPS) / official",
            "urzednik@plock.example",
            "Joanna",
            "Kaczmarek",
        ),
        PLOCK,
        "WPS",
    ),
    (
        DemoAccount(
            "official_slupno",
            "urzędnik Słupno (RSS) / official",
            "urzednik@slupno.example",
            "Robert",
            "Sadowski",
        ),
        SLUPNO,
        "RSS",
    ),
)


def _pes(short_name, name, legal_form, seat, street, description, spheres, founded, **extra):
    return DemoOrganisation(
        name=name,
        short_name=short_name,
        legal_form=legal_form,
        seat=seat,
        city=seat.name,
        street=street,
        description=description,
        spheres=spheres,
        year_founded=founded,
        **extra,
    )


# The subregion's PES and the cluster theme each sells in.
SUBREGION_PES = (
    (
        _pes(
            "Zielona Gmina",
            "Spółdzielnia Socjalna Osób Prawnych „Zielona Gmina”",
            LegalForm.SOCIAL_COOPERATIVE_OF_LEGAL_PERSONS,
            SLUPNO,
            "ul. Miszewska 8",
            "Spółdzielnię założyły gmina Słupno, stowarzyszenie i parafia. Utrzymujemy zieleń, "
            "sprzątamy tereny gminne i zatrudniamy osoby długotrwale bezrobotne.",
            ("18", "11"),
            2015,
            employees=9,
            employees_at_risk=6,
            is_social_enterprise=True,
        ),
        "uslugi-komunalne",
    ),
    (
        _pes(
            "Melioracje Płockie",
            "Spółdzielnia Socjalna Osób Prawnych „Melioracje Płockie”",
            LegalForm.SOCIAL_COOPERATIVE_OF_LEGAL_PERSONS,
            PLOCK,
            "ul. Kutrzeby 4",
            "Spółdzielnię założyły Płock, Słupno i wodociągi miejskie. Konserwujemy rowy "
            "melioracyjne i urządzenia wodne subregionu.",
            ("18", "23"),
            2017,
            employees=7,
            employees_at_risk=4,
            is_social_enterprise=True,
        ),
        "uslugi-komunalne",
    ),
    (
        _pes(
            "Eko Słupno",
            "Stowarzyszenie Ekologiczne „Eko Słupno”",
            LegalForm.ASSOCIATION,
            SLUPNO,
            "ul. Warszawska 26",
            "Uczymy dzieci i dorosłych dbania o przyrodę nad Wisłą. Prowadzimy warsztaty w "
            "szkołach i rajdy przyrodnicze.",
            ("18", "14"),
            2009,
            employees=2,
        ),
        "edukacja",
    ),
    (
        _pes(
            "Płocka Akademia",
            "Fundacja Płocka Akademia Umiejętności",
            LegalForm.FOUNDATION,
            PLOCK,
            "ul. Tumska 12",
            "Szkolimy dorosłych, którzy wracają na rynek pracy. Koordynujemy klaster ekonomii "
            "społecznej subregionu płockiego.",
            ("14", "11", "13"),
            2012,
            employees=6,
            employees_at_risk=2,
            is_public_benefit=True,
            is_social_enterprise=True,
        ),
        "edukacja",
    ),
    (
        _pes(
            "Opiekunka",
            "Spółdzielnia Socjalna „Opiekunka”",
            LegalForm.SOCIAL_COOPERATIVE,
            PLOCK,
            "ul. Sienkiewicza 30",
            "Świadczymy usługi opiekuńcze dla seniorów w ich domach. Pracują u nas osoby, "
            "które wróciły na rynek pracy dzięki spółdzielni.",
            ("10", "1"),
            2019,
            employees=12,
            employees_at_risk=7,
            is_social_enterprise=True,
        ),
        "uslugi-spoleczne",
    ),
    (
        _pes(
            "Wiślany Szlak",
            "Stowarzyszenie Turystyczne „Wiślany Szlak”",
            LegalForm.ASSOCIATION,
            PLOCK,
            "ul. Rybaki 2",
            "Oprowadzamy po Płocku i organizujemy spływy Wisłą. Zarabiamy na przewodnictwie i "
            "wynajmie kajaków.",
            ("19", "16"),
            2011,
            employees=3,
            employees_at_risk=1,
        ),
        "turystyka",
    ),
)
OWNER_EMAILS = tuple(
    f"kontakt+plock{number:02d}@pestor.example" for number in range(1, len(SUBREGION_PES) + 1)
)
DEMO_EMAILS = (
    FUND_STAFF[0],
    BANK_STAFF[0],
    *(account.email for account, _seat, _code in OFFICIALS),
    *OWNER_EMAILS,
)
ACCOUNTS_NOTE = (
    f"Instytucje finansujące / lenders: {FUND_STAFF[0]} (fundusz pożyczkowy), "
    f"{BANK_STAFF[0]} (bank). Subregion płocki / the Płock subregion: "
    + ", ".join(account.email for account, _seat, _code in OFFICIALS)
    + f" (urzędnicy / officials), {OWNER_EMAILS[0]} … {OWNER_EMAILS[-1]} (właściciele PES / "
    "PES owners)."
)


def load(context: DemoContext) -> str:
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    plock, slupno = _subregion(context)
    pes = _subregion_pes(context, themes)
    _cooperatives(context, plock, slupno, pes)
    cluster = _cluster(context, plock, themes, pes)
    partnership = _three_sector(context, themes)
    products = _finance_products(context)
    loans = _finance_requests(context, products, pes)
    return ", ".join(
        [
            plural(2, "gmina", "gminy", "gmin"),
            plural(len(pes), "organizacja", "organizacje", "organizacji"),
            plural(2, "partnerstwo", "partnerstwa", "partnerstw"),
            plural(
                PartnershipMember.objects.filter(partnership__in=[cluster, partnership]).count(),
                "członkostwo",
                "członkostwa",
                "członkostw",
            ),
            plural(
                len(products), "produkt finansowy", "produkty finansowe", "produktów finansowych"
            ),
            plural(loans, "pożyczka", "pożyczki", "pożyczek"),
        ]
    )


def existing_data() -> str:
    count = Lender.objects.count()
    return f"instytucje finansujące: {count}" if count else ""


def _subregion(context):
    """Płock and Słupno, each with a department and an official in it."""
    municipalities = [
        create_municipality(context, demo, voivodeship=Voivodeship.MAZOWIECKIE)
        for demo in (PLOCK, SLUPNO)
    ]
    users = create_accounts(
        context,
        [(account.email, account.first_name, account.last_name) for account, *_ in OFFICIALS],
        joined=context.now - timedelta(days=760),
    )
    for account, seat, code in OFFICIALS:
        user = users[account.email]
        OfficialMembership.objects.create(
            user=user, department=context.departments[seat.slug, code], position="inspektor"
        )
        context.accounts[account.key] = user
        context.officials[seat.slug] = [user]
    return municipalities


def _subregion_pes(context, themes):
    """The subregion's PES, registered by their owners and verified by an official of their
    seat, as the directory's demo does it."""
    owners = create_accounts(
        context,
        [(email, *context.random_person()) for email in OWNER_EMAILS],
        joined=context.now - timedelta(days=760),
    )
    organisations = register_organisations(
        context,
        tuple(demo for demo, _theme in SUBREGION_PES),
        [owners[email] for email in OWNER_EMAILS],
        area=[context.municipalities["plock"], context.municipalities["slupno"]],
    )
    return {
        organisation.short_name: (organisation, themes[theme])
        for organisation, (_demo, theme) in zip(organisations, SUBREGION_PES, strict=True)
    }


def _cooperatives(context, plock, slupno, pes):
    green, _theme = pes["Zielona Gmina"]
    drainage, _theme = pes["Melioracje Płockie"]
    add = directory_services.founder_add
    add(actor=None, cooperative=green, kind="municipality", municipality=slupno)
    add(actor=None, cooperative=green, kind="organisation", organisation=pes["Eko Słupno"][0])
    add(
        actor=None,
        cooperative=green,
        kind="legal_person",
        name="Parafia Rzymskokatolicka pw. św. Jakuba Apostoła w Słupnie",
        regon=context.numbers.regon(),
    )
    # Toruń's "Smaczny Kąsek" was founded with an association of the directory.
    kasek, friends = (
        context.organisations.get("Smaczny Kąsek"),
        context.organisations.get("Przyjaciele Rubinkowa"),
    )
    if kasek is not None and friends is not None:
        add(actor=None, cooperative=kasek, kind="organisation", organisation=friends)
    add(actor=None, cooperative=drainage, kind="municipality", municipality=plock)
    add(actor=None, cooperative=drainage, kind="municipality", municipality=slupno)
    add(
        actor=None,
        cooperative=drainage,
        kind="legal_person",
        name="Wodociągi Płockie sp. z o.o.",
        nip=context.numbers.nip(),
    )


def _join(partnership, kind, target, themes=(), role="partner", accept=True):
    member = services.member_invite(
        actor=None, partnership=partnership, kind=kind, target=target, role=role, themes=themes
    )
    if accept:
        services.member_accept(actor=None, member=member)
    return member


def _cluster(context, plock, themes, pes):
    coordinator, _theme = pes["Płocka Akademia"]
    cluster = services.partnership_create(
        actor=None,
        name="Klaster Ekonomii Społecznej Subregionu Płockiego",
        kind="cluster",
        territory=[plock, context.municipalities["slupno"]],
        themes=list(themes.values()),
        description=(
            "Podmioty ekonomii społecznej subregionu płockiego sprzedają wspólnie w czterech "
            "tematach: edukacja, usługi komunalne, usługi społeczne i turystyka."
        ),
        results="Wspólny katalog usług; dwa zamówienia gminy Słupno zrealizowane wspólnie.",
        coordinator_organisation=coordinator,
    )
    for organisation, theme in pes.values():
        if organisation != coordinator:
            _join(cluster, "organisation", organisation, [theme])
    # Toruń's "Smaczny Kąsek" asks to join; the coordinator has not answered yet.
    kasek = context.organisations.get("Smaczny Kąsek")
    if kasek is not None:
        services.member_request(
            actor=None,
            partnership=cluster,
            kind="organisation",
            target=kasek,
            themes=[themes["uslugi-spoleczne"]],
        )
    _meetings(context, cluster)
    return cluster


def _meetings(context, partnership):
    for days_ago, title, published in (
        (60, "Przestrzeń do refleksji: wspólna oferta klastra", True),
        (10, "Spotkanie robocze: ceny usług komunalnych", False),
    ):
        services.meeting_save(
            actor=None,
            meeting=Meeting(partnership=partnership),
            held_on=(context.now - timedelta(days=days_ago)).date(),
            title=title,
            minutes="Omówiono doświadczenia członków i potrzeby gmin subregionu.",
            decisions="Przygotować wspólny katalog usług do końca kwartału.",
            is_published=published,
        )


def _three_sector(context, themes):
    torun = context.municipalities["torun"]
    partnership = services.partnership_create(
        actor=context.accounts.get("official_torun_partnership"),
        name="Toruńskie Partnerstwo Trójsektorowe",
        kind="three_sector",
        territory=[torun, context.municipalities["lubicz"]],
        themes=[themes["uslugi-spoleczne"], themes["edukacja"]],
        description="Miasto, organizacje pozarządowe i firmy na rzecz zatrudnienia socjalnego.",
        coordinator_municipality=torun,
        charter=SimpleUploadedFile(
            "statut.pdf", b"%PDF-1.4\n% Statut partnerstwa (demo)\n", "application/pdf"
        ),
    )
    kasek = context.organisations.get("Smaczny Kąsek")
    if kasek is not None:
        _join(partnership, "organisation", kasek, [themes["uslugi-spoleczne"]])
    for short_name in ("Zielona Wisła", "Krok Dalej"):
        organisation = context.organisations.get(short_name)
        if organisation is not None:
            _join(partnership, "organisation", organisation, [themes["edukacja"]])
    if context.company is not None:
        _join(partnership, "company", context.company, role="supporting")
    department = context.departments.get(("torun", "WZiPS"))
    if department is not None:
        _join(partnership, "department", department, role="leader")
    # Lubicz is invited; its official answers on the partnership's page or the panel.
    _join(partnership, "municipality", context.municipalities["lubicz"], accept=False)
    if kasek is not None:
        _partnership_event(context, partnership, kasek)
    return partnership


def _partnership_event(context, partnership, organiser):
    """The partnership's event in the calendar (the community app, through its services): run
    by its member Smaczny Kąsek, listed on the partnership's page."""
    from community import services as community_services

    actor = context.accounts["pes_owner"]
    start = context.day(days_ago=-24) + timedelta(hours=10)
    event = community_services.event_create(
        actor=actor,
        municipality=organiser.seat_municipality,
        organiser=organiser,
        partnership=partnership.pk,
        kind="consultation",
        title="Spotkanie Toruńskiego Partnerstwa Trójsektorowego: praca dla osób wykluczonych",
        programme=(
            "Miasto, organizacje i firmy partnerstwa o miejscach pracy dla osób zagrożonych "
            "wykluczeniem: zamówienia zastrzeżone, staże, zatrudnienie wspierane."
        ),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        registration_deadline=start - timedelta(days=2),
        venue=f"{organiser.street}, {organiser.city}",
        audience="everyone",
        capacity=40,
        accessibility="Wejście z poziomu chodnika.",
        public_task="Zatrudnienie socjalne",
    )
    community_services.event_publish(event=event, actor=actor, now=event.created_at)


def _finance_products(context):
    users = create_accounts(context, [FUND_STAFF, BANK_STAFF], joined=context.now)
    fund = Lender.objects.create(
        name="Fundusz Pożyczkowy Ekonomii Społecznej",
        slug="fundusz-pozyczkowy-es",
        kind=Lender.Kind.LOAN_FUND,
        nip=context.numbers.nip(),
        description="Pożyczki i pożyczki pomostowe dla PES ze środków partnerskich funduszy.",
    )
    bank = Lender.objects.create(
        name="Bank Spółdzielczy w Płocku",
        slug="bank-spoldzielczy-plock",
        kind=Lender.Kind.BANK,
        nip=context.numbers.nip(),
    )
    LenderStaff.objects.create(lender=fund, user=users[FUND_STAFF[0]])
    LenderStaff.objects.create(lender=bank, user=users[BANK_STAFF[0]])
    common = {"collateral": "weksel in blanco", "how_to_apply": "Wniosek przez portal."}
    products = [
        services.product_save(
            actor=None,
            product=Product(lender=fund),
            name="Pożyczka na rozwój PES",
            kind=Product.Kind.LOAN,
            amount_min=Decimal("10000"),
            amount_max=Decimal("200000"),
            term_months=60,
            interest_rate=Decimal("1.50"),
            min_age_years=1,
            purposes="Inwestycje, wyposażenie, nowe miejsca pracy.",
            **common,
        ),
        services.product_save(
            actor=None,
            product=Product(lender=fund),
            name="Pożyczka pomostowa na dotację lub projekt UE",
            kind=Product.Kind.BRIDGING_LOAN,
            amount_min=Decimal("5000"),
            amount_max=Decimal("100000"),
            term_months=24,
            interest_rate=Decimal("0.50"),
            purposes="Prefinansowanie dotacji gminy i projektów unijnych do czasu wypłaty transzy.",
            **common,
        ),
        services.product_save(
            actor=None,
            product=Product(lender=bank),
            name="Poręczenie dla przedsiębiorstw społecznych",
            kind=Product.Kind.GUARANTEE,
            amount_min=Decimal("20000"),
            amount_max=Decimal("300000"),
            term_months=84,
            interest_rate=Decimal("0.00"),
            legal_forms=[
                LegalForm.SOCIAL_COOPERATIVE,
                LegalForm.SOCIAL_COOPERATIVE_OF_LEGAL_PERSONS,
                LegalForm.NON_PROFIT_COMPANY,
            ],
            min_age_years=2,
            requires_social_enterprise=True,
            purposes="Zabezpieczenie kredytu obrotowego lub inwestycyjnego.",
            **common,
        ),
    ]
    return products


def _finance_requests(context, products, pes):
    loan, bridging, guarantee = products
    today = context.now.date()
    requesters = [organisation for organisation, _theme in pes.values()]
    kasek = context.organisations.get("Smaczny Kąsek")
    if kasek is not None:
        requesters.insert(0, kasek)

    def submit(product, organisation, amount, purpose_kind="grant"):
        # About the organisation's own grant when the grants demo gave it one.
        target = next((t for t in purposes.targets(organisation) if t.kind == purpose_kind), None)
        return services.request_submit(
            actor=None,
            product=product,
            organisation=organisation,
            amount=Decimal(amount),
            need="Środki na realizację zadania do czasu wypłaty dotacji.",
            purpose_kind=purpose_kind,
            purpose=target.title[:300] if target else "Zadanie publiczne gminy: usługi opiekuńcze",
            purpose_ref=target.pk if target else None,
        )

    # Granted loans with repayments, to four organisations (the totals show them).
    granted = 0
    for number, (product, organisation, amount) in enumerate(
        [
            (bridging, requesters[0], "40000"),
            (loan, requesters[1], "80000"),
            (bridging, requesters[2], "25000"),
            (loan, requesters[4], "120000"),
            (guarantee, requesters[1], "60000"),
        ]
    ):
        request = submit(product, organisation, amount, purpose_kind="grant")
        services.request_accept(actor=None, loan_request=request)
        granted_on = today - timedelta(days=200 - 30 * number)
        loan_row = services.loan_record(
            actor=None,
            loan_request=request,
            amount=Decimal(amount),
            granted_on=granted_on,
            due_on=granted_on + timedelta(days=365),
            schedule="12 rat miesięcznych",
        )
        for month in range(1, 4 - number % 3):
            services.repayment_record(
                actor=None,
                loan_request=request,
                paid_on=granted_on + timedelta(days=30 * month),
                amount=(Decimal(amount) / 12).quantize(Decimal("0.01")),
            )
        services.venture_report(
            actor=None,
            loan=loan_row,
            public_task="usługi opiekuńcze dla seniorów",
            jobs_created=1 + number % 3,
            jobs_kept=2,
            turnover_before=Decimal("300000"),
            turnover_after=Decimal("360000"),
        )
        granted += 1
    # One request in each other state.
    submit(bridging, requesters[0], "15000")
    services.request_accept(actor=None, loan_request=submit(loan, requesters[3], "50000"))
    services.request_decline(
        actor=None,
        loan_request=submit(loan, requesters[5], "20000", purpose_kind="other"),
        reason="Brak zabezpieczenia spłaty; prosimy o wniosek o poręczenie.",
    )
    services.request_withdraw(actor=None, loan_request=submit(bridging, requesters[2], "9000"))
    return granted
