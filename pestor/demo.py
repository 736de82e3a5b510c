"""Demo data of the portal itself: Toruń and its neighbour Lubicz, their departments, one account
for each role, and what every other app's demo builds on.

``python manage.py load_demo`` calls the ``demo`` module of each installed app in the order of
``INSTALLED_APPS``, passing one :class:`DemoContext` from app to app. A demo module defines

``load(context) -> str``
    writes the app's rows (inside the command's transaction), puts on the context what later
    apps need, and returns one line that sums up what it wrote;

and may define

``DEMO_EMAILS``
    the addresses of the accounts it creates, so that the command refuses before writing
    anything when one of them is taken;
``ACCOUNTS_NOTE``
    a line printed under the table of demo accounts;
``existing_data() -> str``
    what of the app's data already fills the database, in words, or an empty string: the demo
    loads only into an empty database.

The rows are written directly rather than through the apps' services, because the services send
e-mails; they are written in the shape the services leave behind (the same validation through
``full_clean()``, the same events in the log, dated back with ``audit.record(at=...)``).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from stdnum.pl import nip, regon

from pestor.models import (
    BusinessBuyerMembership,
    BuyerRoleRequest,
    Company,
    Department,
    LocalAdministratorMembership,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
    User,
    Voivodeship,
)

DEMO_PASSWORD = "demo-pestor-2026"
SEED = 2026


@dataclass(frozen=True)
class DemoAccount:
    key: str  # how other apps' demo modules find the account in ``DemoContext.accounts``
    role: str  # printed in the account table, Polish / English
    email: str
    first_name: str
    last_name: str


ADMIN = DemoAccount(
    "admin", "administrator / administrator", "admin@pestor.example", "Adam", "Nowicki"
)
OFFICIAL_TORUN = DemoAccount(
    "official_torun",
    "urzędnik Toruń (WZiPS) / official",
    "urzednik@torun.example",
    "Katarzyna",
    "Wiśniewska",
)
OFFICIAL_TORUN_PARTNERSHIP = DemoAccount(
    "official_torun_partnership",
    "urzędnik Toruń (BTCP) / official",
    "partnerstwo@torun.example",
    "Marta",
    "Zielińska",
)
OFFICIAL_LUBICZ = DemoAccount(
    "official_lubicz",
    "urzędnik Lubicz (RSS) / official",
    "urzednik@lubicz.example",
    "Tomasz",
    "Lewandowski",
)
PES_OWNER = DemoAccount(
    "pes_owner",
    "właściciel PES (Smaczny Kąsek) / PES owner",
    "pes@pestor.example",
    "Joanna",
    "Kowalczyk",
)
PES_EDITOR = DemoAccount(
    "pes_editor",
    "redaktor PES (2 organizacje) / PES editor",
    "edytor@pestor.example",
    "Piotr",
    "Mazur",
)
PENDING_OWNER = DemoAccount(
    "pending_owner",
    "właściciel PES do weryfikacji / pending PES owner",
    "nowa-pes@pestor.example",
    "Agnieszka",
    "Wójcik",
)
MONITORING = DemoAccount(
    "monitoring",
    "zespół monitorujący / monitoring team",
    "monitoring@pestor.example",
    "Ewa",
    "Kamińska",
)
BUSINESS_BUYER = DemoAccount(
    "business_buyer",
    "kupujący biznesowy / business buyer",
    "firma@pestor.example",
    "Marek",
    "Dąbrowski",
)
LOCAL_ADMIN_TORUN = DemoAccount(
    "local_admin_torun",
    "lokalny administrator Toruń / local administrator",
    "administrator@torun.example",
    "Barbara",
    "Szymańska",
)
RESIDENT = DemoAccount(
    "resident",
    "mieszkaniec, bez ról / resident, no roles",
    "mieszkaniec@pestor.example",
    "Jan",
    "Kowalski",
)

DEMO_ACCOUNTS = (
    ADMIN,
    OFFICIAL_TORUN,
    OFFICIAL_TORUN_PARTNERSHIP,
    OFFICIAL_LUBICZ,
    PES_OWNER,
    PES_EDITOR,
    PENDING_OWNER,
    MONITORING,
    BUSINESS_BUYER,
    LOCAL_ADMIN_TORUN,
    RESIDENT,
)
DEMO_EMAILS = tuple(account.email for account in DEMO_ACCOUNTS)
ACCOUNTS_NOTE = (
    "Administrator i lokalny administrator przy pierwszym logowaniu włączają weryfikację "
    "dwuetapową (aplikacja uwierzytelniająca, np. FreeOTP) / the administrator and the local "
    "administrator set up two-step verification (an authenticator app) at first sign-in."
)
# The resident asks to buy for a company; Toruń's local administrator decides.
DEMO_BUYER_REQUEST_COMPANY = "Pracownia Stolarska Kowalski s.c."


@dataclass(frozen=True)
class DemoMunicipality:
    slug: str
    name: str
    teryt: str
    latitude: str
    longitude: str
    postal_code: str
    # Half-widths of the box in which the demo scatters organisations' positions.
    spread: tuple[float, float]
    departments: tuple[tuple[str, str], ...]


TORUN = DemoMunicipality(
    slug="torun",
    name="Toruń",
    teryt="0463011",
    latitude="53.0138",
    longitude="18.5984",
    postal_code="87-100",
    spread=(0.025, 0.06),
    departments=(
        ("Wydział Zdrowia i Polityki Społecznej", "WZiPS"),
        ("Wydział Sportu i Rekreacji", "WSiR"),
        ("Wydział Kultury", "WK"),
        ("Wydział Edukacji", "WE"),
        ("Biuro Toruńskiego Centrum Partnerstwa", "BTCP"),
        ("Wydział Gospodarki Komunalnej", "WGK"),
    ),
)
LUBICZ = DemoMunicipality(
    slug="lubicz",
    name="Lubicz",
    teryt="0415042",
    latitude="53.0333",
    longitude="18.7500",
    postal_code="87-162",
    spread=(0.02, 0.04),
    departments=(
        ("Referat Spraw Społecznych", "RSS"),
        ("Referat Inwestycji", "RI"),
        ("Referat Gospodarki Komunalnej i Ochrony Środowiska", "RGKiOŚ"),
    ),
)
DEMO_MUNICIPALITIES = (TORUN, LUBICZ)

DEMO_COMPANY_NAME = "Przykładowa Firma Budowlana sp. z o.o."

# Names of generated people (owners of the other organisations…), drawn with the seeded generator.
_FIRST_NAMES = (
    ("Anna", "a"),
    ("Maria", "a"),
    ("Małgorzata", "a"),
    ("Barbara", "a"),
    ("Magdalena", "a"),
    ("Aleksandra", "a"),
    ("Monika", "a"),
    ("Beata", "a"),
    ("Krzysztof", ""),
    ("Andrzej", ""),
    ("Paweł", ""),
    ("Michał", ""),
    ("Łukasz", ""),
    ("Grzegorz", ""),
    ("Jakub", ""),
    ("Wojciech", ""),
)
# Surnames as (masculine, feminine).
_LAST_NAMES = (
    ("Nowak", "Nowak"),
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"),
    ("Grabowski", "Grabowska"),
    ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"),
    ("Król", "Król"),
    ("Wieczorek", "Wieczorek"),
    ("Jabłoński", "Jabłońska"),
)
_TAX_OFFICE_PREFIXES = ("879", "956")  # the two tax offices (urzędy skarbowe) in Toruń
_REGON_PREFIXES = ("34", "87")


class DemoNumbers:
    """Unique KRS, NIP and REGON numbers with valid check digits, from a seeded generator.

    One instance serves every app, so that no company shares a NIP with an organisation."""

    _NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def _digits(self, count: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(count))

    def _unique(self, make) -> str:
        while True:
            number = make()
            if number is not None and number not in self.used:
                self.used.add(number)
                return number

    def nip(self) -> str:
        def make():
            first9 = self.rng.choice(_TAX_OFFICE_PREFIXES) + self._digits(6)
            check = sum(w * int(d) for w, d in zip(self._NIP_WEIGHTS, first9, strict=True)) % 11
            # A remainder of 10 has no check digit: such NIPs are never issued.
            return None if check == 10 else first9 + str(check)

        number = self._unique(make)
        assert nip.is_valid(number), number
        return number

    def regon(self) -> str:
        def make():
            first8 = self.rng.choice(_REGON_PREFIXES) + self._digits(6)
            return first8 + regon.calc_check_digit(first8)

        number = self._unique(make)
        assert regon.is_valid(number), number
        return number

    def krs(self) -> str:
        return self._unique(lambda: f"0000{self.rng.randrange(100000, 1000000)}")


@dataclass
class DemoContext:
    """What the demo modules share, passed from app to app in the order of INSTALLED_APPS.

    The portal fills the first fields; the later ones are filled by the apps that own the
    objects (the portal does not import them, hence the plain types)."""

    rng: random.Random
    now: datetime
    numbers: DemoNumbers
    password_hash: str
    municipalities: dict[str, Municipality] = field(default_factory=dict)  # by slug
    departments: dict[tuple[str, str], Department] = field(default_factory=dict)  # (slug, code)
    accounts: dict[str, User] = field(default_factory=dict)  # by DemoAccount.key
    officials: dict[str, list[User]] = field(default_factory=dict)  # by municipality slug
    company: Company | None = None  # the business buyer's company
    # directory: organisations by short name, in the order they were registered, and each
    # organisation's owner (by the organisation's pk).
    organisations: dict[str, object] = field(default_factory=dict)
    owners: dict[int, User] = field(default_factory=dict)
    # exchange: the offers, in the order they were listed.
    offers: list = field(default_factory=list)

    @classmethod
    def start(cls, *, now: datetime | None = None) -> "DemoContext":
        rng = random.Random(SEED)
        return cls(
            rng=rng,
            now=now or timezone.now(),
            numbers=DemoNumbers(rng),
            # One hash for everyone: hashing each password separately would take seconds.
            password_hash=make_password(DEMO_PASSWORD),
        )

    def day(self, *, days_ago: int) -> datetime:
        """Local midnight ``days_ago`` days before now (negative: in the future)."""
        day = timezone.localtime(self.now).replace(hour=0, minute=0, second=0, microsecond=0)
        return day - timedelta(days=days_ago)

    def moment(self, *, days_ago: int) -> datetime:
        """A time within office hours ``days_ago`` days before now, never later than now."""
        office_hours = timedelta(hours=self.rng.randrange(8, 16), minutes=self.rng.randrange(60))
        return min(self.day(days_ago=days_ago) + office_hours, self.now - timedelta(minutes=5))

    def random_person(self) -> tuple[str, str]:
        first_name, ending = self.rng.choice(_FIRST_NAMES)
        masculine, feminine = self.rng.choice(_LAST_NAMES)
        return first_name, feminine if ending else masculine


def create_accounts(
    context: DemoContext, people: list[tuple[str, str, str]], *, joined: datetime
) -> dict[str, User]:
    """Accounts with the demo password and a verified address, for ``(email, first, last)``."""
    admin = ADMIN.email
    User.objects.bulk_create(
        User(
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=context.password_hash,
            is_staff=email == admin,
            is_superuser=email == admin,
            date_joined=joined,
        )
        for email, first_name, last_name in people
    )
    users = {user.email: user for user in User.objects.filter(email__in=[p[0] for p in people])}
    EmailAddress.objects.bulk_create(
        EmailAddress(user=users[email], email=email, verified=True, primary=True)
        for email, _first, _last in people
    )
    return users


def plural(count: int, one: str, few: str, many: str) -> str:
    """``count`` with the Polish noun form it takes (1 gmina, 2 gminy, 5 gmin)."""
    if count == 1:
        form = one
    elif count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        form = few
    else:
        form = many
    return f"{count} {form}"


def load(context: DemoContext) -> str:
    _load_municipalities(context)
    _load_accounts(context)
    _load_roles(context)
    return ", ".join(
        [
            plural(len(context.municipalities), "gmina", "gminy", "gmin"),
            plural(len(context.departments), "wydział", "wydziały", "wydziałów"),
            plural(
                len(context.accounts),
                "konto demonstracyjne",
                "konta demonstracyjne",
                "kont demonstracyjnych",
            ),
            plural(1, "firma", "firmy", "firm"),
            plural(
                1,
                "wniosek o rolę kupującego",
                "wnioski o rolę kupującego",
                "wniosków o rolę kupującego",
            ),
        ]
    )


def existing_data() -> str:
    count = Municipality.objects.count()
    return f"gminy: {count}" if count else ""


def _load_municipalities(context: DemoContext) -> None:
    for demo in DEMO_MUNICIPALITIES:
        create_municipality(context, demo, voivodeship=Voivodeship.KUJAWSKO_POMORSKIE)


def create_municipality(
    context: DemoContext, demo: DemoMunicipality, *, voivodeship: str
) -> Municipality:
    """The municipality and its departments, put on the context (other apps' demos add the
    municipalities of their own models with it)."""
    municipality = Municipality(
        name=demo.name,
        slug=demo.slug,
        teryt=demo.teryt,
        voivodeship=voivodeship,
        latitude=Decimal(demo.latitude),
        longitude=Decimal(demo.longitude),
        # A number of the right shape (not the real office's), for the open data's buyer;
        # made from the TERYT code, not drawn, so that the rest of the demo stays the same.
        regon=f"9{demo.teryt}" + regon.calc_check_digit(f"9{demo.teryt}"),
    )
    municipality.full_clean()
    municipality.save()
    context.municipalities[demo.slug] = municipality
    for name, code in demo.departments:
        context.departments[demo.slug, code] = Department.objects.create(
            municipality=municipality, name=name, code=code
        )
    return municipality


def _load_accounts(context: DemoContext) -> None:
    people = [(account.email, account.first_name, account.last_name) for account in DEMO_ACCOUNTS]
    users = create_accounts(context, people, joined=context.now - timedelta(days=760))
    context.accounts = {account.key: users[account.email] for account in DEMO_ACCOUNTS}


def _load_roles(context: DemoContext) -> None:
    accounts = context.accounts
    OfficialMembership.objects.bulk_create(
        [
            OfficialMembership(
                user=accounts[OFFICIAL_TORUN.key],
                department=context.departments["torun", "WZiPS"],
                position="inspektor",
            ),
            OfficialMembership(
                user=accounts[OFFICIAL_TORUN_PARTNERSHIP.key],
                department=context.departments["torun", "BTCP"],
                position="główny specjalista",
            ),
            OfficialMembership(
                user=accounts[OFFICIAL_LUBICZ.key],
                department=context.departments["lubicz", "RSS"],
                position="inspektor",
            ),
        ]
    )
    torun = context.municipalities["torun"]
    MonitoringTeamMembership.objects.create(user=accounts[MONITORING.key], municipality=torun)
    company = Company(name=DEMO_COMPANY_NAME, nip=context.numbers.nip(), municipality=torun)
    company.full_clean()
    company.save()
    BusinessBuyerMembership.objects.create(user=accounts[BUSINESS_BUYER.key], company=company)
    context.company = company
    LocalAdministratorMembership.objects.create(
        user=accounts[LOCAL_ADMIN_TORUN.key], municipality=torun
    )
    request = BuyerRoleRequest(
        user=accounts[RESIDENT.key],
        company_name=DEMO_BUYER_REQUEST_COMPANY,
        nip=context.numbers.nip(),
        municipality=torun,
    )
    request.full_clean()
    request.save()
    context.officials = {
        "torun": [accounts[OFFICIAL_TORUN.key], accounts[OFFICIAL_TORUN_PARTNERSHIP.key]],
        "lubicz": [accounts[OFFICIAL_LUBICZ.key]],
    }


def format_demo_accounts(accounts=DEMO_ACCOUNTS, *, notes=()) -> str:
    """The table of demo accounts the command prints after loading; the Makefile relies on it."""
    header = ("Rola / Role", "E-mail", "Hasło / Password")
    rows = [(account.role, account.email, DEMO_PASSWORD) for account in accounts]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(3)]

    def line(cells):
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    lines = [
        "Konta demonstracyjne / Demo accounts",
        line(header).rstrip(),
        line(["-" * width for width in widths]),
        *(line(row).rstrip() for row in rows),
    ]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)
