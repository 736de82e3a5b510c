"""Writes of the monitoring app: the programme, measurements, and the life of a report."""

import logging
import time
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pestor import audit, jobs
from pestor.integrity import save_validated
from pestor.notifications import absolute_url, notify

from . import computed, reports, selectors
from .figures import year_bounds
from .models import (
    DASH,
    Action,
    CooperationProgramme,
    Goal,
    Indicator,
    IndicatorSnapshot,
    Measurement,
    ProgrammeFunds,
    Report,
    ReportComment,
    SnapshotRefresh,
)

logger = logging.getLogger(__name__)

# Worth another try later (the database or the disk was briefly unavailable); anything else in
# rendering is a fault of the report's data or template and fails the report with its reason.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)

PROGRAMME_FIELDS = (
    "title",
    "kind",
    "year_from",
    "year_to",
    "resolution_number",
    "resolution_date",
    "status",
    "diagnosis",
    "vision",
    "main_goal",
    *CooperationProgramme.STATUTORY_ELEMENTS,
)
PROGRAMME_LOGGED_FIELDS = (
    "title",
    "kind",
    "year_from",
    "year_to",
    "resolution_number",
    "resolution_date",
    "status",
)


def programme_years(programme) -> str:
    return f"{programme.year_from}{DASH}{programme.year_to}"


def _set(obj, fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


# --- the programme ----------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, municipality, actor, **fields) -> CooperationProgramme:
    programme = CooperationProgramme(municipality=municipality)
    _set(programme, fields, PROGRAMME_FIELDS)
    programme.full_clean()
    programme.save()
    audit.record(
        actor=actor,
        action="programme.created",
        target=programme,
        after=audit.snapshot(programme, PROGRAMME_LOGGED_FIELDS),
    )
    return programme


@transaction.atomic
def programme_update(*, programme: CooperationProgramme, actor, **fields) -> CooperationProgramme:
    programme = CooperationProgramme.objects.select_for_update().get(pk=programme.pk)
    before = audit.snapshot(programme, PROGRAMME_LOGGED_FIELDS)
    _set(programme, fields, PROGRAMME_FIELDS)
    programme.full_clean()
    outside = programme.funds.exclude(year__range=(programme.year_from, programme.year_to))
    if outside.exists():
        raise ValidationError(
            {
                "year_to": _(
                    "Planned funds are entered for years outside these: %(years)s. Remove them "
                    "first."
                )
                % {"years": ", ".join(str(year) for year in outside.values_list("year", flat=True))}
            }
        )
    programme.save()
    after = audit.snapshot(programme, PROGRAMME_LOGGED_FIELDS)
    if before != after:
        adopted = (
            before["status"] != after["status"]
            and programme.status == CooperationProgramme.Status.ADOPTED
        )
        audit.record(
            actor=actor,
            action="programme.adopted" if adopted else "programme.changed",
            target=programme,
            before=before,
            after=after,
        )
    return programme


@transaction.atomic
def programme_funds_set(
    *, programme: CooperationProgramme, actor, amounts: dict[int, Decimal | None]
) -> list[ProgrammeFunds]:
    """Planned funds per year (``None`` removes a year's amount). Public money: logged.

    The programme's row is locked first, so two saves of the form at once run one after the
    other and the second finds the years the first created."""
    programme = CooperationProgramme.objects.select_for_update().get(pk=programme.pk)
    before = {str(f.year): str(f.amount) for f in programme.funds.all()}
    for year, amount in amounts.items():
        if not programme.covers(year):
            raise ValidationError(
                _("The year %(year)s is outside the programme.") % {"year": year}, code="year"
            )
        if amount is None:
            programme.funds.filter(year=year).delete()
            continue
        funds = programme.funds.filter(year=year).first() or ProgrammeFunds(
            programme=programme, year=year
        )
        funds.amount = amount
        funds.full_clean()
        save_validated(funds)
    after = {str(f.year): str(f.amount) for f in programme.funds.all()}
    if before != after:
        audit.record(
            actor=actor,
            action="programme.funds_changed",
            target=programme,
            before=before,
            after=after,
        )
    return list(programme.funds.all())


@transaction.atomic
def goal_save(
    *, programme: CooperationProgramme, actor, goal: Goal | None = None, **fields
) -> Goal:
    if fields.get("position") is None:
        fields.pop("position", None)
        if goal is None:  # a new goal without a number comes last
            last = programme.goals.aggregate(last=Max("position"))["last"] or 0
            fields["position"] = last + 1
    goal = goal or Goal(programme=programme)
    _set(goal, fields, ("position", "title", "description"))
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def action_save(
    *, programme: CooperationProgramme, actor, action: Action | None = None, **fields
) -> Action:
    action = action or Action()
    _set(
        action,
        fields,
        (
            "goal",
            "title",
            "rationale",
            "novelty",
            "department",
            "partners",
            "schedule",
            "starts_on",
            "ends_on",
            "status",
        ),
    )
    if action.goal_id and action.goal.programme_id != programme.pk:
        raise ValidationError({"goal": _("Choose a goal of this programme.")})
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def indicator_save(
    *, programme: CooperationProgramme, actor, indicator: Indicator | None = None, **fields
) -> Indicator:
    indicator = indicator or Indicator(programme=programme)
    _set(
        indicator,
        fields,
        ("goal", "action", "name", "unit", "baseline", "target", "target_year", "source"),
    )
    indicator.programme = programme
    if indicator.pk and not indicator.is_manual and indicator.measurements.exists():
        raise ValidationError(
            {
                "source": _(
                    "Measurements were entered for this indicator; it cannot become a computed "
                    "one. Create a new indicator instead."
                )
            }
        )
    if indicator.target_year and not programme.covers(indicator.target_year):
        raise ValidationError(
            {
                "target_year": _("Choose a year of the programme (%(years)s).")
                % {"years": programme_years(programme)}
            }
        )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    actor,
    period_start: date,
    period_end: date,
    value: Decimal,
    comment: str = "",
) -> Measurement:
    """Enter a manual indicator's value for a period; entering the same period again corrects
    it (the earlier value stays in the event log).

    The indicator's row is locked first, so two entries of one period at once run one after the
    other and the second corrects the first instead of colliding with it."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if not indicator.is_manual:
        raise ValidationError(
            _("The portal computes this indicator; it takes no measurements."), code="computed"
        )
    programme = indicator.programme
    if not (programme.covers(period_start.year) and programme.covers(period_end.year)):
        raise ValidationError(
            {
                "period_start": _(
                    "The period must fall within the years of the programme (%(years)s)."
                )
                % {"years": programme_years(programme)}
            }
        )
    measurement = (
        Measurement.objects.select_for_update()
        .filter(indicator=indicator, period_start=period_start, period_end=period_end)
        .first()
    )
    before = {"value": str(measurement.value)} if measurement else {}
    measurement = measurement or Measurement(
        indicator=indicator, period_start=period_start, period_end=period_end
    )
    measurement.value = value
    measurement.comment = comment
    measurement.entered_by = actor
    measurement.entered_at = timezone.now()
    measurement.full_clean()
    save_validated(measurement)
    audit.record(
        actor=actor,
        action="measurement.corrected" if before else "measurement.recorded",
        target=indicator,
        before=before,
        after={
            "value": str(value),
            "period": f"{period_start.isoformat()}/{period_end.isoformat()}",
        },
        comment=comment,
    )
    return measurement


# --- deleting parts of the programme ----------------------------------------------------------
# Measurements are the monitoring record and PROTECT their indicator. Deleting a goal, an action
# or an indicator that has some is refused unless the team says it means to delete them too;
# then every value deleted is kept in the event log. A goal commented in a report stays: the
# printed report refers to it.


def deletion_impact(*, goal: Goal | None = None, action: Action | None = None, indicator=None):
    """What goes with a part of the programme: its actions, its indicators and their
    measurements, and the report comments that keep a goal."""
    if goal is not None:
        indicators = Indicator.objects.filter(Q(goal=goal) | Q(action__goal=goal))
        actions = list(goal.actions.order_by("pk").values_list("title", flat=True))
        comments = goal.report_comments.count()
    elif action is not None:
        indicators = Indicator.objects.filter(action=action)
        actions, comments = [], 0
    else:
        indicators = Indicator.objects.filter(pk=indicator.pk)
        actions, comments = [], 0
    return {
        "actions": actions,
        "indicators": list(indicators.order_by("pk").values_list("name", flat=True)),
        "indicator_ids": list(indicators.values_list("pk", flat=True)),
        "measurement_count": Measurement.objects.filter(indicator__in=indicators).count(),
        "report_comment_count": comments,
    }


def _measurement_record(measurement: Measurement) -> dict:
    return {
        "indicator": measurement.indicator.name,
        "period": f"{measurement.period_start.isoformat()}/{measurement.period_end.isoformat()}",
        "value": str(measurement.value),
    }


def _delete_part(*, part, kind: str, programme, actor, impact: dict, with_measurements: bool):
    if impact["report_comment_count"]:
        raise ValidationError(
            ngettext(
                "The goal is commented in %(count)s report: the report refers to it, so it "
                "stays. Change its title or description instead.",
                "The goal is commented in %(count)s reports: the reports refer to it, so it "
                "stays. Change its title or description instead.",
                impact["report_comment_count"],
            )
            % {"count": impact["report_comment_count"]},
            code="commented",
        )
    measurements = Measurement.objects.filter(indicator__in=impact["indicator_ids"])
    if impact["measurement_count"] and not with_measurements:
        raise ValidationError(
            ngettext(
                "%(count)s measurement has been entered. Delete it first, or confirm that it "
                "goes too.",
                "%(count)s measurements have been entered. Delete them first, or confirm that "
                "they go too.",
                impact["measurement_count"],
            )
            % {"count": impact["measurement_count"]},
            code="measurements",
        )
    before = {
        "title": str(part),
        "actions": impact["actions"],
        "indicators": impact["indicators"],
        "measurements": [
            _measurement_record(m) for m in measurements.select_related("indicator").order_by("pk")
        ],
    }
    measurements.delete()
    part.delete()
    audit.record(actor=actor, action=f"{kind}.deleted", target=programme, before=before)


@transaction.atomic
def goal_delete(*, goal: Goal, actor, with_measurements: bool = False) -> None:
    """Delete a goal with its actions and indicators (and, if asked, their measurements)."""
    goal = Goal.objects.select_for_update().select_related("programme").get(pk=goal.pk)
    _delete_part(
        part=goal,
        kind="goal",
        programme=goal.programme,
        actor=actor,
        impact=deletion_impact(goal=goal),
        with_measurements=with_measurements,
    )


@transaction.atomic
def action_delete(*, action: Action, actor, with_measurements: bool = False) -> None:
    action = Action.objects.select_for_update().select_related("goal__programme").get(pk=action.pk)
    _delete_part(
        part=action,
        kind="action",
        programme=action.goal.programme,
        actor=actor,
        impact=deletion_impact(action=action),
        with_measurements=with_measurements,
    )


@transaction.atomic
def indicator_delete(*, indicator: Indicator, actor, with_measurements: bool = False) -> None:
    indicator = (
        Indicator.objects.select_for_update().select_related("programme").get(pk=indicator.pk)
    )
    _delete_part(
        part=indicator,
        kind="indicator",
        programme=indicator.programme,
        actor=actor,
        impact=deletion_impact(indicator=indicator),
        with_measurements=with_measurements,
    )


@transaction.atomic
def measurement_delete(*, measurement: Measurement, actor) -> None:
    """Delete one measurement entered by mistake; its value stays in the event log."""
    measurement = (
        Measurement.objects.select_for_update().select_related("indicator").get(pk=measurement.pk)
    )
    before = _measurement_record(measurement)
    indicator = measurement.indicator
    measurement.delete()
    audit.record(
        actor=actor,
        action="measurement.deleted",
        target=indicator,
        before={"value": before["value"], "period": before["period"]},
    )


# --- reports ----------------------------------------------------------------------------------


def _enqueue(report: Report) -> None:
    jobs.job_enqueue(report)


@transaction.atomic
def report_order(
    *,
    programme: CooperationProgramme,
    kind: str,
    period_start: date,
    period_end: date,
    requested_by,
) -> Report:
    """Queue a report; it is built in the background (or in-process without a broker)."""
    report = Report(
        programme=programme,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        requested_by=requested_by,
    )
    report.full_clean(validate_constraints=False)
    if (
        kind == Report.Kind.STATUTORY
        and Report.objects.filter(
            programme=programme,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
        ).exists()
    ):
        raise ValidationError(
            {
                "year": _(
                    "The annual report for %(year)s has already been ordered. Open it from the "
                    "list and build it again if the figures have changed."
                )
                % {"year": period_start.year}
            },
            code="duplicate",
        )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # ordered at the same moment by someone else
        raise ValidationError(
            {"year": _("The annual report for this year has already been ordered.")},
            code="duplicate",
        ) from None
    audit.record(
        actor=requested_by,
        action="report.ordered",
        target=report,
        after={"kind": kind, "period": report.period_label},
    )
    _enqueue(report)
    return report


@transaction.atomic
def report_rerun(*, report: Report, actor) -> Report:
    """Build again a report that failed or was interrupted, or a finished one after the team
    added comments; never one that is queued or being prepared."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise ValidationError(
            _("The report is published. Withdraw it from publication before building it again."),
            code="published",
        )
    before = {"status": report.status}
    try:
        jobs.job_retry(report)
    except jobs.JobAlive:
        raise ValidationError(_("This report is being prepared already."), code="active") from None
    audit.record(
        actor=actor,
        action="report.rerun",
        target=report,
        before=before,
        after={"status": report.status},
    )
    return report


@transaction.atomic
def report_publish(*, report: Report, actor) -> Report:
    """Make a finished report public (art. 5a ust. 3): listed on the municipality's page and
    downloadable by anyone."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.DONE or not report.file:
        raise ValidationError(_("Only a finished report can be published."), code="not_done")
    if report.is_published:
        raise ValidationError(_("The report is already published."), code="published")
    report.published_at = timezone.now()
    report.published_by = actor
    report.save(update_fields=["published_at", "published_by", "updated_at"])
    audit.record(
        actor=actor,
        action="report.published",
        target=report,
        after={"published_at": report.published_at.isoformat()},
    )
    return report


@transaction.atomic
def report_unpublish(*, report: Report, actor) -> Report:
    """Withdraw a report from the public page; the team keeps it."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_published:
        raise ValidationError(_("The report is not published."), code="not_published")
    before = {"published_at": report.published_at.isoformat()}
    report.published_at = None
    report.published_by = None
    report.save(update_fields=["published_at", "published_by", "updated_at"])
    audit.record(actor=actor, action="report.unpublished", target=report, before=before)
    return report


@transaction.atomic
def report_comment_add(*, report: Report, author, body: str, goal: Goal | None = None):
    comment = ReportComment(report=report, author=author, body=(body or "").strip(), goal=goal)
    comment.full_clean()
    comment.save()
    return comment


def _report_start(report_id: int, task_id: str) -> Report | None:
    """Claim the report for this message. A report already done (a duplicate delivery), failed,
    or queued again under another message since (a stale one) is left alone."""
    return jobs.job_claim(
        Report,
        pk=report_id,
        task_id=task_id,
        queryset=Report.objects.select_related("programme__municipality"),
    )


def _report_progress(report_id: int, progress: int) -> None:
    jobs.job_heartbeat(Report, pk=report_id, progress=progress)


def _report_notify(report: Report, template: str, recipients) -> None:
    # One e-mail per run of the report (its message id), however often the task runs.
    notify(
        template=template,
        key=f"{template}:{report.pk}:{report.task_id}",
        recipients=recipients,
        context={
            "report": report,
            "programme": report.programme,
            "url": absolute_url(report.get_absolute_url()),
            "error": report.error,
        },
    )


def _report_finish(report_id: int, *, snapshot: dict, file_name: str, task_id: str) -> Report:
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("programme__municipality", "requested_by")
            .get(pk=report_id)
        )
        if report.status not in jobs.ACTIVE or report.task_id != task_id:
            return report  # finished, or queued again under another message meanwhile
        report.status = Report.Status.DONE
        report.progress = 100
        report.snapshot = snapshot
        report.file.name = file_name
        report.finished_at = timezone.now()
        report.error = ""
        report.save()
        recipients = selectors.team_emails(municipality=report.programme.municipality_id)
        if report.requested_by and report.requested_by.is_active:
            recipients.append(report.requested_by.email)
        _report_notify(report, "monitoring/report_ready", recipients)
        return report


def report_failed_notify(report: Report) -> None:
    """Called when the report fails, whoever failed it (the task, the time limit, the sweeper)."""
    if report.requested_by_id and report.requested_by.is_active:
        _report_notify(report, "monitoring/report_failed", [report.requested_by.email])


def _report_fail(report_id: int, reason: str, task_id: str = "") -> Report:
    return jobs.job_fail(Report, pk=report_id, reason=reason, task_id=task_id)


def report_render(
    *, report_id: int, task_id: str = "", final_attempt: bool = True
) -> Report | None:
    """Build the report's PDF. Safe to run twice: a finished report is not built again, and the
    file is replaced atomically under its one name. Transient errors are raised for the task to
    retry unless this is the last attempt; other errors fail the report with their reason."""
    report = _report_start(report_id, task_id)
    if report is None:
        return None
    task_id = report.task_id
    try:
        snapshot = reports.build_snapshot(
            report, on_progress=lambda progress: _report_progress(report.pk, progress)
        )
        content = reports.render_pdf(report, snapshot)
        _report_progress(report.pk, 90)
        file_name = reports.write_report_file(report, content)
    except TRANSIENT_ERRORS as error:
        if not final_attempt:
            logger.warning("Report %s hit a transient error, to be retried: %s", report_id, error)
            jobs.job_release(Report, pk=report_id)
            raise
        logger.exception("Report %s failed after its last attempt", report_id)
        return _report_fail(report_id, jobs.failure_reason(error), task_id)
    except Exception as error:
        logger.exception("Report %s failed", report_id)
        jobs.recover_from_interruption(error)
        return _report_fail(report_id, jobs.failure_reason(error), task_id)
    return _report_finish(report_id, snapshot=snapshot, file_name=file_name, task_id=task_id)


# --- the statutory calendar (art. 5a ust. 3) --------------------------------------------------


def statutory_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@transaction.atomic
def statutory_reports_prepare(*, today: date) -> list[Report]:
    """Early in the year: queue last year's annual report of every adopted programme that
    covered that year and has none yet."""
    year = today.year - 1
    start, end = statutory_period(year)
    created = []
    programmes = (
        CooperationProgramme.objects.adopted()
        .covering(year)
        .exclude(
            Exists(
                Report.objects.filter(
                    programme=OuterRef("pk"), kind=Report.Kind.STATUTORY, period_start=start
                )
            )
        )
    )
    for programme in programmes.select_related("municipality"):
        report = Report(
            programme=programme,
            kind=Report.Kind.STATUTORY,
            period_start=start,
            period_end=end,
        )
        report.full_clean(validate_constraints=False)
        report.save()
        audit.record(
            actor=None,
            action="report.ordered",
            target=report,
            after={"kind": report.kind, "period": report.period_label},
            comment="celery beat",
        )
        _enqueue(report)
        created.append(report)
    return created


def statutory_deadline(year: int) -> date:
    """The report on ``year`` is due to the council by 31 May of the next year."""
    return date(year + 1, 5, 31)


def statutory_deadline_remind(*, today: date) -> int:
    """Remind the teams whose report on last year is not finished yet; returns how many
    programmes were reminded about."""
    year = today.year - 1
    start, _end = statutory_period(year)
    deadline = statutory_deadline(year)
    if today > deadline:
        return 0
    reminded = 0
    programmes = (
        CooperationProgramme.objects.adopted()
        .covering(year)
        .exclude(
            Exists(
                Report.objects.filter(
                    programme=OuterRef("pk"),
                    kind=Report.Kind.STATUTORY,
                    period_start=start,
                    status=Report.Status.DONE,
                )
            )
        )
        .select_related("municipality")
    )
    for programme in programmes:
        recipients = selectors.team_emails(municipality=programme.municipality_id)
        if not recipients:
            continue
        report = programme.reports.filter(kind=Report.Kind.STATUTORY, period_start=start).first()
        with transaction.atomic():
            notify(
                template="monitoring/statutory_deadline",
                key=f"monitoring/statutory_deadline:{programme.pk}:{today.isoformat()}",
                recipients=recipients,
                context={
                    "programme": programme,
                    "year": year,
                    "deadline": deadline,
                    "days_left": (deadline - today).days,
                    "report": report,
                    "url": absolute_url(
                        report.get_absolute_url()
                        if report
                        else reverse("monitoring:report-list", kwargs={"pk": programme.pk})
                    ),
                },
            )
        reminded += 1
    return reminded


# --- snapshots of computed indicators ---------------------------------------------------------
# The portal's indicators are computed over the largest tables (offers, notices, answers). Pages,
# exports and reports read their snapshots; these functions take them, one municipality and one
# period at a time: from celery beat (every programme's current periods), from the team's
# "compute now" (a job with progress), and from a report that finds some missing.


def indicator_snapshots_refresh(
    *,
    municipality,
    start: date,
    end: date,
    keys: Iterable[str] | None = None,
    only_missing: bool = False,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
) -> dict[str, float]:
    """Compute the indicators (all of them, or ``keys``) of the municipality for the period and
    store each as its snapshot, replacing the earlier one: running it again only renews the
    figures. With ``only_missing``, indicators already snapshotted are left as they are.
    Returns the seconds each computation took, by key (which indicators are slow)."""
    keys = [
        key for key in (keys or computed.COMPUTED_INDICATORS) if key in computed.COMPUTED_INDICATORS
    ]
    if only_missing:
        present = selectors.indicator_snapshots(municipality=municipality, periods=[(start, end)])
        keys = [key for key in keys if (key, start, end) not in present]
    timings = {}
    for done, key in enumerate(keys, start=1):
        taken_at = timezone.now()
        began = time.perf_counter()
        value = computed.evaluate(key, municipality=municipality, start=start, end=end)
        duration = time.perf_counter() - began
        # One statement per indicator: what is computed is kept even if a later one fails.
        IndicatorSnapshot.objects.bulk_create(
            [
                IndicatorSnapshot(
                    key=key,
                    municipality=municipality,
                    period_start=start,
                    period_end=end,
                    value=value,
                    taken_at=taken_at,
                    duration=duration,
                )
            ],
            update_conflicts=True,
            unique_fields=["municipality", "period_start", "period_end", "key"],
            update_fields=["value", "taken_at", "duration"],
        )
        timings[key] = duration
        logger.info(
            "Indicator %s of %s for %s/%s: %s in %.2f s",
            key,
            getattr(municipality, "slug", municipality),
            start.isoformat(),
            end.isoformat(),
            value,
            duration,
        )
        on_progress(done, len(keys))
    return timings


def snapshot_periods(
    *, programme: CooperationProgramme, today: date
) -> list[tuple[date, date, bool]]:
    """The yearly periods whose snapshots the programme's pages show, as (start, end, renew):
    the year its dashboard opens on and every year of it up to this one. The current and the
    last year (the annual report on it is due by 31 May) are renewed each time (``renew``);
    earlier years only taken when missing."""
    shown = min(max(today.year, programme.year_from), programme.year_to)
    years = set(range(programme.year_from, min(programme.year_to, today.year) + 1)) | {shown}
    return [(*year_bounds(year), year in (today.year, today.year - 1)) for year in sorted(years)]


def indicator_snapshots_plan(*, today: date) -> list[tuple[int, date, date, bool]]:
    """(municipality id, start, end, renew) for every municipality with a programme: what
    celery beat refreshes, each once however many programmes share it."""
    plan: dict[tuple[int, date, date], bool] = {}
    for programme in selectors.snapshot_programmes():
        for start, end, renew in snapshot_periods(programme=programme, today=today):
            key = (programme.municipality_id, start, end)
            plan[key] = plan.get(key, False) or renew
    return [(*key, renew) for key, renew in sorted(plan.items())]


# --- "compute now": a job the team waits for ----------------------------------------------------


@transaction.atomic
def snapshot_refresh_order(
    *, municipality, start: date, end: date, requested_by
) -> SnapshotRefresh:
    """Queue the computation of the municipality's indicators for the period (the team's
    "compute now"); one already queued or running for the same period is returned instead."""
    active = (
        SnapshotRefresh.objects.select_for_update()
        .filter(
            municipality=municipality,
            period_start=start,
            period_end=end,
            status__in=jobs.ACTIVE,
        )
        .first()
    )
    if active:
        return active
    job = SnapshotRefresh(
        municipality=municipality, period_start=start, period_end=end, requested_by=requested_by
    )
    job.full_clean()
    job.save()
    jobs.job_enqueue(job)
    return job


def snapshot_refresh_run(*, job_id: int, task_id: str = "") -> SnapshotRefresh | None:
    """Run the team's computation: each indicator in turn, the progress kept on the job. Safe
    to run twice (a finished job or a stale message is left alone; snapshots are replaced)."""
    job = jobs.job_claim(
        SnapshotRefresh,
        pk=job_id,
        task_id=task_id,
        queryset=SnapshotRefresh.objects.select_related("municipality"),
    )
    if job is None:
        return None
    task_id = job.task_id

    def progress(done, total):
        jobs.job_heartbeat(SnapshotRefresh, pk=job.pk, progress=5 + 90 * done // max(total, 1))

    try:
        indicator_snapshots_refresh(
            municipality=job.municipality,
            start=job.period_start,
            end=job.period_end,
            on_progress=progress,
        )
    except Exception as error:
        logger.exception("Computing the indicators (job %s) failed", job_id)
        jobs.recover_from_interruption(error)
        return jobs.job_fail(
            SnapshotRefresh, pk=job_id, reason=jobs.failure_reason(error), task_id=job.task_id
        )
    with transaction.atomic():
        job = SnapshotRefresh.objects.select_for_update().get(pk=job_id)
        if job.status in jobs.ACTIVE and job.task_id == task_id:
            job.status = SnapshotRefresh.Status.DONE
            job.progress = 100
            job.finished_at = timezone.now()
            job.error = ""
            job.save()
    return job
