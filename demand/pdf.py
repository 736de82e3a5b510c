"""The market-research note (rozeznanie rynku) of a demand notice, as a PDF for the procurement
file: the need, the social-clause decision, the PES that matched, the answers with their prices
and the award. Rendered by WeasyPrint from a Django template, like the HTML pages."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext

from pestor.pdf import html_to_pdf

from .models import (
    PROCUREMENT_LAW_THRESHOLD,
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeMatch,
)

TEMPLATE = "demand/market_research_note.html"


def pln(value) -> str:
    """An amount of money as officials write it: "12 500,00 zł" in Polish."""
    if value is None:
        return ""
    amount = number_format(value, 2, use_l10n=True, force_grouping=True)
    # Translators: an amount of money in Polish zloty; in Polish "%(amount)s zł".
    return gettext("%(amount)s PLN") % {"amount": amount}


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


def css_string(text) -> str:
    """``text`` as a quoted CSS string that is safe inside a <style> element, whoever typed it."""
    escaped = []
    for character in str(text).replace("\r", " ").replace("\n", " "):
        if character in '"\\<>&':
            escaped.append(f"\\{ord(character):x} ")
        else:
            escaped.append(character)
    return '"' + "".join(escaped) + '"'


def notice_for_note(pk):
    """The notice with everything the note shows, in a fixed number of queries."""
    partners = ConsortiumPartner.objects.select_related("organisation").order_by("pk")
    answers = (
        Answer.objects.select_related("organisation")
        .prefetch_related(Prefetch("partners", queryset=partners))
        .order_by("created_at", "pk")
    )
    matches = NoticeMatch.objects.select_related("organisation").order_by("organisation__name")
    return (
        DemandNotice.objects.select_related(
            "municipality", "department__municipality", "company", "clause_check"
        )
        .prefetch_related(
            "cpv_codes",
            Prefetch("matches", queryset=matches),
            Prefetch("answers", queryset=answers),
        )
        .get(pk=pk)
    )


def note_context(notice, *, generated_at=None):
    clause_check = getattr(notice, "clause_check", None)
    answers = list(notice.answers.all())
    for answer in answers:
        answer.price_display = pln(answer.price_net)
        answer.partner_list = list(answer.partners.all())
    return {
        "notice": notice,
        "clause_check": clause_check,
        "cpv_codes": list(notice.cpv_codes.all()),
        "matches": list(notice.matches.all()),
        "answers": answers,
        "awarded_answers": [answer for answer in answers if answer.is_awarded],
        "estimated_value": pln(notice.estimated_value),
        "awarded_value": pln(notice.awarded_value),
        "clause_estimated_value": pln(clause_check.estimated_value) if clause_check else "",
        "threshold": pln(PROCUREMENT_LAW_THRESHOLD),
        "generated_at": timezone.localtime(generated_at or timezone.now()),
        "page_counter": page_counter_css(),
        "footer_title": css_string(Truncator(notice.title).chars(80)),
        "Status": DemandNotice.Status,
    }


def market_research_note_pdf(notice, *, generated_at=None) -> bytes:
    """The note of ``notice`` as PDF bytes. The caller has checked who may download it."""
    notice = notice_for_note(notice.pk)
    html = render_to_string(TEMPLATE, note_context(notice, generated_at=generated_at))
    return html_to_pdf(html)
