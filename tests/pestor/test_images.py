"""pestor.images: pixels counted before decoding, and the re-encoded copy the portal stores."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pestor import images
from tests.image_files import decoding_forbidden, has_gps, huge_png, jpeg_with_gps, upload


def test_pillows_decompression_bomb_guard_follows_the_portals_limit(settings):
    assert Image.MAX_IMAGE_PIXELS is not None
    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS


def test_the_default_limit_is_24_megapixels(settings):
    assert settings.IMAGE_MAX_PIXELS == 24_000_000


def test_probe_reads_format_and_size_from_the_header():
    file = upload(Image.new("RGB", (300, 200)))
    file.seek(5)

    with decoding_forbidden():
        assert images.probe(file) == ("PNG", 300, 200)
    assert file.tell() == 5


def test_probe_refuses_a_small_file_with_too_many_pixels_without_decoding_it():
    bomb = huge_png()
    assert bomb.size < 20_000

    with decoding_forbidden(), pytest.raises(ValidationError) as refused:
        images.probe(bomb)

    assert refused.value.code == "too_many_pixels"


def test_the_pixel_limit_is_a_setting(settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    assert images.probe(upload(Image.new("L", (100, 100)))) == ("PNG", 100, 100)

    with pytest.raises(ValidationError) as refused:
        images.probe(upload(Image.new("L", (101, 100))))

    assert "0,01 megapiksel" in refused.value.messages[0]


@pytest.mark.parametrize("warning_only", [True, False])
def test_pillows_own_guard_is_a_refusal_too(settings, monkeypatch, warning_only):
    # The portal's limit above Pillow's: Pillow warns (above its limit) or refuses (above twice).
    settings.IMAGE_MAX_PIXELS = 10**9
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 90 * 90 if warning_only else 50 * 50)

    with pytest.raises(ValidationError) as refused:
        images.probe(upload(Image.new("L", (100, 100))))

    assert refused.value.code == "too_many_pixels"


def test_probe_returns_none_for_a_file_that_is_not_an_image():
    assert images.probe(SimpleUploadedFile("a.png", b"%PDF-1.4 not an image")) is None


def test_reencode_refuses_too_many_pixels_without_decoding():
    bomb = huge_png()

    with decoding_forbidden(), pytest.raises(ValidationError) as refused:
        images.reencode(bomb, max_side=1000)

    assert refused.value.code == "too_many_pixels"


def test_reencode_drops_exif_and_gps():
    original = jpeg_with_gps()
    assert has_gps(original.read())

    stored = images.reencode(original, max_side=1000)

    content = stored.read()
    assert b"Exif" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info


def test_reencode_names_the_file_after_its_real_format_not_the_uploaded_name():
    marker = b"%PDF-1.4 <script>alert(1)</script>"
    disguised = upload(Image.new("RGBA", (40, 20), (1, 2, 3, 128)), name="logo.pdf", extra=marker)

    stored = images.reencode(disguised, max_side=1000)

    assert stored.name.endswith(".png")
    assert "logo" not in stored.name
    content = stored.read()
    assert marker not in content
    assert content.endswith(b"IEND\xaeB`\x82")  # nothing after the PNG's last chunk
    with Image.open(io.BytesIO(content)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (40, 20), "RGBA")


@pytest.mark.parametrize(
    ("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]
)
def test_reencode_keeps_the_format_and_shrinks_to_max_side(image_format, extension):
    original = upload(Image.new("RGB", (900, 300), "teal"), image_format, f"x.{extension}")

    stored = images.reencode(original, max_side=300)

    assert stored.name.endswith(f".{extension}")
    with Image.open(stored) as image:
        assert (image.format, image.size) == (image_format, (300, 100))


def test_reencode_keeps_the_transparency_of_a_palette_png():
    palette_image = Image.new("P", (10, 10), 1)
    palette_image.putpalette([255, 0, 0, 0, 255, 0])
    buffer = io.BytesIO()
    palette_image.save(buffer, format="PNG", transparency=1)
    with Image.open(buffer) as original:
        assert original.convert("RGBA").getpixel((5, 5))[3] == 0

    stored = images.reencode(SimpleUploadedFile("t.png", buffer.getvalue()), max_side=100)

    with Image.open(stored) as result:
        assert result.mode == "P"
        assert result.convert("RGBA").getpixel((5, 5))[3] == 0


def test_reencode_refuses_formats_not_asked_for():
    with pytest.raises(ValidationError) as refused:
        images.reencode(upload(Image.new("RGB", (10, 10)), "GIF", "a.gif"), max_side=100)

    assert refused.value.code == "invalid_image"
