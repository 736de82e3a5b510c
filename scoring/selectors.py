"""Reads of the committee's data: a user's panels, a member's to-do list and score sheet, and
the results (means per criterion, totals, ranking) every consumer shows or exports.

The results count submitted sheets only. A criterion's mean is taken over the members who gave
it points: "not applicable" is left out of the mean (never counted as zero), and a criterion
every scorer marked "not applicable" reads as such. An item's total is the sum of its
criteria's means; items are ranked by total, equal totals sharing a rank (1, 1, 3), items nobody
has scored yet unranked at the end. Each function runs a fixed number of queries, whatever the
number of members and items.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.http import Http404

from . import registry
from .models import Criterion, Declaration, Member, Panel, Score, Submission
from .permissions import can_view_panel

CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- panels and items --------------------------------------------------------------------------


def owner_type_of(panel: Panel) -> registry.OwnerType:
    return registry.owner_type_for(panel.owner_type.model_class())


def panel_items(*, panel: Panel):
    """The queryset of what the panel scores, as the owner's registration lists it."""
    return owner_type_of(panel).items(panel.owner)


def item_type_of(*, panel: Panel) -> ContentType:
    if "_scoring_item_type" not in panel.__dict__:
        model = panel_items(panel=panel).model
        panel.__dict__["_scoring_item_type"] = ContentType.objects.get_for_model(
            model, for_concrete_model=False
        )
    return panel.__dict__["_scoring_item_type"]


def item_get(*, panel: Panel, pk) -> object:
    """One item of the panel's owner; 404 for anything else (another call's application)."""
    try:
        return panel_items(panel=panel).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError) as error:
        raise Http404 from error
    except panel_items(panel=panel).model.DoesNotExist as error:
        raise Http404 from error


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
    forbidden one look the same)."""
    try:
        panel = Panel.objects.select_related("owner_type").filter(pk=int(pk)).first()
    except (ValueError, TypeError, OverflowError) as error:
        raise Http404 from error
    if panel is None or not can_view_panel(user, panel):
        raise Http404
    return panel


def panel_for_owner(*, owner) -> Panel | None:
    """The panel of ``owner`` (a registered model's instance), or None while it has none: how a
    consuming app finds its committee to link to it and to read its results."""
    panel = Panel.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner, for_concrete_model=False),
        owner_id=owner.pk,
    ).first()
    if panel is not None:
        panel.owner = owner  # the caller holds it already: no query to read it back
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


def member_todo(*, member: Member) -> list[TodoRow]:
    """Every item of the member's panel with what the member has done about it: declared (or
    not), a draft or a submitted sheet and its total so far."""
    panel = member.panel
    item_type = item_type_of(panel=panel)
    items = list(panel_items(panel=panel))
    declarations = {
        declaration.item_id: declaration
        for declaration in Declaration.objects.filter(member=member, item_type=item_type)
    }
    submissions = {
        submission.item_id: submission
        for submission in Submission.objects.filter(member=member, item_type=item_type).annotate(
            total=Sum("scores__points")
        )
    }
    rows = []
    for item in items:
        submission = submissions.get(item.pk)
        rows.append(
            TodoRow(
                item=item,
                label=item_label(panel=panel, item=item),
                declaration=declarations.get(item.pk),
                submission=submission,
                total=submission.total if submission else None,
            )
        )
    return rows


def member_has_submitted_everything(*, member: Member) -> bool:
    """Whether every item of the panel is either submitted by the member or excluded by their
    declared conflict of interest."""
    panel = member.panel
    item_type = item_type_of(panel=panel)
    item_ids = set(panel_items(panel=panel).values_list("pk", flat=True))
    done = set(
        Submission.objects.filter(
            member=member, item_type=item_type, status=Submission.Status.SUBMITTED
        ).values_list("item_id", flat=True)
    ) | set(
        Declaration.objects.filter(member=member, item_type=item_type, conflict=True).values_list(
            "item_id", flat=True
        )
    )
    return item_ids <= done


def declaration_get(*, member: Member, item) -> Declaration | None:
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
        return sum(
            (score.points for score in self.scores.values() if score.points is not None),
            Decimal(0),
        )


def sheet_get(*, member: Member, item) -> Sheet:
    submission = Submission.objects.for_item(item).filter(member=member).first()
    if submission is None:
        return Sheet(submission=None)
    return Sheet(
        submission=submission,
        scores={score.criterion_id: score for score in submission.scores.all()},
    )


# --- results -----------------------------------------------------------------------------------


@dataclass
class CriterionMean:
    criterion: Criterion
    mean: Decimal | None  # None: nobody gave points (all "not applicable", or no scorer)
    scored: int  # members who gave points
    not_applicable: int  # members who marked it "not applicable"


@dataclass
class ItemResult:
    item: object
    label: str
    url: str | None
    means: list[CriterionMean]
    total: Decimal
    max_total: Decimal  # the most the criteria that were scored allow
    scorers: int  # submitted sheets
    conflicts: int  # members excluded by a declared conflict of interest
    rank: int | None = None


@dataclass
class Results:
    panel: Panel
    criteria: list[Criterion]
    items: list[ItemResult]  # ranked
    members: int


def panel_results(*, panel: Panel) -> Results:
    """Means per criterion, totals and ranking of every item, in a fixed number of queries."""
    criteria = criteria_of(panel=panel)
    item_type = item_type_of(panel=panel)
    items = list(panel_items(panel=panel))
    submitted = Q(
        submission__member__panel=panel,
        submission__item_type=item_type,
        submission__status=Submission.Status.SUBMITTED,
    )
    sums = defaultdict(dict)
    for row in (
        Score.objects.filter(submitted)
        .values("submission__item_id", "criterion_id")
        .annotate(
            points_sum=Sum("points"),
            scored=Count("points"),
            not_applicable=Count("pk", filter=Q(points__isnull=True)),
        )
        .order_by()
    ):
        sums[row["submission__item_id"]][row["criterion_id"]] = row
    scorers = dict(
        Submission.objects.filter(
            member__panel=panel, item_type=item_type, status=Submission.Status.SUBMITTED
        )
        .values("item_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("item_id", "n")
    )
    conflicts = dict(
        Declaration.objects.filter(member__panel=panel, item_type=item_type, conflict=True)
        .values("item_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("item_id", "n")
    )
    results = []
    for item in items:
        means = []
        exact_total = Decimal(0)
        max_total = Decimal(0)
        for criterion in criteria:
            row = sums[item.pk].get(criterion.pk)
            scored = row["scored"] if row else 0
            mean = None
            if scored:
                exact = Decimal(row["points_sum"]) / scored
                exact_total += exact
                max_total += criterion.max_points
                mean = _round(exact)
            means.append(
                CriterionMean(
                    criterion=criterion,
                    mean=mean,
                    scored=scored,
                    not_applicable=row["not_applicable"] if row else 0,
                )
            )
        results.append(
            ItemResult(
                item=item,
                label=item_label(panel=panel, item=item),
                url=item_url(panel=panel, item=item),
                means=means,
                total=_round(exact_total),
                max_total=max_total,
                scorers=scorers.get(item.pk, 0),
                conflicts=conflicts.get(item.pk, 0),
            )
        )
    _rank(results)
    return Results(
        panel=panel,
        criteria=criteria,
        items=results,
        members=panel.members.count(),
    )


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
    """One line of the export: a member's sheet of an item, or the item's means."""

    result: ItemResult
    member: str
    role: str
    represents_pes: bool | None
    points: list[Decimal | str | None]  # per criterion; "n/a" marked by the caller's label
    total: Decimal | None
    comments: str
    is_mean: bool = False


def export_rows(*, panel: Panel, not_applicable_label: str) -> list[ExportRow]:
    """Every submitted sheet with each criterion's points, then the item's means, in ranking
    order: what a committee's minutes need (DESIGN: per-criterion scores in exports)."""
    results = panel_results(panel=panel)
    item_type = item_type_of(panel=panel)
    sheets = defaultdict(list)
    for submission in (
        Submission.objects.filter(
            member__panel=panel, item_type=item_type, status=Submission.Status.SUBMITTED
        )
        .select_related("member__user")
        .prefetch_related("scores")
        .order_by("member__pk")
    ):
        sheets[submission.item_id].append(submission)
    rows = []
    for result in results.items:
        for submission in sheets[result.item.pk]:
            scores = {score.criterion_id: score for score in submission.scores.all()}
            points = []
            comments = []
            for criterion in results.criteria:
                score = scores.get(criterion.pk)
                if score is None:
                    points.append(None)
                    continue
                points.append(not_applicable_label if score.points is None else score.points)
                if score.comment:
                    comments.append(f"{criterion.name}: {score.comment}")
            rows.append(
                ExportRow(
                    result=result,
                    member=submission.member.user.display_name,
                    role=submission.member.get_role_display(),
                    represents_pes=submission.member.represents_pes,
                    points=points,
                    total=sum(
                        (p for p in points if isinstance(p, Decimal)),
                        Decimal(0),
                    ),
                    comments=" | ".join(comments),
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
            )
        )
    return rows
