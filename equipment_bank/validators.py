"""Checks of what owners upload: photos of resources and PDF attachments."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pestor import images, validators

PHOTO_DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def photo_max_bytes() -> int:
    return getattr(settings, "BANK_PHOTO_MAX_BYTES", PHOTO_DEFAULT_MAX_BYTES)


def attachment_max_bytes() -> int:
    return getattr(settings, "BANK_ATTACHMENT_MAX_BYTES", ATTACHMENT_DEFAULT_MAX_BYTES)


def validate_photo(file):
    """A resource's photo: a PNG, JPEG or WebP image within the size limits (pestor.images)."""
    images.validate_photo(file, max_bytes=photo_max_bytes())


def validate_attachment(file):
    """A PDF (its content starts with "%PDF-", whatever its name) within the size limit."""
    validators.validate_pdf(
        file,
        max_bytes=attachment_max_bytes(),
        message=_("This file is not a PDF. Attach manuals and rules as PDF files."),
        code="invalid_document",
    )
