"""The bank's pages over HTTP: every view against every role, bad input that loses nothing,
fixed query counts, the calendar that never says who booked."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from equipment_bank import services
from equipment_bank.models import Booking, ConditionReport, DamageCase
from tests.equipment_bank.factories import (
    BookingFactory,
    ResourceFactory,
    ResourcePhotoFactory,
    days_ahead,
    kit_with,
)
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

MANAGERS = {"official", "admin_user"}
BORROWER_SIDE = {"pes_owner", "pes_editor"}
# Who may book the city's tent: members of a verified PES, officials of another department.
BOOKERS = {"pes_owner", "pes_editor", "other_pes_member", "other_official"}


def expected(role, allowed, *, denied=403):
    if role == "resident":
        return "login"
    return 200 if role in allowed else denied


@pytest.fixture
def booking(tent, organisation, pes_owner, pes_editor):
    return BookingFactory(resource=tent, organisation=organisation, requested_by=pes_owner)


def _handed_out(booking, official):
    services.booking_approve(booking=booking, actor=official)
    item = booking.items.get()
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    booking.refresh_from_db()
    services.booking_hand_out(
        booking=booking, actor=official, received_by="Joanna Nowak", conditions={item.pk: {}}
    )
    booking.refresh_from_db()
    return booking


# --- public pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_catalogue_the_resource_its_feed_and_kits(role, as_role, client, tent):
    kit = kit_with(tent.owner, (tent, 1))
    as_role(role)
    assert client.get(reverse("equipment_bank:resource-list")).status_code == 200
    page = client.get(tent.get_absolute_url())
    assert page.status_code == 200
    assert tent.name in page.content.decode()
    feed = client.get(reverse("equipment_bank:resource-feed", args=[tent.pk]))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert client.get(kit.get_absolute_url()).status_code == 200


def test_a_withdrawn_resource_is_404_except_to_its_managers(client, tent, official):
    tent.status = tent.Status.WITHDRAWN
    tent.save()
    assert client.get(tent.get_absolute_url()).status_code == 404
    client.force_login(official)
    assert client.get(tent.get_absolute_url()).status_code == 200


def test_the_availability_filter_leaves_out_what_is_taken(client, tent, city_bank):
    free_tent = ResourceFactory(owner=city_bank, name="Namiot zapasowy", units=1)
    BookingFactory(resource=tent, unit=tent.units.order_by("pk")[0], status=Booking.Status.APPROVED)
    BookingFactory(
        resource=tent, unit=tent.units.order_by("pk")[1], status=Booking.Status.REQUESTED
    )
    day = days_ahead(10).isoformat()
    response = client.get(
        reverse("equipment_bank:resource-list"), {"free_from": day, "free_to": day}
    )
    names = [resource.name for resource in response.context["resources"]]
    assert names == [free_tent.name]
    assert f'value="{day}"' in response.content.decode()


def test_a_wrong_filter_date_is_explained(client, tent):
    response = client.get(
        reverse("equipment_bank:resource-list"), {"free_from": "0001-01-01", "free_to": "x"}
    )
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_the_calendar_shows_states_but_never_who_booked(client, tent, organisation):
    first, second = tent.units.order_by("pk")
    BookingFactory(resource=tent, unit=first, organisation=organisation, status="approved")
    BookingFactory(resource=tent, unit=second, organisation=organisation, status="requested")
    month = days_ahead(10).strftime("%Y-%m")
    content = client.get(tent.get_absolute_url(), {"month": month}).content.decode()
    assert "day-tentative" in content or "day-booked" in content
    assert organisation.name not in content
    assert "Festyn" not in content


def _counts(client, resource):
    url = reverse("equipment_bank:resource-list") + "?free_from=" + days_ahead(12).isoformat()
    cache.clear()  # each count renders the filter's fields (includes/filter_fields.html)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    catalogue = len(captured)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(resource.get_absolute_url()).status_code == 200
    return catalogue, len(captured)


def _resource_with_booking(city_bank):
    resource = ResourceFactory(owner=city_bank)
    ResourcePhotoFactory(resource=resource)
    BookingFactory(resource=resource, status=Booking.Status.APPROVED)
    BookingFactory(
        resource=resource, status=Booking.Status.REQUESTED, unit=resource.units.order_by("pk")[1]
    )
    return resource


def test_the_catalogue_and_the_calendar_run_a_fixed_number_of_queries(client, city_bank):
    resource = _resource_with_booking(city_bank)
    with_one = _counts(client, resource)
    for _ in range(24):
        _resource_with_booking(city_bank)
    assert _counts(client, resource) == with_one


# --- booking -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_booking_form(role, as_role, client, tent, room, other_official):
    as_role(role)
    for resource, name in ((tent, "booking-create"), (room, "series-create")):
        response = client.get(reverse(f"equipment_bank:{name}", args=[resource.pk]))
        assert outcome(response) == expected(role, BOOKERS)


def test_booking_from_the_form(client, tent, pes_owner, organisation):
    client.force_login(pes_owner)
    day = days_ahead(7).isoformat()
    response = client.post(
        reverse("equipment_bank:booking-create", args=[tent.pk]),
        {
            "borrower": f"organisation:{organisation.pk}",
            "start": day,
            "end": day,
            "quantity": "1",
            "purpose": "Festyn",
            "accepted_rules": "on",
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == booking.get_absolute_url()
    assert booking.organisation == organisation


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(10, 9, "end"), (-2, -2, "start"), (200, 200, "start"), (10, 30, "end")],
    ids=["end-before-start", "past", "beyond-horizon", "over-maximum"],
)
def test_bad_dates_get_a_message_by_the_field_and_keep_the_input(
    client, tent, pes_owner, organisation, start, end, field
):
    client.force_login(pes_owner)
    data = {
        "borrower": f"organisation:{organisation.pk}",
        "start": days_ahead(start).isoformat(),
        "end": days_ahead(end).isoformat(),
        "quantity": "1",
        "purpose": "Piknik rodzinny",
        "accepted_rules": "on",
    }
    response = client.post(reverse("equipment_bank:booking-create", args=[tent.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Piknik rodzinny" in response.content.decode()
    assert not Booking.objects.exists()


def test_an_overlap_is_explained_with_the_nearest_free_time(client, tent, pes_owner, organisation):
    for unit in tent.units.all():
        BookingFactory(resource=tent, unit=unit, status=Booking.Status.APPROVED)
    client.force_login(pes_owner)
    day = days_ahead(10).isoformat()
    response = client.post(
        reverse("equipment_bank:booking-create", args=[tent.pk]),
        {
            "borrower": f"organisation:{organisation.pk}",
            "start": day,
            "end": day,
            "quantity": "1",
            "purpose": "Festyn",
            "accepted_rules": "on",
            "lang": "en",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    errors = response.context["form"].errors["start"]
    assert "nearest free time" in errors[0]
    assert days_ahead(11).strftime("%m") in errors[0]


def test_an_unverified_borrower_cannot_book(client, tent, pending_organisation):
    owner = pending_organisation.memberships.get().user
    client.force_login(owner)
    response = client.get(reverse("equipment_bank:booking-create", args=[tent.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_my_bookings_shows_only_ones_own(role, as_role, client, booking):
    as_role(role)
    response = client.get(reverse("equipment_bank:my-bookings"))
    assert outcome(response) == expected(role, set(ROLES) - {"resident"})
    if response.status_code == 200:
        shown = list(response.context["bookings"])
        assert (booking in shown) == (role in BORROWER_SIDE)


@pytest.mark.parametrize("role", ROLES)
def test_a_booking_is_seen_by_its_borrower_and_the_owners_managers(role, as_role, client, booking):
    as_role(role)
    response = client.get(booking.get_absolute_url())
    assert outcome(response) == expected(role, BORROWER_SIDE | MANAGERS, denied=404)


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_decide(role, as_role, client, booking):
    as_role(role)
    response = client.get(reverse("equipment_bank:booking-decide", args=[booking.pk]))
    want = expected(role, MANAGERS, denied=404)
    if role in BORROWER_SIDE:
        want = 403
    assert outcome(response) == want


def test_rejecting_without_a_reason_keeps_the_form(client, booking, official):
    client.force_login(official)
    url = reverse("equipment_bank:booking-decide", args=[booking.pk])
    response = client.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    response = client.post(url, {"decision": "approve", "note": "Zapraszamy."})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED


@pytest.mark.parametrize("role", ROLES)
def test_only_the_borrower_cancels(role, as_role, client, booking):
    user = as_role(role)
    response = client.post(reverse("equipment_bank:booking-cancel", args=[booking.pk]))
    booking.refresh_from_db()
    if role in BORROWER_SIDE:
        assert response.status_code == 302
        assert booking.status == Booking.Status.CANCELLED
    else:
        assert outcome(response) == (
            "login" if user is None else (403 if role in MANAGERS else 404)
        )
        assert booking.status == Booking.Status.REQUESTED


@pytest.mark.parametrize("role", ROLES)
def test_hand_out_return_and_protocol_by_role(role, as_role, client, booking, official):
    services.booking_approve(booking=booking, actor=official)
    as_role(role)
    hand_out = client.get(reverse("equipment_bank:booking-hand-out", args=[booking.pk]))
    want = expected(role, MANAGERS, denied=404)
    if role in BORROWER_SIDE:
        want = 403
    assert outcome(hand_out) == want


def test_the_whole_path_hand_out_return_damage_protocol(
    client, booking, official, pes_owner, other_pes_member
):
    import io

    from pypdf import PdfReader

    services.booking_approve(booking=booking, actor=official)
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    item = booking.items.get()
    prefix = f"unit-{item.pk}"
    client.force_login(official)
    response = client.post(
        reverse("equipment_bank:booking-hand-out", args=[booking.pk]),
        {
            "person": "Joanna Nowak",
            f"{prefix}-complete": "on",
            f"{prefix}-clean": "on",
            f"{prefix}-working": "on",
            f"{prefix}-checklist": ["Stelaż", "Poszycie", "Śledzie"],
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("equipment_bank:booking-return", args=[booking.pk]),
        {
            "person": "Joanna Nowak",
            f"{prefix}-complete": "on",
            f"{prefix}-working": "on",
            f"{prefix}-checklist": ["Stelaż", "Śledzie"],
            f"{prefix}-notes": "Rozdarte poszycie",
        },
    )
    assert response.status_code == 302
    case = DamageCase.objects.get()
    assert "Poszycie" in case.description
    assert ConditionReport.objects.count() == 2
    # The unit is out of the pool: another PES sees it on the resource's page.
    client.force_login(other_pes_member)
    content = client.get(booking.resource.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "damaged, not lent until cleared" in content.content.decode()
    client.force_login(pes_owner)
    assert client.get(case.get_absolute_url()).status_code == 200
    pdf = client.get(reverse("equipment_bank:booking-protocol", args=[booking.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert item.unit.inventory_number in text
    assert "Joanna Nowak" in text
    assert "1" in text and "Poszycie" in text


def test_a_fake_photo_at_hand_over_is_refused_by_its_field(client, booking, official):
    services.booking_approve(booking=booking, actor=official)
    item = booking.items.get()
    client.force_login(official)
    response = client.post(
        reverse("equipment_bank:booking-hand-out", args=[booking.pk]),
        {
            "person": "Joanna Nowak",
            f"unit-{item.pk}-photo": SimpleUploadedFile("x.png", b"not an image"),
        },
    )
    assert response.status_code == 200
    assert "photo" in response.context["unit_forms"][0].errors
    assert 'value="Joanna Nowak"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED


# --- owners ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_owners_queue_is_for_its_managers(role, as_role, client, booking, city_bank):
    as_role(role)
    response = client.get(reverse("equipment_bank:owner-queue", args=[city_bank.pk]))
    assert outcome(response) == expected(role, MANAGERS, denied=404)
    if response.status_code == 200:
        assert booking in list(response.context["bookings"])


@pytest.mark.parametrize("role", ROLES)
def test_photos_and_attachments_are_managed_by_the_owner(role, as_role, client, tent):
    as_role(role)
    response = client.get(reverse("equipment_bank:resource-photos", args=[tent.pk]))
    assert outcome(response) == expected(role, MANAGERS)


def test_a_photo_needs_its_description_and_a_real_image(client, tent, official):
    client.force_login(official)
    url = reverse("equipment_bank:resource-photos", args=[tent.pk])
    response = client.post(
        url, {"image": SimpleUploadedFile("a.png", b"fake"), "alt_text": "Namiot"}
    )
    assert "image" in response.context["form"].errors
    assert 'value="Namiot"' in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_damage_cases_are_seen_by_both_sides(role, as_role, client, booking, official):
    case = DamageCase.objects.create(
        unit=booking.items.get().unit,
        booking=booking,
        organisation=booking.organisation,
        person=booking.requested_by,
        description="Rozdarte poszycie",
    )
    as_role(role)
    response = client.get(case.get_absolute_url())
    assert outcome(response) == expected(role, MANAGERS | BORROWER_SIDE, denied=404)


@pytest.mark.parametrize("role", ROLES)
def test_the_organisation_feed_is_its_members_and_its_address_is_revocable(
    role, as_role, client, organisation, booking, pes_owner
):
    feed = services.calendar_feed_renew(organisation=organisation, actor=pes_owner)
    as_role(role)
    response = client.get(reverse("equipment_bank:organisation-feed", args=[organisation.slug]))
    assert outcome(response) == expected(role, BORROWER_SIDE | {"admin_user"})
    ics = client.get(reverse("equipment_bank:organisation-feed-ics", args=[feed.token]))
    assert ics.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_bookings_export_for_officials(role, as_role, client, booking):
    as_role(role)
    response = client.get(reverse("equipment_bank:booking-export", args=["csv"]))
    allowed = {"official", "other_official", "admin_user"}
    assert outcome(response) == expected(role, allowed)
    if response.status_code == 200:
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        assert (booking.resource.name in content) == (role != "other_official")
