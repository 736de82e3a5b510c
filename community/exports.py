"""The attendance list as a table for CSV/XLSX (``pestor.exports``)."""

from django.utils.translation import gettext_lazy as _

from pestor.exports import DATE, Column

ATTENDANCE_COLUMNS = (
    Column(_("Participant"), lambda row: row.name),
    Column(_("E-mail"), lambda row: row.email),
    Column(_("Organisation"), lambda row: row.organisation.name if row.organisation else ""),
    Column(_("Sector"), lambda row: row.get_affiliation_display()),
    Column(_("Registered"), lambda row: row.created_at, DATE),
    Column(
        _("Present"),
        lambda row: {True: _("yes"), False: _("no"), None: ""}[row.attended],
    ),
    Column(_("Signature"), lambda row: ""),
)
