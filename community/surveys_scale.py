"""Competence surveys at the issue's scale for ``community_scale``: ``surveys`` published
surveys of every municipality's team with ``answers`` responses in all, the largest (Toruń's,
the first) with ``largest`` of them, each response answering every question (a scale, a single
and a multiple choice, a short text). Rows are written in bulk with the counters the services
keep; the participations (who answered) are left out: no page of the results reads them."""

import random
from datetime import timedelta

from django.utils import timezone

from .surveys_models import (
    RespondentGroup,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from .surveys_services import _clean_questions

BATCH = 5000
QUESTIONS = [
    {"kind": SurveyQuestion.Kind.SCALE, "text": "Potrzeba szkolenia: klauzule społeczne"},
    {"kind": SurveyQuestion.Kind.SCALE, "text": "Potrzeba szkolenia: księgowość PES"},
    {
        "kind": SurveyQuestion.Kind.SINGLE,
        "text": "Forma szkolenia",
        "choices": ["stacjonarnie", "online", "wizyta studyjna"],
    },
    {
        "kind": SurveyQuestion.Kind.MULTIPLE,
        "text": "Tematy na przyszły rok",
        "choices": ["zamówienia", "księgowość", "marketing", "dotacje", "RODO"],
    },
    {"kind": SurveyQuestion.Kind.TEXT, "text": "Czego jeszcze potrzebujesz?", "required": False},
]


def create(*, surveys: int, answers: int, largest: int, torun, municipalities, author) -> int:
    """Creates the surveys and answers; returns the number of answer rows."""
    rng = random.Random(1414)
    now = timezone.now()
    created = Survey.objects.bulk_create(
        Survey(
            municipality_id=torun.pk if index == 0 else rng.choice(municipalities),
            title=f"Ankieta w skali {index + 1}",
            audience=Survey.Audience.BOTH,
            deadline=now - timedelta(days=rng.randrange(1, 700)),
            status=Survey.Status.PUBLISHED,
            created_by_id=author.pk,
            published_at=now - timedelta(days=720),
        )
        for index in range(surveys)
    )
    questions = {}
    rows = []
    for survey in created:
        for question in _clean_questions([dict(q) for q in QUESTIONS]):
            question.survey = survey
            rows.append(question)
    for question in SurveyQuestion.objects.bulk_create(rows):
        questions.setdefault(question.survey_id, []).append(question)
    per_survey = [min(largest, answers)] + [0] * (len(created) - 1)
    for _index in range(max(0, answers - per_survey[0])):
        per_survey[rng.randrange(1, len(created))] += 1
    written = 0
    responses, batch = [], []
    for survey, count in zip(created, per_survey, strict=True):
        for _number in range(count):
            group = RespondentGroup.PES if rng.random() < 0.7 else RespondentGroup.OFFICIALS
            response = SurveyResponse(survey_id=survey.pk, group=group)
            responses.append(response)
            for question in questions[survey.pk]:
                batch += _answers(rng, response, question, group)
            if group == RespondentGroup.PES:
                survey.responses_pes += 1
            else:
                survey.responses_officials += 1
            if len(batch) >= BATCH:
                written += _flush(responses, batch)
                responses, batch = [], []
    written += _flush(responses, batch)
    Survey.objects.bulk_update(created, ["responses_pes", "responses_officials"], batch_size=BATCH)
    return written


def _answers(rng, response, question, group) -> list[SurveyAnswer]:
    def answer(**value):
        return SurveyAnswer(response=response, question=question, group=group, **value)

    if question.kind == SurveyQuestion.Kind.SCALE:
        return [answer(value=rng.randint(1, 5))]
    if question.kind == SurveyQuestion.Kind.SINGLE:
        return [answer(value=rng.randrange(len(question.choices)))]
    if question.kind == SurveyQuestion.Kind.MULTIPLE:
        return [answer(value=v) for v in rng.sample(range(len(question.choices)), k=2)]
    if rng.random() < 0.3:
        return [answer(text=f"Potrzeba nr {rng.randrange(1000)}")]
    return []


def _flush(responses, answers) -> int:
    SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
    SurveyAnswer.objects.bulk_create(answers, batch_size=BATCH)
    return len(answers)
