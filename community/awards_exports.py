"""The nominations of a call with their results, as a table for CSV/XLSX (``pestor.exports``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pestor.exports import DATE, NUMBER, Column

NOMINATION_COLUMNS = (
    Column(_("Nominee"), lambda row: row.nominee),
    Column(_("Organisation"), lambda row: row.organisation.name if row.organisation else ""),
    Column(_("Nominated by"), lambda row: row.nominator.display_name),
    Column(_("E-mail"), lambda row: row.nominator.email),
    Column(_("On behalf of"), lambda row: row.on_behalf_of),
    Column(_("Justification"), lambda row: row.justification),
    Column(_("Letters of support"), lambda row: row.letter_count, NUMBER),
    Column(_("Nominated"), lambda row: row.created_at, DATE),
    Column(pgettext_lazy("public vote", "Votes"), lambda row: row.votes, NUMBER),
    Column(_("Jury's score"), lambda row: row.jury_total, NUMBER),
    Column(_("Place"), lambda row: row.place, NUMBER),
)
