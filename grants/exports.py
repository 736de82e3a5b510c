"""The results as a table for CSV/XLSX (``pestor.exports``): every criterion's mean per offer."""

from django.utils.translation import gettext_lazy as _

from pestor.exports import NUMBER, TEXT, Column


def results_table(ranking):
    """(rows, columns): the ranked offers with each criterion's mean, then those that failed
    the formal check, with the reason."""
    criteria = ranking.results.criteria if ranking.results else []
    rows = []
    for result in ranking.results.items if ranking.results else []:
        offer = result.item
        rows.append(
            {
                "rank": result.rank,
                "organisation": offer.organisation.name,
                "task": offer.task_title,
                "formal": offer.get_formal_status_display(),
                "means": [mean.mean for mean in result.means],
                "total": result.total if result.scorers else None,
                "scorers": result.scorers,
                "conflicts": result.conflicts,
                "requested": offer.grant_requested,
                "awarded": offer.awarded_amount,
                "status": offer.get_status_display(),
            }
        )
    for offer in ranking.failed:
        rows.append(
            {
                "rank": None,
                "organisation": offer.organisation.name,
                "task": offer.task_title,
                "formal": f"{offer.get_formal_status_display()}: {offer.formal_reason}",
                "means": [None] * len(criteria),
                "total": None,
                "scorers": 0,
                "conflicts": 0,
                "requested": offer.grant_requested,
                "awarded": None,
                "status": offer.get_status_display(),
            }
        )
    columns = [
        Column(_("Rank"), lambda row: row["rank"], NUMBER),
        Column(_("Organisation"), lambda row: row["organisation"]),
        Column(_("Title of the task"), lambda row: row["task"]),
        Column(_("Formal check"), lambda row: row["formal"]),
    ]
    for index, criterion in enumerate(criteria):
        columns.append(Column(criterion.name, lambda row, index=index: row["means"][index], NUMBER))
    columns += [
        Column(_("Total"), lambda row: row["total"], NUMBER),
        Column(_("Members who scored"), lambda row: row["scorers"], NUMBER),
        Column(
            _("Members excluded by a conflict of interest"), lambda row: row["conflicts"], NUMBER
        ),
        Column(_("Grant requested (PLN)"), lambda row: row["requested"], NUMBER),
        Column(_("Grant awarded (PLN)"), lambda row: row["awarded"], NUMBER),
        Column(_("Status"), lambda row: row["status"], TEXT),
    ]
    return rows, columns
