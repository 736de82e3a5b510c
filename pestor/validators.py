"""Validators shared by the apps: Polish registry numbers (the check digits are python-stdnum's)
and uploads (PDF, office documents) checked by their content."""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)
from stdnum.pl import nip, regon


def _explain(module, value, *, name, lengths):
    try:
        module.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("%(name)s has %(lengths)s digits."),
            code="invalid_length",
            params={"name": name, "lengths": lengths},
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _("%(name)s may contain only digits."), code="invalid_format", params={"name": name}
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("This %(name)s has a wrong check digit; please check it against the register."),
            code="invalid_checksum",
            params={"name": name},
        ) from None
    except StdnumError:
        raise ValidationError(
            _("This is not a valid %(name)s."), code="invalid", params={"name": name}
        ) from None


def validate_nip(value):
    _explain(nip, value, name="NIP", lengths=10)


def validate_regon(value):
    _explain(regon, value, name="REGON", lengths=_("9 or 14"))


def validate_krs(value):
    # Not str.isdigit(): that also accepts non-ASCII digits such as "²" or "٣".
    if not (len(value) == 10 and all(char in "0123456789" for char in value)):
        raise ValidationError(_("The KRS number has exactly 10 digits."), code="invalid_krs")


def compact_nip(value):
    return nip.compact(value or "")


def compact_regon(value):
    return regon.compact(value or "")


PDF_SIGNATURE = b"%PDF-"


def validate_pdf(file, *, max_bytes: int, message=None, code: str = "not_a_pdf"):
    """A PDF by its content (it starts with "%PDF-", whatever the file is called) of at most
    ``max_bytes``; ``message`` and ``code`` say what an app's users are told otherwise. The
    file is left where it was."""
    if file.size > max_bytes:
        raise ValidationError(
            _("A file may be at most %(limit)s; this file has %(size)s."),
            code="file_too_large",
            params={"limit": filesizeformat(max_bytes), "size": filesizeformat(file.size)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(len(PDF_SIGNATURE))
    finally:
        file.seek(position)
    if head != PDF_SIGNATURE:
        raise ValidationError(
            message or _("This file is not a PDF (its content says otherwise, whatever its name)."),
            code=code,
        )


# Office documents by their content: ODT is a ZIP archive whose first part is its mimetype,
# DOCX and PPTX are ZIP archives with known parts (Office Open XML).
ZIP_SIGNATURE = b"PK\x03\x04"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_OOXML_PARTS = {".docx": "word/document.xml", ".pptx": "ppt/presentation.xml"}


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
        if "[Content_Types].xml" in names:
            for extension, part in _OOXML_PARTS.items():
                if part in names:
                    return extension
    return None


def document_type(file) -> str | None:
    """ ".pdf", ".odt", ".docx" or ".pptx" for what the file's content is, whatever its name,
    or None. The file is left where it was."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(len(PDF_SIGNATURE))
        file.seek(0)
        if head.startswith(PDF_SIGNATURE):
            return ".pdf"
        if head.startswith(ZIP_SIGNATURE):
            return _zipped_document_type(file)
        return None
    finally:
        file.seek(position)
