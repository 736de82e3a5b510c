"""The hand-over protocol (protokół zdawczo-odbiorczy) as a PDF through pestor.pdf: the parties,
the units with their inventory numbers, their condition at both ends, photos, and lines for
signatures, with "page X of Y" in the footer."""

import base64

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from pestor.pdf import html_to_pdf

from . import selectors

TEMPLATE = "equipment_bank/protocol.html"


def _photo_data(field_file) -> str:
    """A condition photo inlined as a data: URL (the PDF fetcher reads no media files)."""
    if not field_file:
        return ""
    try:
        with field_file.open("rb") as stored:
            content = stored.read()
    except OSError:
        return ""
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    kind = {"jpg": "jpeg", "png": "png", "webp": "webp"}.get(extension)
    if kind is None:
        return ""
    return f"data:image/{kind};base64,{base64.b64encode(content).decode()}"


def css_string(text) -> str:
    """``text`` as a quoted CSS string that is safe inside a <style> element, whoever typed it."""
    escaped = []
    for character in str(text).replace("\r", " ").replace("\n", " "):
        if character in '"\\<>&':
            escaped.append(f"\\{ord(character):x} ")
        else:
            escaped.append(character)
    return '"' + "".join(escaped) + '"'


def page_counter_css() -> str:
    """The CSS content of the footer's "Page X of Y", translated as one sentence."""
    # Translators: the page footer of PDF documents; in Polish "Strona {page} z {pages}".
    sentence = gettext("Page {page} of {pages}")
    parts = []
    rest = sentence
    for placeholder, counter in (("{page}", "counter(page)"), ("{pages}", "counter(pages)")):
        before, _found, rest = rest.partition(placeholder)
        parts += [css_string(before), counter]
    parts.append(css_string(rest))
    return " ".join(part for part in parts if part != '""')


def protocol_pdf(booking) -> bytes:
    items = selectors.booking_items(booking=booking)
    for item in items:
        for report in (item.handover, item.returned):
            if report is not None:
                report.photo_data = _photo_data(report.photo)
    html = render_to_string(
        TEMPLATE,
        {
            "booking": booking,
            "items": items,
            "cases": list(selectors.damage_cases_of_booking(booking=booking)),
            "printed_at": timezone.now(),
            "page_counter": page_counter_css(),
            "footer_title": css_string(gettext("Hand-over protocol") + f" #{booking.pk}"),
        },
    )
    return html_to_pdf(html)
