"""What goes into a report, and how it becomes a PDF file.

The figures are gathered once into a JSON snapshot (kept on the report, so that a report can be
explained later even after measurements change), rendered from ``monitoring/report_pdf.html``,
and written under a temporary name before one atomic rename onto the report's single file.
"""

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pestor.pdf import html_to_pdf
from pestor.storage import private_storage

from . import selectors
from .computed import COMPUTED_INDICATORS
from .figures import Figure, Snapshots, computed_overview, programme_figures
from .models import Report, report_file_name


def _comment_json(comment) -> dict:
    return {
        "author": comment.author.display_name if comment.author else "",
        "body": comment.body,
        "created_at": timezone.localtime(comment.created_at).isoformat(),
    }


def build_snapshot(report: Report, *, on_progress: Callable[[int], None] = lambda p: None) -> dict:
    programme = report.programme
    municipality = programme.municipality
    start, end = report.period_start, report.period_end
    goals = selectors.programme_goals(programme=programme)
    on_progress(10)
    # The computed figures come from their snapshots; those not taken yet for the report's
    # period are computed here, in the job, and the report prints when each figure was taken.
    evaluate = Snapshots(municipality, [(start, end)])
    if evaluate.missing(COMPUTED_INDICATORS, start=start, end=end):
        from .services import indicator_snapshots_refresh

        indicator_snapshots_refresh(
            municipality=municipality,
            start=start,
            end=end,
            only_missing=True,
            on_progress=lambda done, total: on_progress(10 + 20 * done // max(total, 1)),
        )
        evaluate = Snapshots(municipality, [(start, end)])
    on_progress(30)
    goal_figures = programme_figures(
        goals, municipality=municipality, start=start, end=end, evaluate=evaluate
    )
    on_progress(35)
    computed = computed_overview(municipality=municipality, start=start, end=end, evaluate=evaluate)
    on_progress(50)
    comments = list(selectors.report_comments(report=report))
    funds = list(programme.funds.order_by("year"))
    return {
        "generated_at": timezone.localtime().isoformat(),
        "kind": report.kind,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "programme": {
            "title": programme.title,
            "municipality": municipality.name,
            "kind": programme.get_kind_display(),
            "year_from": programme.year_from,
            "year_to": programme.year_to,
            "status": programme.get_status_display(),
            "resolution_number": programme.resolution_number,
            "resolution_date": (
                programme.resolution_date.isoformat() if programme.resolution_date else None
            ),
            "diagnosis": programme.diagnosis,
            "vision": programme.vision,
            "main_goal": programme.main_goal,
            "elements": [
                {"label": str(label), "text": text} for label, text in programme.statutory_elements
            ],
        },
        "funds": [{"year": funds.year, "amount": str(funds.amount)} for funds in funds],
        "goals": [
            {
                "id": entry["goal"].pk,
                "position": entry["goal"].position,
                "title": entry["goal"].title,
                "description": entry["goal"].description,
                "figures": [figure.as_json() for figure in entry["figures"]],
                "actions": [
                    {
                        "title": item["action"].title,
                        "rationale": item["action"].rationale,
                        "novelty": item["action"].novelty,
                        "department": (
                            item["action"].department.name if item["action"].department else ""
                        ),
                        "partners": item["action"].partners,
                        "schedule": item["action"].schedule,
                        "starts_on": _iso(item["action"].starts_on),
                        "ends_on": _iso(item["action"].ends_on),
                        "status": item["action"].get_status_display(),
                        "figures": [figure.as_json() for figure in item["figures"]],
                    }
                    for item in entry["actions"]
                ],
                "comments": [
                    _comment_json(comment)
                    for comment in comments
                    if comment.goal_id == entry["goal"].pk
                ],
            }
            for entry in goal_figures
        ],
        "computed": [
            {
                **row,
                "value": None if row["value"] is None else str(row["value"]),
                "taken_at": timezone.localtime(row["taken_at"]).isoformat()
                if row["taken_at"]
                else None,
            }
            for row in computed
        ],
        "comments": [_comment_json(comment) for comment in comments if comment.goal_id is None],
    }


def _iso(value: date | None):
    return value.isoformat() if value else None


def _date(value: str | None):
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None):
    return datetime.fromisoformat(value) if value else None


def snapshot_context(report: Report, snapshot: dict) -> dict:
    """The snapshot as the template wants it: dates, Decimals, Figures."""
    goals = []
    for goal in snapshot["goals"]:
        goals.append(
            {
                **goal,
                "figures": [Figure.from_json(f) for f in goal["figures"]],
                "actions": [
                    {
                        **action,
                        "starts_on": _date(action["starts_on"]),
                        "ends_on": _date(action["ends_on"]),
                        "figures": [Figure.from_json(f) for f in action["figures"]],
                    }
                    for action in goal["actions"]
                ],
            }
        )
    funds = [{"year": row["year"], "amount": Decimal(row["amount"])} for row in snapshot["funds"]]
    return {
        "report": report,
        "snapshot": snapshot,
        "programme": {
            **snapshot["programme"],
            "resolution_date": _date(snapshot["programme"]["resolution_date"]),
        },
        "period_start": _date(snapshot["period"]["start"]),
        "period_end": _date(snapshot["period"]["end"]),
        "generated_at": datetime.fromisoformat(snapshot["generated_at"]),
        "funds": funds,
        "funds_total": sum((row["amount"] for row in funds), Decimal(0)),
        "goals": goals,
        "computed": [
            {
                **row,
                "value": None if row["value"] is None else Decimal(row["value"]),
                "taken_at": _datetime(row.get("taken_at")),
            }
            for row in snapshot["computed"]
        ],
        "comments": snapshot["comments"],
        "has_goal_comments": any(goal["comments"] for goal in snapshot["goals"]),
    }


def render_html(report: Report, snapshot: dict) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("monitoring/report_pdf.html", snapshot_context(report, snapshot))


def render_pdf(report: Report, snapshot: dict) -> bytes:
    return html_to_pdf(render_html(report, snapshot))


def write_report_file(report: Report, content: bytes) -> str:
    """Write the PDF next to its final place and rename it over the report's one file, so that
    readers never see half a file and a second run leaves one file, not two."""
    name = report_file_name(report.pk)
    storage = private_storage()
    final_path = storage.path(name)
    directory = os.path.dirname(final_path)
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".report-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file readable by its owner only; the web process may be another
        # user of the same group (the worker writes, the web serves).
        os.chmod(temporary, storage.file_permissions_mode or 0o640)
        os.replace(temporary, final_path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    _remove_stale_parts(directory)
    return name


STALE_PART_SECONDS = 3600


def _remove_stale_parts(directory: str) -> None:
    """Half-written files of workers killed mid-write (no other run takes an hour)."""
    limit = time.time() - STALE_PART_SECONDS
    for entry in os.scandir(directory):
        if entry.name.startswith(".report-") and entry.name.endswith(".part"):
            with contextlib.suppress(FileNotFoundError):
                if entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
