"""The bank at national scale: every page runs a fixed number of queries (at most ten, the
layout's own included) whether it shows one row or many, and on PostgreSQL the availability
filter and the month calendar read the booked units through an index, never the whole table."""

from datetime import timedelta

import pytest
from django.db import connection, models
from django.db.models import Count, Window
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from equipment_bank import availability, selectors
from equipment_bank.models import Booking, BookingItem, DamageCase, Resource, ResourceUnit
from tests.equipment_bank.factories import (
    BookingFactory,
    DamageCaseFactory,
    ResourceFactory,
    ResourcePhotoFactory,
    days_ahead,
    kit_with,
)

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans of PostgreSQL's indexes"
)

# The most queries a bank page may run, the layout's own (session, user, roles, inbox) included.
QUERY_BUDGET = 10


def _add_lending(city_bank, organisation, pes_owner, official, *, count):
    """``count`` resources of the city's bank, each with a photo and bookings of the
    organisation in the states the pages show: requested, approved, handed out and overdue,
    returned with a damage case."""
    now = timezone.now()
    for _ in range(count):
        resource = ResourceFactory(owner=city_bank, units=3)
        ResourcePhotoFactory(resource=resource)
        first, second, third = resource.units.order_by("pk")
        common = {"resource": resource, "organisation": organisation, "requested_by": pes_owner}
        BookingFactory(unit=first, status=Booking.Status.REQUESTED, **common)
        BookingFactory(unit=second, status=Booking.Status.APPROVED, **common)
        BookingFactory(
            unit=third,
            status=Booking.Status.HANDED_OUT,
            starts_at=now - timedelta(days=3),
            ends_at=now - timedelta(days=1),
            handed_out_at=now - timedelta(days=3),
            **common,
        )
        returned = BookingFactory(
            unit=first,
            status=Booking.Status.RETURNED,
            starts_at=now - timedelta(days=20),
            ends_at=now - timedelta(days=19),
            returned_at=now - timedelta(days=19),
            in_kind_value=140,
            **common,
        )
        DamageCaseFactory(unit=first, booking=returned, opened_by=official)


def _pages(city_bank, organisation, resource, room, kit, case):
    booking, approved, handed_out = (
        Booking.objects.filter(resource=resource, status=status).get()
        for status in (
            Booking.Status.REQUESTED,
            Booking.Status.APPROVED,
            Booking.Status.HANDED_OUT,
        )
    )
    free_day = days_ahead(12).isoformat()
    catalogue = reverse("equipment_bank:resource-list")
    return [
        ("catalogue", None, catalogue),
        ("catalogue, free from-to", None, f"{catalogue}?free_from={free_day}&free_to={free_day}"),
        ("catalogue, last page", None, f"{catalogue}?page=last"),
        ("resource with its month calendar", None, resource.get_absolute_url()),
        ("room's day", None, f"{room.get_absolute_url()}?day={free_day}"),
        ("resource feed", None, reverse("equipment_bank:resource-feed", args=[resource.pk])),
        ("kit", "pes_owner", kit.get_absolute_url()),
        ("booking form", "pes_owner", reverse("equipment_bank:booking-create", args=[resource.pk])),
        ("my bookings", "pes_owner", reverse("equipment_bank:my-bookings")),
        ("my bookings, page 2", "pes_owner", reverse("equipment_bank:my-bookings") + "?page=2"),
        ("booking, borrower", "pes_owner", booking.get_absolute_url()),
        ("booking, owner", "official", booking.get_absolute_url()),
        ("owner's queue", "official", reverse("equipment_bank:owner-queue", args=[city_bank.pk])),
        (
            "owner's queue, page 2",
            "official",
            reverse("equipment_bank:owner-queue", args=[city_bank.pk]) + "?page=2",
        ),
        ("decision", "official", reverse("equipment_bank:booking-decide", args=[booking.pk])),
        ("hand-over", "official", reverse("equipment_bank:booking-hand-out", args=[approved.pk])),
        ("return", "official", reverse("equipment_bank:booking-return", args=[handed_out.pk])),
        ("protocol", "official", reverse("equipment_bank:booking-protocol", args=[handed_out.pk])),
        ("recurring room", "pes_owner", reverse("equipment_bank:series-create", args=[room.pk])),
        ("damage case", "official", case.get_absolute_url()),
        ("photos", "official", reverse("equipment_bank:resource-photos", args=[resource.pk])),
        (
            "organisation's feed page",
            "pes_owner",
            reverse("equipment_bank:organisation-feed", args=[organisation.slug]),
        ),
        ("export", "official", reverse("equipment_bank:booking-export", args=["csv"])),
        ("panel, official", "official", reverse("pestor:dashboard")),
        ("panel, PES", "pes_owner", reverse("pestor:dashboard")),
    ]


def _count(client, user, url) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    client.get(url)  # the first request of a session may fill caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_every_bank_page_runs_a_fixed_number_of_queries(
    client, city_bank, organisation, pes_owner, official, tent, room
):
    # Already more than a page of bookings (20 a page) in "my bookings" and the queue.
    _add_lending(city_bank, organisation, pes_owner, official, count=6)
    resource = Resource.objects.filter(owner=city_bank).exclude(pk__in=[tent.pk, room.pk]).first()
    kit = kit_with(city_bank, (resource, 1), (tent, 1))
    case = DamageCase.objects.first()
    users = {None: None, "pes_owner": pes_owner, "official": official}
    pages = _pages(city_bank, organisation, resource, room, kit, case)
    few = {label: _count(client, users[user], url) for label, user, url in pages}
    _add_lending(city_bank, organisation, pes_owner, official, count=12)
    many = {label: _count(client, users[user], url) for label, user, url in pages}
    assert many == few
    assert max(many.values()) <= QUERY_BUDGET, many


def _reads(client, url) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured]


def test_the_free_dates_list_reads_its_keys_once_and_only_its_pages_rows(
    client, city_bank, organisation, pes_owner, official, tent, room
):
    """The filter "free from … to …" checks every unit whatever the page: the first page's
    keys are read with the number of free resources, in one query (no separate count, no
    planner's estimate)."""
    _add_lending(city_bank, organisation, pes_owner, official, count=25)
    day = days_ahead(12).isoformat()
    url = f"{reverse('equipment_bank:resource-list')}?free_from={day}&free_to={day}"
    # The first page's keys with the count, the page's cards, their photos, the kits (none
    # here): one fewer than a capped count and the page's keys (two fewer than with the
    # planner's estimate as well); a deeper page reads its own keys besides. The filter's
    # fields (and so its categories) come from the cache after the first request.
    for page, expected in (("", 4), ("&page=2", 5)):
        reads = _reads(client, url + page)
        assert len(reads) == expected, reads
        assert not [sql for sql in reads if sql.startswith(("SELECT COUNT(*)", "EXPLAIN"))], reads
    response = client.get(url + "&page=2")
    assert response.context["paginator"].count == 27  # 25 resources, the tent and the room
    assert len(response.context["resources"]) == 7


def test_booking_lists_read_their_keys_then_the_rows_of_the_page_only(
    client, city_bank, organisation, pes_owner, official
):
    _add_lending(city_bank, organisation, pes_owner, official, count=8)  # 32 bookings
    client.force_login(pes_owner)
    reads = _reads(client, reverse("equipment_bank:my-bookings"))
    bookings = [sql for sql in reads if 'FROM "equipment_bank_booking"' in sql]
    # The first page's keys with the count (no separate count), then the page's rows.
    assert not [sql for sql in reads if sql.startswith("SELECT COUNT(*)")], reads
    assert len(bookings) == 2, bookings
    assert "OVER ()" in bookings[0] and "LIMIT 20" in bookings[0], bookings
    response = client.get(reverse("equipment_bank:my-bookings") + "?page=2")
    assert response.context["paginator"].count == 32
    assert len(response.context["bookings"]) == 12


# --- plans on PostgreSQL -----------------------------------------------------------------------


@pytest.fixture
def busy_bank(city_bank, organisation, pes_owner):
    """Two hundred resources of two units with a year of bookings each, written at once, and
    the planner's statistics taken (ANALYZE), as on a live database."""
    resources = Resource.objects.bulk_create(
        Resource(owner=city_bank, category=_category(), name=f"Stół {n}", kind="equipment")
        for n in range(200)
    )
    units = ResourceUnit.objects.bulk_create(
        ResourceUnit(resource=resource, inventory_number=f"S-{resource.pk}-{n}")
        for resource in resources
        for n in range(2)
    )
    today = timezone.localdate()
    bookings, items = [], []
    for unit in units:
        for week in range(-26, 26):
            start = availability.local(today + timedelta(weeks=week))
            status = Booking.Status.CLOSED if week < 0 else Booking.Status.APPROVED
            bookings.append(
                Booking(
                    owner=city_bank,
                    resource_id=unit.resource_id,
                    organisation=organisation,
                    requested_by=pes_owner,
                    starts_at=start,
                    ends_at=start + timedelta(days=2),
                    status=status,
                    purpose="Festyn",
                )
            )
            items.append((unit, start, status))
    bookings = Booking.objects.bulk_create(bookings)
    BookingItem.objects.bulk_create(
        BookingItem(
            booking=booking,
            unit=unit,
            resource_id=unit.resource_id,
            blocked_from=start,
            blocked_until=start + timedelta(days=2),
            holds_slot=status in Booking.HOLDING,
            tentative=False,
        )
        for booking, (unit, start, status) in zip(bookings, items, strict=True)
    )
    with connection.cursor() as cursor:
        for table in ("resource", "resourceunit", "booking", "bookingitem", "damagecase"):
            cursor.execute(f"ANALYZE equipment_bank_{table}")
    return resources


def _category():
    from tests.equipment_bank.factories import CategoryFactory

    return CategoryFactory(slug="meble", name="Meble")


def _plan(queryset) -> str:
    return queryset.explain(analyze=True)


@postgresql_only
def test_the_availability_filter_reads_booked_units_through_the_range_index(busy_bank):
    day = days_ahead(15)
    filterset = selectors.resource_list(
        filters={"free_from": day.isoformat(), "free_to": (day + timedelta(days=1)).isoformat()}
    )
    assert filterset.is_valid(), filterset.errors
    # What the catalogue asks (CappedPaginator's ``count_with_first_page``): the first page's
    # keys with the number of free resources.
    first_page = filterset.qs.annotate(found_rows=Window(Count("*"))).values_list(
        "pk", "found_rows"
    )[:20]
    plan = _plan(first_page)
    # The GiST index over the blocked range alone (migration 0003), not the exclusion
    # constraint's, which leads with the unit and is read whole for a question on time only.
    assert "bank_item_blocked" in plan, plan
    assert "bank_item_no_overlap" not in plan, plan
    assert "Seq Scan on equipment_bank_bookingitem" not in plan, plan
    assert "Seq Scan on equipment_bank_booking " not in plan, plan


@postgresql_only
def test_the_month_calendar_reads_one_resources_booked_units_through_an_index(busy_bank):
    resource = busy_bank[0]
    start = availability.local(days_ahead(0).replace(day=1))
    end = start + timedelta(days=42)
    overlapping = availability.overlapping_items(start=start, end=end).filter(resource=resource)
    overdue = availability.overdue_items().filter(resource=resource)
    for query in (overlapping, overdue):
        plan = _plan(query.order_by().values_list("unit_id", "blocked_from"))
        assert "Index" in plan, plan
        assert "Seq Scan on equipment_bank_bookingitem" not in plan, plan
        assert "Seq Scan on equipment_bank_booking " not in plan, plan


@postgresql_only
def test_the_catalogues_first_page_is_read_in_order_from_its_index(busy_bank):
    # Sorting two hundred rows in memory is rightly cheaper than an index; without that choice
    # (sorting off for the transaction) the plan shows whether an index serves the order.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
    keys = selectors.resource_list(filters={}).qs.values_list("pk", flat=True)[:20]
    plan = _plan(keys)
    assert "bank_resource_listing" in plan, plan
    assert "Sort" not in plan, plan


@postgresql_only
def test_the_organisation_pages_in_kind_section_reads_the_index_alone(busy_bank, organisation):
    """A PES's returned loans (5 200 here): the section's two JSON rows
    (selectors.organisation_in_kind_rows / _years) are found through bank_booking_in_kind (on a
    vacuumed table, as at national scale, from that index alone: 7.5 -> 3.4 ms)."""
    from directory.models import Organisation

    Booking.objects.filter(status=Booking.Status.CLOSED).update(
        returned_at=models.F("ends_at"), in_kind_value=100
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE equipment_bank_booking")
    for rows in (selectors.organisation_in_kind_rows(), selectors.organisation_in_kind_years()):
        plan = Organisation.objects.filter(pk=organisation.pk).annotate(rows=rows).explain()
        assert "bank_booking_in_kind" in plan, plan
    # The lenders' names are read for the rows shown only, not joined to each loan before
    # grouping (the demo PES of the national data: 2 346 loans, 5.5 -> 1.2 ms).
    sql = str(
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(rows=selectors.organisation_in_kind_rows())
        .query
    )
    assert 'JOIN "equipment_bank_owner"' not in sql, sql
    assert 'FROM "equipment_bank_owner" l WHERE' in sql, sql
