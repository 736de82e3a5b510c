"""Checks of uploads: photos of premises and reports, PDF plans and application documents."""

from django.conf import settings

from pestor import images, validators

PHOTO_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def photo_max_bytes() -> int:
    return getattr(settings, "PREMISES_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES)


def document_max_bytes() -> int:
    return getattr(settings, "PREMISES_DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES)


def validate_photo(file):
    images.validate_photo(file, max_bytes=photo_max_bytes())


def validate_pdf(file):
    """A PDF by its signature (the content starts with "%PDF-", whatever the file is called)."""
    validators.validate_pdf(file, max_bytes=document_max_bytes())
