"""Checks of what owners upload: photos of resources and PDF attachments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pestor.images import probe

PHOTO_FORMATS = {"PNG", "JPEG", "WEBP"}
# Read from the header, like the pixel count (IMAGE_MAX_PIXELS), so refused before decoding.
PHOTO_MAX_SIDE = 8000
PHOTO_DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def photo_max_bytes() -> int:
    return getattr(settings, "BANK_PHOTO_MAX_BYTES", PHOTO_DEFAULT_MAX_BYTES)


def attachment_max_bytes() -> int:
    return getattr(settings, "BANK_ATTACHMENT_MAX_BYTES", ATTACHMENT_DEFAULT_MAX_BYTES)


def validate_photo(file):
    """A PNG, JPEG or WebP image within the size limits (bytes, pixels, side), all read before
    the image is decoded."""
    limit = photo_max_bytes()
    if file.size > limit:
        raise ValidationError(
            _("A photo may be at most %(limit)s; this file has %(size)s."),
            code="file_too_large",
            params={"limit": filesizeformat(limit), "size": filesizeformat(file.size)},
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


def validate_attachment(file):
    """A PDF (its content starts with "%PDF-", whatever its name) within the size limit."""
    limit = attachment_max_bytes()
    if file.size > limit:
        raise ValidationError(
            _("A file may be at most %(limit)s; this file has %(size)s."),
            code="file_too_large",
            params={"limit": filesizeformat(limit), "size": filesizeformat(file.size)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(5)
    finally:
        file.seek(position)
    if head != b"%PDF-":
        raise ValidationError(
            _("This file is not a PDF. Attach manuals and rules as PDF files."),
            code="invalid_document",
        )
