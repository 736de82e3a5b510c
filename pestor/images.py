"""Uploaded images: what they are (read from the header, never from the name or the declared
type), whether the portal takes them, and the copy it stores instead of the upload.

An image costs memory by its pixels, not by its bytes: an 8000 x 8000 PNG of one colour is a
few kilobytes and decodes into hundreds of megabytes. So the pixels are counted from the header
(Pillow's ``Image.open`` reads only the header) and an image over IMAGE_MAX_PIXELS is refused
before anything decodes it. Pillow's own decompression-bomb guard stays on as a second line
(``Image.MAX_IMAGE_PIXELS`` is set to the same limit when the portal starts); its warning and
its error are refusals too.

The portal never stores or serves an upload as it came. ``reencode`` decodes the checked image
and writes a new file in the same format: smaller if it was large, turned upright, without
metadata (EXIF with a camera's GPS position, XMP, comments), without anything appended after the
image data, and named by the portal with the extension of its real format.
"""

import io
import re
import uuid
import warnings
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

# The formats the portal stores, each under one extension. Media are served only under these.
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
# Where reencode's files end up under MEDIA_ROOT (logos, offer and equipment photos, in a year
# folder): the only paths public media are served from.
PUBLIC_PATH = re.compile(
    r"(?:logos|offers|bank|premises)/\d{4}/[0-9a-f]{32}\.(?P<extension>png|jpg|webp)"
)

_SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}


class Probe(NamedTuple):
    format: str
    width: int
    height: int


def max_pixels() -> int:
    return settings.IMAGE_MAX_PIXELS


def guard_decompression_bombs() -> None:
    """Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; it follows the portal's
    limit, so that every path that opens an image (the admin, a management command) is bounded."""
    Image.MAX_IMAGE_PIXELS = max_pixels()


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "This image has too many pixels: it may have at most %(limit)s megapixels. Make it "
            "smaller (for example to 4000 x 3000 pixels) and upload it again."
        ),
        code="too_many_pixels",
        params={"limit": f"{max_pixels() / 1_000_000:g}".replace(".", ",")},
    )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not an image. Upload a PNG, JPEG or WebP image."), code="invalid_image"
    )


def probe(file) -> Probe | None:
    """The format and size of an uploaded image, or None if Pillow cannot read it.

    Only the header is read (no decoding), and the file is left where it was, so that the
    upload can still be saved after validation. An image with more pixels than
    IMAGE_MAX_PIXELS raises ValidationError (code "too_many_pixels").
    """
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                probed = Probe(image.format, image.size[0], image.size[1])
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels() from None
    except Exception:
        return None
    finally:
        if hasattr(file, "seek"):
            file.seek(position)
    if probed.width * probed.height > max_pixels():
        raise _too_many_pixels()
    return probed


def reencode(upload, *, max_side: int, formats=tuple(EXTENSIONS)) -> ContentFile:
    """A new file made from the pixels of an uploaded image: in its own format (one of
    ``formats``), turned upright, at most ``max_side`` pixels on its long side, with no metadata
    and nothing after the image data, named ``<random>.<extension of the real format>``.

    Raises ValidationError if the upload is not such an image or has too many pixels; the
    pixels are counted before decoding.
    """
    probed = probe(upload)
    if probed is None or probed.format not in formats or probed.format not in EXTENSIONS:
        raise _not_an_image()
    if hasattr(upload, "seek"):
        upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as original:
                # Before turning it upright: thumbnail() lets a JPEG decode at a reduced scale.
                original.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                image = ImageOps.exif_transpose(original)
                icc_profile = original.info.get("icc_profile")
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels() from None
    except Exception:
        raise _not_an_image() from None
    # Only what the pixels need: transparency of a palette PNG. The colour profile is passed
    # on explicitly below; EXIF, XMP, comments and text chunks are left behind.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    options = dict(_SAVE_OPTIONS[probed.format])
    if probed.format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
        icc_profile = None  # a CMYK profile would misdescribe the converted pixels
    if icc_profile:
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    image.save(buffer, format=probed.format, **options)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[probed.format]}")


# --- uploaded photos (offers, the equipment bank) ----------------------------------------------

PHOTO_FORMATS = {"PNG", "JPEG", "WEBP"}
# Read from the header, like the pixel count (IMAGE_MAX_PIXELS), so refused before decoding.
PHOTO_MAX_SIDE = 8000


def validate_photo(file, *, max_bytes: int) -> None:
    """A PNG, JPEG or WebP image within the size limits (bytes, pixels, side), all read before
    the image is decoded."""
    if file.size > max_bytes:
        raise ValidationError(
            _("A photo may be at most %(limit)s; this file has %(size)s."),
            code="file_too_large",
            params={"limit": filesizeformat(max_bytes), "size": filesizeformat(file.size)},
        )
    probed = probe(file)
    if probed is None:
        raise ValidationError(
            _("This file is not an image. Upload the photo as PNG, JPEG or WebP."),
            code="invalid_image",
        )
    image_format, width, height = probed
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            _("Upload the photo as PNG, JPEG or WebP."), code="invalid_image_format"
        )
    if max(width, height) > PHOTO_MAX_SIDE:
        raise ValidationError(
            _("A photo may be at most %(side)s pixels wide and high."),
            code="image_too_big",
            params={"side": PHOTO_MAX_SIDE},
        )
