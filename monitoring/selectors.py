"""Reads of the monitoring app: the team's programmes and reports, the public dashboard."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from pestor import roles
from pestor.models import MonitoringTeamMembership, Municipality
from pestor.related_rows import JSONRows, instances

from .filters import ReportFilterSet
from .models import (
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


def _team_municipality_ids(user):
    """None for an administrator (every municipality), else the user's team municipalities."""
    if roles.is_administrator(user):
        return None
    return roles.monitoring_municipality_ids(user)


def _in_team_scope(queryset: QuerySet, user, field: str) -> QuerySet:
    ids = _team_municipality_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


# --- the team's pages --------------------------------------------------------------------------


def team_municipalities(*, user) -> QuerySet:
    """The municipalities whose programmes the user keeps (all of them for an administrator)."""
    return _in_team_scope(Municipality.objects.order_by("name"), user, "pk")


def programme_list_for_team(*, user) -> QuerySet:
    queryset = CooperationProgramme.objects.select_related("municipality").annotate(
        report_count=Count("reports", distinct=True),
        goal_count=Count("goals", distinct=True),
    )
    return _in_team_scope(queryset, user, "municipality_id").order_by(
        "municipality__name", "-year_from", "pk"
    )


# What the programme's page shows of its goals and its funds per year, read with the
# programme's row (pestor.related_rows) instead of a query each.
GOAL_FIELDS = ("id", "programme_id", "position", "title", "description")
FUNDS_FIELDS = ("id", "programme_id", "year", "amount")


def programme_get_for_user(*, user, pk: int, with_parts: bool = False) -> CooperationProgramme:
    """An adopted programme, or any programme of the user's team; else 404. ``with_parts``:
    with its goals and funds in the same query (``programme_goals``, ``programme_funds``)."""
    queryset = CooperationProgramme.objects.select_related("municipality")
    if with_parts:
        queryset = queryset.annotate(
            goal_rows=JSONRows(
                Goal.objects.filter(programme=OuterRef("pk")).order_by("position", "pk"),
                GOAL_FIELDS,
            ),
            fund_rows=JSONRows(
                ProgrammeFunds.objects.filter(programme=OuterRef("pk")).order_by("year"),
                FUNDS_FIELDS,
            ),
        )
    ids = _team_municipality_ids(user)
    if ids is not None:
        queryset = queryset.filter(
            Q(status=CooperationProgramme.Status.ADOPTED) | Q(municipality_id__in=ids)
        )
    return get_object_or_404(queryset, pk=pk)


def _measurements():
    return Prefetch(
        "measurements",
        queryset=Measurement.objects.select_related("entered_by").order_by("-period_end", "-pk"),
    )


def programme_goals(*, programme: CooperationProgramme) -> list[Goal]:
    """Goals in order, each with its actions (and their departments) as ``action_list`` and its
    indicators as ``indicator_list`` (an action's too), every indicator with its measurements:
    four queries, however many goals, actions and indicators the programme has."""
    if hasattr(programme, "goal_rows"):
        goals = instances(Goal, programme.goal_rows, using=programme._state.db)
    else:
        goals = list(programme.goals.order_by("position", "pk"))
    actions = list(
        Action.objects.filter(goal__programme=programme)
        .select_related("department")
        .order_by("goal__position", "goal_id", "pk")
    )
    indicators = list(
        Indicator.objects.filter(programme=programme)
        .order_by("pk")
        .prefetch_related(_measurements())
    )
    by_goal = {goal.pk: goal for goal in goals}
    by_action = {action.pk: action for action in actions}
    for part in [*goals, *actions]:
        part.indicator_list = []
    for goal in goals:
        goal.action_list = []
    for action in actions:
        by_goal[action.goal_id].action_list.append(action)
    for indicator in indicators:
        owner = by_goal.get(indicator.goal_id) or by_action.get(indicator.action_id)
        if owner is not None:
            owner.indicator_list.append(indicator)
    return goals


def programme_funds(*, programme: CooperationProgramme) -> list[ProgrammeFunds]:
    """The funds of each year of the programme, in order."""
    if hasattr(programme, "fund_rows"):
        return instances(ProgrammeFunds, programme.fund_rows, using=programme._state.db)
    return list(programme.funds.order_by("year"))


def goal_get(*, programme: CooperationProgramme, pk: int) -> Goal:
    return get_object_or_404(programme.goals.all(), pk=pk)


def action_get(*, programme: CooperationProgramme, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("goal", "department"), goal__programme=programme, pk=pk
    )


def indicator_get(*, programme: CooperationProgramme, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("goal", "action"), programme=programme, pk=pk
    )


def measurement_list(*, indicator: Indicator) -> QuerySet:
    return indicator.measurements.select_related("entered_by").order_by("-period_end", "-pk")


def report_list(*, programme: CooperationProgramme, filters: dict | None = None) -> ReportFilterSet:
    queryset = Report.objects.filter(programme=programme).select_related(
        "requested_by", "programme__municipality"
    )
    return ReportFilterSet(data=filters or None, queryset=queryset.order_by("-created_at", "-pk"))


def report_get_for_user(*, user, pk: int) -> Report:
    """A report of the user's team (any, for an administrator); others get 404."""
    queryset = _in_team_scope(
        Report.objects.select_related("programme__municipality", "requested_by"),
        user,
        "programme__municipality_id",
    )
    return get_object_or_404(queryset, pk=pk)


def published_reports(*, municipality) -> QuerySet:
    """The municipality's published reports, newest period first (its public page)."""
    return (
        Report.objects.filter(programme__municipality=municipality, published_at__isnull=False)
        .select_related("programme__municipality")
        .order_by("-period_end", "-pk")
    )


def published_report_get(*, municipality_slug: str, pk: int) -> Report:
    """A published report of the municipality; anything else is the same 404."""
    return get_object_or_404(
        Report.objects.select_related("programme__municipality").filter(
            status=Report.Status.DONE, published_at__isnull=False
        ),
        programme__municipality__slug=municipality_slug,
        pk=pk,
    )


def report_comments(*, report: Report) -> QuerySet:
    return ReportComment.objects.filter(report=report).select_related("goal", "author")


def team_emails(*, municipality) -> list[str]:
    """Addresses of the active members of the municipality's monitoring team."""
    municipality_id = getattr(municipality, "pk", municipality)
    return sorted(
        set(
            MonitoringTeamMembership.objects.filter(
                municipality_id=municipality_id, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


# --- the public dashboard ----------------------------------------------------------------------


def dashboard_municipalities() -> QuerySet:
    """Municipalities with at least one adopted programme, with how many they have."""
    return (
        Municipality.objects.filter(
            cooperation_programmes__status=CooperationProgramme.Status.ADOPTED
        )
        .annotate(
            programme_count=Count(
                "cooperation_programmes",
                filter=Q(cooperation_programmes__status=CooperationProgramme.Status.ADOPTED),
                distinct=True,
            )
        )
        .order_by("name")
    )


def dashboard_municipality(*, slug: str) -> Municipality:
    return get_object_or_404(dashboard_municipalities(), slug=slug)


def public_programmes(*, municipality: Municipality) -> QuerySet:
    return (
        CooperationProgramme.objects.adopted()
        .filter(municipality=municipality)
        .order_by("-year_from", "-pk")
    )


def public_programme(*, municipality: Municipality, year: int, pk: int | None = None):
    """The adopted programme to show: the one asked for, else the one covering ``year``, else the
    latest."""
    programmes = public_programmes(municipality=municipality)
    if pk is not None:
        return get_object_or_404(programmes, pk=pk)
    return programmes.covering(year).first() or programmes.first()


# --- snapshots of computed indicators ------------------------------------------------------------


def indicator_snapshots(*, municipality, periods) -> dict[tuple, IndicatorSnapshot]:
    """The municipality's snapshots for the periods ((start, end) pairs), by (key, start, end):
    one query, however many indicators and goals the page shows."""
    periods = set(periods)
    if not periods:
        return {}
    match = Q()
    for start, end in periods:
        match |= Q(period_start=start, period_end=end)
    municipality_id = getattr(municipality, "pk", municipality)
    return {
        (snapshot.key, snapshot.period_start, snapshot.period_end): snapshot
        for snapshot in IndicatorSnapshot.objects.filter(match, municipality_id=municipality_id)
    }


def snapshot_refresh_latest(*, municipality, start, end) -> SnapshotRefresh | None:
    """The team's latest "compute now" for the municipality and period (its progress)."""
    return (
        SnapshotRefresh.objects.filter(
            municipality=municipality, period_start=start, period_end=end
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def snapshot_programmes() -> QuerySet:
    """Every programme, a draft too (its team watches the figures): whose municipality's
    indicators celery beat keeps taken."""
    return CooperationProgramme.objects.order_by("municipality_id", "pk").only(
        "pk", "municipality_id", "year_from", "year_to"
    )


def public_programme_among(programmes, *, year: int, pk: int | None = None):
    """``public_programme`` over the municipality's adopted programmes already loaded (newest
    first): the page needs the list anyway, so the choice costs no query."""
    if pk is not None:
        for programme in programmes:
            if programme.pk == pk:
                return programme
        raise Http404
    covering = [p for p in programmes if p.covers(year)]
    if covering:
        return covering[0]
    if programmes:
        return programmes[0]
    raise Http404


def personal_data(*, user) -> dict:
    """Measurements the person entered and remarks they wrote (RODO art. 15, 20)."""
    return {
        "measurements_entered": [
            {
                "indicator": str(measurement.indicator),
                "period_start": measurement.period_start.isoformat(),
                "period_end": measurement.period_end.isoformat(),
                "value": str(measurement.value),
                "comment": measurement.comment,
                "entered": measurement.entered_at.isoformat(),
            }
            for measurement in Measurement.objects.filter(entered_by=user).select_related(
                "indicator"
            )
        ],
        "report_comments": [
            {"report": str(comment.report), "body": comment.body}
            for comment in ReportComment.objects.filter(author=user).select_related("report")
        ],
    }
