"""Private PDF documents: the check of an upload by its content and the download that cannot
run anything when opened. Apps keep the files in ``pestor.storage.private_storage`` and serve
them from views that check permissions first."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


def validate_pdf(file, *, max_bytes: int):
    """A PDF by its signature (the content starts with "%PDF-", whatever the file is called),
    of at most ``max_bytes``."""
    if file.size > max_bytes:
        raise ValidationError(
            _("A file may be at most %(limit)s; this file has %(size)s."),
            code="file_too_large",
            params={"limit": filesizeformat(max_bytes), "size": filesizeformat(file.size)},
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


def pdf_download(field_file, *, filename: str) -> FileResponse:
    """A stored PDF as a download that may not run or load anything when opened."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
