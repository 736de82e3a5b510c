"""National-scale equipment bank (5 000 resources, 200 000 bookings at full scale);
``pestor.bulk`` describes the module.

Owners are a department in a share of the municipalities and some verified PES. Each unit's
bookings follow one another in time with gaps, so that the rows that hold a slot never overlap
(the exclusion constraint checks every row as COPY writes it). Bookings in the past are
returned, closed, cancelled, rejected, not collected or expired; current ones are out; future
ones requested or approved. The demo's PES owner's organisation borrows a share of them, so
that "my bookings" is measured on a long history.
"""

from datetime import time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from directory import selectors as directory_selectors
from pestor.bulk import BulkContext, weighted
from pestor.demo import PES_OWNER
from pestor.models import Department, User
from pestor.text import fold

from .availability import local
from .models import Booking, BookingItem, Category, Owner, Resource, ResourceUnit

RESOURCES = 5_000
BOOKINGS = 200_000
BORROWERS = 1_000

_EQUIPMENT = (
    ("Namiot 3 x 6 m", "namioty", "180"),
    ("Pawilon ekspresowy 3 x 3 m", "namioty", "80"),
    ("Stół cateringowy 180 cm", "meble", "15"),
    ("Zestaw biesiadny", "meble", "30"),
    ("Nagłośnienie mobilne", "naglosnienie", "250"),
    ("Rzutnik multimedialny", "multimedia", "90"),
    ("Przyczepa lekka", "transport", "120"),
    ("Agregat prądotwórczy", "transport", "150"),
    ("Grill gazowy", "rekreacja", "60"),
    ("Zestaw gier plenerowych", "rekreacja", "50"),
)
_ROOMS = (("Sala spotkań", "60"), ("Sala warsztatowa", "50"), ("Pokój biurowy", "25"))
_PAST = {
    Booking.Status.RETURNED: 3,
    Booking.Status.CLOSED: 10,
    Booking.Status.CANCELLED: 2,
    Booking.Status.REJECTED: 1,
    Booking.Status.NO_SHOW: 1,
    Booking.Status.EXPIRED: 1,
}
_FUTURE = {Booking.Status.APPROVED: 3, Booking.Status.REQUESTED: 2, Booking.Status.CANCELLED: 1}


def load(context: BulkContext) -> str:
    rng = context.rng
    categories = {category.slug: category.pk for category in Category.objects.all()}
    if not categories or not context.organisations:
        return "0 zasobów banku sprzętu (brak kategorii z danych demonstracyjnych lub organizacji)"
    fallback = next(iter(categories.values()))
    taken_departments = set(Owner.objects.values_list("department_id", flat=True))
    taken_organisations = set(Owner.objects.values_list("organisation_id", flat=True))
    owner_rows = []
    department_rows = list(
        Department.objects.exclude(pk__in=taken_departments)
        .order_by("municipality_id", "pk")
        .values_list("pk", "municipality_id")
    )
    seen = set()
    for department, municipality in department_rows:
        if municipality in seen or rng.random() > 0.4:
            continue
        seen.add(municipality)
        owner_rows.append(
            Owner(
                department_id=department,
                municipality_id=municipality,
                name=f"Bank sprzętu gminy {municipality}",
                pickup_address=f"{context.street()}, urząd gminy",
                pickup_hours="pon.-pt. 8:00-15:00",
            )
        )
    for pk, name, _short, seat in rng.sample(
        context.organisations, min(300, len(context.organisations))
    ):
        if pk in taken_organisations:
            continue
        owner_rows.append(
            Owner(
                organisation_id=pk,
                municipality_id=seat,
                name=name[:200],
                pickup_address=context.street(),
                pickup_hours="po uzgodnieniu",
            )
        )
    context.writer.insert(Owner, owner_rows)
    owners = [(owner.pk, owner.department_id is not None) for owner in owner_rows]

    units = []  # (unit pk, resource)
    resources = []

    def resource_rows():
        for _n in range(context.count(RESOURCES)):
            owner, is_city = rng.choice(owners)
            room = rng.random() < 0.1
            if room:
                name, value = rng.choice(_ROOMS)
                category = categories.get("sale", fallback)
            else:
                name, slug, value = rng.choice(_EQUIPMENT)
                category = categories.get(slug, fallback)
            resource = Resource(
                owner_id=owner,
                category_id=category,
                kind=Resource.Kind.ROOM if room else Resource.Kind.EQUIPMENT,
                name=f"{name} nr {rng.randrange(1, 100)}",
                description="Sprzęt w dobrym stanie, wydawany po umówieniu terminu.",
                period_unit=Resource.PeriodUnit.HOUR if room else Resource.PeriodUnit.DAY,
                min_period=1,
                max_period=8 if room else 7,
                horizon_days=120,
                max_active_per_organisation=3,
                approval=rng.choice(list(Resource.Approval)),
                fee=Decimal("0") if is_city else Decimal(rng.choice(("0", "10", "30"))),
                deposit=Decimal(rng.choice(("0", "50", "200"))),
                reference_value=Decimal(value),
                checklist="Komplet\nCzyste\nSprawne",
                lend_to_officials=is_city,
                opens_at=time(8) if room else None,
                closes_at=time(20) if room else None,
                open_weekdays="123456" if room else "1234567",
                capacity=rng.choice((8, 20, 40)) if room else None,
                created_at=context.now,
                updated_at=context.now,
            )
            resource.search_text = fold(f"{resource.name} {resource.description}")
            context.check(resource, exclude=["owner", "category"])
            yield resource
            resources.append(resource)

    written = context.writer.insert(Resource, resource_rows())

    def unit_rows():
        for resource in resources:
            count = 1 if resource.kind == Resource.Kind.ROOM else rng.choice((1, 1, 2, 3, 4))
            for number in range(count):
                unit = ResourceUnit(resource_id=resource.pk, inventory_number=f"B/{number + 1}")
                yield unit
                units.append((unit.pk, resource))

    context.writer.insert(ResourceUnit, unit_rows())

    borrower_emails = [f"wypozyczajacy{n}@bulk.pestor.example" for n in range(BORROWERS)]
    existing = set(User.objects.filter(email__in=borrower_emails).values_list("email", flat=True))
    password = make_password(None)
    context.writer.insert(
        User,
        (
            User(email=email, password=password, first_name="Jan", last_name="Wypożyczający")
            for email in borrower_emails
            if email not in existing
        ),
    )
    people = list(User.objects.filter(email__in=borrower_emails).values_list("pk", flat=True))
    demo_owner = User.objects.filter(email=PES_OWNER.email).first()
    demo_organisation = (
        directory_selectors.organisation_ids_of_user(user=demo_owner).order_by().first()
        if demo_owner
        else None
    )

    past_status = weighted(rng, _PAST)
    future_status = weighted(rng, _FUTURE)
    per_unit = max(1, context.count(BOOKINGS) // max(len(units), 1))
    items = []
    today = context.now.date()
    start_day = today - timedelta(days=540)

    def booking_rows():
        for unit_pk, resource in units:
            day = start_day + timedelta(days=rng.randrange(0, 30))
            room = resource.kind == Resource.Kind.ROOM
            for _n in range(per_unit):
                day += timedelta(days=rng.randrange(1, 60))
                if room:
                    hour = rng.randrange(8, 17)
                    start = local(day, time(hour))
                    end = start + timedelta(hours=rng.randrange(1, 4))
                    last_day = day
                else:
                    length = rng.randrange(1, 4)
                    last_day = day + timedelta(days=length - 1)
                    start, end = local(day), local(last_day + timedelta(days=1))
                if last_day < today:
                    status = past_status()
                elif day <= today:
                    status = Booking.Status.HANDED_OUT
                else:
                    status = future_status()
                mine = demo_organisation and rng.random() < 0.02
                organisation = demo_organisation if mine else rng.choice(context.organisations)[0]
                created = start - timedelta(days=rng.randrange(1, 30))
                periods = max(1, int((end - start).total_seconds() // (3600 if room else 86400)))
                value = resource.reference_value * periods
                fee = resource.fee * periods
                booking = Booking(
                    owner_id=resource.owner_id,
                    resource_id=resource.pk,
                    organisation_id=organisation,
                    requested_by_id=demo_owner.pk if mine else rng.choice(people),
                    starts_at=start,
                    ends_at=end,
                    status=status,
                    purpose="Festyn sąsiedzki",
                    accepted_rules=True,
                    fee=fee,
                    deposit=resource.deposit,
                    reference_value=value,
                    created_at=created,
                    expires_at=created + Booking.DECISION_TIME
                    if status in (Booking.Status.REQUESTED, Booking.Status.EXPIRED)
                    else None,
                )
                if status in (
                    Booking.Status.HANDED_OUT,
                    Booking.Status.RETURNED,
                    Booking.Status.CLOSED,
                ):
                    booking.handed_out_at = start
                    booking.handed_out_to = "Jan Wypożyczający"
                if status in (Booking.Status.RETURNED, Booking.Status.CLOSED):
                    booking.returned_at = end
                    booking.returned_by_name = "Jan Wypożyczający"
                    booking.in_kind_value = max(Decimal("0"), value - fee)
                context.check(
                    booking, exclude=["owner", "resource", "organisation", "requested_by"]
                )
                yield booking
                items.append(
                    BookingItem(
                        booking_id=booking.pk,
                        unit_id=unit_pk,
                        resource_id=resource.pk,
                        blocked_from=start - resource.buffer_before,
                        blocked_until=end + resource.buffer_after,
                        holds_slot=status in Booking.HOLDING,
                        tentative=status == Booking.Status.REQUESTED,
                    )
                )
                # Leave the day after free (the next booking starts later).
                day = last_day + timedelta(days=1)

    bookings = context.writer.insert(Booking, booking_rows())
    context.writer.insert(BookingItem, items)
    return (
        f"{written} zasobów banku sprzętu ({len(units)} sztuk, {len(owner_rows)} użyczających), "
        f"{bookings} rezerwacji"
    )
