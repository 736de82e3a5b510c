"""The exchange's pages over HTTP: every view against every role, bad input that loses nothing,
fixed query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchange.models import Inquiry, InquiryMessage, Offer, OfferPhoto
from tests.directory.factories import MembershipFactory, OrganisationFactory, make_pes_member
from tests.exchange.factories import (
    InquiryFactory,
    OfferFactory,
    OfferPhotoFactory,
    cpv_code,
    image_file,
)
from tests.factories import DepartmentFactory, OfficialFactory, make_business_buyer
from tests.image_files import decoding_forbidden, huge_png
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

MANAGERS = {"pes_owner", "pes_editor", "admin_user"}
BUYERS = {"official", "other_official", "business_buyer"}
PARTIES = {"pes_owner", "pes_editor", "business_buyer"}


def expected(role, allowed, *, allowed_status=200, other=403):
    if role == "resident":
        return "login"
    return allowed_status if role in allowed else other


def offer_form_data(cpv="55520000", **overrides):
    data = {
        "kind": "service",
        "title": "Catering na spotkania",
        "description": "Obiady **z dowozem**.",
        "cpv": cpv,
        "price_type": "from",
        "price": "30.00",
        "unit": "osoba",
        "lead_time_days": "3",
    }
    data.update(overrides)
    return data


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- the public catalogue ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_catalogue_of_public_offers(role, as_role, client, offer):
    OfferFactory(organisation=offer.organisation, title="Oferta w archiwum", status="archived")
    OfferFactory(organisation=OrganisationFactory(pending=True), title="Oferta czekająca")
    as_role(role)
    response = client.get(reverse("exchange:offer-list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert offer.title in content
    assert "Oferta w archiwum" not in content
    assert "Oferta czekająca" not in content


def test_the_catalogue_filters_keep_their_values(client, offer, municipality):
    response = client.get(
        reverse("exchange:offer-list"),
        {"q": "catering", "cpv": "55000000", "municipality": municipality.slug, "sort": "title"},
    )
    content = response.content.decode()
    assert offer.title in content
    # The autocompletes keep them: as text, and as the script's chosen value.
    assert "&quot;value&quot;: &quot;55000000&quot;" in content
    assert f"&quot;value&quot;: &quot;{municipality.slug}&quot;" in content
    assert 'value="title" selected' in content
    assert 'value="catering"' in content


def test_a_wrong_filter_value_is_explained_and_the_rest_still_applies(client, offer):
    OfferFactory(organisation=offer.organisation, title="Sprzątanie", cpv=cpv_code("90910000"))
    response = client.get(reverse("exchange:offer-list"), {"cpv": "55520000-9", "q": "sprzatanie"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "55520000-1" in content  # the message names the right check digit
    assert [o.title for o in response.context["offers"]] == ["Sprzątanie"]


def test_the_catalogue_paginates(client, organisation):
    OfferFactory.create_batch(25, organisation=organisation)
    first = client.get(reverse("exchange:offer-list"))
    second = client.get(reverse("exchange:offer-list"), {"page": 2})
    assert len(first.context["offers"]) == 20
    assert len(second.context["offers"]) == 5
    assert first.context["paginator"].count == 25


@pytest.mark.parametrize(
    "query", [{}, {"cpv": "55000000", "q": "usluga", "sort": "price_asc", "price_max": "100"}]
)
def test_the_catalogue_runs_a_fixed_number_of_queries(client, municipality, query):
    url = reverse("exchange:offer-list") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    first = OfferFactory(organisation=OrganisationFactory(seat_municipality=municipality))
    OfferPhotoFactory(offer=first)
    with_one = count_queries(client, url)
    for _ in range(19):
        other = OfferFactory(organisation=OrganisationFactory(seat_municipality=municipality))
        OfferPhotoFactory.create_batch(2, offer=other)
    assert len(client.get(url).context["offers"]) == 20
    assert count_queries(client, url) == with_one


# --- an offer's page ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_a_public_offer_and_buyers_get_the_inquiry_form(role, as_role, client, offer):
    OfferPhotoFactory(offer=offer, alt_text="Stół z przekąskami")
    as_role(role)
    response = client.get(offer.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert 'alt="Stół z przekąskami"' in content
    assert offer.organisation.name in content
    form_action = reverse("exchange:inquiry-create", args=[offer.pk])
    assert (form_action in content) == (role in BUYERS)
    if role not in BUYERS:
        assert response.context["inquiry_form"] is None


def test_the_offer_page_explains_who_can_ask(client, offer, signed_in_user, pes_owner):
    content = client.get(offer.get_absolute_url()).content.decode()
    assert reverse("account_login") + f"?next={offer.get_absolute_url()}" in content
    client.force_login(signed_in_user)
    content = client.get(offer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "business buyers" in content
    client.force_login(pes_owner)
    content = client.get(offer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("exchange:offer-edit", args=[offer.pk]) in content
    assert "your own organisation" in content


def test_the_offer_page_renders_the_sanitised_description(client, organisation):
    offer = OfferFactory(
        organisation=organisation,
        description="x",
        description_html="<p>Bez <strong>skryptów</strong></p><script>alert(1)</script>",
    )
    content = client.get(offer.get_absolute_url()).content.decode()
    assert "<p>Bez <strong>skryptów</strong></p>" in content


ARCHIVED_DETAIL = {
    "resident": 404,
    "signed_in_user": 404,
    "pes_owner": 200,
    "pes_editor": 200,
    "other_pes_member": 404,
    "official": 404,
    "other_official": 404,
    "monitoring_member": 404,
    "business_buyer": 404,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "status"), ARCHIVED_DETAIL.items())
def test_an_archived_offer_is_seen_only_by_its_organisation(role, status, as_role, client, offer):
    offer.status = Offer.Status.ARCHIVED
    offer.save()
    as_role(role)
    assert client.get(offer.get_absolute_url()).status_code == status


def test_a_missing_offer_is_a_404(client, offer):
    assert client.get(reverse("exchange:offer-detail", args=[offer.pk + 100])).status_code == 404


# --- the organisation's page and the dashboard -------------------------------------------------


def test_the_organisation_page_lists_its_public_offers(client, offer, pes_owner):
    OfferFactory(organisation=offer.organisation, title="Oferta w archiwum", status="archived")
    content = client.get(offer.organisation.get_absolute_url()).content.decode()
    assert offer.title in content
    assert offer.get_absolute_url() in content
    assert "Oferta w archiwum" not in content
    manage = reverse("exchange:organisation-offers", args=[offer.organisation.slug])
    assert manage not in content
    client.force_login(pes_owner)
    assert manage in client.get(offer.organisation.get_absolute_url()).content.decode()


def test_the_organisation_page_runs_a_fixed_number_of_queries_whatever_its_offers(
    client, organisation
):
    OfferPhotoFactory(offer=OfferFactory(organisation=organisation))
    url = organisation.get_absolute_url()
    with_one = count_queries(client, url)
    for offer in OfferFactory.create_batch(9, organisation=organisation):
        OfferPhotoFactory(offer=offer)
    assert count_queries(client, url) == with_one


# --- "My offers" -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_my_offers_is_for_the_organisations_members(role, as_role, client, offer):
    archived = OfferFactory(organisation=offer.organisation, title="Stara", status="archived")
    as_role(role)
    response = client.get(reverse("exchange:organisation-offers", args=[offer.organisation.slug]))
    assert outcome(response) == expected(role, MANAGERS)
    if response.status_code == 200:
        content = response.content.decode()
        assert offer.title in content and archived.title in content


POST_PENDING = {
    "resident": "login",
    "signed_in_user": 404,
    "pes_owner": 404,  # of another organisation
    "pes_editor": 404,
    "other_pes_member": 404,
    "official": 403,  # the seat municipality's official sees the registration, not its offers
    "other_official": 404,
    "monitoring_member": 404,
    "business_buyer": 404,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "status"), POST_PENDING.items())
def test_an_organisation_awaiting_verification_manages_its_offers_itself(
    role, status, as_role, client, pending_organisation
):
    as_role(role)
    url = reverse("exchange:organisation-offers", args=[pending_organisation.slug])
    assert outcome(client.get(url)) == status


def test_the_owner_of_a_pending_organisation_lists_offers(client, pending_organisation, catering):
    client.force_login(pending_organisation.memberships.get().user)
    response = client.post(
        reverse("exchange:offer-create", args=[pending_organisation.slug]), offer_form_data()
    )
    assert response.status_code == 302
    offer = pending_organisation.offers.get()
    content = client.get(offer.get_absolute_url()).content.decode()
    assert "verifies the organisation" in content or "zweryfikuje" in content


def test_my_offers_runs_a_fixed_number_of_queries(client, organisation, pes_owner):
    client.force_login(pes_owner)
    url = reverse("exchange:organisation-offers", args=[organisation.slug])
    offer = OfferFactory(organisation=organisation)
    OfferPhotoFactory(offer=offer)
    with_one = count_queries(client, url)
    buyer = make_business_buyer()
    company = buyer.buyer_memberships.get().company
    for offer in OfferFactory.create_batch(19, organisation=organisation):
        OfferPhotoFactory.create_batch(2, offer=offer)
        InquiryFactory(offer=offer, buyer=buyer, buyer_company=company)
    response = client.get(url)
    assert len(response.context["offers"]) == 20
    assert response.context["offers"][0].photo_count in (0, 1, 2)
    assert count_queries(client, url) == with_one


def test_my_offers_counts_photos_and_inquiries(client, offer, pes_owner, inquiry):
    OfferPhotoFactory.create_batch(3, offer=offer)
    client.force_login(pes_owner)
    response = client.get(reverse("exchange:organisation-offers", args=[offer.organisation.slug]))
    (listed,) = response.context["offers"]
    assert (listed.photo_count, listed.inquiry_count) == (3, 1)


# --- creating and editing ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_members_list_an_offer(role, as_role, client, organisation, pes_owner, catering):
    as_role(role)
    url = reverse("exchange:offer-create", args=[organisation.slug])
    assert outcome(client.get(url)) == expected(role, MANAGERS)
    response = client.post(url, offer_form_data())
    assert outcome(response) == expected(role, MANAGERS, allowed_status=302)
    assert organisation.offers.exists() == (role in MANAGERS)


def test_a_new_offer_serves_where_the_organisation_does_and_goes_on_to_photos(
    client, organisation, pes_owner, municipality, other_municipality
):
    organisation.municipalities_served.set([municipality, other_municipality])
    client.force_login(pes_owner)
    url = reverse("exchange:offer-create", args=[organisation.slug])
    form = client.get(url).context["form"]
    assert set(form.initial["municipalities_served"]) == {municipality, other_municipality}
    response = client.post(url, offer_form_data())
    offer = organisation.offers.get()
    assert response["Location"] == reverse("exchange:offer-photos", args=[offer.pk])
    assert offer.price == Decimal("30.00")
    assert offer.description_html == "<p>Obiady <strong>z dowozem</strong>.</p>"
    assert set(offer.municipalities_served.all()) == {municipality, other_municipality}


@pytest.mark.parametrize(
    "typed",
    [" 30192000-1 ", "30192000", "30192", "Kategoria 30192000", "kategoria 30192000", "3019200"],
)
def test_without_javascript_a_code_its_beginning_or_its_name_is_typed(
    client, organisation, pes_owner, typed
):
    office_supplies = cpv_code("30192000")  # any code of the vocabulary, not only curated ones
    client.force_login(pes_owner)
    response = client.post(
        reverse("exchange:offer-create", args=[organisation.slug]), offer_form_data(cpv=typed)
    )
    assert response.status_code == 302
    offer = organisation.offers.get()
    assert offer.cpv == office_supplies
    # Editing it later shows the code as text, and gives the script the chosen code.
    edit = client.get(reverse("exchange:offer-edit", args=[offer.pk])).content.decode()
    assert 'value="30192000-1 Kategoria 30192000"' in edit
    assert "&quot;value&quot;: &quot;30192000&quot;" in edit
    # What the input shows is read back as the same code.
    again = client.post(
        reverse("exchange:offer-edit", args=[offer.pk]),
        offer_form_data(cpv="30192000-1 Kategoria 30192000", title="Nowy tytuł"),
    )
    assert again.status_code == 302
    offer.refresh_from_db()
    assert (offer.title, offer.cpv) == ("Nowy tytuł", office_supplies)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"price": ""}, "price", "price on request"),
        ({"price": "-5"}, "price", ""),
        ({"cpv": ""}, "cpv", "CPV"),
        ({"cpv": "55520000-2"}, "cpv", "55520000-1"),
        ({"cpv": "99999999"}, "cpv", "No CPV code is called “99999999”"),
        ({"cpv": "xyzzy"}, "cpv", "No CPV code is called “xyzzy”. Type a code"),
        ({"cpv": "uslugi dostarczania"}, "cpv", "Did you mean: 55520000-1 "),
        ({"title": ""}, "title", ""),
        ({"description": ""}, "description", ""),
    ],
)
def test_bad_offer_input_is_explained_on_the_field_and_nothing_typed_is_lost(
    client, organisation, pes_owner, overrides, field, message
):
    client.force_login(pes_owner)
    data = offer_form_data(**overrides)
    # Messages are compared in English; the Polish ones are checked by tests/test_translations.
    response = client.post(
        reverse("exchange:offer-create", args=[organisation.slug]), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field]) or not message
    content = response.content.decode()
    assert 'id="form-errors"' in content
    if data["unit"]:
        assert 'value="osoba"' in content
    if data["description"]:
        assert "Obiady **z dowozem**." in content
    if data["cpv"] != "55520000":
        assert f'value="{data["cpv"]}"' in content or not data["cpv"]
    assert not organisation.offers.exists()


def test_on_request_needs_no_price(client, organisation, pes_owner):
    client.force_login(pes_owner)
    response = client.post(
        reverse("exchange:offer-create", args=[organisation.slug]),
        offer_form_data(price_type="on_request", price=""),
    )
    assert response.status_code == 302
    assert organisation.offers.get().price is None


@pytest.mark.parametrize("role", ROLES)
def test_only_members_edit_an_offer(role, as_role, client, offer):
    as_role(role)
    url = reverse("exchange:offer-edit", args=[offer.pk])
    assert outcome(client.get(url)) == expected(role, MANAGERS)
    response = client.post(url, offer_form_data(title="Nowy tytuł"))
    assert outcome(response) == expected(role, MANAGERS, allowed_status=302)
    offer.refresh_from_db()
    assert (offer.title == "Nowy tytuł") == (role in MANAGERS)


def test_a_failed_edit_keeps_the_offer_as_it_was(client, offer, pes_owner):
    client.force_login(pes_owner)
    response = client.post(
        reverse("exchange:offer-edit", args=[offer.pk]),
        offer_form_data(title="Zmieniony", price=""),
    )
    assert response.status_code == 200
    assert 'value="Zmieniony"' in response.content.decode()
    offer.refresh_from_db()
    assert offer.title == "Catering na konferencje"


@pytest.mark.parametrize("role", ROLES)
def test_only_members_archive_and_reactivate(role, as_role, client, offer):
    as_role(role)
    archive = reverse("exchange:offer-archive", args=[offer.pk])
    response = client.post(archive)
    assert outcome(response) == expected(role, MANAGERS, allowed_status=302)
    offer.refresh_from_db()
    assert (offer.status == Offer.Status.ARCHIVED) == (role in MANAGERS)
    offer.status = Offer.Status.ARCHIVED
    offer.save()
    response = client.post(reverse("exchange:offer-reactivate", args=[offer.pk]))
    # An archived offer is invisible to everyone but its organisation.
    assert outcome(response) == expected(role, MANAGERS, allowed_status=302, other=404)
    offer.refresh_from_db()
    assert (offer.status == Offer.Status.ACTIVE) == (role in MANAGERS)


def test_archiving_takes_a_post(client, offer, pes_owner):
    client.force_login(pes_owner)
    assert client.get(reverse("exchange:offer-archive", args=[offer.pk])).status_code == 405


def test_an_archived_offer_cannot_be_archived_again(client, offer, pes_owner):
    offer.status = Offer.Status.ARCHIVED
    offer.save()
    client.force_login(pes_owner)
    assert client.post(reverse("exchange:offer-archive", args=[offer.pk])).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_members_delete_an_offer(role, as_role, client, offer):
    as_role(role)
    url = reverse("exchange:offer-delete", args=[offer.pk])
    assert outcome(client.get(url)) == expected(role, MANAGERS)
    response = client.post(url)
    assert outcome(response) == expected(role, MANAGERS, allowed_status=302)
    assert Offer.objects.filter(pk=offer.pk).exists() == (role not in MANAGERS)


def test_an_offer_nobody_asked_about_is_deleted_with_its_photos(
    client, offer, pes_owner, django_capture_on_commit_callbacks
):
    photo = OfferPhotoFactory(offer=offer)
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    client.force_login(pes_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:offer-delete", args=[offer.pk]))
    assert response.status_code == 302
    assert not Offer.objects.filter(pk=offer.pk).exists()
    assert not storage.exists(name)


def test_an_offer_with_an_inquiry_is_kept_hidden_and_the_inquiry_still_names_it(
    client, offer, pes_owner, inquiry, business_buyer
):
    client.force_login(pes_owner)
    page = client.get(reverse("exchange:offer-delete", args=[offer.pk]))
    assert page.context["has_inquiries"]
    assert client.post(reverse("exchange:offer-delete", args=[offer.pk])).status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DELETED
    my_offers = client.get(reverse("exchange:organisation-offers", args=[offer.organisation.slug]))
    assert offer not in list(my_offers.context["offers"])
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.get(reverse("exchange:offer-edit", args=[offer.pk])).status_code == 404
    for user in (pes_owner, business_buyer):
        client.force_login(user)
        content = client.get(inquiry.get_absolute_url()).content.decode()
        assert offer.title in content
        assert f'href="{offer.get_absolute_url()}"' not in content
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 404


# --- photos ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_members_manage_photos(role, as_role, client, offer):
    photo = OfferPhotoFactory(offer=offer)
    as_role(role)
    url = reverse("exchange:offer-photos", args=[offer.pk])
    assert outcome(client.get(url)) == expected(role, MANAGERS)
    response = client.post(url, {"image": image_file(), "alt_text": "Zupa dnia"})
    assert outcome(response) == expected(role, MANAGERS, allowed_status=302)
    assert offer.photos.filter(alt_text="Zupa dnia").exists() == (role in MANAGERS)
    response = client.post(reverse("exchange:offer-photo-remove", args=[offer.pk, photo.pk]))
    assert outcome(response) == expected(role, MANAGERS, allowed_status=302)
    assert OfferPhoto.objects.filter(pk=photo.pk).exists() == (role not in MANAGERS)


def test_a_photo_with_too_many_pixels_is_refused_next_to_the_field(client, offer, pes_owner):
    client.force_login(pes_owner)
    bomb = huge_png(name="zdjecie.png")

    with decoding_forbidden():
        response = client.post(
            reverse("exchange:offer-photos", args=[offer.pk]),
            {"image": bomb, "alt_text": "Zupa dnia"},
        )

    assert response.status_code == 200
    assert response.context["form"].errors["image"][0].startswith("Ten obraz ma za dużo pikseli")
    assert 'value="Zupa dnia"' in response.content.decode()
    assert not offer.photos.exists()


def test_a_photo_of_another_offer_cannot_be_removed_through_this_one(client, offer, pes_owner):
    foreign = OfferPhotoFactory()
    client.force_login(pes_owner)
    response = client.post(reverse("exchange:offer-photo-remove", args=[offer.pk, foreign.pk]))
    assert response.status_code == 404
    assert OfferPhoto.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"alt_text": "Zupa dnia"}, "image"),
        ({"image": "pdf", "alt_text": "Zupa dnia"}, "image"),
        ({"image": "gif", "alt_text": "Zupa dnia"}, "image"),
        ({"image": "png", "alt_text": ""}, "alt_text"),
    ],
)
def test_bad_photos_are_explained_on_the_field(client, offer, pes_owner, data, field):
    uploads = {
        "pdf": SimpleUploadedFile("menu.pdf", b"%PDF-1.4", content_type="application/pdf"),
        "gif": image_file("a.gif", image_format="GIF"),
        "png": image_file(),
    }
    if "image" in data:
        data = {**data, "image": uploads[data["image"]]}
    client.force_login(pes_owner)
    response = client.post(reverse("exchange:offer-photos", args=[offer.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if data["alt_text"]:
        assert 'value="Zupa dnia"' in response.content.decode()
    assert not offer.photos.exists()


def test_the_seventh_photo_is_refused_and_the_form_is_gone(client, offer, pes_owner):
    OfferPhotoFactory.create_batch(6, offer=offer)
    client.force_login(pes_owner)
    url = reverse("exchange:offer-photos", args=[offer.pk])
    response = client.post(url, {"image": image_file(), "alt_text": "Siódme"})
    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert offer.photos.count() == 6
    assert not client.get(url).context["may_add"]


# --- inquiries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_buyers_send_inquiries(role, as_role, client, offer, django_capture_on_commit_callbacks):
    as_role(role)
    url = reverse("exchange:inquiry-create", args=[offer.pk])
    response = client.get(url)
    assert outcome(response) == expected(role, BUYERS)
    on_behalf = (
        response.context["form"].fields["on_behalf"].choices[0][0]
        if response.status_code == 200
        else "company:1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"on_behalf": on_behalf, "message": "Czy to możliwe?"})
    assert outcome(response) == expected(role, BUYERS, allowed_status=302)
    assert Inquiry.objects.exists() == (role in BUYERS)
    if role in BUYERS:
        assert response["Location"] == Inquiry.objects.get().get_absolute_url()


def test_sending_an_inquiry_emails_the_organisation(
    client,
    offer,
    business_buyer,
    buyer_company,
    pes_owner,
    pes_editor,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(business_buyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:inquiry-create", args=[offer.pk]),
            {
                "on_behalf": f"company:{buyer_company.pk}",
                "quantity": "50 porcji",
                "needed_by": (timezone.localdate() + timedelta(days=10)).isoformat(),
                "message": "Prosimy o wycenę.",
            },
        )
    inquiry = Inquiry.objects.get()
    assert inquiry.buyer_company == buyer_company
    assert inquiry.quantity == "50 porcji"
    assert sorted(a for m in mailoutbox for a in m.to) == sorted(
        [pes_owner.email, pes_editor.email]
    )


def test_an_official_with_two_departments_chooses_one(client, offer, official, municipality):
    second = DepartmentFactory(municipality=municipality, name="Wydział Edukacji")
    OfficialFactory(user=official, department=second)
    client.force_login(official)
    response = client.get(reverse("exchange:inquiry-create", args=[offer.pk]))
    content = response.content.decode()
    assert '<select name="on_behalf"' in content
    assert "Wydział Edukacji" in content
    client.post(
        reverse("exchange:inquiry-create", args=[offer.pk]),
        {"on_behalf": f"department:{second.pk}", "message": "Pytanie"},
    )
    assert Inquiry.objects.get().buyer_department == second


def test_a_buyer_cannot_ask_for_a_department_that_is_not_theirs(client, offer, official):
    client.force_login(official)
    response = client.post(
        reverse("exchange:inquiry-create", args=[offer.pk]),
        {"on_behalf": f"department:{DepartmentFactory().pk}", "message": "Pytanie"},
    )
    assert response.status_code == 200
    assert "on_behalf" in response.context["form"].errors
    assert not Inquiry.objects.exists()


def test_a_bad_inquiry_keeps_the_message(client, offer, business_buyer, buyer_company):
    client.force_login(business_buyer)
    response = client.post(
        reverse("exchange:inquiry-create", args=[offer.pk]),
        {
            "on_behalf": f"company:{buyer_company.pk}",
            "needed_by": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "message": "Czy zdążycie na wczoraj?",
        },
    )
    assert response.status_code == 200
    assert "needed_by" in response.context["form"].errors
    assert "Czy zdążycie na wczoraj?" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_a_pes_member_cannot_ask_their_own_organisation(client, offer, buyer_company):
    member = make_business_buyer(company=buyer_company)
    MembershipFactory(organisation=offer.organisation, user=member, role="editor")
    client.force_login(member)
    response = client.post(
        reverse("exchange:inquiry-create", args=[offer.pk]),
        {"on_behalf": f"company:{buyer_company.pk}", "message": "Do siebie"},
    )
    assert response.status_code == 403
    page = client.get(offer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "cannot send an inquiry to it" in page


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_has_an_inbox_with_only_their_conversations(
    role, as_role, client, inquiry
):
    as_role(role)
    response = client.get(reverse("exchange:inbox"))
    assert outcome(response) == expected(role, set(ROLES))
    if response.status_code == 200:
        assert (inquiry in response.context["inquiries"]) == (role in PARTIES)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_sides_open_a_conversation(role, as_role, client, inquiry):
    as_role(role)
    response = client.get(inquiry.get_absolute_url())
    assert outcome(response) == expected(role, PARTIES, other=404)
    if response.status_code == 200:
        assert "Czy możecie przygotować obiad dla 80 osób?" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_sides_write_in_a_conversation(role, as_role, client, inquiry):
    as_role(role)
    response = client.post(inquiry.get_absolute_url(), {"body": "Wiadomość"})
    assert outcome(response) == expected(role, PARTIES, allowed_status=302, other=404)
    assert InquiryMessage.objects.filter(body="Wiadomość").exists() == (role in PARTIES)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_sides_close_a_conversation(role, as_role, client, inquiry):
    as_role(role)
    response = client.post(reverse("exchange:inquiry-close", args=[inquiry.pk]))
    assert outcome(response) == expected(role, PARTIES, allowed_status=302, other=404)
    inquiry.refresh_from_db()
    assert inquiry.is_closed == (role in PARTIES)


def test_a_missing_conversation_is_a_404(client, inquiry, business_buyer):
    client.force_login(business_buyer)
    assert client.get(reverse("exchange:inquiry-detail", args=[inquiry.pk + 1])).status_code == 404


def test_the_conversation_goes_both_ways_with_unread_marks(
    client, inquiry, business_buyer, pes_owner, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(pes_owner)
    inbox = client.get(reverse("exchange:inbox"))
    assert inbox.context["unread_inquiries"]() == 1
    assert 'class="unread"' in inbox.content.decode()
    page = client.get(inquiry.get_absolute_url())
    assert page.context["conversation"][0].is_new
    assert client.get(reverse("exchange:inbox")).context["unread_inquiries"]() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(inquiry.get_absolute_url(), {"body": "Tak, 35 zł za osobę."})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[business_buyer.email]]

    client.force_login(business_buyer)
    inbox = client.get(reverse("exchange:inbox"))
    assert inbox.context["unread_inquiries"]() == 1
    page = client.get(inquiry.get_absolute_url())
    content = page.content.decode()
    assert "Tak, 35 zł za osobę." in content
    assert [m.is_new for m in page.context["conversation"]] == [False, True]
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED


def test_an_empty_reply_is_explained(client, inquiry, business_buyer):
    client.force_login(business_buyer)
    response = client.post(inquiry.get_absolute_url(), {"body": "   "})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert inquiry.messages.count() == 1


def test_a_closed_conversation_shows_no_reply_form_and_refuses_messages(
    client, inquiry, business_buyer
):
    inquiry.status = Inquiry.Status.CLOSED
    inquiry.save()
    client.force_login(business_buyer)
    content = client.get(inquiry.get_absolute_url()).content.decode()
    assert 'name="body"' not in content
    assert client.post(inquiry.get_absolute_url(), {"body": "Halo"}).status_code == 403
    assert inquiry.messages.count() == 1


def test_the_nav_shows_the_unread_count(client, inquiry, pes_owner):
    client.force_login(pes_owner)
    content = client.get(reverse("exchange:offer-list")).content.decode()
    assert 'href="/gielda/zapytania/"' in content
    assert '<span class="badge badge-info">1<span class="visually-hidden">' in content


@pytest.mark.parametrize("side", ["business_buyer", "pes_owner"])
def test_the_inbox_runs_a_fixed_number_of_queries(client, offer, user_of, side, buyer_company):
    buyer = user_of("business_buyer")
    client.force_login(user_of(side))
    url = reverse("exchange:inbox")
    InquiryFactory(offer=offer, buyer=buyer, buyer_company=buyer_company)
    with_one = count_queries(client, url)
    for _ in range(19):
        inquiry = InquiryFactory(offer=offer, buyer=buyer, buyer_company=buyer_company)
        InquiryMessage.objects.create(inquiry=inquiry, author=buyer, from_buyer=True, body="x")
    assert len(client.get(url).context["inquiries"]) == 20
    assert count_queries(client, url) == with_one


def test_the_inbox_paginates(client, offer, business_buyer, buyer_company):
    InquiryFactory.create_batch(30, offer=offer, buyer=business_buyer, buyer_company=buyer_company)
    client.force_login(business_buyer)
    response = client.get(reverse("exchange:inbox"), {"page": 2})
    assert len(response.context["inquiries"]) == 5


def test_a_member_of_two_organisations_sees_both_inboxes(client, offer, buyer_company):
    buyer = make_business_buyer(company=buyer_company)
    second = OfferFactory()
    member = make_pes_member(offer.organisation)
    MembershipFactory(organisation=second.organisation, user=member, role="editor")
    InquiryFactory(offer=offer, buyer=buyer, buyer_company=buyer_company)
    InquiryFactory(offer=second, buyer=buyer, buyer_company=buyer_company)
    client.force_login(member)
    assert client.get(reverse("exchange:inbox")).context["paginator"].count == 2
