"""The organiser's documents as PDF through ``pestor.pdf`` (WeasyPrint, the same Django
templates): the attendance list with a column for signatures, and the participation certificate
of one participant who was present."""

from django.template.loader import render_to_string
from django.utils import timezone

from pestor.pdf import html_to_pdf

from . import selectors


def attendance_list_pdf(event) -> bytes:
    html = render_to_string(
        "community/pdf/attendance_list.html",
        {
            "event": event,
            "rows": list(selectors.attendance_rows(event=event)),
            "printed_at": timezone.now(),
        },
    )
    return html_to_pdf(html)


def certificate_pdf(registration) -> bytes:
    html = render_to_string(
        "community/pdf/certificate.html",
        {
            "registration": registration,
            "event": registration.event,
            "issued_on": timezone.localdate(),
        },
    )
    return html_to_pdf(html)
