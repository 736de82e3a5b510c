"""Checks of the documents attached to notices and answers."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# The first bytes of each accepted format: PDF files start with "%PDF"; ODT and DOCX are ZIP
# archives. The extension alone is what a browser sends and can be anything.
DOCUMENT_SIGNATURES = {
    ".pdf": b"%PDF",
    ".odt": b"PK\x03\x04",
    ".docx": b"PK\x03\x04",
}
DOCUMENT_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def validate_document(file):
    """A PDF, ODT or DOCX file within NOTICE_ATTACHMENT_MAX_BYTES, whose content matches its
    extension."""
    limit = settings.NOTICE_ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("A file may be at most %(limit)s; %(name)s has %(size)s."),
            code="file_too_large",
            params={
                "limit": filesizeformat(limit),
                "name": os.path.basename(file.name),
                "size": filesizeformat(file.size),
            },
        )
    extension = document_extension(file.name)
    signature = DOCUMENT_SIGNATURES.get(extension)
    if signature is None:
        raise ValidationError(
            _("%(name)s is not a PDF, ODT or DOCX file. Attach documents in one of these formats."),
            code="invalid_extension",
            params={"name": os.path.basename(file.name)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(len(signature))
    finally:
        file.seek(position)
    if head != signature:
        raise ValidationError(
            _(
                "The content of %(name)s is not a %(format)s document. Save it again as "
                "PDF, ODT or DOCX and attach it."
            ),
            code="invalid_content",
            params={"name": os.path.basename(file.name), "format": extension[1:].upper()},
        )
