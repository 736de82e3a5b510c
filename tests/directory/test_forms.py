"""The organisation form: registry numbers, the logo and the messages next to each field."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from directory import services
from directory.forms import OrganisationForm
from directory.models import LegalForm, PublicBenefitSphere
from tests.directory.factories import next_krs, next_regon
from tests.factories import UserFactory, next_nip
from tests.image_files import decoding_forbidden, has_gps, huge_png, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def form_data(municipality, **overrides):
    return {
        "name": "Fundacja Pomocna Dłoń",
        "legal_form": LegalForm.FOUNDATION,
        "krs": next_krs(),
        "nip": next_nip(),
        "regon": next_regon(),
        "street": "ul. Szeroka 1",
        "postal_code": "87-100",
        "city": "Toruń",
        "seat_municipality": municipality.slug,
        "employees": "4",
        "employees_at_risk": "1",
        **overrides,
    }


def image_file(image_format="PNG", size=(40, 20), name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def error_codes(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


def test_valid_data_is_accepted(municipality):
    form = OrganisationForm(data=form_data(municipality))

    assert form.is_valid(), form.errors


def test_service_kwargs_carry_the_editable_fields(municipality):
    sphere = PublicBenefitSphere.objects.order_by("position").first()
    form = OrganisationForm(data=form_data(municipality, spheres=[str(sphere.pk)]))
    assert form.is_valid(), form.errors

    kwargs = form.service_kwargs()

    assert kwargs["seat_municipality"] == municipality
    assert list(kwargs["spheres"]) == [sphere]
    assert list(kwargs["municipalities_served"]) == []
    assert "status" not in kwargs


def test_nip_with_dashes_is_accepted_and_compacted(municipality):
    nip = next_nip()
    form = OrganisationForm(
        data=form_data(municipality, nip=f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}")
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["nip"] == nip


def test_regon_with_spaces_is_accepted_and_compacted(municipality):
    regon = next_regon()
    form = OrganisationForm(data=form_data(municipality, regon=f"{regon[:3]} {regon[3:]}"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["regon"] == regon


def test_nip_with_a_wrong_check_digit_is_explained(municipality):
    nip = next_nip()
    wrong = nip[:9] + str((int(nip[9]) + 1) % 10)
    form = OrganisationForm(data=form_data(municipality, nip=wrong))

    assert not form.is_valid()
    assert error_codes(form, "nip") == ["invalid_checksum"]
    assert form.errors["nip"] == [
        "This NIP has a wrong check digit; please check it against the register."
    ]


def test_nip_of_wrong_length_is_explained(municipality):
    form = OrganisationForm(data=form_data(municipality, nip="123456789"))

    assert not form.is_valid()
    assert error_codes(form, "nip") == ["invalid_length"]
    assert form.errors["nip"] == ["NIP has 10 digits."]


def test_nip_with_letters_is_explained(municipality):
    form = OrganisationForm(data=form_data(municipality, nip="12345678AB"))

    assert not form.is_valid()
    assert error_codes(form, "nip") == ["invalid_format"]


def test_regon_with_a_wrong_check_digit_is_explained(municipality):
    regon = next_regon()
    wrong = regon[:8] + str((int(regon[8]) + 1) % 10)
    form = OrganisationForm(data=form_data(municipality, regon=wrong))

    assert not form.is_valid()
    assert error_codes(form, "regon") == ["invalid_checksum"]


def test_regon_of_wrong_length_is_explained(municipality):
    form = OrganisationForm(data=form_data(municipality, regon="1234567"))

    assert not form.is_valid()
    assert form.errors["regon"] == ["REGON has 9 or 14 digits."]


@pytest.mark.parametrize("krs", ["123456789", "00001234ab", "0000 12345"])
def test_krs_that_is_not_ten_digits_is_explained(municipality, krs):
    form = OrganisationForm(data=form_data(municipality, krs=krs))

    assert not form.is_valid()
    assert error_codes(form, "krs") == ["invalid_krs"]
    assert form.errors["krs"] == ["The KRS number has exactly 10 digits."]


def test_krs_longer_than_ten_digits_is_refused(municipality):
    form = OrganisationForm(data=form_data(municipality, krs="12345678901"))

    assert not form.is_valid()
    assert "krs" in form.errors


def test_krs_may_be_left_empty(municipality):
    form = OrganisationForm(data=form_data(municipality, krs=""))

    assert form.is_valid(), form.errors


def test_registered_nip_is_refused_with_a_clear_message(municipality, organisation):
    form = OrganisationForm(data=form_data(municipality, nip=organisation.nip))

    assert not form.is_valid()
    assert error_codes(form, "nip") == ["unique"]
    assert form.errors["nip"] == ["An organisation with this NIP is already registered."]


def test_registered_nip_typed_with_dashes_is_refused_too(municipality, organisation):
    nip = organisation.nip
    form = OrganisationForm(
        data=form_data(municipality, nip=f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}")
    )

    assert not form.is_valid()
    assert error_codes(form, "nip") == ["unique"]


def test_editing_keeps_the_organisations_own_nip(municipality, organisation):
    data = form_data(municipality, nip=organisation.nip, regon=organisation.regon)

    form = OrganisationForm(data=data, instance=organisation)

    assert form.is_valid(), form.errors


def test_more_employees_at_risk_than_employees_is_refused_on_that_field(municipality):
    form = OrganisationForm(data=form_data(municipality, employees="2", employees_at_risk="3"))

    assert not form.is_valid()
    assert "employees_at_risk" in form.errors


def test_website_without_a_scheme_gets_https(municipality):
    form = OrganisationForm(data=form_data(municipality, website="pomocnadlon.org.pl"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["website"] == "https://pomocnadlon.org.pl"


def test_png_logo_is_accepted(municipality):
    form = OrganisationForm(data=form_data(municipality), files={"logo": image_file()})

    assert form.is_valid(), form.errors


def test_jpeg_logo_is_accepted(municipality):
    form = OrganisationForm(
        data=form_data(municipality), files={"logo": image_file("JPEG", name="logo.jpg")}
    )

    assert form.is_valid(), form.errors


def test_logo_that_is_not_an_image_is_refused(municipality):
    text = SimpleUploadedFile("logo.png", b"%PDF-1.4 to nie jest obrazek", content_type="image/png")
    form = OrganisationForm(data=form_data(municipality), files={"logo": text})

    assert not form.is_valid()
    assert error_codes(form, "logo") == ["invalid_image"]


def test_gif_logo_is_refused(municipality):
    form = OrganisationForm(
        data=form_data(municipality), files={"logo": image_file("GIF", name="logo.gif")}
    )

    assert not form.is_valid()
    assert error_codes(form, "logo") == ["invalid_image_format"]
    assert form.errors["logo"] == ["Upload the logo as PNG, JPEG or WebP."]


def test_oversized_logo_is_refused(municipality, settings):
    settings.LOGO_MAX_BYTES = 100
    logo = image_file(size=(300, 300))
    assert logo.size > 100

    form = OrganisationForm(data=form_data(municipality), files={"logo": logo})

    assert not form.is_valid()
    assert error_codes(form, "logo") == ["file_too_large"]


def test_logo_wider_than_the_limit_is_refused(municipality):
    logo = image_file(size=(4001, 1))

    form = OrganisationForm(data=form_data(municipality), files={"logo": logo})

    assert not form.is_valid()
    assert error_codes(form, "logo") == ["image_too_big"]


def test_clearing_the_logo_is_passed_to_the_service_as_none(municipality, organisation):
    organisation.logo = "logos/2024/old.png"
    organisation.save()
    data = form_data(municipality, nip=organisation.nip, regon=organisation.regon)
    data["logo-clear"] = "on"

    form = OrganisationForm(data=data, instance=organisation)

    assert form.is_valid(), form.errors
    assert form.service_kwargs()["logo"] is None


def test_registration_from_the_form_stores_the_logo_under_media_root(municipality, settings):
    form = OrganisationForm(data=form_data(municipality), files={"logo": image_file()})
    assert form.is_valid(), form.errors

    organisation = services.organisation_register(owner=UserFactory(), **form.service_kwargs())

    organisation.refresh_from_db()
    stored = Path(organisation.logo.path)
    assert stored.is_file()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert list(organisation.municipalities_served.all()) == [municipality]


def test_a_logo_with_too_many_pixels_is_refused_with_a_message_before_decoding(municipality):
    bomb = huge_png(name="logo.png")  # 8000 x 8000 pixels in a few kilobytes

    with decoding_forbidden():
        form = OrganisationForm(data=form_data(municipality), files={"logo": bomb})
        assert not form.is_valid()

    assert error_codes(form, "logo") == ["too_many_pixels"]
    assert form.errors["logo"][0].startswith("This image has too many pixels: it may have at most")


def test_the_pixel_message_is_in_polish(municipality):
    with translation.override("pl"):
        form = OrganisationForm(data=form_data(municipality), files={"logo": huge_png()})
        assert not form.is_valid()
        message = form.errors["logo"][0]

    assert message.startswith("Ten obraz ma za dużo pikseli")
    assert "24 megapiks" in message


def test_a_logo_is_stored_without_exif_or_gps(municipality):
    form = OrganisationForm(data=form_data(municipality), files={"logo": jpeg_with_gps("logo.jpg")})
    assert form.is_valid(), form.errors

    organisation = services.organisation_register(owner=UserFactory(), **form.service_kwargs())

    with organisation.logo.open("rb") as stored:
        content = stored.read()
    assert organisation.logo.name.endswith(".jpg")
    assert b"Exif" not in content
    assert not has_gps(content)


def test_a_png_named_pdf_with_bytes_appended_is_stored_as_a_clean_png(municipality):
    appended = b"%PDF-1.4\n1 0 obj << /JS (app.alert(1)) >> endobj"
    disguised = upload(Image.new("RGB", (40, 20), "teal"), name="logo.pdf", extra=appended)
    form = OrganisationForm(data=form_data(municipality), files={"logo": disguised})
    assert form.is_valid(), form.errors

    organisation = services.organisation_register(owner=UserFactory(), **form.service_kwargs())

    assert organisation.logo.name.startswith("logos/")
    assert organisation.logo.name.endswith(".png")
    assert "logo.pdf" not in organisation.logo.name
    with organisation.logo.open("rb") as stored:
        content = stored.read()
    assert appended not in content
    assert content.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(content)) as image:
        assert (image.format, image.size) == ("PNG", (40, 20))


def test_a_large_logo_is_stored_at_most_1000_pixels_on_its_long_side(municipality):
    form = OrganisationForm(
        data=form_data(municipality), files={"logo": image_file(size=(3000, 1500))}
    )
    assert form.is_valid(), form.errors

    organisation = services.organisation_register(owner=UserFactory(), **form.service_kwargs())

    with organisation.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (1000, 500)
