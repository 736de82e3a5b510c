"""The exchange's writes: offers and their photos, inquiries and their conversations."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from exchange import services
from exchange.models import Inquiry, InquiryMessage, Offer, OfferPhoto
from pestor.models import AuditEvent
from tests.directory.factories import MembershipFactory, OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferPhotoFactory, image_file
from tests.factories import DepartmentFactory, MunicipalityFactory, make_business_buyer
from tests.image_files import decoding_forbidden, has_gps, huge_png, jpeg_with_gps

pytestmark = pytest.mark.django_db


def recipients_of(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def offer_data(cpv, **overrides):
    data = {
        "kind": Offer.Kind.SERVICE,
        "title": "  Catering na konferencje ",
        "description": "Obiady **z dowozem**.",
        "cpv": cpv,
        "price_type": Offer.PriceType.FROM,
        "price": Decimal("25.00"),
        "unit": "osoba",
        "lead_time_days": 5,
    }
    data.update(overrides)
    return data


# --- descriptions ------------------------------------------------------------------------------


def test_markdown_becomes_paragraphs_lists_emphasis_and_safe_links():
    html = services.render_description(
        "Catering **na miejscu** i *z dowozem*.\n\n- obiady\n- kolacje\n\n"
        "[Menu](https://example.org/menu)"
    )
    assert "<strong>na miejscu</strong>" in html
    assert "<em>z dowozem</em>" in html
    assert "<ul>\n<li>obiady</li>" in html
    assert '<a href="https://example.org/menu" rel="noopener nofollow">Menu</a>' in html


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>Tekst", ["<script", "alert(1)"]),
        ("![kot](https://example.org/kot.png)", ["<img", "kot.png"]),
        ('<img src="x" onerror="alert(1)">', ["<img", "onerror"]),
        ("[klik](javascript:alert(1))", ["javascript:"]),
        (
            '<a href="https://example.org" onclick="x()" style="color:red">a</a>',
            ["onclick", "style"],
        ),
        ("<iframe src='https://example.org'></iframe>", ["<iframe"]),
        ("<style>body{display:none}</style>", ["<style", "display:none"]),
    ],
)
def test_no_images_scripts_or_dangerous_attributes_survive(markdown, forbidden):
    html = services.render_description(markdown)
    for fragment in forbidden:
        assert fragment not in html


def test_headings_sit_below_the_pages_own():
    html = services.render_description("# Menu\n\n## Ceny\n\n### Dostawa\n\n##### Uwagi")
    assert "<h1>" not in html and "<h2>" not in html
    assert html == "<h3>Menu</h3>\n<h3>Ceny</h3>\n<h4>Dostawa</h4>\n<h4>Uwagi</h4>"


def test_a_description_never_skips_a_heading_level():
    # The page's h2 "Description" comes before: an h4 there would skip the h3 (invalid HTML).
    html = services.render_description("Obiady.\n\n### W cenie\n\n- zastawa\n\n#### Dodatki")
    assert html == (
        "<p>Obiady.</p>\n<h3>W cenie</h3>\n<ul>\n<li>zastawa</li>\n</ul>\n<h4>Dodatki</h4>"
    )


# --- offers ------------------------------------------------------------------------------------


def test_creating_an_offer_renders_it_and_serves_where_the_organisation_does(
    municipality, pes_owner, catering
):
    lubicz = MunicipalityFactory()
    organisation = pes_owner.organisation_memberships.get().organisation
    organisation.municipalities_served.set([municipality, lubicz])
    offer = services.offer_create(
        organisation=organisation, actor=pes_owner, **offer_data(catering)
    )
    assert offer.title == "Catering na konferencje"
    assert offer.description_html == "<p>Obiady <strong>z dowozem</strong>.</p>"
    assert offer.status == Offer.Status.ACTIVE
    assert offer.created_by == pes_owner
    assert set(offer.municipalities_served.all()) == {municipality, lubicz}
    assert "spoldzielnia socjalna torunska przystan" in offer.search_text
    event = AuditEvent.objects.for_object(offer).get()
    assert event.action == "offer.created"
    assert event.after["price"] == "25.00"


def test_an_offer_may_name_its_own_municipalities(organisation, pes_owner, catering):
    lubicz = MunicipalityFactory()
    offer = services.offer_create(
        organisation=organisation,
        actor=pes_owner,
        municipalities_served=[lubicz],
        **offer_data(catering),
    )
    assert list(offer.municipalities_served.all()) == [lubicz]


def test_an_offer_needs_a_price_unless_on_request(organisation, pes_owner, catering):
    with pytest.raises(ValidationError) as error:
        services.offer_create(
            organisation=organisation, actor=pes_owner, **offer_data(catering, price=None)
        )
    assert "price" in error.value.message_dict
    assert not Offer.objects.exists()
    offer = services.offer_create(
        organisation=organisation,
        actor=pes_owner,
        **offer_data(catering, price_type=Offer.PriceType.ON_REQUEST, price=Decimal("9")),
    )
    assert offer.price is None


def test_a_negative_price_is_refused(organisation, pes_owner, catering):
    with pytest.raises(ValidationError) as error:
        services.offer_create(
            organisation=organisation, actor=pes_owner, **offer_data(catering, price=Decimal("-1"))
        )
    assert "price" in error.value.message_dict


def test_an_organisation_returned_for_correction_lists_nothing(municipality, catering):
    rejected = OrganisationFactory(rejected=True, seat_municipality=municipality)
    with pytest.raises(ValidationError):
        services.offer_create(
            organisation=rejected, actor=make_pes_member(rejected), **offer_data(catering)
        )


def test_an_organisation_awaiting_verification_lists_offers_that_are_not_yet_public(
    pending_organisation, catering
):
    owner = pending_organisation.memberships.get().user
    offer = services.offer_create(
        organisation=pending_organisation, actor=owner, **offer_data(catering)
    )
    assert offer.status == Offer.Status.ACTIVE
    assert not Offer.objects.public().filter(pk=offer.pk).exists()


def test_the_service_refuses_fields_members_do_not_set(organisation, pes_owner, catering):
    with pytest.raises(TypeError):
        services.offer_create(
            organisation=organisation,
            actor=pes_owner,
            **offer_data(catering, status=Offer.Status.ARCHIVED),
        )


def test_editing_logs_price_changes_only(offer, pes_editor):
    services.offer_update(offer=offer, actor=pes_editor, description="Nowy opis *kursywą*.")
    offer.refresh_from_db()
    assert offer.description_html == "<p>Nowy opis <em>kursywą</em>.</p>"
    assert not AuditEvent.objects.for_object(offer).exists()
    services.offer_update(offer=offer, actor=pes_editor, price=Decimal("30.00"))
    event = AuditEvent.objects.for_object(offer).get()
    assert event.action == "offer.changed"
    assert (event.before["price"], event.after["price"]) == ("25.00", "30.00")
    assert event.actor == pes_editor


def test_editing_without_municipalities_falls_back_to_the_organisations(
    offer, pes_owner, municipality
):
    lubicz = MunicipalityFactory()
    services.offer_update(offer=offer, actor=pes_owner, municipalities_served=[lubicz])
    assert list(offer.municipalities_served.all()) == [lubicz]
    services.offer_update(offer=offer, actor=pes_owner, municipalities_served=[])
    assert list(offer.municipalities_served.all()) == [municipality]


def test_archiving_and_reactivating_are_logged(offer, pes_owner):
    services.offer_archive(offer=offer, actor=pes_owner)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ARCHIVED
    services.offer_archive(offer=offer, actor=pes_owner)  # twice: one event
    services.offer_reactivate(offer=offer, actor=pes_owner)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACTIVE
    assert list(
        AuditEvent.objects.for_object(offer).order_by("pk").values_list("action", flat=True)
    ) == ["offer.archived", "offer.reactivated"]


# --- photos ------------------------------------------------------------------------------------


def _stored_image(photo):
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        image.load()
        return image


@pytest.mark.parametrize(
    ("size", "image_format", "expected"),
    [
        ((3200, 1200), "PNG", (1600, 600)),
        ((1000, 2400), "JPEG", (667, 1600)),
        ((2000, 2000), "WEBP", (1600, 1600)),
        ((640, 480), "JPEG", (640, 480)),
    ],
)
def test_photos_are_resized_to_1600_pixels_and_keep_their_format(
    offer, pes_owner, size, image_format, expected
):
    photo = services.offer_photo_add(
        offer=offer,
        actor=pes_owner,
        image=image_file(f"zdjecie.{image_format.lower()}", size=size, image_format=image_format),
        alt_text=" Obiad na talerzu ",
    )
    image = _stored_image(photo)
    assert image.size == expected
    assert image.format == image_format
    assert photo.alt_text == "Obiad na talerzu"
    assert photo.image.name.startswith("offers/")


def test_a_photo_is_turned_upright_and_loses_its_metadata(offer, pes_owner):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Aparat testowy"  # make of the camera
    Image.new("RGB", (400, 200), (10, 120, 40)).save(buffer, format="JPEG", exif=exif)
    upload = image_file()
    upload.file = io.BytesIO(buffer.getvalue())
    upload.size = len(buffer.getvalue())
    photo = services.offer_photo_add(offer=offer, actor=pes_owner, image=upload, alt_text="Las")
    image = _stored_image(photo)
    assert image.size == (200, 400)
    assert not image.getexif()


def test_photos_come_in_the_order_added(offer, pes_owner):
    first = services.offer_photo_add(
        offer=offer, actor=pes_owner, image=image_file(), alt_text="Pierwsze"
    )
    second = services.offer_photo_add(
        offer=offer, actor=pes_owner, image=image_file(), alt_text="Drugie"
    )
    assert list(offer.photos.all()) == [first, second]


def test_an_offer_has_at_most_six_photos(offer, pes_owner):
    OfferPhotoFactory.create_batch(services.MAX_PHOTOS, offer=offer)
    with pytest.raises(ValidationError) as error:
        services.offer_photo_add(offer=offer, actor=pes_owner, image=image_file(), alt_text="x")
    assert "image" in error.value.message_dict
    assert offer.photos.count() == services.MAX_PHOTOS


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (image_file("animacja.gif", image_format="GIF"), "invalid_image_format"),
        (image_file("tekst.png", image_format="PNG"), None),
    ],
)
def test_only_png_jpeg_and_webp_are_accepted(offer, pes_owner, upload, code):
    if code is None:
        services.offer_photo_add(offer=offer, actor=pes_owner, image=upload, alt_text="ok")
        return
    with pytest.raises(ValidationError) as error:
        services.offer_photo_add(offer=offer, actor=pes_owner, image=upload, alt_text="x")
    assert error.value.error_dict["image"][0].code == code


def test_a_file_that_is_no_image_is_refused(offer, pes_owner):
    with pytest.raises(ValidationError) as error:
        services.offer_photo_add(
            offer=offer,
            actor=pes_owner,
            image=SimpleUploadedFile("zdjecie.png", b"%PDF-1.4 not an image"),
            alt_text="x",
        )
    assert error.value.error_dict["image"][0].code == "invalid_image"


def test_a_photo_with_too_many_pixels_is_refused_before_decoding(offer, pes_owner):
    bomb = huge_png(name="zdjecie.png")

    with decoding_forbidden(), pytest.raises(ValidationError) as error:
        services.offer_photo_add(offer=offer, actor=pes_owner, image=bomb, alt_text="x")

    assert error.value.error_dict["image"][0].code == "too_many_pixels"
    assert not offer.photos.exists()


def test_a_photo_is_stored_without_gps_under_its_real_format(offer, pes_owner):
    photo = services.offer_photo_add(
        offer=offer, actor=pes_owner, image=jpeg_with_gps("zdjecie.pdf"), alt_text="Las"
    )

    assert photo.image.name.endswith(".jpg")
    with photo.image.open("rb") as stored:
        assert not has_gps(stored.read())


def test_a_photo_over_the_size_limit_is_refused(offer, pes_owner, settings):
    settings.OFFER_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        services.offer_photo_add(
            offer=offer, actor=pes_owner, image=image_file(size=(300, 300)), alt_text="x"
        )
    assert error.value.error_dict["image"][0].code == "file_too_large"
    assert not OfferPhoto.objects.exists()


def test_a_photo_needs_a_description_for_people_who_cannot_see_it(offer, pes_owner, settings):
    with pytest.raises(ValidationError) as error:
        services.offer_photo_add(offer=offer, actor=pes_owner, image=image_file(), alt_text="  ")
    assert "alt_text" in error.value.message_dict
    media = settings.MEDIA_ROOT / "offers"
    assert not media.exists() or not any(media.rglob("*.*"))


def test_removing_a_photo_deletes_its_file_after_commit(
    offer, pes_owner, django_capture_on_commit_callbacks
):
    photo = services.offer_photo_add(offer=offer, actor=pes_owner, image=image_file(), alt_text="x")
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_photo_remove(photo=photo, actor=pes_owner)
    assert not storage.exists(name)
    assert not offer.photos.exists()


# --- inquiries ---------------------------------------------------------------------------------


def test_an_inquiry_opens_a_conversation_and_tells_the_organisations_members(
    offer,
    business_buyer,
    buyer_company,
    pes_owner,
    pes_editor,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    needed_by = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.inquiry_send(
            offer=offer,
            buyer=business_buyer,
            company=buyer_company,
            quantity=" 80 porcji ",
            needed_by=needed_by,
            message="  Czy dowieziecie obiad na 80 osób?  ",
        )
    assert inquiry.organisation == offer.organisation
    assert inquiry.status == Inquiry.Status.OPEN
    assert inquiry.quantity == "80 porcji"
    assert inquiry.buyer_company == buyer_company and inquiry.buyer_department is None
    assert inquiry.last_message_at == inquiry.buyer_read_at
    assert inquiry.organisation_read_at is None
    message = inquiry.messages.get()
    assert message.body == "Czy dowieziecie obiad na 80 osób?"
    assert message.from_buyer and message.author == business_buyer
    assert recipients_of(mailoutbox) == sorted([pes_owner.email, pes_editor.email])
    assert offer.title in mailoutbox[0].subject
    assert "Czy dowieziecie obiad na 80 osób?" in mailoutbox[0].body
    assert inquiry.get_absolute_url() in mailoutbox[0].body
    assert buyer_company.name in mailoutbox[0].body


def test_an_official_asks_for_their_department(offer, official, official_department):
    inquiry = services.inquiry_send(
        offer=offer, buyer=official, department=official_department, message="Pytanie"
    )
    assert inquiry.buyer_department == official_department
    assert inquiry.asked_for == official_department


def test_a_buyer_cannot_ask_for_someone_elses_department_or_company(
    offer, official, business_buyer, buyer_company
):
    with pytest.raises(ValidationError) as error:
        services.inquiry_send(
            offer=offer, buyer=official, department=DepartmentFactory(), message="Pytanie"
        )
    assert "on_behalf" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.inquiry_send(offer=offer, buyer=official, company=buyer_company, message="Pytanie")
    assert "on_behalf" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.inquiry_send(offer=offer, buyer=business_buyer, message="Pytanie")
    assert not Inquiry.objects.exists()


def test_a_pes_member_cannot_ask_their_own_organisation(offer, organisation, buyer_company):
    member = make_business_buyer(company=buyer_company)
    MembershipFactory(organisation=organisation, user=member, role="editor")
    with pytest.raises(ValidationError) as error:
        services.inquiry_send(offer=offer, buyer=member, company=buyer_company, message="x")
    assert error.value.code == "own_organisation"


@pytest.mark.parametrize("state", ["archived", "pending"])
def test_only_public_offers_take_inquiries(offer, business_buyer, buyer_company, state):
    if state == "archived":
        offer.status = Offer.Status.ARCHIVED
        offer.save()
    else:
        offer.organisation.status = "pending"
        offer.organisation.save()
    with pytest.raises(ValidationError) as error:
        services.inquiry_send(
            offer=offer, buyer=business_buyer, company=buyer_company, message="Pytanie"
        )
    assert error.value.code == "offer_not_public"


def test_an_inquiry_needs_a_message_and_a_date_not_past(offer, business_buyer, buyer_company):
    with pytest.raises(ValidationError) as error:
        services.inquiry_send(
            offer=offer, buyer=business_buyer, company=buyer_company, message="   "
        )
    assert "body" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.inquiry_send(
            offer=offer,
            buyer=business_buyer,
            company=buyer_company,
            message="Pytanie",
            needed_by=timezone.localdate() - timedelta(days=1),
        )
    assert "needed_by" in error.value.message_dict


def test_the_pes_reply_answers_the_inquiry_and_tells_the_buyer(
    inquiry, pes_editor, business_buyer, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.inquiry_reply(inquiry=inquiry, author=pes_editor, body="Tak, 35 zł.")
    inquiry.refresh_from_db()
    assert not message.from_buyer
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert inquiry.last_message_at == inquiry.organisation_read_at
    assert inquiry.is_unread_by_buyer()
    assert recipients_of(mailoutbox) == [business_buyer.email]
    assert "Tak, 35 zł." in mailoutbox[0].body


def test_the_buyers_follow_up_tells_the_members_and_keeps_the_status(
    inquiry, pes_owner, pes_editor, business_buyer, django_capture_on_commit_callbacks, mailoutbox
):
    services.inquiry_reply(inquiry=inquiry, author=pes_owner, body="Tak.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_reply(inquiry=inquiry, author=business_buyer, body="A na 100 osób?")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert inquiry.is_unread_by_organisation()
    assert not inquiry.is_unread_by_buyer()
    assert recipients_of(mailoutbox) == sorted([pes_owner.email, pes_editor.email])


def test_a_member_who_left_hears_nothing(
    inquiry, pes_owner, pes_editor, business_buyer, django_capture_on_commit_callbacks, mailoutbox
):
    pes_editor.is_active = False
    pes_editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_reply(inquiry=inquiry, author=business_buyer, body="Halo?")
    assert recipients_of(mailoutbox) == [pes_owner.email]


def test_someone_outside_the_conversation_cannot_write_in_it(inquiry, official):
    with pytest.raises(ValidationError):
        services.inquiry_reply(inquiry=inquiry, author=official, body="Wtrącam się")
    assert inquiry.messages.count() == 1


def test_either_side_closes_and_a_closed_conversation_takes_no_messages(
    inquiry, pes_owner, business_buyer, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_close(inquiry=inquiry, actor=business_buyer)
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CLOSED
    assert inquiry.closed_by == business_buyer and inquiry.closed_at is not None
    assert pes_owner.email in recipients_of(mailoutbox)
    assert business_buyer.email not in recipients_of(mailoutbox)
    for author in (pes_owner, business_buyer):
        with pytest.raises(ValidationError) as error:
            services.inquiry_reply(inquiry=inquiry, author=author, body="Jeszcze jedno")
        assert error.value.code == "closed"
    assert InquiryMessage.objects.filter(inquiry=inquiry).count() == 1


def test_the_pes_closing_tells_the_buyer(
    inquiry, pes_owner, business_buyer, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_close(inquiry=inquiry, actor=pes_owner)
    assert recipients_of(mailoutbox) == [business_buyer.email]


def test_reading_marks_only_the_readers_side(inquiry, pes_owner, business_buyer):
    services.inquiry_reply(inquiry=inquiry, author=business_buyer, body="Jeszcze pytanie")
    inquiry.refresh_from_db()
    buyer_read_at = inquiry.buyer_read_at
    services.inquiry_mark_read(inquiry=inquiry, user=pes_owner)
    inquiry.refresh_from_db()
    assert not inquiry.is_unread_by_organisation()
    assert inquiry.buyer_read_at == buyer_read_at
