"""National-scale data for measuring the portal: the framework, and the portal's own part
(municipalities, their departments, companies).

``python manage.py generate_national_data --scale 1.0`` loads the demo first (its accounts hold
every role the benchmark signs in as), then calls the ``bulk`` module of each installed app in
the order of ``INSTALLED_APPS``, passing one :class:`BulkContext`. A bulk module defines

``load(context) -> str``
    writes the app's rows through ``context.writer`` and returns one line that sums them up.

``finish(context) -> str`` (optional)
    runs once every app has loaded and the planner has statistics (e.g. monitoring takes the
    snapshots of its computed indicators, which read the other apps' rows); one line back.

Rows are built as the apps' own model instances, with the search text folded by the same
helpers the models use, and written in batches: PostgreSQL's COPY on PostgreSQL,
``bulk_create`` elsewhere. The database still checks every constraint (unique NIP, checks,
foreign keys); ``BulkContext.check`` runs the models' own validation on a sample of the rows.
At full scale the portal holds what a national installation would: 2 477 municipalities,
120 000 organisations, 600 000 offers, 250 000 notices with 700 000 answers, 300 programmes.
"""

import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from importlib import import_module
from itertools import accumulate, islice
from types import ModuleType

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.text import slugify
from stdnum.pl import regon

from pestor.models import Company, Department, Municipality, Voivodeship

SEED = 8  # issue 8: national scale
BATCH = 5000

# What a full-scale (1.0) national installation holds.
MUNICIPALITIES = 2477
COMPANIES = 6000
DEPARTMENTS = (
    ("Wydział Spraw Społecznych", "WSS"),
    ("Referat Zamówień Publicznych", "RZP"),
    ("Wydział Gospodarki Komunalnej", "WGK"),
)

# Rough centres of the voivodeships, around which their municipalities are scattered.
VOIVODESHIP_CENTRES = {
    "02": (51.1, 16.4),
    "04": (53.1, 18.5),
    "06": (51.2, 22.9),
    "08": (52.2, 15.3),
    "10": (51.6, 19.4),
    "12": (49.9, 20.2),
    "14": (52.3, 21.1),
    "16": (50.6, 17.9),
    "18": (49.9, 22.2),
    "20": (53.3, 22.9),
    "22": (54.2, 18.0),
    "24": (50.3, 19.0),
    "26": (50.8, 20.7),
    "28": (53.8, 20.8),
    "30": (52.3, 17.2),
    "32": (53.6, 15.5),
}
POLAND = ((49.0, 54.8), (14.1, 24.1))  # latitude and longitude bounds

_NAME_PREFIXES = ("", "", "", "Nowa ", "Stara ", "Wielka ", "Mała ", "Górna ", "Dolna ")
_NAME_ROOTS = (
    "Wola",
    "Dąbrowa",
    "Brzozów",
    "Lipno",
    "Kamień",
    "Zielonka",
    "Borki",
    "Jabłonna",
    "Łąka",
    "Żabno",
    "Gródek",
    "Olszyny",
    "Sokołów",
    "Bieliny",
    "Krzemień",
    "Przysucha",
    "Świerże",
    "Łódka",
    "Koźminek",
    "Różan",
)
_NAME_SUFFIXES = ("", "", " Wielka", " Mała", "-Kolonia", " Szlachecka", " Kościelna")
_STREETS = ("ul. Polna", "ul. Lipowa", "ul. Szkolna", "ul. Kościuszki", "ul. Łąkowa", "ul. Żwirki")
_FIRST_NAMES = ("Anna", "Maria", "Krzysztof", "Andrzej", "Ewa", "Łukasz", "Małgorzata", "Paweł")
_LAST_NAMES = ("Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Zieliński", "Woźniak")


class BulkWriter:
    """Writes model instances in batches and gives each its primary key before it is written,
    so that a generator can read ``obj.pk`` right after yielding it."""

    def __init__(self, *, stdout=None):
        self.stdout = stdout
        self.next_pk: dict[type[models.Model], int] = {}
        self.written: dict[type[models.Model], int] = {}
        self.use_copy = connection.vendor == "postgresql"

    def insert(self, model: type[models.Model], objects: Iterable[models.Model]) -> int:
        """Write ``objects`` (any iterable, consumed lazily) and return how many were written."""
        started = time.monotonic()
        count = 0
        iterator = self._numbered(model, objects)
        while batch := list(islice(iterator, BATCH)):
            if self.use_copy:
                self._copy(model, batch)
            else:
                model.objects.bulk_create(batch)
            count += len(batch)
        self.written[model] = self.written.get(model, 0) + count
        if self.stdout is not None and count:
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"    {model._meta.label}: {count:,} rows in {elapsed:.1f} s".replace(",", " ")
            )
        return count

    def insert_links(self, relation, pairs: Iterable[tuple[int, int]]) -> int:
        """Write the rows of a many-to-many field's table, e.g.
        ``insert_links(Offer.municipalities_served, [(offer_pk, municipality_pk), …])``: plain
        pairs, for these tables hold millions of rows and nothing a model would check."""
        if not self.use_copy:
            return self.insert(relation.through, (through_row(relation, *pair) for pair in pairs))
        started = time.monotonic()
        field = relation.field
        through = relation.through
        columns = [
            through._meta.get_field(field.m2m_field_name()).column,
            through._meta.get_field(field.m2m_reverse_field_name()).column,
        ]
        table = connection.ops.quote_name(through._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for pair in pairs:
                copy.write_row(pair)
                count += 1
        self.written[through] = self.written.get(through, 0) + count
        # The ids came from the table's own sequence: nothing to reset.
        if self.stdout is not None and count:
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"    {through._meta.label}: {count:,} rows in {elapsed:.1f} s".replace(",", " ")
            )
        return count

    def _numbered(self, model, objects) -> Iterator[models.Model]:
        pk_field = model._meta.pk
        numbered = isinstance(pk_field, models.AutoField | models.BigAutoField)
        for obj in objects:
            if numbered and obj.pk is None:
                obj.pk = self._take_pk(model)
            yield obj

    def new_pk(self, model) -> int:
        """The next free primary key of ``model``, for rows whose other fields need it."""
        return self._take_pk(model)

    def _take_pk(self, model) -> int:
        if model not in self.next_pk:
            highest = model.objects.aggregate(highest=models.Max("pk"))["highest"] or 0
            self.next_pk[model] = highest + 1
        pk = self.next_pk[model]
        self.next_pk[model] = pk + 1
        return pk

    def _copy(self, model, batch):
        fields = model._meta.concrete_fields
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        now = timezone.now()
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for obj in batch:
                copy.write_row([_db_value(f, obj, connection, now) for f in fields])

    def reset_sequences(self):
        """Move the id sequences past the rows written with explicit ids (PostgreSQL)."""
        if connection.vendor != "postgresql" or not self.next_pk:
            return
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self.next_pk)):
                cursor.execute(statement)


def _db_value(field, obj, connection, now):
    value = getattr(obj, field.attname)
    if value is None and (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ):
        value = now
    return field.get_db_prep_save(value, connection)


class BulkNumbers:
    """Unique NIP, REGON and KRS numbers with valid check digits, counted up rather than drawn,
    skipping those already in the database (``--append``)."""

    _NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)

    def __init__(self, *, taken_nips: Iterable[str] = ()):
        self.taken_nips = set(taken_nips)
        self._nip = 0
        self._regon = 0
        self._krs = 0

    def nip(self) -> str:
        while True:
            self._nip += 1
            # The first three digits name a tax office (urząd skarbowy); vary them.
            first9 = f"{101 + self._nip % 898:03d}{self._nip // 898 + 100000:06d}"
            check = sum(w * int(d) for w, d in zip(self._NIP_WEIGHTS, first9, strict=True)) % 11
            number = first9 + str(check)
            # A remainder of 10 has no check digit: such NIPs are never issued.
            if check != 10 and number not in self.taken_nips:
                self.taken_nips.add(number)
                return number

    def regon(self) -> str:
        self._regon += 1
        first8 = f"{10 + self._regon % 88:02d}{self._regon // 88 + 100000:06d}"
        return first8 + regon.calc_check_digit(first8)

    def krs(self) -> str:
        self._krs += 1
        return f"{self._krs + 1_000_000:010d}"


@dataclass
class MunicipalityPoint:
    pk: int
    slug: str
    name: str
    latitude: float
    longitude: float


@dataclass
class BulkContext:
    """What the bulk modules share, passed from app to app in the order of INSTALLED_APPS.

    The portal fills the first fields; the later ones are filled by the apps that own the rows
    (plain values: the portal imports no app)."""

    scale: float
    rng: random.Random
    now: datetime
    writer: BulkWriter
    numbers: BulkNumbers
    stdout: object = None
    municipalities: list[MunicipalityPoint] = field(default_factory=list)
    # How many organisations each municipality seats, relatively (cities seat more).
    municipality_weights: list[float] = field(default_factory=list)
    departments: dict[int, list[int]] = field(default_factory=dict)  # municipality pk → pks
    companies: list[tuple[int, int]] = field(default_factory=list)  # (pk, municipality pk)
    # directory: (pk, name, short name, seat municipality pk) of the verified organisations.
    organisations: list[tuple[int, str, str, int]] = field(default_factory=list)
    # exchange: CPV codes offers are listed under.
    cpv_codes: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    _cumulative_weights: list[float] = field(default_factory=list, repr=False)

    def count(self, full_scale: int, *, minimum: int = 1) -> int:
        return max(minimum, round(full_scale * self.scale))

    def check(self, obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
        """Run the model's own validation (fields, ``clean()``) on every 1000th row of a kind:
        the database checks constraints on all of them, this catches what only the model knows.
        Uniqueness is left to the database, which checks it without a query per row."""
        label = obj._meta.label
        seen = self.checked.get(label, 0)
        self.checked[label] = seen + 1
        if seen % 1000 == 0:
            obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)

    def pick_municipality(self) -> MunicipalityPoint:
        """A municipality, drawn in proportion to its weight."""
        if len(self._cumulative_weights) != len(self.municipality_weights):
            self._cumulative_weights = list(accumulate(self.municipality_weights))
        return self.rng.choices(self.municipalities, cum_weights=self._cumulative_weights)[0]

    def moment(self, *, days_ago_max: int, days_ago_min: int = 0) -> datetime:
        """A time between ``days_ago_max`` and ``days_ago_min`` days before now."""
        seconds = self.rng.randrange(days_ago_min * 86400, days_ago_max * 86400 + 1)
        return self.now - timezone.timedelta(seconds=seconds)

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST_NAMES)} {self.rng.choice(_LAST_NAMES)}"

    def street(self) -> str:
        return f"{self.rng.choice(_STREETS)} {self.rng.randrange(1, 120)}"

    def write(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)


def bulk_modules() -> list[tuple[str, ModuleType]]:
    """``(app label, bulk module)`` of every installed app that has one, in INSTALLED_APPS order."""
    found = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "bulk"):
            found.append((app_config.label, import_module(f"{app_config.name}.bulk")))
    return found


def load(context: BulkContext) -> str:
    added = _load_municipalities(context)
    departments = _load_departments(context, added)
    companies = _load_companies(context)
    return f"{added} gmin, {departments} wydziałów, {companies} firm"


def teryt_codes(rng: random.Random) -> Iterator[tuple[str, str]]:
    """``(voivodeship, TERYT)`` of made-up municipalities, voivodeship by voivodeship in turn:
    2 digits of the voivodeship, 2 of the powiat, 2 of the gmina and its type (1 urban, 2 rural,
    3 urban-rural), the shape of the TERC register."""
    voivodeships = list(Voivodeship.values)
    for powiat in range(1, 40):
        for gmina in range(1, 16):
            for voivodeship in voivodeships:
                kind = rng.choices("123", weights=(12, 63, 25))[0]
                yield voivodeship, f"{voivodeship}{powiat:02d}{gmina:02d}{kind}"


def _load_municipalities(context: BulkContext) -> int:
    rng = context.rng
    existing = list(Municipality.objects.values_list("pk", "teryt"))
    taken = {row[1][:6] for row in existing}  # one gmina per number, whatever its type digit
    wanted = max(0, context.count(MUNICIPALITIES, minimum=2) - len(existing))

    def rows():
        codes = teryt_codes(rng)
        made = 0
        while made < wanted:
            voivodeship, teryt = next(codes)
            if teryt[:6] in taken:
                continue
            taken.add(teryt[:6])
            name = rng.choice(_NAME_PREFIXES) + rng.choice(_NAME_ROOTS) + rng.choice(_NAME_SUFFIXES)
            centre_lat, centre_lon = VOIVODESHIP_CENTRES[voivodeship]
            municipality = Municipality(
                name=name,
                slug=f"{slugify(name)}-{teryt}",
                teryt=teryt,
                voivodeship=voivodeship,
                latitude=_coordinate(centre_lat + rng.uniform(-0.7, 0.7), POLAND[0]),
                longitude=_coordinate(centre_lon + rng.uniform(-1.0, 1.0), POLAND[1]),
            )
            context.check(municipality)
            made += 1
            yield municipality

    added = context.writer.insert(Municipality, rows())
    for pk, slug, name, latitude, longitude in Municipality.objects.values_list(
        "pk", "slug", "name", "latitude", "longitude"
    ).order_by("pk"):
        context.municipalities.append(
            MunicipalityPoint(pk, slug, name, float(latitude or 52.0), float(longitude or 19.0))
        )
        # A few cities seat many organisations, most municipalities a handful.
        context.municipality_weights.append(min(rng.paretovariate(1.1), 60.0))
    existing_pks = {row[0] for row in existing}
    # The demo's municipalities (Toruń first) are large cities: the signed-in pages of their
    # officials then work on a city's worth of rows.
    for index, point in enumerate(context.municipalities):
        if point.pk in existing_pks:
            context.municipality_weights[index] = 60.0
    return added


def _load_departments(context: BulkContext, added: int) -> int:
    have = set(Department.objects.values_list("municipality_id", flat=True))

    def rows():
        for point in context.municipalities:
            if point.pk in have:
                continue
            for name, code in DEPARTMENTS:
                yield Department(municipality_id=point.pk, name=name, code=code)

    written = context.writer.insert(Department, rows())
    for pk, municipality_id in Department.objects.values_list("pk", "municipality_id"):
        context.departments.setdefault(municipality_id, []).append(pk)
    return written


def _load_companies(context: BulkContext) -> int:
    rng = context.rng
    kinds = ("sp. z o.o.", "S.A.", "sp.j.", "sp.k.")
    trades = ("Budowlana", "Transportowa", "Handlowa", "Usługowa", "Drukarska", "Cateringowa")

    def rows():
        for number in range(context.count(COMPANIES)):
            municipality = context.pick_municipality()
            company = Company(
                name=f"{rng.choice(_NAME_ROOTS)} {rng.choice(trades)} {number} {rng.choice(kinds)}",
                nip=context.numbers.nip(),
                municipality_id=municipality.pk,
            )
            context.check(company, exclude=["municipality"])
            yield company
            context.companies.append((company.pk, municipality.pk))

    return context.writer.insert(Company, rows())


def _coordinate(value: float, bounds: tuple[float, float]) -> Decimal:
    return Decimal(f"{min(max(value, bounds[0]), bounds[1]):.6f}")


def through_row(relation, source_pk: int, target_pk: int) -> models.Model:
    """A row of a many-to-many field's table, e.g. ``through_row(Offer.municipalities_served,
    offer.pk, municipality.pk)``."""
    field = relation.field
    return relation.through(
        **{
            f"{field.m2m_field_name()}_id": source_pk,
            f"{field.m2m_reverse_field_name()}_id": target_pk,
        }
    )


def spread(rng: random.Random, point: MunicipalityPoint, *, radius: float = 0.05):
    """A position near a municipality's point, within Poland."""
    return (
        _coordinate(point.latitude + rng.uniform(-radius, radius), POLAND[0]),
        _coordinate(point.longitude + rng.uniform(-radius * 1.6, radius * 1.6), POLAND[1]),
    )


def weighted(rng: random.Random, choices: dict) -> Callable[[], object]:
    """A function drawing a key of ``choices`` with its value as the weight."""
    keys, weights = list(choices), list(choices.values())
    return lambda: rng.choices(keys, weights=weights)[0]
