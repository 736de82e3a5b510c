"""Checks of the materials published after an event: PDF, ODT or PPTX by their content."""

import os

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pestor.validators import document_type

MATERIAL_MAX_BYTES = 20 * 1024 * 1024
MATERIAL_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def validate_material(file) -> str:
    """The file's extension (".pdf", ".odt", ".pptx") once its size and content are checked."""
    name = os.path.basename(file.name or "")
    if file.size > MATERIAL_MAX_BYTES:
        raise ValidationError(
            _("A file may be at most %(limit)s; %(name)s has %(size)s."),
            code="file_too_large",
            params={
                "limit": filesizeformat(MATERIAL_MAX_BYTES),
                "name": name,
                "size": filesizeformat(file.size),
            },
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in MATERIAL_CONTENT_TYPES or document_type(file) != extension:
        raise ValidationError(
            _(
                "%(name)s is not a PDF, ODT or PPTX file (its content decides, not its name). "
                "Save it again in one of these formats."
            ),
            code="invalid_material",
            params={"name": name},
        )
    return extension
