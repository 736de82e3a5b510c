"""Every change to a panel: one function each, keyword-only, in one transaction, each writing one
row to the event log (``pestor.audit``).

Rules enforced here whatever the caller (a view, a consumer, a management command):
- nothing changes in a closed panel; a submitted sheet never changes;
- a member scores an item only after declaring no conflict of interest with it; a declaration
  is final, and a conflict excludes the member from that item;
- points lie between 0 and the criterion's maximum, "not applicable" only where the criterion
  allows it; a submitted sheet has every criterion scored (and, where the panel asks for it, a
  comment by every score below half of the maximum).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pestor import audit

from . import registry, selectors
from .models import Criterion, Declaration, Member, Panel, Score, Submission, points_text


def _lock_open(panel: Panel) -> Panel:
    """The panel, locked for this transaction; ValidationError if it is closed."""
    locked = Panel.objects.select_for_update().get(pk=panel.pk)
    if not locked.is_open:
        raise ValidationError(_("Scoring in this panel is closed."), code="closed")
    return locked


def _require_item(panel: Panel, item) -> None:
    if not selectors.panel_items(panel=panel).filter(pk=item.pk).exists():
        raise ValidationError(_("This is not an item of the panel."), code="foreign_item")


# --- panels ------------------------------------------------------------------------------------


@transaction.atomic
def panel_create(
    *,
    owner,
    title: str,
    criteria: list[dict],
    actor,
    results_visibility: str = Panel.ResultsVisibility.MANAGERS,
    comment_required_below_half: bool = False,
) -> Panel:
    """A panel for ``owner`` (a registered model's instance) with its criteria, each a dict of
    ``name``, ``max_points`` and optionally ``description``, ``allow_not_applicable``, ``part``
    (the name of the group of criteria it belongs to, with a subtotal in the results) and
    ``weight`` (what its mean is multiplied by in the total; 1 by default)."""
    registry.owner_type_for(owner)
    if not criteria:
        raise ValidationError(_("A panel needs at least one criterion."), code="no_criteria")
    panel = Panel(
        owner_type=ContentType.objects.get_for_model(owner, for_concrete_model=False),
        owner_id=owner.pk,
        title=title,
        results_visibility=results_visibility,
        comment_required_below_half=comment_required_below_half,
        created_by=actor,
    )
    panel.full_clean()
    panel.save()
    for order, data in enumerate(criteria):
        criterion = Criterion(
            panel=panel,
            name=data["name"],
            description=data.get("description", ""),
            max_points=Decimal(str(data["max_points"])),
            allow_not_applicable=bool(data.get("allow_not_applicable", False)),
            part=str(data.get("part", "")).strip(),
            weight=Decimal(str(data.get("weight", 1))),
            order=order,
        )
        criterion.full_clean()
        criterion.save()
    audit.record(
        actor=actor,
        action="scoring.panel_create",
        target=panel,
        after={
            "title": panel.title,
            "criteria": [
                {
                    "name": c["name"],
                    "max_points": str(c["max_points"]),
                    "part": str(c.get("part", "")),
                    "weight": str(c.get("weight", 1)),
                }
                for c in criteria
            ],
        },
    )
    return panel


@transaction.atomic
def panel_close(*, panel: Panel, actor) -> Panel:
    """End scoring: from now on nothing changes and the results are final. Drafts left
    unsubmitted do not count."""
    panel = _lock_open(panel)
    panel.status = Panel.Status.CLOSED
    panel.closed_at = timezone.now()
    panel.closed_by = actor
    panel.full_clean()
    panel.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(
        actor=actor,
        action="scoring.panel_close",
        target=panel,
        before={"status": Panel.Status.OPEN},
        after={"status": Panel.Status.CLOSED},
    )
    return panel


# --- members -----------------------------------------------------------------------------------


@transaction.atomic
def member_add(
    *,
    panel: Panel,
    user,
    actor,
    role: str = Member.Role.MEMBER,
    represents_pes: bool = False,
) -> Member:
    _lock_open(panel)
    if Member.objects.filter(panel=panel, user=user).exists():
        raise ValidationError({"email": _("This person already sits on the panel.")})
    refuse = registry.owner_type_for(panel.owner_type.model_class()).member_refusal
    refusal = refuse(user, panel.owner, represents_pes) if refuse else ""
    if refusal:
        raise ValidationError({"email": refusal})
    member = Member(panel=panel, user=user, role=role, represents_pes=represents_pes)
    member.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:  # the same person added twice at once
        raise ValidationError({"email": _("This person already sits on the panel.")}) from error
    audit.record(
        actor=actor,
        action="scoring.member_add",
        target=panel,
        after={"member": user.display_name, "role": role, "represents_pes": represents_pes},
    )
    return member


@transaction.atomic
def member_remove(*, member: Member, actor) -> None:
    """Take a member off an open panel; their declarations and sheets go with them (the event
    log keeps how many sheets they had submitted)."""
    panel = _lock_open(member.panel)
    submitted = member.submissions.filter(status=Submission.Status.SUBMITTED).count()
    name = member.user.display_name
    member.delete()
    audit.record(
        actor=actor,
        action="scoring.member_remove",
        target=panel,
        before={"member": name, "submitted_sheets": submitted},
    )


# --- a member's work ---------------------------------------------------------------------------


@transaction.atomic
def declaration_make(*, member: Member, item, conflict: bool, note: str = "", actor) -> Declaration:
    """The member's declaration about ``item``, made once. With a conflict, the member is
    excluded from the item: they never see it nor score it."""
    panel = _lock_open(member.panel)
    _require_item(panel, item)  # the fresh panel: what the owner excludes may have changed
    if Declaration.objects.for_item(item).filter(member=member).exists():
        raise ValidationError(_("You have already made your declaration for this item."))
    if conflict and not note.strip():
        raise ValidationError({"note": _("Say briefly what the conflict of interest is.")})
    declaration = Declaration(
        member=member,
        item_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
        item_id=item.pk,
        conflict=conflict,
        note=note.strip(),
    )
    declaration.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError as error:  # a double click
        raise ValidationError(_("You have already made your declaration for this item.")) from error
    audit.record(
        actor=actor,
        action="scoring.declare",
        target=declaration,
        after={
            "member": member.user.display_name,
            "item": str(item),
            "conflict": conflict,
            "note": declaration.note,
        },
    )
    return declaration


@dataclass(frozen=True)
class ScoreInput:
    """What a member entered for one criterion: points, or ``not_applicable``, or nothing yet
    (``points=None`` without ``not_applicable``, allowed in a draft only)."""

    points: Decimal | None = None
    not_applicable: bool = False
    comment: str = ""


def _check_scores(panel: Panel, values: dict[int, ScoreInput], *, submit: bool) -> None:
    errors = {}
    for criterion in selectors.criteria_of(panel=panel):
        value = values.get(criterion.pk, ScoreInput())
        key = f"points_{criterion.pk}"
        if value.not_applicable:
            if not criterion.allow_not_applicable:
                errors[key] = _('This criterion cannot be "not applicable".')
            elif value.points is not None:
                errors[key] = _('Give points or mark "not applicable", not both.')
            continue
        if value.points is None:
            if submit:
                errors[key] = _("Score this criterion before submitting.")
            continue
        if value.points < 0:
            errors[key] = _("Points cannot be negative.")
        elif value.points > criterion.max_points:
            errors[key] = _("At most %(max)s points.") % {"max": points_text(criterion.max_points)}
        elif value.points.as_tuple().exponent < -2:
            errors[key] = _("Use at most two decimal places.")
        elif (
            submit
            and panel.comment_required_below_half
            and value.points * 2 < criterion.max_points
            and not value.comment.strip()
        ):
            errors[f"comment_{criterion.pk}"] = _(
                "Explain a score below half of the maximum in a comment."
            )
    unknown = set(values) - {c.pk for c in selectors.criteria_of(panel=panel)}
    if unknown:
        errors["__all__"] = _("The form holds a criterion of another panel.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scores_save(
    *, member: Member, item, values: dict[int, ScoreInput], submit: bool = False, actor
) -> Submission:
    """Save the member's sheet for ``item`` (criterion id → ScoreInput) as a draft, or submit
    it. A draft may be incomplete; a submitted sheet is complete and never changes again."""
    panel = _lock_open(member.panel)
    _require_item(panel, item)
    declaration = Declaration.objects.for_item(item).filter(member=member).first()
    if declaration is None:
        raise ValidationError(
            _("Declare whether you have a conflict of interest before scoring."),
            code="undeclared",
        )
    if declaration.conflict:
        raise ValidationError(
            _("You declared a conflict of interest with this item and cannot score it."),
            code="conflict",
        )
    submission, _created = Submission.objects.select_for_update().get_or_create(
        member=member,
        item_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
        item_id=item.pk,
    )
    if submission.is_submitted:
        raise ValidationError(
            _("This sheet is already submitted and cannot change."), code="locked"
        )
    _check_scores(panel, values, submit=submit)
    criteria = selectors.criteria_of(panel=panel)
    by_id = {criterion.pk: criterion for criterion in criteria}
    existing = {score.criterion_id: score for score in submission.scores.all()}
    for score in existing.values():
        score.criterion = by_id[score.criterion_id]  # no query per score
    before = {str(pk): _score_snapshot(score) for pk, score in existing.items()}
    after = {}
    created, changed, removed = [], [], []
    for criterion in criteria:
        value = values.get(criterion.pk, ScoreInput())
        score = existing.get(criterion.pk)
        if value.points is None and not value.not_applicable:
            if score is not None:
                removed.append(score.pk)
            continue
        if score is None:
            score = Score(submission=submission, criterion=criterion)
            created.append(score)
        else:
            changed.append(score)
        score.points = None if value.not_applicable else value.points
        score.comment = value.comment.strip()
        # The range, the places and "not applicable" were checked above for every criterion;
        # the fields' own validation stays (one sheet is a handful of rows, written at once).
        score.clean_fields(exclude=["submission", "criterion"])
        score.clean()
        after[str(criterion.pk)] = _score_snapshot(score)
    if removed:
        Score.objects.filter(pk__in=removed).delete()
    if changed:
        Score.objects.bulk_update(changed, ["points", "comment"])
    if created:
        Score.objects.bulk_create(created)
    submission.updated_at = timezone.now()
    if submit:
        submission.status = Submission.Status.SUBMITTED
        submission.submitted_at = submission.updated_at
    submission.save()
    audit.record(
        actor=actor,
        action="scoring.sheet_submit" if submit else "scoring.sheet_save",
        target=submission,
        before=before,
        after=after,
    )
    return submission


def _score_snapshot(score: Score) -> dict:
    return {
        "criterion": score.criterion.name,
        "points": None if score.points is None else str(score.points.quantize(Decimal("0.01"))),
        "not_applicable": score.points is None,
        "comment": score.comment,
    }
