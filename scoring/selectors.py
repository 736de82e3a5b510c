"""Reads of the committee's data: a user's panels, a member's to-do list and score sheet, and
the results (means per criterion, totals, ranking) every consumer shows or exports.

The results count submitted sheets only. A criterion's mean is taken over the members who gave
it points: "not applicable" is left out of the mean (never counted as zero), and a criterion
every scorer marked "not applicable" reads as such. An item's total is the sum of its
criteria's means, each multiplied by the criterion's weight (1 unless the panel set another);
criteria grouped into parts get a subtotal per part the same way. Items are ranked by total,
equal totals sharing a rank (1, 1, 3), items nobody has scored yet unranked at the end; items the
owner excluded from scoring (``excluded`` in the registry) are listed apart with their reason.
Each function runs a fixed number of queries, whatever the number of members and items: sums
and counts come from the database grouped by item and criterion, and only the division (exact,
in Decimal) and the ranking are done here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, DecimalField, Exists, F, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from pestor.related_rows import JSONRows, instances

from . import registry
from .models import (
    POINTS_DIGITS,
    Criterion,
    Declaration,
    Member,
    Panel,
    Score,
    Submission,
)
from .permissions import can_view_others_scores, can_view_panel

CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _weighted(value: Decimal, criterion: Criterion) -> Decimal:
    """``value`` times the criterion's weight; unchanged (same exponent) under the usual 1."""
    return value if criterion.weight == 1 else value * criterion.weight


# --- panels and items --------------------------------------------------------------------------


def owner_type_of(panel: Panel) -> registry.OwnerType:
    return registry.owner_type_for(panel.owner_type.model_class())


@dataclass
class ExcludedItem:
    """An item the owner keeps out of scoring, with the owner's reason."""

    item: object
    label: str
    reason: str


def excluded_items(*, panel: Panel) -> list[ExcludedItem]:
    """What the owner's ``excluded`` hook keeps out of scoring (read once per panel object)."""
    if "_scoring_excluded" not in panel.__dict__:
        owner_type = owner_type_of(panel)
        rows = []
        if owner_type.excluded is not None:
            for item, reason in owner_type.excluded(panel.owner):
                rows.append(
                    ExcludedItem(
                        item=item, label=str(owner_type.label(item)), reason=str(reason or "")
                    )
                )
        panel.__dict__["_scoring_excluded"] = rows
    return panel.__dict__["_scoring_excluded"]


def panel_items(*, panel: Panel):
    """The queryset of what the panel scores, as the owner's registration lists it, less what
    the owner excluded from scoring."""
    items = owner_type_of(panel).items(panel.owner)
    excluded = {row.item.pk for row in excluded_items(panel=panel)}
    return items.exclude(pk__in=excluded) if excluded else items


def item_type_of(*, panel: Panel) -> ContentType:
    if "_scoring_item_type" not in panel.__dict__:
        model = owner_type_of(panel).items(panel.owner).model  # no need to ask for exclusions
        panel.__dict__["_scoring_item_type"] = ContentType.objects.get_for_model(
            model, for_concrete_model=False
        )
    return panel.__dict__["_scoring_item_type"]


def item_get(*, panel: Panel, pk, member: Member | None = None) -> object:
    """One item of the panel's owner; 404 for anything else (another call's application).
    With ``member``: read with the member's declaration and sheet of it, which the first
    ``declaration_get`` and ``sheet_get`` of the item take instead of asking again."""
    items = panel_items(panel=panel)
    if member is not None:
        items = _with_member_work(items, member, scores=True)
    try:
        return items.get(pk=int(pk))
    except (ValueError, TypeError, OverflowError) as error:
        raise Http404 from error
    except items.model.DoesNotExist as error:
        raise Http404 from error


# What is read of a member's declaration, sheet and scores with an item's row.
DECLARATION_FIELDS = tuple(field.attname for field in Declaration._meta.concrete_fields)
SUBMISSION_FIELDS = tuple(field.attname for field in Submission._meta.concrete_fields)
SCORE_FIELDS = ("id", "submission_id", "criterion_id", "points", "comment")


def _weighted_sum():
    """The sum of the scores' points, each times its criterion's weight."""
    return Sum(
        F("points") * F("criterion__weight"),
        output_field=DecimalField(max_digits=POINTS_DIGITS * 2, decimal_places=4),
    )


def _with_member_work(items, member: Member, *, scores: bool = False):
    """``items`` (of the member's panel), each with the member's declaration and sheet as JSON
    rows and, ``scores``, the sheet's scores, else its total (``member_todo``,
    ``declaration_get``, ``sheet_get``)."""
    panel = member.panel
    item_type = item_type_of(panel=panel)
    mine = {"member": member, "item_type": item_type, "item_id": OuterRef("pk")}
    sheet_scores = Score.objects.filter(
        submission__member=member,
        submission__item_type=item_type,
        submission__item_id=OuterRef("pk"),
    ).order_by()
    annotations = {
        "scoring_declaration_rows": JSONRows(
            Declaration.objects.filter(**mine).order_by(), DECLARATION_FIELDS
        ),
        "scoring_submission_rows": JSONRows(
            Submission.objects.filter(**mine).order_by(), SUBMISSION_FIELDS
        ),
    }
    if scores:
        annotations["scoring_score_rows"] = JSONRows(sheet_scores.order_by("pk"), SCORE_FIELDS)
    else:
        weighted = any(criterion.weight != 1 for criterion in criteria_of(panel=panel))
        annotations["scoring_total"] = Subquery(
            sheet_scores.values("submission")
            .annotate(total=_weighted_sum() if weighted else Sum("points"))
            .values("total")
        )
    return items.annotate(**annotations)


def _member_row(model, rows, member: Member, item):
    """The member's one row of ``model`` (or None) from JSON ``rows`` read with ``item``."""
    found = instances(model, rows, using=item._state.db)
    for row in found:
        row.member = member
    return found[0] if found else None


def _taken(item, name: str):
    """The JSON rows ``name`` read with ``item`` (``item_get(member=)``), taken from it so that
    a second call asks the database (what was saved since); ``False`` if not read."""
    return item.__dict__.pop(name, False)


def item_label(*, panel: Panel, item) -> str:
    return str(owner_type_of(panel).label(item))


def item_url(*, panel: Panel, item) -> str | None:
    url = owner_type_of(panel).url
    return url(item) if url else None


def membership_list(*, user):
    """The user's seats on panels (each with its panel), open panels first, newest first."""
    if not user.is_authenticated:
        return Member.objects.none()
    return (
        Member.objects.filter(user=user)
        .select_related("panel")
        .order_by("-panel__status", "-panel__created_at", "-pk")
    )


def panel_get_for_user(*, user, pk) -> Panel:
    """The panel, if the user sits on it or manages it; 404 otherwise (a missing panel and a
    forbidden one look the same). Read with the user's seat and the panel's criteria
    (``permissions.membership``, ``criteria_of``): one query for all three."""
    try:
        pk = int(pk)
    except (ValueError, TypeError, OverflowError) as error:
        raise Http404 from error
    queryset = _with_criteria(_with_seat(Panel.objects.select_related("owner_type"), user))
    try:
        panel = queryset.filter(pk=pk).first()
    except OverflowError as error:  # beyond the database's integers
        raise Http404 from error
    if panel is None:
        raise Http404
    _read_seat(panel, user)
    _read_criteria(panel)
    if not can_view_panel(user, panel):
        raise Http404
    return panel


# What ``panel_get_for_user`` and ``panel_for_owner`` read of the reader's seat, and of the
# panel's criteria, with the panel's row.
SEAT_FIELDS = ("id", "panel_id", "user_id", "role", "represents_pes")
CRITERION_FIELDS = tuple(field.attname for field in Criterion._meta.concrete_fields)


def _with_seat(queryset, reader):
    """``queryset`` of panels with ``reader``'s seat on each (``_read_seat``)."""
    if not (reader and reader.is_authenticated and reader.is_active):
        return queryset
    return queryset.annotate(
        seat_rows=JSONRows(
            Member.objects.filter(panel=OuterRef("pk"), user=reader).order_by("pk"), SEAT_FIELDS
        )
    )


def _read_seat(panel: Panel, reader) -> None:
    """Keep the seat read by ``_with_seat`` where ``permissions.membership`` looks first."""
    if not hasattr(panel, "seat_rows"):
        return
    seats = instances(Member, panel.seat_rows, using=panel._state.db)
    for seat in seats:
        seat.panel = panel
    panel.__dict__.setdefault("_scoring_members", {})[reader.pk] = seats[0] if seats else None


def _with_criteria(queryset):
    """``queryset`` of panels with each one's criteria, in order (``_read_criteria``)."""
    return queryset.annotate(
        criterion_rows=JSONRows(
            Criterion.objects.filter(panel=OuterRef("pk")).order_by("order", "pk"),
            CRITERION_FIELDS,
        )
    )


def _read_criteria(panel: Panel) -> None:
    """Keep the criteria read by ``_with_criteria`` where ``criteria_of`` looks first."""
    criteria = instances(Criterion, panel.criterion_rows, using=panel._state.db)
    for criterion in criteria:
        criterion.panel = panel
    panel.__dict__["_scoring_criteria"] = criteria


def panel_for_owner(*, owner, reader=None, with_results: bool = False) -> Panel | None:
    """The panel of ``owner`` (a registered model's instance), or None while it has none: how a
    consuming app finds its committee to link to it and to read its results.

    In the same query, for a page that shows the results or asks who ``reader`` is on the panel:
    the reader's seat (``permissions.membership``) and, ``with_results``, the criteria, the
    number of members and the version of the submitted sheets (``criteria_of``,
    ``panel_results`` and ``sums_cache_key`` take them from there instead of asking again).
    Only for a page that reads: a sheet submitted later in the same request would not be
    seen."""
    item_type = None
    queryset = Panel.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner, for_concrete_model=False),
        owner_id=owner.pk,
    )
    queryset = _with_seat(queryset, reader)
    if with_results:
        model = registry.owner_type_for(owner).items(owner).model
        item_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        sheets = Submission.objects.filter(
            member__panel=OuterRef("pk"),
            item_type=item_type,
            status=Submission.Status.SUBMITTED,
        ).order_by()
        queryset = _with_criteria(queryset).annotate(
            member_total=Coalesce(
                Subquery(
                    Member.objects.filter(panel=OuterRef("pk"))
                    .order_by()
                    .values("panel")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            sheets_count=Coalesce(
                Subquery(sheets.values("item_type").annotate(n=Count("pk")).values("n")), 0
            ),
            sheets_last=Subquery(
                sheets.values("item_type").annotate(last=Max("submitted_at")).values("last")
            ),
            sheets_top=Subquery(sheets.values("item_type").annotate(top=Max("pk")).values("top")),
        )
    panel = queryset.first()
    if panel is None:
        return None
    panel.owner = owner  # the caller holds it already: no query to read it back
    _read_seat(panel, reader)
    if item_type is not None:
        _read_criteria(panel)
        panel.__dict__["_scoring_member_count"] = panel.member_total
        panel.__dict__["_scoring_sheets_version"] = (
            item_type.pk,
            {"count": panel.sheets_count, "last": panel.sheets_last, "top": panel.sheets_top},
        )
    return panel


def cleared_for_item(*, panel: Panel, user, item) -> bool:
    """Whether ``user`` sits on ``panel`` and has declared no conflict of interest with
    ``item``: what a consumer asks before showing a member more of an item than scoring's sheet
    does (its private documents, say)."""
    if not (user and user.is_authenticated):
        return False
    return (
        Declaration.objects.for_item(item)
        .filter(member__panel=panel, member__user=user, conflict=False)
        .exists()
    )


def criteria_of(*, panel: Panel) -> list[Criterion]:
    if "_scoring_criteria" not in panel.__dict__:
        panel.__dict__["_scoring_criteria"] = list(panel.criteria.order_by("order", "pk"))
    return panel.__dict__["_scoring_criteria"]


def member_list(*, panel: Panel):
    return panel.members.select_related("user").order_by("-role", "user__last_name", "pk")


# --- a member's work ---------------------------------------------------------------------------


@dataclass
class TodoRow:
    item: object
    label: str
    declaration: Declaration | None
    submission: Submission | None
    total: Decimal | None

    @property
    def conflict(self) -> bool:
        return self.declaration is not None and self.declaration.conflict

    @property
    def done(self) -> bool:
        return self.conflict or (self.submission is not None and self.submission.is_submitted)


def member_todo_items(*, member: Member):
    """The items of the member's panel, each with what the member has done about it, as
    ``member_todo`` lists them (a page of them at a time, say)."""
    return _with_member_work(panel_items(panel=member.panel), member)


def member_todo(*, member: Member, items=None) -> list[TodoRow]:
    """The items of the member's panel (every one, or ``items``: a page of
    ``member_todo_items``) with what the member has done about each: declared (or not), a
    draft or a submitted sheet and its total so far; read with the items, no query more."""
    panel = member.panel
    rows = []
    for item in member_todo_items(member=member) if items is None else items:
        submission = _member_row(Submission, item.scoring_submission_rows, member, item)
        rows.append(
            TodoRow(
                item=item,
                label=item_label(panel=panel, item=item),
                declaration=_member_row(Declaration, item.scoring_declaration_rows, member, item),
                submission=submission,
                total=item.scoring_total if submission else None,
            )
        )
    return rows


@dataclass(frozen=True)
class Progress:
    done: int  # items submitted by the member or excluded by their declared conflict
    total: int  # items of the panel

    @property
    def complete(self) -> bool:
        return self.done >= self.total


def member_progress(*, member: Member, keep: bool = False) -> Progress:
    """How many of the panel's items the member is done with, counted in the database.
    ``keep``: for a page that only reads, kept on the member object for what the page asks
    next (``permissions.can_view_results``), not counted again."""
    if "_scoring_progress" in member.__dict__:
        return member.__dict__["_scoring_progress"]
    panel = member.panel
    item_type = item_type_of(panel=panel)
    submitted = Submission.objects.filter(
        member=member,
        item_type=item_type,
        status=Submission.Status.SUBMITTED,
        item_id=OuterRef("pk"),
    )
    conflict = Declaration.objects.filter(
        member=member, item_type=item_type, conflict=True, item_id=OuterRef("pk")
    )
    # One query: every item, and those with a submitted sheet or a declared conflict.
    found = (
        panel_items(panel=panel)
        .order_by()
        .aggregate(total=Count("pk"), done=Count("pk", filter=Exists(submitted) | Exists(conflict)))
    )
    progress = Progress(done=found["done"], total=found["total"])
    if keep:
        member.__dict__["_scoring_progress"] = progress
    return progress


def member_has_submitted_everything(*, member: Member) -> bool:
    """Whether every item of the panel is either submitted by the member or excluded by their
    declared conflict of interest."""
    return member_progress(member=member).complete


def declaration_get(*, member: Member, item) -> Declaration | None:
    rows = _taken(item, "scoring_declaration_rows")
    if rows is not False:  # read with the item
        return _member_row(Declaration, rows, member, item)
    return Declaration.objects.for_item(item).filter(member=member).first()


@dataclass
class Sheet:
    """A member's sheet for one item as the scoring form shows it."""

    submission: Submission | None
    scores: dict[int, Score] = field(default_factory=dict)  # by criterion id

    @property
    def is_submitted(self) -> bool:
        return self.submission is not None and self.submission.is_submitted

    @property
    def total(self) -> Decimal:
        """The sum of the points given, each times its criterion's weight."""
        return sum(
            (
                _weighted(score.points, score.criterion)
                for score in self.scores.values()
                if score.points is not None
            ),
            Decimal(0),
        )


def sheet_get(*, member: Member, item) -> Sheet:
    rows, score_rows = _taken(item, "scoring_submission_rows"), _taken(item, "scoring_score_rows")
    if rows is False or score_rows is False:
        submission = Submission.objects.for_item(item).filter(member=member).first()
        if submission is None:
            return Sheet(submission=None)
        scores = list(submission.scores.select_related("criterion"))
    else:  # read with the item
        submission = _member_row(Submission, rows, member, item)
        if submission is None:
            return Sheet(submission=None)
        scores = instances(Score, score_rows, using=item._state.db)
        criteria = {criterion.pk: criterion for criterion in criteria_of(panel=member.panel)}
        for score in scores:
            score.submission = submission
            if score.criterion_id in criteria:
                score.criterion = criteria[score.criterion_id]
    return Sheet(submission=submission, scores={score.criterion_id: score for score in scores})


@dataclass
class OtherSheet:
    """Another member's submitted sheet of an item, as a member sees it after submitting."""

    member: str
    points: list[Decimal | None]  # per criterion, in order; None: "not applicable"
    comments: list[str]
    total: Decimal


def others_scores(*, member: Member, item, sheet: Sheet) -> list[OtherSheet] | None:
    """The other members' submitted sheets of ``item`` if the member may see them
    (``permissions.can_view_others_scores``: their own sheet submitted first), else None."""
    panel = member.panel
    if not can_view_others_scores(member, panel, own_submitted=sheet.is_submitted):
        return None
    criteria = criteria_of(panel=panel)
    found = []
    for submission in (
        Submission.objects.for_item(item)
        .filter(member__panel=panel, status=Submission.Status.SUBMITTED)
        .exclude(member=member)
        .select_related("member__user")
        .annotate(  # one query, not one more for the scores
            score_rows=JSONRows(
                Score.objects.filter(submission=OuterRef("pk")).order_by("pk"), SCORE_FIELDS
            )
        )
        .order_by("member__pk")
    ):
        scores = {
            score.criterion_id: score
            for score in instances(Score, submission.score_rows, using=submission._state.db)
        }
        points, comments = [], []
        total = Decimal(0)
        for criterion in criteria:
            score = scores.get(criterion.pk)
            value = score.points if score else None
            points.append(value)
            comments.append(score.comment if score else "")
            if value is not None:
                total += _weighted(value, criterion)
        found.append(
            OtherSheet(
                member=submission.member.user.display_name,
                points=points,
                comments=comments,
                total=total,
            )
        )
    return found


def max_total(*, panel: Panel) -> Decimal:
    """The most a sheet can total: every criterion's maximum times its weight."""
    return sum(
        (_weighted(criterion.max_points, criterion) for criterion in criteria_of(panel=panel)),
        Decimal(0),
    )


# --- results -----------------------------------------------------------------------------------


@dataclass(slots=True)
class CriterionMean:
    criterion: Criterion
    mean: Decimal | None  # None: nobody gave points (all "not applicable", or no scorer)
    scored: int  # members who gave points
    not_applicable: int  # members who marked it "not applicable"


@dataclass
class Part:
    """A group of criteria with its own subtotal (``Criterion.part``)."""

    name: str
    criteria: list[Criterion]
    max_points: Decimal  # the weighted maximum of its criteria


@dataclass
class ItemResult:
    item: object
    label: str
    url: str | None
    means: list[CriterionMean]
    total: Decimal  # the sum of the criteria's means, each times its weight
    max_total: Decimal  # the most the criteria that were scored allow (weighted)
    scorers: int  # submitted sheets
    conflicts: int  # members excluded by a declared conflict of interest
    rank: int | None = None
    subtotals: list[Decimal | None] = field(default_factory=list)  # per part of ``Results``


@dataclass
class Results:
    panel: Panel
    criteria: list[Criterion]
    items: list[ItemResult]  # ranked
    members: int
    parts: list[Part] = field(default_factory=list)  # empty unless some criterion has a part
    excluded: list[ExcludedItem] = field(default_factory=list)  # kept out by the owner


def panel_parts(*, panel: Panel) -> list[Part]:
    """The panel's parts in the order of their first criterion; criteria without a part form an
    unnamed part of their own. Empty when no criterion names a part."""
    criteria = criteria_of(panel=panel)
    if not any(criterion.part for criterion in criteria):
        return []
    parts: dict[str, Part] = {}
    for criterion in criteria:
        part = parts.setdefault(
            criterion.part, Part(name=criterion.part, criteria=[], max_points=Decimal(0))
        )
        part.criteria.append(criterion)
        part.max_points += _weighted(criterion.max_points, criterion)
    return list(parts.values())


def panel_results(*, panel: Panel) -> Results:
    """Means per criterion, totals and ranking of every item, in a fixed number of queries."""
    criteria = criteria_of(panel=panel)
    parts = panel_parts(panel=panel)
    part_index = {
        criterion.pk: index for index, part in enumerate(parts) for criterion in part.criteria
    }
    item_type = item_type_of(panel=panel)
    items = list(panel_items(panel=panel))
    sums, scorers = _submitted_sums(panel, item_type)
    conflicts = dict(
        Declaration.objects.filter(member__panel=panel, item_type=item_type, conflict=True)
        .values("item_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("item_id", "n")
    )
    owner_type = owner_type_of(panel)
    label, url = owner_type.label, owner_type.url
    nothing = (None, 0, 0)
    maxima = {criterion.pk: _weighted(criterion.max_points, criterion) for criterion in criteria}
    zero = Decimal(0)
    results = []
    for item in items:
        means = []
        exact_total = zero
        max_total = zero
        exact_parts = [zero] * len(parts)
        scored_parts = [False] * len(parts)
        pk = item.pk
        for criterion in criteria:
            points_sum, scored, not_applicable = sums.get((pk, criterion.pk), nothing)
            mean = None
            if scored:
                exact_mean = Decimal(points_sum) / scored
                exact = _weighted(exact_mean, criterion)
                exact_total += exact
                max_total += maxima[criterion.pk]
                mean = exact_mean.quantize(CENT, rounding=ROUND_HALF_UP)
                if parts:
                    index = part_index[criterion.pk]
                    exact_parts[index] += exact
                    scored_parts[index] = True
            means.append(CriterionMean(criterion, mean, scored, not_applicable))
        results.append(
            ItemResult(
                item=item,
                label=str(label(item)),
                url=url(item) if url else None,
                means=means,
                total=_round(exact_total),
                max_total=max_total,
                scorers=scorers.get(item.pk, 0),
                conflicts=conflicts.get(item.pk, 0),
                subtotals=[
                    _round(value) if scored_part else None
                    for value, scored_part in zip(exact_parts, scored_parts, strict=True)
                ],
            )
        )
    _rank(results)
    return Results(
        panel=panel,
        criteria=criteria,
        items=results,
        members=_member_count(panel),
        parts=parts,
        excluded=excluded_items(panel=panel),
    )


def _member_count(panel: Panel) -> int:
    if "_scoring_member_count" in panel.__dict__:
        return panel.__dict__["_scoring_member_count"]  # read with the panel (panel_for_owner)
    return panel.members.count()


SUMS_CACHE_SECONDS = 3600


def sums_cache_key(panel: Panel, item_type: ContentType) -> str:
    """The cache key of the panel's sums as its submitted sheets stand now (one small query).

    A submitted sheet never changes, so the sums change only when a sheet is submitted (the
    count and the latest submission time go up) or a member is removed with their sheets (the
    count goes down); the key names both, and the highest key of a submitted sheet besides."""
    read = panel.__dict__.get("_scoring_sheets_version")
    if read is not None and read[0] == item_type.pk:
        version = read[1]  # read with the panel's row (``panel_for_owner``)
    else:
        version = Submission.objects.filter(
            member__panel=panel, item_type=item_type, status=Submission.Status.SUBMITTED
        ).aggregate(count=Count("pk"), last=Max("submitted_at"), top=Max("pk"))
    last = version["last"].timestamp() if version["last"] else 0
    return (
        f"scoring:sums:{panel.pk}:{panel.created_at.timestamp()}:{item_type.pk}:"
        f"{version['count']}:{last}:{version['top']}"
    )


def _submitted_sums(panel: Panel, item_type: ContentType) -> tuple[dict, dict]:
    """``{(item id, criterion id): (sum of points, members who gave points, members who marked
    n/a)}`` and ``{item id: submitted sheets}``, grouped in the database; kept in the cache
    until a sheet is submitted or removed (a 500-item competition has tens of thousands of
    scores, and the ranking is read far more often than a sheet is submitted)."""
    key = sums_cache_key(panel, item_type)
    cached = cache.get(key)
    if cached is not None:
        return cached
    sums = {}
    scorers = {}
    # COUNT(points) leaves NULL ("not applicable") out; COUNT(*) less it is the n/a count. A
    # submitted sheet has a score (points or n/a) for every criterion, so COUNT(*) is also the
    # number of sheets of the item. The members are named by key: one join fewer.
    for item_id, criterion_id, points_sum, scored, sheets in (
        Score.objects.filter(
            submission__member_id__in=Member.objects.filter(panel=panel).values("pk"),
            submission__item_type=item_type,
            submission__status=Submission.Status.SUBMITTED,
        )
        .values_list("submission__item_id", "criterion_id")
        .annotate(points_sum=Sum("points"), scored=Count("points"), sheets=Count("pk"))
        .order_by()
    ):
        sums[item_id, criterion_id] = (points_sum, scored, sheets - scored)
        scorers[item_id] = max(scorers.get(item_id, 0), sheets)
    cache.set(key, (sums, scorers), SUMS_CACHE_SECONDS)
    return sums, scorers


def _rank(results: list[ItemResult]) -> None:
    """Sort by total (highest first), ties sharing a rank ("standard competition ranking":
    1, 1, 3); items without a submitted sheet stay unranked, last, in the owner's order."""
    scored = sorted((r for r in results if r.scorers), key=lambda r: r.total, reverse=True)
    unscored = [r for r in results if not r.scorers]
    previous = None
    for position, result in enumerate(scored, start=1):
        if previous is not None and result.total == previous.total:
            result.rank = previous.rank
        else:
            result.rank = position
        previous = result
    results[:] = scored + unscored


@dataclass
class ExportRow:
    """One line of the export: a member's sheet of an item, the item's means, or an item the
    owner excluded from scoring (``excluded_reason``)."""

    result: ItemResult
    member: str
    role: str
    represents_pes: bool | None
    points: list[Decimal | str | None]  # per criterion; "n/a" marked by the caller's label
    total: Decimal | None
    comments: str
    is_mean: bool = False
    subtotals: list[Decimal | None] = field(default_factory=list)  # per part, as the results'
    excluded_reason: str = ""


def export_rows(*, panel: Panel, not_applicable_label: str) -> list[ExportRow]:
    """Every submitted sheet with each criterion's points, then the item's means, in ranking
    order, then the items excluded from scoring with their reason: what a committee's minutes
    need (DESIGN: per-criterion scores in exports). Scores are read as plain values in one
    query, not as model instances: a large competition has tens of thousands."""
    results = panel_results(panel=panel)
    criteria = results.criteria
    position = {criterion.pk: index for index, criterion in enumerate(criteria)}
    part_of = (
        [
            next(index for index, part in enumerate(results.parts) if criterion in part.criteria)
            for criterion in criteria
        ]
        if results.parts
        else []
    )
    item_type = item_type_of(panel=panel)
    submitted = Submission.objects.filter(
        member__panel=panel, item_type=item_type, status=Submission.Status.SUBMITTED
    )
    members = {  # name, role and PES flag once per member, not once per sheet
        member.pk: (member.user.display_name, member.get_role_display(), member.represents_pes)
        for member in Member.objects.filter(panel=panel).select_related("user").order_by()
    }
    weights = [None if criterion.weight == 1 else criterion.weight for criterion in criteria]
    sheets = defaultdict(list)  # item id -> [(member id, submission id)] in member order
    for submission_id, item_id, member_id in submitted.order_by("member_id", "pk").values_list(
        "pk", "item_id", "member_id"
    ):
        sheets[item_id].append((member_id, submission_id))
    scores = defaultdict(dict)  # submission id -> {criterion index: (points, comment)}
    for submission_id, criterion_id, points, comment in Score.objects.filter(
        submission__in=submitted.values("pk")
    ).values_list("submission_id", "criterion_id", "points", "comment"):
        scores[submission_id][position[criterion_id]] = (points, comment)
    rows = []
    blank = [None] * len(criteria)
    for result in results.items:
        for member_id, submission_id in sheets[result.item.pk]:
            name, role, represents_pes = members[member_id]
            points = list(blank)
            comments = []
            total = Decimal(0)
            subtotals = [None] * len(results.parts)
            for index, (value, comment) in sorted(scores[submission_id].items()):
                if value is None:
                    points[index] = not_applicable_label
                else:
                    points[index] = value
                    if weights[index] is not None:
                        value *= weights[index]
                    total += value
                    if part_of:
                        part = part_of[index]
                        subtotals[part] = (subtotals[part] or Decimal(0)) + value
                if comment:
                    comments.append(f"{criteria[index].name}: {comment}")
            rows.append(
                ExportRow(
                    result=result,
                    member=name,
                    role=role,
                    represents_pes=represents_pes,
                    points=points,
                    total=_round(total),
                    comments=" | ".join(comments),
                    subtotals=[None if value is None else _round(value) for value in subtotals],
                )
            )
        rows.append(
            ExportRow(
                result=result,
                member="",
                role="",
                represents_pes=None,
                points=[
                    mean.mean
                    if mean.mean is not None
                    else (not_applicable_label if mean.not_applicable else None)
                    for mean in result.means
                ],
                total=result.total if result.scorers else None,
                comments="",
                is_mean=True,
                subtotals=result.subtotals,
            )
        )
    for excluded in results.excluded:
        rows.append(
            ExportRow(
                result=ItemResult(
                    item=excluded.item,
                    label=excluded.label,
                    url=None,
                    means=[],
                    total=Decimal(0),
                    max_total=Decimal(0),
                    scorers=0,
                    conflicts=0,
                ),
                member="",
                role="",
                represents_pes=None,
                points=list(blank),
                total=None,
                comments="",
                subtotals=[None] * len(results.parts),
                excluded_reason=excluded.reason,
            )
        )
    return rows
