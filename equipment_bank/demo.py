"""Demo data of the equipment bank: the city's bank (Toruń's social policy department: tents,
tables, sound, projectors, a trailer, a meeting room) and the incubator's three rooms (the
partnership centre), two PES lending their own equipment, and bookings in every state: a
request, approvals, a rejection, loans out (one overdue, with a later booking of its unit
flagged), returns (one with a damage case), closed, cancelled, not collected and expired ones,
and a weekly room booking. Loaded by ``load_demo`` after ``directory.demo``.
"""

from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

from directory import selectors as directory_selectors
from pestor import audit
from pestor.demo import DemoContext, plural

from .availability import local
from .models import (
    Booking,
    BookingItem,
    CalendarFeed,
    Category,
    ConditionReport,
    DamageCase,
    Kit,
    KitItem,
    Owner,
    RecurringSeries,
    Resource,
    ResourceUnit,
)
from .services.handover import in_kind_value

CATEGORIES = (
    ("namioty", "Namioty i pawilony"),
    ("meble", "Stoły, ławki i krzesła"),
    ("naglosnienie", "Nagłośnienie i scena"),
    ("multimedia", "Multimedia"),
    ("transport", "Transport i zasilanie"),
    ("rekreacja", "Rekreacja i gry"),
    ("sale", "Sale"),
)


@dataclass(frozen=True)
class DemoResource:
    key: str
    name: str
    category: str
    units: int = 1
    description: str = ""
    fee: str = "0"
    deposit: str = "0"
    value: str = "0"  # market rental value per day (per hour for rooms)
    checklist: str = "Komplet\nCzyste"
    max_period: int = 7
    buffer_after: int = 0  # minutes
    approval: str = Resource.Approval.MANUAL
    has_meter: bool = False
    inspection_days: int | None = None  # inspection valid for this many more days
    room: bool = False
    capacity: int | None = None
    area: str | None = None
    equipment_inside: str = ""
    lend_to_officials: bool = True


CITY = (
    DemoResource(
        "tent36",
        "Namiot 3 x 6 m",
        "namioty",
        3,
        "Biały namiot z bokami, na festyny i pikniki. Montaż: 2 osoby, 30 minut.",
        "20",
        "200",
        "180",
        "Stelaż\nPoszycie dachu\nŚciany boczne (4)\nŚledzie i linki",
        4,
        buffer_after=24 * 60,
    ),
    DemoResource(
        "tent510",
        "Namiot 5 x 10 m",
        "namioty",
        1,
        "Duży namiot na imprezy plenerowe do 80 osób.",
        "50",
        "500",
        "450",
        "Stelaż\nPoszycie\nŚciany boczne (6)\nObciążniki",
        3,
        buffer_after=24 * 60,
    ),
    DemoResource(
        "pavilion",
        "Pawilon ekspresowy 3 x 3 m",
        "namioty",
        4,
        "Rozkładany w minutę, z ciężarkami.",
        "0",
        "50",
        "80",
        "Stelaż\nDach\nCiężarki",
    ),
    DemoResource(
        "table",
        "Stół cateringowy 180 cm",
        "meble",
        10,
        "Składany, blat HDPE.",
        "0",
        "0",
        "15",
        "Blat\nNogi",
    ),
    DemoResource(
        "bench",
        "Zestaw biesiadny (stół i dwie ławki)",
        "meble",
        6,
        "",
        "0",
        "0",
        "30",
        "Stół\nŁawki (2)",
    ),
    DemoResource("chair", "Krzesło składane", "meble", 20, "", "0", "0", "5", "Krzesło"),
    DemoResource(
        "sound",
        "Nagłośnienie mobilne 2 x 500 W",
        "naglosnienie",
        2,
        "Kolumny z mikserem i statywami.",
        "30",
        "300",
        "250",
        "Kolumny (2)\nMikser\nStatywy (2)\nKable",
        3,
        approval=Resource.Approval.MANUAL,
    ),
    DemoResource(
        "mic",
        "Mikrofon bezprzewodowy",
        "naglosnienie",
        4,
        "",
        "0",
        "50",
        "40",
        "Mikrofon\nOdbiornik\nBaterie",
    ),
    DemoResource(
        "stage", "Podest sceniczny 2 x 1 m", "naglosnienie", 8, "", "0", "0", "35", "Blat\nNogi (4)"
    ),
    DemoResource(
        "lights",
        "Oświetlenie sceniczne LED",
        "naglosnienie",
        4,
        "",
        "0",
        "100",
        "60",
        "Reflektor\nStatyw\nKabel",
    ),
    DemoResource(
        "projector",
        "Rzutnik multimedialny",
        "multimedia",
        3,
        "Full HD, 3500 lm, z kablem HDMI.",
        "0",
        "100",
        "90",
        "Rzutnik\nPilot\nKabel HDMI\nTorba",
        5,
        approval=Resource.Approval.AUTOMATIC,
    ),
    DemoResource(
        "screen",
        "Ekran projekcyjny na statywie",
        "multimedia",
        2,
        "",
        "0",
        "0",
        "40",
        "Ekran\nStatyw",
    ),
    DemoResource(
        "laptop",
        "Laptop do prezentacji",
        "multimedia",
        2,
        "",
        "0",
        "300",
        "70",
        "Laptop\nZasilacz\nMysz",
        3,
    ),
    DemoResource(
        "flipchart",
        "Flipchart z blokiem",
        "multimedia",
        5,
        "",
        "0",
        "0",
        "15",
        "Tablica\nBlok\nMarkery",
    ),
    DemoResource(
        "trailer",
        "Przyczepa lekka 750 kg",
        "transport",
        1,
        "Do samochodu osobowego, z plandeką. Wymaga prawa jazdy kat. B.",
        "40",
        "500",
        "120",
        "Plandeka\nŚwiatła\nKoło zapasowe",
        3,
        inspection_days=200,
    ),
    DemoResource(
        "generator",
        "Agregat prądotwórczy 3 kW",
        "transport",
        1,
        "Benzynowy; zwracany z pełnym bakiem.",
        "30",
        "300",
        "150",
        "Agregat\nKanister",
        3,
        has_meter=True,
        inspection_days=120,
    ),
    DemoResource(
        "reel", "Przedłużacz bębnowy 50 m", "transport", 4, "", "0", "0", "15", "Bęben\nGniazda"
    ),
    DemoResource(
        "grill",
        "Grill gazowy",
        "rekreacja",
        2,
        "Bez butli gazowej.",
        "0",
        "100",
        "60",
        "Grill\nRuszty\nReduktor",
    ),
    DemoResource(
        "games",
        "Zestaw gier plenerowych",
        "rekreacja",
        2,
        "Kubb, przeciąganie liny, worki do skakania.",
        "0",
        "0",
        "50",
        "Gry (komplet)",
    ),
    DemoResource(
        "bins",
        "Pojemnik do segregacji odpadów",
        "rekreacja",
        10,
        "",
        "0",
        "0",
        "10",
        "Pojemnik\nPokrywa",
    ),
    DemoResource("loungers", "Leżak plażowy", "rekreacja", 10, "", "0", "0", "8", "Leżak"),
    DemoResource(
        "meeting",
        "Sala spotkań Wydziału (ul. Wały gen. Sikorskiego 8)",
        "sale",
        description="Sala na spotkania organizacji z urzędem i między sobą.",
        value="80",
        checklist="Krzesła ustawione\nRzutnik\nPorządek",
        max_period=8,
        room=True,
        capacity=30,
        area="55.0",
        equipment_inside="Rzutnik, ekran, 30 krzeseł, flipchart, czajnik",
    ),
)
INCUBATOR = (
    DemoResource(
        "inc_conference",
        "Sala konferencyjna Inkubatora",
        "sale",
        description="Parter, duża sala.",
        value="120",
        checklist="Krzesła\nNagłośnienie\nPorządek",
        max_period=10,
        room=True,
        capacity=60,
        area="95.0",
        equipment_inside="Nagłośnienie, rzutnik, 60 krzeseł",
    ),
    DemoResource(
        "inc_workshop",
        "Sala warsztatowa Inkubatora",
        "sale",
        value="70",
        checklist="Stoły\nPorządek",
        max_period=8,
        room=True,
        capacity=16,
        area="40.0",
        equipment_inside="Stoły warsztatowe, flipchart",
    ),
    DemoResource(
        "inc_office",
        "Pokój biurowy Inkubatora (hot desk)",
        "sale",
        value="25",
        checklist="Biurka\nPorządek",
        max_period=8,
        room=True,
        capacity=4,
        area="18.0",
        equipment_inside="4 biurka, drukarka, Wi-Fi",
        lend_to_officials=False,
    ),
)
PES_LENDERS = {
    "Scena Podgórz": (
        DemoResource(
            "pes_sound",
            "Nagłośnienie estradowe 2 kW",
            "naglosnienie",
            1,
            "Z realizatorem za dodatkową opłatą.",
            "100",
            "500",
            "400",
            "Kolumny\nMikser\nKable",
            2,
        ),
        DemoResource(
            "pes_par",
            "Reflektor PAR LED",
            "naglosnienie",
            6,
            "",
            "10",
            "50",
            "30",
            "Reflektor\nKabel",
        ),
    ),
    "Przyjaciele Rubinkowa": (
        DemoResource(
            "pes_tables",
            "Stół biesiadny z ławkami",
            "meble",
            5,
            "",
            "0",
            "0",
            "25",
            "Stół\nŁawki (2)",
        ),
        DemoResource(
            "pes_tent",
            "Namiot imprezowy 4 x 8 m",
            "namioty",
            1,
            "",
            "30",
            "200",
            "250",
            "Stelaż\nPoszycie\nŚledzie",
            3,
        ),
    ),
}
BORROWERS = ("Smaczny Kąsek", "Krok Dalej", "Zielona Wisła", "Nadzieja", "CIS Przystań")


def existing_data() -> str:
    count = Resource.objects.count()
    return f"zasoby banku sprzętu: {count}" if count else ""


def load(context: DemoContext) -> str:
    categories = {
        slug: Category.objects.create(slug=slug, name=name, position=index)
        for index, (slug, name) in enumerate(CATEGORIES)
    }
    city = _owner(
        context,
        department=context.departments["torun", "WZiPS"],
        name="Bank sprzętu Miasta Toruń",
        address="ul. Wały gen. Sikorskiego 8, 87-100 Toruń",
        position=("53.010200", "18.604500"),
        hours="pon.-pt. 8:00-15:00",
    )
    incubator = _owner(
        context,
        department=context.departments["torun", "BTCP"],
        name="Inkubator Toruńskiego Centrum Partnerstwa",
        address="ul. Szeroka 24, 87-100 Toruń",
        position=("53.010500", "18.607300"),
        hours="pon.-pt. 8:00-20:00",
    )
    resources = {}
    for demo in CITY:
        resources[demo.key] = _resource(context, city, categories, demo)
    for demo in INCUBATOR:
        resources[demo.key] = _resource(context, incubator, categories, demo)
    lenders = 0
    for short_name, demos in PES_LENDERS.items():
        organisation = context.organisations.get(short_name)
        if organisation is None or not directory_selectors.organisation_is_verified(organisation):
            continue
        owner = _owner(
            context,
            organisation=organisation,
            name=organisation.display_name,
            address=f"{organisation.street}, {organisation.postal_code} {organisation.city}",
            position=(organisation.latitude, organisation.longitude),
            hours="po uzgodnieniu telefonicznym",
        )
        lenders += 1
        for demo in demos:
            resources[demo.key] = _resource(context, owner, categories, demo)
    kit = Kit.objects.create(
        owner=city,
        name="Zestaw na festyn",
        description="Namiot 3 x 6 m, cztery stoły cateringowe i przedłużacz bębnowy.",
    )
    for key, quantity in (("tent36", 1), ("table", 4), ("reel", 1)):
        KitItem.objects.create(kit=kit, resource=resources[key], quantity=quantity)
    bookings, cases = _load_bookings(context, resources, kit)
    CalendarFeed.objects.create(
        organisation=context.organisations["Smaczny Kąsek"],
        created_by=context.owners.get(context.organisations["Smaczny Kąsek"].pk),
    )
    return ", ".join(
        [
            plural(
                len(resources),
                "zasób banku sprzętu",
                "zasoby banku sprzętu",
                "zasobów banku sprzętu",
            ),
            plural(2 + lenders, "wypożyczający", "wypożyczających", "wypożyczających"),
            plural(bookings, "rezerwacja", "rezerwacje", "rezerwacji"),
            plural(cases, "szkoda", "szkody", "szkód"),
        ]
    )


def _owner(context, *, name, address, position, hours, department=None, organisation=None):
    owner = Owner(
        department=department,
        organisation=organisation,
        municipality=department.municipality if department else organisation.seat_municipality,
        name=name,
        pickup_address=address,
        pickup_latitude=Decimal(str(position[0])) if position[0] is not None else None,
        pickup_longitude=Decimal(str(position[1])) if position[1] is not None else None,
        pickup_hours=hours,
        contact_email="bank.sprzetu@torun.example" if department else organisation.email,
        lending_rules=(
            "Sprzęt wydajemy i odbieramy w godzinach pracy punktu. Wypożyczający odpowiada za "
            "sprzęt od wydania do zwrotu; uszkodzenia zgłasza przy zwrocie."
        ),
    )
    owner.full_clean()
    owner.save()
    return owner


def _resource(context, owner, categories, demo: DemoResource) -> Resource:
    resource = Resource(
        owner=owner,
        category=categories[demo.category],
        kind=Resource.Kind.ROOM if demo.room else Resource.Kind.EQUIPMENT,
        name=demo.name,
        description=demo.description,
        period_unit=Resource.PeriodUnit.HOUR if demo.room else Resource.PeriodUnit.DAY,
        min_period=1,
        max_period=demo.max_period,
        horizon_days=120,
        max_active_per_organisation=3,
        approval=demo.approval,
        buffer_after_minutes=demo.buffer_after if not demo.room else 30,
        fee=Decimal(demo.fee),
        deposit=Decimal(demo.deposit),
        reference_value=Decimal(demo.value),
        checklist=demo.checklist,
        has_meter=demo.has_meter,
        lend_to_officials=demo.lend_to_officials and owner.department_id is not None,
        capacity=demo.capacity,
        area_m2=Decimal(demo.area) if demo.area else None,
        step_free_access=demo.room,
        accessible_toilet=demo.room,
        induction_loop=demo.key == "inc_conference",
        equipment_inside=demo.equipment_inside,
        opens_at=time(8) if demo.room else None,
        closes_at=time(20) if demo.room else None,
        open_weekdays="123456" if demo.room else "1234567",
    )
    resource.full_clean()
    resource.save()
    prefix = "".join(word[0] for word in demo.name.split()[:2]).upper()
    ResourceUnit.objects.bulk_create(
        ResourceUnit(
            resource=resource,
            inventory_number=f"{'TOR' if owner.department_id else 'PES'}/{prefix}/{n + 1:03d}",
            inspection_due=context.now.date() + timedelta(days=demo.inspection_days)
            if demo.inspection_days
            else None,
        )
        for n in range(demo.units)
    )
    return resource


def _load_bookings(context, resources, kit) -> tuple[int, int]:
    orgs = context.organisations
    official = context.accounts["official_torun"]
    partnership = context.accounts["official_torun_partnership"]
    made = []

    def person(short_name):
        return context.owners[orgs[short_name].pk]

    def book(
        key,
        short_name,
        first,
        last,
        status,
        *,
        unit=0,
        quantity=1,
        at=None,
        kit_of=None,
        hours=None,
        series=None,
        handled_by=official,
        condition=None,
        damage=None,
    ):
        """``first``/``last``: days from today (``hours``: a room's (start, end) hour)."""
        resource = resources[key] if key else None
        today = context.day(days_ago=0).date()
        if hours:
            start = local(today + timedelta(days=first), time(hours[0]))
            end = local(today + timedelta(days=first), time(hours[1]))
        else:
            start = local(today + timedelta(days=first))
            end = local(today + timedelta(days=last + 1))
        created = at or min(start - timedelta(days=3), context.now - timedelta(hours=2))
        parts = (
            [(item.resource, item.quantity) for item in kit_of.items.all()]
            if kit_of
            else [(resource, quantity)]
        )
        fee = sum((p.fee * _periods(p, start, end) * n for p, n in parts), Decimal("0"))
        value = sum(
            (p.reference_value * _periods(p, start, end) * n for p, n in parts), Decimal("0")
        )
        booking = Booking(
            owner=(kit_of or resource).owner,
            resource=resource,
            kit=kit_of,
            series=series,
            organisation=orgs[short_name],
            requested_by=person(short_name),
            starts_at=start,
            ends_at=end,
            status=status,
            purpose=_purpose(context),
            public_task="Program współpracy 2026, zadanie: integracja mieszkańców"
            if context.rng.random() < 0.4
            else "",
            accepted_rules=True,
            fee=fee,
            deposit=sum((p.deposit * n for p, n in parts), Decimal("0")),
            reference_value=value,
            created_at=created,
        )
        holding = status in Booking.HOLDING
        if status == Booking.Status.REQUESTED:
            booking.expires_at = created + Booking.DECISION_TIME
        if status == Booking.Status.EXPIRED:
            booking.expires_at = created + Booking.DECISION_TIME
        decided = created + timedelta(hours=5)
        if status not in (
            Booking.Status.REQUESTED,
            Booking.Status.EXPIRED,
            Booking.Status.CANCELLED,
        ):
            booking.decided_at, booking.decided_by = decided, handled_by
        if status == Booking.Status.REJECTED:
            booking.decision_note = "W tym terminie sprzęt jest w przeglądzie technicznym."
        if status in (Booking.Status.HANDED_OUT, Booking.Status.RETURNED, Booking.Status.CLOSED):
            booking.handed_out_at = start + timedelta(hours=9)
            booking.handed_out_by = handled_by
            booking.handed_out_to = person(short_name).display_name
        if status in (Booking.Status.RETURNED, Booking.Status.CLOSED):
            booking.returned_at = end + timedelta(hours=10)
            booking.returned_to = handled_by
            booking.returned_by_name = person(short_name).display_name
            booking.in_kind_value = in_kind_value(booking)
        if status == Booking.Status.CLOSED:
            booking.closed_at = booking.returned_at + timedelta(days=1)
        if status == Booking.Status.CANCELLED:
            booking.cancelled_at = created + timedelta(days=1)
        booking.full_clean()
        booking.save()
        for part, count in parts:
            units = list(part.units.order_by("pk"))[unit : unit + count]
            for chosen in units:
                item = BookingItem.objects.create(
                    booking=booking,
                    unit=chosen,
                    resource=part,
                    blocked_from=start - part.buffer_before,
                    blocked_until=end + part.buffer_after,
                    holds_slot=holding,
                    tentative=status == Booking.Status.REQUESTED,
                )
                if booking.handed_out_at:
                    ConditionReport.objects.create(
                        item=item,
                        stage="handover",
                        recorded_by=handled_by,
                        recorded_at=booking.handed_out_at,
                    )
                if booking.returned_at:
                    ConditionReport.objects.create(
                        item=item,
                        stage="return",
                        recorded_by=handled_by,
                        recorded_at=booking.returned_at,
                        **(condition or {}),
                    )
                    if damage:
                        case = DamageCase.objects.create(
                            unit=chosen,
                            booking=booking,
                            organisation=booking.organisation,
                            person=booking.requested_by,
                            description=damage,
                            opened_at=booking.returned_at,
                            opened_by=handled_by,
                        )
                        audit.record(
                            actor=handled_by,
                            action="damage.opened",
                            target=case,
                            comment=damage,
                            at=booking.returned_at,
                        )
        audit.record(
            actor=booking.requested_by,
            action="booking.requested",
            target=booking,
            after={"status": Booking.Status.REQUESTED},
            at=created,
        )
        if status != Booking.Status.REQUESTED:
            audit.record(
                actor=None if status == Booking.Status.EXPIRED else handled_by,
                action=f"booking.{status}",
                target=booking,
                before={"status": Booking.Status.REQUESTED},
                after={"status": status},
                at=min(booking.decided_at or decided, context.now),
            )
        made.append(booking)
        return booking

    # A request awaiting the owner, approvals, a rejection (the tent, next week).
    book(
        "tent36",
        "Smaczny Kąsek",
        5,
        6,
        Booking.Status.REQUESTED,
        unit=0,
        at=context.now - timedelta(hours=3),
    )
    book("tent36", "Krok Dalej", 5, 6, Booking.Status.APPROVED, unit=1)
    book("tent36", "Zielona Wisła", 5, 6, Booking.Status.REJECTED, unit=2)
    book("projector", "Smaczny Kąsek", 3, 3, Booking.Status.APPROVED)
    # Picked up today and not collected; lent now; lent and overdue, with the next booking of
    # the same trailer flagged to the owner.
    book("mic", "Smaczny Kąsek", 0, 0, Booking.Status.APPROVED)
    book("sound", "Nadzieja", -1, 1, Booking.Status.HANDED_OUT)
    book("trailer", "CIS Przystań", -6, -3, Booking.Status.HANDED_OUT)
    book("trailer", "Krok Dalej", 4, 5, Booking.Status.APPROVED)
    # Returned with a damage case; closed; cancelled; not collected; expired.
    book(
        "projector",
        "Smaczny Kąsek",
        -10,
        -8,
        Booking.Status.RETURNED,
        unit=1,
        condition={
            "is_working": False,
            "failed_items": ["Pilot"],
            "notes": "Lampa nie włącza się, brak pilota",
        },
        damage="not working; Pilot. Lampa nie włącza się, brak pilota",
    )
    book("table", "Zielona Wisła", -30, -29, Booking.Status.CLOSED, quantity=4)
    book("bench", "Smaczny Kąsek", -60, -58, Booking.Status.CLOSED, quantity=3)
    book("laptop", "Smaczny Kąsek", 12, 13, Booking.Status.CANCELLED)
    book("screen", "Krok Dalej", -4, -4, Booking.Status.NO_SHOW)
    book("grill", "Nadzieja", 9, 9, Booking.Status.EXPIRED, at=context.now - timedelta(days=3))
    # The whole festival kit, requested; rooms; a PES lending to another.
    book(None, "Nadzieja", 14, 15, Booking.Status.REQUESTED, kit_of=kit)
    book(
        "inc_conference",
        "Smaczny Kąsek",
        2,
        2,
        Booking.Status.APPROVED,
        hours=(10, 14),
        handled_by=partnership,
    )
    if "pes_sound" in resources:
        owner = context.owners[orgs["Scena Podgórz"].pk]
        book("pes_sound", "Smaczny Kąsek", 8, 8, Booking.Status.APPROVED, handled_by=owner)
    # Every Tuesday for eight weeks, 17:00-19:00, the meeting room for a support group.
    series = RecurringSeries.objects.create(
        resource=resources["meeting"],
        frequency=RecurringSeries.Frequency.WEEKLY,
        occurrences=8,
        created_by=person("Krok Dalej"),
    )
    today = context.day(days_ago=0).date()
    first_tuesday = (1 - today.weekday()) % 7 or 7
    for week in range(8):
        book(
            "meeting",
            "Krok Dalej",
            first_tuesday + 7 * week,
            0,
            Booking.Status.APPROVED,
            hours=(17, 19),
            series=series,
            at=context.now - timedelta(days=2),
        )
    return len(made), DamageCase.objects.count()


def _periods(resource, start, end) -> int:
    from .services import periods

    return periods(resource, start, end)


_PURPOSES = (
    "Festyn sąsiedzki na Rubinkowie",
    "Dzień otwarty spółdzielni",
    "Warsztaty dla seniorów",
    "Spotkanie grupy wsparcia",
    "Piknik rodzinny w parku",
    "Szkolenie wolontariuszy",
)


def _purpose(context) -> str:
    return context.rng.choice(_PURPOSES)
