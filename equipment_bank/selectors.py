"""Reads of the equipment bank. Other apps (monitoring, the organisation page) read it only here."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone

from directory import selectors as directory_selectors
from pestor import roles
from pestor import selectors as pestor_selectors
from pestor.related_rows import JSONRows

from . import availability
from .filters import BookingFilterSet, ResourceFilterSet
from .models import (
    Booking,
    BookingItem,
    CalendarFeed,
    ConditionReport,
    DamageCase,
    Kit,
    KitItem,
    Owner,
    Resource,
    ResourcePhoto,
    ResourceUnit,
)
from .permissions import (
    manages_owner,
    member_organisation_list,
    member_organisations,
    official_departments,
    remember_managed_owner,
)

# --- the catalogue -----------------------------------------------------------------------------


def _first_photo():
    return Prefetch(
        "photos", queryset=ResourcePhoto.objects.order_by("position", "pk"), to_attr="photo_list"
    )


def resource_list(*, filters: dict | None = None) -> ResourceFilterSet:
    """The public catalogue of every owner together, filtered ("free from … to …" first).
    Returns the bound FilterSet (``.qs`` is the result, ``.form`` the filter form). The list
    holds the resources only: a page's cards are read by ``resource_cards``, so that the count
    and the order of thousands of resources join nothing."""
    queryset = Resource.objects.public().order_by("name", "pk")
    return ResourceFilterSet(data=filters or None, queryset=queryset)


def resource_cards(keys) -> QuerySet:
    """The resources of a page of the catalogue with what their cards show: owner, place,
    category, first photo and the number of units in the pool."""
    unit_count = (
        ResourceUnit.objects.filter(resource=OuterRef("pk"), status=ResourceUnit.Status.AVAILABLE)
        .order_by()
        .values("resource")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Resource.objects.filter(pk__in=keys)
        .select_related("owner", "owner__municipality", "category")
        # What ``_resource_cards.html`` shows: not the description, search text, checklist or
        # rules a resource's row carries.
        .only(
            "name",
            "kind",
            "capacity",
            "area_m2",
            "step_free_access",
            "fee",
            "period_unit",
            "owner",
            "category",
            "owner__name",
            "owner__municipality",
            "owner__municipality__name",
            "category__name",
        )
        .prefetch_related(_first_photo())
        .annotate(unit_count=Coalesce(Subquery(unit_count), 0))
    )


def resource_get_for_user(*, user, pk: int) -> Resource:
    """One resource: public ones for everyone, withdrawn ones for their owner's managers; a
    missing and a hidden one are the same 404."""
    queryset = Resource.objects.select_related(
        "owner", "owner__municipality", "owner__department", "owner__organisation", "category"
    ).prefetch_related(
        Prefetch("photos", queryset=ResourcePhoto.objects.order_by("position", "pk")),
        "attachments",
    )
    resource = get_object_or_404(queryset, pk=pk)
    if not resource.is_public and not manages_owner(user, resource.owner):
        raise_not_found()
    return resource


def raise_not_found():
    from django.http import Http404

    raise Http404


def resource_units(*, resource: Resource) -> list[ResourceUnit]:
    """The units with whether each is in the pool (an open damage case, an expired inspection
    or a repair keeps it out)."""
    open_damage = DamageCase.objects.filter(unit=OuterRef("pk"), status=DamageCase.Status.OPEN)
    return list(
        resource.units.exclude(status=ResourceUnit.Status.RETIRED)
        .annotate(has_open_damage=Exists(open_damage))
        .order_by("inventory_number", "pk")
    )


def kit_list(*, owner: Owner | None = None) -> QuerySet:
    queryset = Kit.objects.filter(is_active=True, owner__is_active=True).select_related("owner")
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    parts = KitItem.objects.select_related("resource__owner").order_by("pk")
    return queryset.prefetch_related(Prefetch("items", queryset=parts)).order_by("name", "pk")


def kit_get(*, pk: int) -> Kit:
    return get_object_or_404(kit_list(), pk=pk)


def kits_with_resource(*, resource: Resource) -> QuerySet:
    return kit_list().filter(items__resource=resource).distinct()


# --- owners and their managers -----------------------------------------------------------------


def owners_managed(*, user) -> QuerySet:
    if not user.is_authenticated:
        return Owner.objects.none()
    if roles.is_administrator(user):
        return Owner.objects.all().order_by("name")
    # Subqueries, not the memberships read first: the panel asks this once, in one query.
    return Owner.objects.filter(
        Q(department_id__in=pestor_selectors.department_ids_of_user(user=user))
        | Q(organisation_id__in=directory_selectors.organisation_ids_of_user(user=user))
    ).order_by("name")


def owner_get_for_user(*, user, pk: int) -> Owner:
    """An owner the user manages; any other is not found."""
    owner = get_object_or_404(owners_managed(user=user), pk=pk)
    remember_managed_owner(user, owner)
    return owner


def owner_manager_emails(*, owner: Owner) -> list[str]:
    if owner.department_id:
        return pestor_selectors.department_official_emails(department=owner.department_id)
    return directory_selectors.organisation_member_emails(organisation=owner.organisation_id)


def borrower_emails(*, booking: Booking) -> list[str]:
    return [booking.requested_by.email] if booking.requested_by.is_active else []


# --- bookings ----------------------------------------------------------------------------------

# What a row of a list of bookings shows (who requested is on the booking's own page).
_BOOKING_JOINS = (
    "owner",
    "resource",
    "kit",
    "organisation",
    "department",
    "department__municipality",
)


def _bookings_of_user(user) -> QuerySet:
    if not user.is_authenticated:
        return Booking.objects.none()
    return Booking.objects.filter(
        Q(requested_by=user)
        | Q(organisation_id__in=list(member_organisations(user)))
        | Q(department_id__in=list(official_departments(user)))
    )


def my_bookings(*, user, filters: dict | None = None) -> BookingFilterSet:
    """ "My bookings": those the user made and those of their organisations and departments,
    the coming ones first. The list holds the bookings only: a page's rows are read by
    ``booking_rows``."""
    queryset = _bookings_of_user(user).order_by("-starts_at", "-pk")
    return BookingFilterSet(data=filters or None, queryset=queryset)


def booking_rows(keys, *, queue: bool = False) -> QuerySet:
    """The bookings of a page of "my bookings" or of an owner's queue with what a row shows
    (``_booking_rows.html``): what, when, the borrower, the status, and in the queue whether a
    unit is still out on an overdue loan. Only those columns: a booking's row carries notes
    and a dozen dates and people that the list does not show."""
    rows = (
        Booking.objects.filter(pk__in=keys)
        .select_related("resource", "kit", "organisation", "department__municipality")
        .only(
            "status",
            "starts_at",
            "ends_at",
            "resource",
            "kit",
            "organisation",
            "department",
            "resource__name",
            "kit__name",
            "organisation__name",
            "organisation__short_name",
            "department__name",
            "department__municipality__name",
        )
    )
    if queue:
        rows = rows.annotate(waits_for_overdue=_waits_for_overdue())
    return rows


# What an owner acts on first: requests to decide, then hand-overs, loans out, returns.
QUEUE_ORDER = (
    Booking.Status.REQUESTED,
    Booking.Status.APPROVED,
    Booking.Status.HANDED_OUT,
    Booking.Status.RETURNED,
)


def owner_queue(*, owner: Owner, filters: dict | None = None) -> BookingFilterSet:
    """The owner's bookings: requests to decide first, then those to hand out and take back."""
    stage = Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(QUEUE_ORDER)),
        default=Value(len(QUEUE_ORDER)),
    )
    # The rows of a page are read by ``booking_rows(keys, queue=True)``.
    queryset = (
        Booking.objects.filter(owner=owner).alias(stage=stage).order_by("stage", "starts_at", "pk")
    )
    data = filters or None
    filterset = BookingFilterSet(data=data, queryset=queryset)
    if not (data and data.get("status")):
        filterset.queryset = queryset.filter(status__in=[*Booking.HOLDING, Booking.Status.RETURNED])
    return filterset


def booking_get_for_user(*, user, pk: int) -> Booking:
    """A booking for its borrower side and the owner's managers; anyone else gets the same 404
    as for a missing one."""
    booking = get_object_or_404(
        Booking.objects.select_related(*_BOOKING_JOINS, "requested_by").annotate(
            waits_for_overdue=_waits_for_overdue()
        ),
        pk=pk,
    )
    from .permissions import can_view_booking

    if not can_view_booking(user, booking):
        raise_not_found()
    return booking


def booking_items(*, booking: Booking) -> list[BookingItem]:
    """The booked units with their condition at hand-over and return (``handover`` and
    ``returned`` attributes)."""
    items = list(
        booking.items.select_related("unit", "resource").prefetch_related(
            Prefetch("reports", queryset=ConditionReport.objects.order_by("stage"))
        )
    )
    for item in items:
        reports = {report.stage: report for report in item.reports.all()}
        item.handover = reports.get(ConditionReport.Stage.HANDOVER)
        item.returned = reports.get(ConditionReport.Stage.RETURN)
    return items


def _waits_for_overdue():
    """Whether a booking not yet handed out has a unit that is out on an overdue loan: flagged
    to the owner, who must find another unit or warn the borrower. Computed for the rows read
    only (an annotation, not a query of its own)."""
    overdue_units = availability.overdue_items().values("unit_id")
    return Case(
        When(
            status__in=[Booking.Status.REQUESTED, Booking.Status.APPROVED],
            then=Exists(
                BookingItem.objects.filter(booking=OuterRef("pk"), unit_id__in=overdue_units)
            ),
        ),
        default=Value(False),
    )


def borrower_organisations(*, user) -> list:
    """The user's organisations (the links to their calendar feeds on "my bookings")."""
    return member_organisation_list(user)


def damage_cases_of_booking(*, booking: Booking) -> QuerySet:
    return booking.damage_cases.select_related("unit").order_by("pk")


def damage_list(*, owner: Owner) -> QuerySet:
    """The owner's damage cases with what the queue's list shows: the unit, the status, when
    and the organisation (a case's own page shows the rest)."""
    return (
        DamageCase.objects.filter(unit__resource__owner=owner)
        .select_related("unit__resource", "organisation")
        .only(
            "status",
            "opened_at",
            "unit",
            "organisation",
            "unit__inventory_number",
            "unit__resource",
            "unit__resource__name",
            "organisation__name",
            "organisation__short_name",
        )
        .order_by("status", "-opened_at", "-pk")
    )


def damage_get_for_user(*, user, pk: int) -> DamageCase:
    case = get_object_or_404(
        DamageCase.objects.select_related(
            "unit",
            "unit__resource",
            "unit__resource__owner",
            "booking",
            "organisation",
            "department",
            "person",
        ),
        pk=pk,
    )
    from .permissions import can_view_damage

    if not can_view_damage(user, case):
        raise_not_found()
    return case


# --- calendars and feeds -----------------------------------------------------------------------


def public_busy_times(*, resource: Resource, start: datetime, end: datetime) -> list[dict]:
    """Busy periods of the resource (per unit count), for its public feed: never who."""
    items = (
        BookingItem.objects.filter(
            resource=resource, holds_slot=True, blocked_until__gt=start, blocked_from__lt=end
        )
        .values("booking_id", "booking__starts_at", "booking__ends_at", "tentative")
        .annotate(units=Count("pk"))
        .order_by("booking__starts_at", "booking_id")
    )
    return [
        {
            "uid": f"bank-busy-{item['booking_id']}",
            "start": item["booking__starts_at"],
            "end": item["booking__ends_at"],
            "tentative": item["tentative"],
            "units": item["units"],
        }
        for item in items
    ]


def feed_get(*, token: str) -> CalendarFeed:
    return get_object_or_404(
        CalendarFeed.objects.select_related("organisation"), token=token, revoked_at__isnull=True
    )


def feed_active(*, organisation) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(organisation=organisation, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def organisation_feed_bookings(*, organisation) -> QuerySet:
    since = timezone.now() - timedelta(days=90)
    return (
        Booking.objects.filter(organisation=organisation, ends_at__gte=since)
        .exclude(status__in=[Booking.Status.REJECTED, Booking.Status.EXPIRED])
        .select_related("resource", "kit", "owner")
        .order_by("starts_at", "pk")[:500]
    )


# --- what lending is worth ---------------------------------------------------------------------

_VALUED = (Booking.Status.RETURNED, Booking.Status.CLOSED)


def _money(queryset) -> Decimal:
    return queryset.aggregate(
        total=Coalesce(Sum("in_kind_value"), Decimal("0"), output_field=DecimalField())
    )["total"]


def in_kind_by_year(*, organisation) -> list[dict]:
    """The organisation's in-kind support from lending, per owner and year."""
    return list(
        Booking.objects.filter(organisation=organisation, status__in=_VALUED)
        .annotate(year=ExtractYear("returned_at"))
        .values("year", "owner__name")
        .annotate(
            bookings=Count("pk"),
            value=Coalesce(Sum("in_kind_value"), Decimal("0"), output_field=DecimalField()),
        )
        .order_by("-year", "owner__name")
    )


def in_kind_of_owner(*, owner: Owner) -> list[dict]:
    return list(
        Booking.objects.filter(owner=owner, status__in=_VALUED)
        .annotate(year=ExtractYear("returned_at"))
        .values("year")
        .annotate(
            bookings=Count("pk"),
            value=Coalesce(Sum("in_kind_value"), Decimal("0"), output_field=DecimalField()),
        )
        .order_by("-year")
    )


def export_bookings(*, user, filters: dict | None = None) -> QuerySet:
    """Bookings an official exports: those of owners in their municipalities (all for an
    administrator)."""
    queryset = Booking.objects.select_related(*_BOOKING_JOINS, "owner__municipality")
    if not roles.is_administrator(user):
        queryset = queryset.filter(owner__municipality_id__in=roles.official_municipality_ids(user))
    return BookingFilterSet(
        data=filters or None, queryset=queryset.order_by("-starts_at", "-pk")
    ).qs


# --- indicators for the monitoring app ---------------------------------------------------------


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return availability.local(start), availability.local(end + timedelta(days=1))


def _municipality_id(municipality) -> int:
    return municipality if isinstance(municipality, int) else municipality.pk


def indicator_bookings(*, municipality, start: date, end: date) -> int:
    """Bookings of the municipality's owners that began in the period and were lent (handed
    out, returned or closed)."""
    start_bound, end_bound = _bounds(start, end)
    return Booking.objects.filter(
        owner__municipality_id=_municipality_id(municipality),
        starts_at__gte=start_bound,
        starts_at__lt=end_bound,
        status__in=[Booking.Status.HANDED_OUT, *_VALUED],
    ).count()


def indicator_in_kind_value(*, municipality, start: date, end: date) -> Decimal:
    """In-kind support (market value minus fees) of the loans returned in the period from the
    municipality's own departments."""
    start_bound, end_bound = _bounds(start, end)
    return _money(
        Booking.objects.filter(
            owner__municipality_id=_municipality_id(municipality),
            owner__department__isnull=False,
            status__in=_VALUED,
            returned_at__gte=start_bound,
            returned_at__lt=end_bound,
        )
    )


def indicator_utilisation(*, municipality, start: date, end: date) -> Decimal | None:
    """Of the time the city's units could be lent in the period (days for equipment, opening
    hours for rooms), the percentage they were booked (approved, lent or returned)."""
    start_bound, end_bound = _bounds(start, end)
    units = list(
        ResourceUnit.objects.filter(
            resource__owner__municipality_id=_municipality_id(municipality),
            resource__owner__department__isnull=False,
            resource__status=Resource.Status.ACTIVE,
        )
        .exclude(status=ResourceUnit.Status.RETIRED)
        .select_related("resource")
    )
    if not units:
        return None
    days = (end - start).days + 1
    bookable = Decimal("0")
    for unit in units:
        resource = unit.resource
        if resource.is_room and resource.opens_at and resource.closes_at:
            open_days = sum(
                1 for n in range(days) if resource.is_open_on(start + timedelta(days=n))
            )
            hours = (
                datetime.combine(start, resource.closes_at)
                - datetime.combine(start, resource.opens_at)
            ).total_seconds() / 3600
            bookable += Decimal(open_days) * Decimal(str(hours)) * 3600
        else:
            bookable += Decimal(days * 86400)
    used = Decimal("0")
    for booking_start, booking_end in BookingItem.objects.filter(
        unit__resource__owner__municipality_id=_municipality_id(municipality),
        unit__resource__owner__department__isnull=False,
        booking__status__in=[Booking.Status.APPROVED, Booking.Status.HANDED_OUT, *_VALUED],
        booking__starts_at__lt=end_bound,
        booking__ends_at__gt=start_bound,
    ).values_list("booking__starts_at", "booking__ends_at"):
        overlap = min(booking_end, end_bound) - max(booking_start, start_bound)
        used += Decimal(max(overlap.total_seconds(), 0))
    if not bookable:
        return None
    return min(Decimal("100"), (used / bookable * 100)).quantize(Decimal("0.1"))


# --- sections and personal data ----------------------------------------------------------------


def organisation_in_kind(*, organisation) -> dict:
    """For the organisation's page: what it borrowed from the city, per year."""
    rows = [row for row in in_kind_by_year(organisation=organisation) if row["year"] is not None]
    return {"rows": rows, "total": sum((row["value"] for row in rows), Decimal("0"))}


# The organisation's page lists at most this many (year, lender) rows, the largest first in each
# year: a PES borrowing from hundreds of lenders would otherwise fill the page with them.
IN_KIND_ROWS_SHOWN = 15


def _returned_bookings_of_organisation():
    return Booking.objects.filter(
        organisation=OuterRef("pk"), status__in=_VALUED, returned_at__isnull=False
    ).annotate(year=ExtractYear("returned_at"))


def organisation_in_kind_rows() -> JSONRows:
    """``organisation_in_kind``'s rows of the organisation ``OuterRef("pk")``, as JSON rows to
    annotate it with (its page's section, ``pestor.sections``): the largest
    ``IN_KIND_ROWS_SHOWN`` (year, lender) rows, the latest year first."""
    # Grouped by the lender's key, which the in-kind index holds: only the rows shown read the
    # lender's name (a PES with thousands of loans from hundreds of lenders joined every loan to
    # its lender to group them by name). Equal values are ordered by the lender's key.
    return JSONRows(
        _returned_bookings_of_organisation()
        .values("year", "owner_id")
        .annotate(
            bookings=Count("pk"),
            value=Coalesce(Sum("in_kind_value"), Decimal("0"), output_field=DecimalField()),
        )
        .order_by("-year", "-value", "owner_id")[:IN_KIND_ROWS_SHOWN],
        ("year", "owner_id", "bookings", "value"),
        looked_up={"owner_name": ("owner_id", Owner, "name")},
    )


def organisation_in_kind_years() -> JSONRows:
    """Per year, everything the organisation ``OuterRef("pk")`` borrowed: the loans, their
    in-kind value and the number of lenders (the page's total and the rows it leaves out)."""
    return JSONRows(
        _returned_bookings_of_organisation()
        .values("year")
        .annotate(
            bookings=Count("pk"),
            value=Coalesce(Sum("in_kind_value"), Decimal("0"), output_field=DecimalField()),
            lenders=Count("owner", distinct=True),
        )
        .order_by("-year"),
        ("year", "bookings", "value", "lenders"),
    )


def organisation_in_kind_of_rows(rows: list[dict], years: list[dict]) -> dict:
    """``organisation_in_kind`` from ``organisation_in_kind_rows``' and
    ``organisation_in_kind_years``' JSON rows; ``hidden`` is the number of rows left out."""
    rows = [
        {
            "year": row["year"],
            "owner__name": row["owner_name"],
            "bookings": row["bookings"],
            "value": Decimal(row["value"]).quantize(Decimal("0.01")),
        }
        for row in rows
    ]
    total = sum((Decimal(year["value"]) for year in years), Decimal("0")).quantize(Decimal("0.01"))
    hidden = sum(year["lenders"] for year in years) - len(rows)
    return {"rows": rows, "total": total, "hidden": hidden}


def personal_data(*, user) -> dict:
    """The person's bookings and the damage attributed to them (RODO art. 15, 20)."""
    return {
        "bookings": [
            {
                "what": booking.title,
                "from": booking.starts_at.isoformat(),
                "until": booking.ends_at.isoformat(),
                "status": booking.status,
                "purpose": booking.purpose,
                "public_task": booking.public_task,
                "requested": booking.created_at.isoformat(),
            }
            for booking in Booking.objects.filter(requested_by=user).select_related(
                "resource", "kit"
            )
        ],
        "damage_cases": [
            {
                "unit": str(case.unit),
                "description": case.description,
                "opened": case.opened_at.isoformat(),
                "status": case.status,
            }
            for case in DamageCase.objects.filter(person=user).select_related("unit__resource")
        ],
    }


def today_bounds() -> tuple[datetime, datetime]:
    today = timezone.localdate()
    return availability.local(today), availability.local(today, time.max)


def ledger_in_kind(*, organisation=None, municipality=None) -> QuerySet:
    """The in-kind value of equipment and rooms lent, per year of return: ``year``, ``count``
    (bookings) and ``value``, of one borrowing organisation or of the bookings from a
    municipality's lenders."""
    # A valued booking has always been returned; saying so lets one organisation's loans be read
    # from the in-kind index alone (``bank_booking_in_kind``).
    bookings = Booking.objects.filter(
        status__in=_VALUED, organisation__isnull=False, returned_at__isnull=False
    )
    if organisation is not None:
        bookings = bookings.filter(organisation=organisation)
    if municipality is not None:
        bookings = bookings.filter(owner__municipality=municipality)
    return (
        bookings.annotate(year=ExtractYear("returned_at"))
        .values("year")
        .annotate(
            count=Count("pk"),
            value=Coalesce(Sum("in_kind_value"), Decimal("0"), output_field=DecimalField()),
        )
        .order_by("-year")
    )


def open_data_loans():
    """Every loan of equipment or a room to a PES, valued on its return (the in-kind support
    of the ledger), streamed in chunks: when, what (resource or kit, kind, category), the
    lender (catalogue name, municipality) and its pick-up point's coordinates, the borrowing
    organisation (name, KRS, NIP) and the value. No person: not who asked, handed out or
    returned it, no notes."""
    return (
        Booking.objects.filter(status__in=_VALUED, organisation__isnull=False)
        .annotate(
            year=ExtractYear("returned_at"),
            latitude=Coalesce("resource__pickup_latitude", "owner__pickup_latitude"),
            longitude=Coalesce("resource__pickup_longitude", "owner__pickup_longitude"),
            address=Coalesce(
                NullIf("resource__pickup_address", Value("")), "owner__pickup_address"
            ),
        )
        .values(
            "pk",
            "year",
            "starts_at",
            "ends_at",
            "returned_at",
            "in_kind_value",
            "reference_value",
            "fee",
            "resource__name",
            "resource__kind",
            "resource__category__name",
            "kit__name",
            "owner__name",
            "owner__municipality__name",
            "owner__municipality__teryt",
            "address",
            "latitude",
            "longitude",
            "organisation__name",
            "organisation__krs",
            "organisation__nip",
        )
        .order_by("returned_at", "pk")
        .iterator(chunk_size=2000)
    )
