"""Checks of the documents attached to notices and answers."""

import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# The extension alone is what a browser sends and can be anything: the content decides
# (document_type). A PDF starts with "%PDF-"; ODT and DOCX are ZIP archives with known parts.
_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCUMENT_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def _zipped_document_type(file) -> str | None:
    # Only the archive's directory is read, and the one tiny part ODT puts first: nothing is
    # unpacked, so a "zip bomb" costs nothing.
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        names = archive.namelist()
        if names and names[0] == "mimetype":
            info = archive.getinfo("mimetype")
            if info.file_size == len(_ODT_MIMETYPE) and archive.read(info) == _ODT_MIMETYPE:
                return ".odt"
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return ".docx"
    return None


def document_type(file) -> str | None:
    """ ".pdf", ".odt" or ".docx" for what the file's content is, whatever its name, or None.
    The file is left where it was."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(len(_PDF))
        file.seek(0)
        if head.startswith(_PDF):
            return ".pdf"
        if head.startswith(_ZIP):
            return _zipped_document_type(file)
        return None
    finally:
        file.seek(position)


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
