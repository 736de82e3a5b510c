"""The role matrix of the bank's views not covered in test_views: removing a photo, downloading
an attachment, recording a no-show, closing a returned booking, and booking a kit. A missing
and a forbidden object are both 404; a booking's borrower who may see it but not act gets 403."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from equipment_bank.models import Booking, ResourcePhoto
from tests.equipment_bank.factories import (
    BookingFactory,
    ResourcePhotoFactory,
    days_ahead,
    kit_with,
)
from tests.equipment_bank.test_views import (
    BOOKERS,
    BORROWER_SIDE,
    MANAGERS,
    _handed_out,
    expected,
)
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owners_managers_remove_a_photo(role, as_role, client, tent):
    photo = ResourcePhotoFactory(resource=tent)
    as_role(role)
    url = reverse("equipment_bank:resource-photo-remove", args=[tent.pk, photo.pk])
    response = client.post(url)
    if role in MANAGERS:
        assert response.status_code == 302
        assert not ResourcePhoto.objects.filter(pk=photo.pk).exists()
    else:
        assert outcome(response) == expected(role, MANAGERS)
        assert ResourcePhoto.objects.filter(pk=photo.pk).exists()


def test_a_photo_of_another_resource_is_not_found(client, tent, room, official):
    photo = ResourcePhotoFactory(resource=room)
    client.force_login(official)
    url = reverse("equipment_bank:resource-photo-remove", args=[tent.pk, photo.pk])
    assert client.post(url).status_code == 404
    assert (
        client.post(reverse("equipment_bank:resource-photo-remove", args=[tent.pk, 0])).status_code
        == 404
    )
    assert ResourcePhoto.objects.filter(pk=photo.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_everyone_downloads_a_public_resources_attachment(role, as_role, client, tent, tent_manual):
    manual = tent_manual
    as_role(role)
    url = reverse("equipment_bank:resource-attachment", args=[tent.pk, manual.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    missing = reverse("equipment_bank:resource-attachment", args=[tent.pk, manual.pk + 1])
    assert client.get(missing).status_code == 404


@pytest.fixture
def approved_past_start(tent, organisation, pes_owner):
    start = timezone.now() - timedelta(hours=2)
    return BookingFactory(
        resource=tent,
        organisation=organisation,
        requested_by=pes_owner,
        status=Booking.Status.APPROVED,
        starts_at=start,
        ends_at=start + timedelta(days=1),
    )


def _acting(role, response, booking, *, done_status, before):
    booking.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 302
        assert booking.status == done_status
        return
    want = 404
    if role == "resident":
        want = "login"
    elif role in BORROWER_SIDE:
        want = 403
    assert outcome(response) == want
    assert booking.status == before


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_record_a_no_show(role, as_role, client, approved_past_start):
    as_role(role)
    url = reverse("equipment_bank:booking-no-show", args=[approved_past_start.pk])
    _acting(
        role,
        client.post(url),
        approved_past_start,
        done_status=Booking.Status.NO_SHOW,
        before=Booking.Status.APPROVED,
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_close_a_returned_booking(role, as_role, client, approved_past_start):
    Booking.objects.filter(pk=approved_past_start.pk).update(
        status=Booking.Status.RETURNED, returned_at=timezone.now()
    )
    approved_past_start.items.update(holds_slot=False)
    as_role(role)
    url = reverse("equipment_bank:booking-close", args=[approved_past_start.pk])
    _acting(
        role,
        client.post(url),
        approved_past_start,
        done_status=Booking.Status.CLOSED,
        before=Booking.Status.RETURNED,
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_books_a_kit(role, as_role, client, tent, room, city_bank, other_official):
    kit = kit_with(city_bank, (tent, 1))
    user = as_role(role)
    day = days_ahead(14).isoformat()
    data = {"start": day, "end": day, "purpose": "Festyn", "accepted_rules": "on"}
    page = client.get(kit.get_absolute_url())
    assert page.status_code == 200
    if role in BOOKERS:
        borrower = page.context["form"].fields["borrower"].choices[-1][0]
        response = client.post(kit.get_absolute_url(), {**data, "borrower": borrower})
        assert response.status_code == 302, response.context["form"].errors
        assert Booking.objects.filter(kit=kit, requested_by=user).exists()
    else:
        assert client.post(kit.get_absolute_url(), data).status_code == 404
        assert not Booking.objects.filter(kit=kit).exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_return_page_and_the_protocol_by_role(
    role, as_role, client, tent, organisation, pes_owner, official
):
    booking = _handed_out(
        BookingFactory(resource=tent, organisation=organisation, requested_by=pes_owner), official
    )
    as_role(role)
    back = client.get(reverse("equipment_bank:booking-return", args=[booking.pk]))
    want = expected(role, MANAGERS, denied=404)
    assert outcome(back) == (403 if role in BORROWER_SIDE else want)
    protocol = client.get(reverse("equipment_bank:booking-protocol", args=[booking.pk]))
    assert outcome(protocol) == expected(role, MANAGERS | BORROWER_SIDE, denied=404)
    if protocol.status_code == 200:
        assert protocol.content.startswith(b"%PDF-")


@pytest.mark.parametrize("role", ROLES)
def test_only_members_renew_or_revoke_the_organisations_feed(role, as_role, client, organisation):
    from equipment_bank.models import CalendarFeed

    as_role(role)
    url = reverse("equipment_bank:organisation-feed", args=[organisation.slug])
    response = client.post(url, {"action": "renew"})
    allowed = BORROWER_SIDE | {"admin_user"}
    if role in allowed:
        assert response.status_code == 302
        assert CalendarFeed.objects.filter(organisation=organisation, revoked_at=None).exists()
    else:
        assert outcome(response) == expected(role, allowed)
        assert not CalendarFeed.objects.exists()
