"""What lending is worth, the monitoring indicators, the feeds parsed back, the export, and
recurring room bookings."""

import itertools
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from equipment_bank import selectors, services
from equipment_bank.availability import local
from equipment_bank.models import Booking, RecurringSeries
from monitoring.computed import COMPUTED_INDICATORS, evaluate
from tests.equipment_bank.factories import BookingFactory, ResourceFactory, days_ahead

pytestmark = pytest.mark.django_db


def _returned(tent, organisation, *, days_ago, value="150.00", fee="10.00"):
    start = local(timezone.localdate() - timedelta(days=days_ago))
    return BookingFactory(
        resource=tent,
        organisation=organisation,
        status=Booking.Status.RETURNED,
        starts_at=start,
        ends_at=start + timedelta(days=1),
        returned_at=start + timedelta(days=1, hours=2),
        reference_value=Decimal(value),
        fee=Decimal(fee),
        in_kind_value=Decimal(value) - Decimal(fee),
    )


def test_in_kind_value_per_organisation_owner_and_year(tent, organisation):
    _returned(tent, organisation, days_ago=5)
    _returned(tent, organisation, days_ago=4, value="100.00", fee="0")
    data = selectors.organisation_in_kind(organisation=organisation)
    assert data["total"] == Decimal("240.00")
    assert data["rows"][0]["owner__name"] == tent.owner.name
    assert selectors.in_kind_of_owner(owner=tent.owner)[0]["value"] == Decimal("240.00")


def test_the_in_kind_rows_name_the_largest_lenders_of_each_year(tent, organisation, monkeypatch):
    """The organisation page's rows are grouped by lender and named after the largest are
    chosen (``JSONRows(looked_up=…)``): each row carries its own lender's name."""
    from directory.models import Organisation

    monkeypatch.setattr(selectors, "IN_KIND_ROWS_SHOWN", 2)
    lenders = [ResourceFactory(name=f"Namiot {n}") for n in range(3)]
    for resource, value in zip(lenders, ("50.00", "300.00", "120.00"), strict=True):
        _returned(resource, organisation, days_ago=5, value=value, fee="0")
    _returned(lenders[0], organisation, days_ago=6, value="400.00", fee="0")  # 450 in all
    found = (
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(rows=selectors.organisation_in_kind_rows())
        .values_list("rows", flat=True)
        .get()
    )
    assert [(row["owner_name"], Decimal(row["value"])) for row in found] == [
        (lenders[0].owner.name, Decimal("450.00")),
        (lenders[1].owner.name, Decimal("300.00")),
    ]
    assert {row["bookings"] for row in found} == {2, 1}


def test_the_organisation_page_shows_the_in_kind_section(client, tent, organisation):
    _returned(tent, organisation, days_ago=5)
    content = client.get(organisation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Equipment and rooms from the city" in content.content.decode()


def test_the_indicators_are_registered_and_computed(tent, organisation, municipality):
    for key in ("bank_bookings", "bank_in_kind_value", "bank_utilisation"):
        assert key in COMPUTED_INDICATORS
    _returned(tent, organisation, days_ago=5)
    start, end = timezone.localdate() - timedelta(days=9), timezone.localdate()
    assert evaluate("bank_bookings", municipality=municipality, start=start, end=end) == 1
    assert evaluate(
        "bank_in_kind_value", municipality=municipality, start=start, end=end
    ) == Decimal("140.00")
    # One of two units booked one day out of ten: 5 %.
    assert evaluate("bank_utilisation", municipality=municipality, start=start, end=end) == Decimal(
        "5.0"
    )


def test_the_public_feed_has_busy_times_and_no_names(client, tent, organisation):
    booking = BookingFactory(resource=tent, organisation=organisation, status="approved")
    response = client.get(reverse("equipment_bank:resource-feed", args=[tent.pk]))
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == booking.starts_at
    assert str(event["status"]) == "CONFIRMED"
    assert organisation.name not in response.content.decode()
    assert booking.purpose not in response.content.decode()


def test_the_organisation_feed_lists_its_bookings_until_revoked(
    client, tent, organisation, pes_owner
):
    booking = BookingFactory(resource=tent, organisation=organisation)
    feed = services.calendar_feed_renew(organisation=organisation, actor=pes_owner)
    url = reverse("equipment_bank:organisation-feed-ics", args=[feed.token])
    calendar = Calendar.from_ical(client.get(url).content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]).startswith(tent.name)
    assert str(event["status"]) == "TENTATIVE"
    assert booking.purpose in str(event["description"])
    services.calendar_feed_renew(organisation=organisation, actor=pes_owner)
    assert client.get(url).status_code == 404


def test_the_export_is_a_polish_csv_without_formulas(client, official, tent, organisation):
    BookingFactory(resource=tent, organisation=organisation, purpose="=HYPERLINK(1)")
    client.force_login(official)
    response = client.get(reverse("equipment_bank:booking-export", args=["csv"]))
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    assert ";" in content
    assert "'=HYPERLINK" in content
    xlsx = client.get(reverse("equipment_bank:booking-export", args=["xlsx"]))
    assert xlsx.status_code == 200


def _weekly(room, pes_owner, borrower, occurrences=4, **kwargs):
    return services.series_request(
        user=pes_owner,
        resource=room,
        borrower=borrower,
        first=days_ahead(7),
        start_time=time(10),
        end_time=time(12),
        frequency=RecurringSeries.Frequency.WEEKLY,
        occurrences=occurrences,
        purpose="Grupa wsparcia",
        accepted_rules=True,
        **kwargs,
    )


def test_a_weekly_room_booking_lists_every_conflict_before_saving(
    room, pes_owner, borrower, other_pes_member
):
    taken_day = days_ahead(14)
    BookingFactory(
        resource=room,
        status="approved",
        starts_at=local(taken_day, time(11)),
        ends_at=local(taken_day, time(13)),
    )
    checked = services.series_check(
        resource=room,
        first=days_ahead(7),
        start_time=time(10),
        end_time=time(12),
        frequency=RecurringSeries.Frequency.WEEKLY,
        occurrences=4,
    )
    assert [bool(occurrence.problem) for occurrence in checked] == [False, True, False, False]
    with pytest.raises(ValidationError) as caught:
        _weekly(room, pes_owner, borrower)
    assert taken_day.strftime("%d.%m.%Y") in caught.value.messages[0]
    assert Booking.objects.filter(series__isnull=False).count() == 0


def test_a_fortnightly_series_is_booked_all_at_once(room, pes_owner, borrower):
    series = services.series_request(
        user=pes_owner,
        resource=room,
        borrower=borrower,
        first=days_ahead(7),
        start_time=time(10),
        end_time=time(12),
        frequency=RecurringSeries.Frequency.FORTNIGHTLY,
        occurrences=3,
        purpose="Grupa wsparcia",
        accepted_rules=True,
    )
    starts = sorted(series.bookings.values_list("starts_at", flat=True))
    assert [(b - a).days for a, b in itertools.pairwise(starts)] == [14, 14]


def test_the_series_form_shows_the_dates_then_books_on_confirmation(
    client, room, pes_owner, organisation
):
    client.force_login(pes_owner)
    url = reverse("equipment_bank:series-create", args=[room.pk])
    data = {
        "borrower": f"organisation:{organisation.pk}",
        "start": days_ahead(7).isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "frequency": "weekly",
        "occurrences": "3",
        "purpose": "Grupa wsparcia",
        "accepted_rules": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert len(response.context["occurrences"]) == 3
    assert not Booking.objects.exists()
    response = client.post(url, {**data, "confirm": "on"})
    assert response.status_code == 302
    assert Booking.objects.count() == 3


def test_the_organisation_page_lists_the_largest_loans_and_says_how_many_it_leaves_out(
    client, tent, organisation, monkeypatch
):
    """A PES borrowing from hundreds of lenders gets a bounded table: the largest rows of each
    year, the total over all of them, and how many rows are left out."""
    monkeypatch.setattr(selectors, "IN_KIND_ROWS_SHOWN", 1)
    _returned(tent, organisation, days_ago=5, value="100.00", fee="0")
    _returned(tent, organisation, days_ago=400, value="900.00", fee="0")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "1000,00" in page or "1000.00" in page  # the total counts both years
    assert page.count(f"<td>{tent.owner.name}</td>") == 1  # only the latest year's row
    assert "1 mniejszy wiersz pominięto" in page
    assert "900.00" not in page and "900,00" not in page
