"""The competence surveys' selectors: reads, among them the results with their suppression
below ``MIN_GROUP_ANSWERS`` answers per group, and the monitoring's indicators."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pestor import roles
from pestor.charts import figure_number
from pestor.periods import local_day_bounds

from .surveys_models import (
    MIN_GROUP_ANSWERS,
    RespondentGroup,
    Survey,
    SurveyAnswer,
    SurveyGapTraining,
    SurveyParticipation,
    SurveyQuestion,
)
from .surveys_permissions import can_view_survey

# At most this many short-text answers of a question and group are shown and exported.
MAX_TEXTS = 200


def survey_get_for_user(*, user, pk: int) -> Survey:
    """The survey if the user may see it (the team, or someone it is addressed to once
    published); a missing and a forbidden survey give the same 404."""
    survey = Survey.objects.select_related("municipality").filter(pk=pk).first()
    if survey is None or not can_view_survey(user, survey):
        raise Http404
    return survey


def survey_questions(*, survey: Survey) -> list[SurveyQuestion]:
    return list(survey.questions.all())


def has_answered(*, user, survey: Survey) -> bool:
    return SurveyParticipation.objects.filter(survey=survey, user=user).exists()


def surveys_open_for_user(*, user, now=None) -> list[Survey]:
    """The published surveys still open that are addressed to the user, the soonest deadline
    first, each with ``answered``."""
    now = now or timezone.now()
    addressed = Q(pk__in=[])
    if _is_pes_member(user):
        addressed |= Q(audience__in=[Survey.Audience.PES, Survey.Audience.BOTH])
    official_of = roles.official_municipality_ids(user)
    if official_of:
        addressed |= Q(
            audience__in=[Survey.Audience.OFFICIALS, Survey.Audience.BOTH],
            municipality_id__in=official_of,
        )
    return list(
        Survey.objects.filter(addressed, status=Survey.Status.PUBLISHED, deadline__gt=now)
        .select_related("municipality")
        .annotate(
            answered=Exists(SurveyParticipation.objects.filter(survey=OuterRef("pk"), user=user.pk))
        )
        .order_by("deadline", "pk")[:50]
    )


def _is_pes_member(user) -> bool:
    from directory.permissions import verified_organisation_ids

    return bool(verified_organisation_ids(user))


def surveys_managed(*, user) -> list[Survey]:
    """The surveys of the team's municipalities (every survey for the administrator), the
    latest deadline first."""
    queryset = Survey.objects.select_related("municipality")
    if not roles.is_administrator(user):
        queryset = queryset.filter(municipality_id__in=roles.monitoring_municipality_ids(user))
    return list(queryset.order_by("-deadline", "-pk")[:100])


@dataclass
class OptionFigure:
    """One option's share of a group's answers, drawn by ``pestor.charts`` (``{% chart %}``)
    and said in words by its ``description``."""

    name: str
    value: int
    target: int
    unit: str = ""
    reached: bool = False
    progress: Decimal | None = None
    description: str = ""


@dataclass
class GroupResult:
    group: str
    label: str
    responses: int
    answered: int = 0
    # Why nothing is shown ("" when the figures are shown).
    suppressed: str = ""
    figures: list[OptionFigure] = field(default_factory=list)
    mean: Decimal | None = None
    texts: list[str] = field(default_factory=list)
    # The charts' ids on the page start with it.
    chart_prefix: str = ""


@dataclass
class QuestionResult:
    question: SurveyQuestion
    groups: list[GroupResult]
    trainings: list = field(default_factory=list)


def _suppressed_message(count: int) -> str:
    return ngettext(
        "Not shown: %(count)d answer in this group, fewer than %(minimum)d (anonymity).",
        "Not shown: %(count)d answers in this group, fewer than %(minimum)d (anonymity).",
        count,
    ) % {"count": count, "minimum": MIN_GROUP_ANSWERS}


def _figure(label: str, count: int, answered: int) -> OptionFigure:
    share = (Decimal(count) * 100 / answered).quantize(Decimal("0.1")) if answered else Decimal(0)
    description = ngettext(
        "%(option)s: %(count)d of %(answered)d answer (%(share)s%%).",
        "%(option)s: %(count)d of %(answered)d answers (%(share)s%%).",
        answered,
    ) % {"option": label, "count": count, "answered": answered, "share": figure_number(share)}
    return OptionFigure(
        name=label, value=count, target=answered, progress=share, description=description
    )


def survey_results(*, survey: Survey) -> list[QuestionResult]:
    """Each question's results per group addressed. A group with fewer than
    ``MIN_GROUP_ANSWERS`` responses shows nothing, nor does a question fewer than that many of a
    group answered (an optional question); short texts only where shown. Four queries whatever
    the number of answers: the questions, the counts, the respondents per question, the texts
    (and the trainings created from the gaps)."""
    questions = survey_questions(survey=survey)
    ids = [question.pk for question in questions]
    groups = survey.groups()
    shown_groups = [g for g in groups if survey.responses_of(g) >= MIN_GROUP_ANSWERS]
    counts: dict[tuple[int, str, int], int] = {}
    answered: dict[tuple[int, str], int] = {}
    texts: dict[tuple[int, str], list[str]] = {}
    if shown_groups and ids:
        # One row per value (a text answer counts under None): one scan of the answers' index.
        rows = (
            SurveyAnswer.objects.filter(question_id__in=ids, group__in=shown_groups)
            .values_list("question_id", "group", "value")
            .annotate(n=Count("*"))
            .order_by()
        )
        for question_id, group, value, count in rows:
            counts[question_id, group, value] = count
            answered[question_id, group] = answered.get((question_id, group), 0) + count
        # A multiple choice has a row per option ticked: its respondents are counted apart.
        multiple = [q.pk for q in questions if q.kind == SurveyQuestion.Kind.MULTIPLE]
        for question_id in multiple:
            for group in shown_groups:
                answered.pop((question_id, group), None)
        if multiple:
            rows = (
                SurveyAnswer.objects.filter(question_id__in=multiple, group__in=shown_groups)
                .values_list("question_id", "group")
                .annotate(n=Count("response_id", distinct=True))
                .order_by()
            )
            for question_id, group, count in rows:
                answered[question_id, group] = count
        text_ids = [
            question.pk
            for question in questions
            if question.kind == SurveyQuestion.Kind.TEXT
            and any(answered.get((question.pk, g), 0) >= MIN_GROUP_ANSWERS for g in shown_groups)
        ]
        if text_ids:
            for question_id, group, text in (
                SurveyAnswer.objects.filter(question_id__in=text_ids, group__in=shown_groups)
                .order_by("question_id", "group", "text")
                .values_list("question_id", "group", "text")[: MAX_TEXTS * len(text_ids) * 2]
            ):
                found = texts.setdefault((question_id, group), [])
                if len(found) < MAX_TEXTS:
                    found.append(text)
    trainings: dict[int, list] = {}
    for link in (
        SurveyGapTraining.objects.filter(question_id__in=ids)
        .select_related("event")
        .only("question_id", "event__id", "event__title", "event__starts_at", "event__status")
        .order_by("event__starts_at")
    ):
        trainings.setdefault(link.question_id, []).append(link.event)
    labels = dict(RespondentGroup.choices)
    results = []
    for question in questions:
        group_results = []
        for group in groups:
            result = GroupResult(
                group=group,
                label=labels[group],
                responses=survey.responses_of(group),
                chart_prefix=f"q{question.pk}-{group}",
            )
            result.answered = answered.get((question.pk, group), 0)
            if result.responses < MIN_GROUP_ANSWERS:
                result.suppressed = _suppressed_message(result.responses)
            elif result.answered < MIN_GROUP_ANSWERS:
                result.suppressed = _suppressed_message(result.answered)
            else:
                _fill(result, question, counts, texts)
            group_results.append(result)
        results.append(
            QuestionResult(
                question=question, groups=group_results, trainings=trainings.get(question.pk, [])
            )
        )
    return results


def _fill(result: GroupResult, question, counts, texts) -> None:
    if question.kind == SurveyQuestion.Kind.TEXT:
        result.texts = texts.get((question.pk, result.group), [])
        return
    total = 0
    for value, label in question.options():
        count = counts.get((question.pk, result.group, value), 0)
        result.figures.append(_figure(label, count, result.answered))
        total += value * count
    if question.kind == SurveyQuestion.Kind.SCALE and result.answered:
        result.mean = (Decimal(total) / result.answered).quantize(Decimal("0.01"))


def survey_export_rows(*, survey: Survey) -> list[dict]:
    """The results as rows for CSV/XLSX: what the page shows, nothing of a suppressed group."""
    rows = []
    for result in survey_results(survey=survey):
        question = result.question
        for group in result.groups:
            base = {
                "order": question.order + 1,
                "question": question.text,
                "kind": question.get_kind_display(),
                "group": group.label,
                "responses": group.responses,
            }
            if group.suppressed:
                rows.append({**base, "option": group.suppressed, "count": None, "share": None})
                continue
            for figure in group.figures:
                rows.append(
                    {**base, "option": figure.name, "count": figure.value, "share": figure.progress}
                )
            if group.mean is not None:
                rows.append({**base, "option": _("mean"), "count": None, "share": group.mean})
            for text in group.texts:
                rows.append({**base, "option": text, "count": None, "share": None})
    return rows


def question_get_for_manager(*, user, survey_pk: int, pk: int) -> SurveyQuestion:
    from .surveys_permissions import can_manage_survey

    question = (
        SurveyQuestion.objects.select_related("survey", "survey__municipality")
        .filter(pk=pk, survey_id=survey_pk)
        .first()
    )
    if question is None or not can_manage_survey(user, question.survey):
        raise Http404
    return question


# --- indicators for the monitoring (monitoring/computed.py) ------------------------------------


def _closed_in(*, municipality, start: date, end: date) -> QuerySet:
    since, until = local_day_bounds(start, end)
    return Survey.objects.filter(
        municipality=municipality,
        status=Survey.Status.PUBLISHED,
        deadline__gte=since,
        deadline__lt=until,
    )


def indicator_surveys(*, municipality, start: date, end: date) -> int:
    """Competence surveys run (published, closing in the period)."""
    return _closed_in(municipality=municipality, start=start, end=end).count()


def indicator_survey_responses(*, municipality, start: date, end: date) -> int:
    """Answers (people) to the competence surveys closing in the period."""
    surveys = _closed_in(municipality=municipality, start=start, end=end)
    return sum(
        pes + officials
        for pes, officials in surveys.values_list("responses_pes", "responses_officials")
    )


def personal_data(*, user) -> dict:
    """The surveys the person answered (what they answered is anonymous, not linked to them)."""
    return {
        "surveys_answered": [
            {
                "survey": participation.survey.title,
                "answered": participation.answered_at.isoformat(),
            }
            for participation in SurveyParticipation.objects.filter(user=user)
            .select_related("survey")
            .order_by("answered_at", "pk")
        ]
    }
