"""Checks of the documents attached to notices and answers."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pestor.validators import document_type

__all__ = ["DOCUMENT_CONTENT_TYPES", "document_extension", "document_type", "validate_document"]

# The extension alone is what a browser sends and can be anything: the content decides
# (pestor.validators.document_type).
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
    if extension not in DOCUMENT_CONTENT_TYPES:
        raise ValidationError(
            _("%(name)s is not a PDF, ODT or DOCX file. Attach documents in one of these formats."),
            code="invalid_extension",
            params={"name": os.path.basename(file.name)},
        )
    if document_type(file) != extension:
        raise ValidationError(
            _(
                "The content of %(name)s is not a %(format)s document. Save it again as "
                "PDF, ODT or DOCX and attach it."
            ),
            code="invalid_content",
            params={"name": os.path.basename(file.name), "format": extension[1:].upper()},
        )
