"""Checks of uploads: photos of premises and reports, PDF plans and application documents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pestor import images

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
    limit = document_max_bytes()
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
            _("This file is not a PDF (its content says otherwise, whatever its name)."),
            code="not_a_pdf",
        )
