"""The survey's results as a table for CSV/XLSX (``pestor.exports``): what the results page
shows, a suppressed group as one row that says so."""

from django.utils.translation import gettext_lazy as _

from pestor.exports import NUMBER, Column

RESULT_COLUMNS = (
    Column(_("No."), lambda row: row["order"], NUMBER),
    Column(_("Question"), lambda row: row["question"]),
    Column(_("Kind of question"), lambda row: row["kind"]),
    Column(_("Group"), lambda row: row["group"]),
    Column(_("Answers in the group"), lambda row: row["responses"], NUMBER),
    Column(_("Option or answer"), lambda row: row["option"]),
    Column(_("Count"), lambda row: row["count"], NUMBER),
    Column(_("Share (%) or mean"), lambda row: row["share"], NUMBER),
)
