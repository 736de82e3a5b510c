"""Private PDF documents: the download that cannot run anything when opened. Apps keep the
files in ``pestor.storage.private_storage``, check uploads with ``pestor.validators.validate_pdf``
and serve them from views that check permissions first."""

from django.http import FileResponse


def pdf_download(field_file, *, filename: str) -> FileResponse:
    """A stored PDF as a download that may not run or load anything when opened."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
