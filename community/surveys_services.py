"""The competence surveys' services: writes, one transaction each, checked again whatever the
form said. Reads are in ``surveys_selectors``.

An answer is taken under the survey's row lock: the deadline is read from the server's clock
once the lock is held, and the participation's unique constraint refuses a second answer of the
same person however the requests interleave."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation, OrganisationMembership
from pestor import audit
from pestor.models import OfficialMembership, User
from pestor.notifications import absolute_url, notify

from . import services as event_services
from .surveys_models import (
    RespondentGroup,
    Survey,
    SurveyAnswer,
    SurveyGapTraining,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from .surveys_permissions import respondent_groups

SURVEY_FIELDS = ["title", "introduction", "audience", "deadline"]
MAX_QUESTIONS = 40
MIN_OPTIONS, MAX_OPTIONS = 2, 20
MAX_OPTION_LENGTH = 200
# Reminders go to those who have not answered in the last days before the deadline.
REMINDER_DAYS = 3


def _clean_questions(questions: list[dict]) -> list[SurveyQuestion]:
    if not questions:
        raise ValidationError(_("Add at least one question."), code="no_questions")
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            _("At most %(limit)d questions in a survey.") % {"limit": MAX_QUESTIONS}
        )
    built = []
    for position, question in enumerate(questions):
        kind = question["kind"]
        text = (question.get("text") or "").strip()
        options = [option.strip() for option in question.get("choices") or [] if option.strip()]
        number = {"number": position + 1}
        if not text:
            raise ValidationError(_("Question %(number)d has no text.") % number)
        if kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
            if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
                raise ValidationError(
                    _("Question %(number)d needs between %(min)d and %(max)d options.")
                    % {**number, "min": MIN_OPTIONS, "max": MAX_OPTIONS}
                )
            if len(set(options)) != len(options):
                raise ValidationError(_("Question %(number)d repeats an option.") % number)
            if any(len(option) > MAX_OPTION_LENGTH for option in options):
                raise ValidationError(
                    _("An option of question %(number)d is longer than %(limit)d characters.")
                    % {**number, "limit": MAX_OPTION_LENGTH}
                )
        else:
            options = []
        built.append(
            SurveyQuestion(
                kind=kind,
                text=text,
                choices=options,
                required=bool(question.get("required", True)),
                order=position,
            )
        )
    return built


def _set_questions(survey: Survey, questions: list[SurveyQuestion]) -> None:
    survey.questions.all().delete()
    for question in questions:
        question.survey = survey
        question.full_clean(exclude=["survey"])
    SurveyQuestion.objects.bulk_create(questions)


def _save(survey: Survey, *, actor, action: str, fields: dict, questions: list[dict]) -> Survey:
    """Sets the survey's fields and questions, checks and saves them, and logs the change."""
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"Not editable on a survey: {', '.join(sorted(unknown))}")
    before = audit.snapshot(survey, SURVEY_FIELDS) if survey.pk else None
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.title = (survey.title or "").strip()
    built = _clean_questions(questions)
    survey.full_clean()
    survey.save()
    _set_questions(survey, built)
    audit.record(
        actor=actor,
        action=action,
        target=survey,
        before=before,
        after=audit.snapshot(survey, SURVEY_FIELDS),
    )
    return survey


@transaction.atomic
def survey_create(*, actor, municipality, questions: list[dict], **fields) -> Survey:
    survey = Survey(municipality=municipality, created_by=actor)
    return _save(
        survey, actor=actor, action="community.survey_create", fields=fields, questions=questions
    )


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


@transaction.atomic
def survey_update(*, survey: Survey, actor, questions: list[dict], **fields) -> Survey:
    survey = _locked(survey)
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(
            _("A published survey cannot be changed: its answers would mix two versions."),
            code="published",
        )
    return _save(
        survey, actor=actor, action="community.survey_update", fields=fields, questions=questions
    )


@transaction.atomic
def survey_publish(*, survey: Survey, actor, now: datetime | None = None) -> Survey:
    survey = _locked(survey)
    now = now or timezone.now()
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    if survey.deadline <= now:
        raise ValidationError(
            _("The deadline has passed: set a new one before publishing."), code="deadline"
        )
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question."), code="no_questions")
    survey.status = Survey.Status.PUBLISHED
    survey.published_at = now
    survey.save(update_fields=["status", "published_at"])
    audit.record(actor=actor, action="community.survey_publish", target=survey)
    return survey


@transaction.atomic
def survey_deadline_extend(*, survey: Survey, actor, deadline: datetime, now=None) -> Survey:
    """Gives an open survey a later deadline. The questions stay: the answers given so far and
    those to come answer the same text. A closed survey is not opened again."""
    survey = _locked(survey)
    now = now or timezone.now()
    if not survey.is_open(now):
        raise ValidationError(
            _("Only an open survey's deadline can be extended; a closed survey stays closed."),
            code="not_open",
        )
    if deadline <= survey.deadline:
        raise ValidationError(
            {
                "deadline": _("Give a date later than the present deadline, %(deadline)s.")
                % {"deadline": timezone.localtime(survey.deadline).strftime("%d.%m.%Y %H:%M")}
            },
            code="not_later",
        )
    before = audit.snapshot(survey, ["deadline"])
    survey.deadline = deadline
    survey.save(update_fields=["deadline"])
    audit.record(
        actor=actor,
        action="community.survey_extend",
        target=survey,
        before=before,
        after=audit.snapshot(survey, ["deadline"]),
    )
    return survey


def _already_answered() -> ValidationError:
    return ValidationError(
        _("You have already answered this survey. Each person answers once."),
        code="already_answered",
    )


def _answer_rows(question: SurveyQuestion, value, group: str) -> list[SurveyAnswer]:
    """The answer rows of one question (none when an optional question is left empty)."""
    kind = question.kind
    if value in (None, "", [], ()):
        if question.required:
            raise ValidationError({f"q{question.pk}": _("Answer this question.")})
        return []
    allowed = {key for key, _label in question.options()}
    if kind == SurveyQuestion.Kind.TEXT:
        text = str(value).strip()[:500]
        return [SurveyAnswer(question=question, group=group, text=text)] if text else []
    values = value if kind == SurveyQuestion.Kind.MULTIPLE else [value]
    try:
        values = sorted({int(item) for item in values})
    except (TypeError, ValueError):
        values = [None]
    if not values or any(item not in allowed for item in values):
        raise ValidationError({f"q{question.pk}": _("Choose one of the options given.")})
    return [SurveyAnswer(question=question, group=group, value=item) for item in values]


@transaction.atomic
def survey_answer(
    *, survey: Survey, actor, group: str, answers: dict[int, object], now=None
) -> SurveyResponse:
    """Records the actor's answers (``{question id: value, list of values or text}``) in the
    group given, one of those the actor belongs to. Refused after the deadline and on a second
    answer of the same person."""
    survey = _locked(survey)
    now = now or timezone.now()
    if survey.status != Survey.Status.PUBLISHED:
        raise ValidationError(_("This survey does not take answers."), code="closed")
    if now >= survey.deadline:
        raise ValidationError(
            _("The survey closed on %(deadline)s.")
            % {"deadline": timezone.localtime(survey.deadline).strftime("%d.%m.%Y %H:%M")},
            code="deadline_passed",
        )
    groups = respondent_groups(actor, survey)
    if group not in groups:
        raise ValidationError(
            {"group": _("The survey is not addressed to you in this group.")}, code="not_addressed"
        )
    if SurveyParticipation.objects.filter(survey=survey, user=actor).exists():
        raise _already_answered()
    rows = []
    errors = {}
    for question in survey.questions.all():
        try:
            rows += _answer_rows(question, answers.get(question.pk), group)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(survey=survey, user=actor, answered_at=now)
    except IntegrityError:
        raise _already_answered() from None
    response = SurveyResponse.objects.create(survey=survey, group=group)
    for row in rows:
        row.response = response
    SurveyAnswer.objects.bulk_create(rows)
    counter = "responses_pes" if group == RespondentGroup.PES else "responses_officials"
    Survey.objects.filter(pk=survey.pk).update(**{counter: F(counter) + 1})
    return response


def _addressed_users(survey: Survey) -> QuerySet:
    """Everyone the survey is addressed to, as a queryset of active users."""
    condition = Q(pk__in=[])
    groups = survey.groups()
    if RespondentGroup.PES in groups:
        condition |= Q(
            pk__in=OrganisationMembership.objects.filter(
                organisation__status=Organisation.Status.VERIFIED
            ).values("user_id")
        )
    if RespondentGroup.OFFICIALS in groups:
        condition |= Q(
            pk__in=OfficialMembership.objects.filter(
                department__municipality_id=survey.municipality_id
            ).values("user_id")
        )
    return User.objects.filter(condition, is_active=True)


def survey_reminders_send(*, now=None) -> int:
    """E-mails everyone an open survey is addressed to and who has not answered, once the
    deadline is at most ``REMINDER_DAYS`` days away. Each e-mail's key is the survey and the
    person: however often the beat task runs, one reminder each."""
    now = now or timezone.now()
    sent = 0
    surveys = Survey.objects.filter(
        status=Survey.Status.PUBLISHED,
        deadline__gt=now,
        deadline__lte=now + timedelta(days=REMINDER_DAYS),
    ).order_by("pk")
    for survey in surveys:
        waiting = (
            _addressed_users(survey)
            .exclude(survey_participations__survey=survey)
            .order_by("pk")
            .values_list("pk", "email")
        )
        url = absolute_url(survey.get_absolute_url())
        for user_pk, email in waiting.iterator():
            notify(
                template="community/survey_reminder",
                key=f"community/survey_reminder:{survey.pk}:{user_pk}",
                recipients=[email],
                context={
                    "survey": survey,
                    "deadline": timezone.localtime(survey.deadline),
                    "url": url,
                },
            )
            sent += 1
    return sent


@transaction.atomic
def gap_training_create(
    *, actor, question: SurveyQuestion, municipality, organiser=None, **fields
) -> SurveyGapTraining:
    """A training event created from a survey's result, linked to the question (the gap)."""
    event = event_services.event_create(
        actor=actor, municipality=municipality, organiser=organiser, **fields
    )
    link = SurveyGapTraining.objects.create(event=event, question=question)
    audit.record(
        actor=actor,
        action="community.survey_gap_training",
        target=question.survey,
        after={"question": question.pk, "event": event.pk},
    )
    return link
