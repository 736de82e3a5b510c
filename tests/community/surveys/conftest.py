"""Fixtures of the survey tests: an open survey of Toruń's monitoring team addressed to PES
members and officials, and helpers that make respondents and answer for them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import surveys_services
from community.models import Survey, SurveyQuestion
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import make_official

QUESTIONS = [
    {"kind": SurveyQuestion.Kind.SCALE, "text": "Potrzeba szkolenia: klauzule społeczne"},
    {
        "kind": SurveyQuestion.Kind.SINGLE,
        "text": "Forma szkolenia",
        "choices": ["stacjonarnie", "online"],
    },
    {
        "kind": SurveyQuestion.Kind.MULTIPLE,
        "text": "Tematy",
        "choices": ["księgowość", "marketing", "RODO"],
    },
    {"kind": SurveyQuestion.Kind.TEXT, "text": "Czego jeszcze potrzebujesz?", "required": False},
]


def survey_data(**overrides) -> dict:
    data = {
        "title": "Potrzeby szkoleniowe 2027",
        "introduction": "Anonimowa ankieta.",
        "audience": Survey.Audience.BOTH,
        "deadline": timezone.now() + timedelta(days=7),
        "questions": [dict(question) for question in QUESTIONS],
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft_survey(municipality, monitoring_member):
    return surveys_services.survey_create(
        actor=monitoring_member, municipality=municipality, **survey_data(title="Projekt ankiety")
    )


@pytest.fixture
def survey(municipality, monitoring_member):
    created = surveys_services.survey_create(
        actor=monitoring_member, municipality=municipality, **survey_data()
    )
    return surveys_services.survey_publish(survey=created, actor=monitoring_member)


def answers_for(survey, *, scale="4", single="1", multiple=("0", "2"), text="Więcej praktyki"):
    values = {}
    for question in survey.questions.all():
        values[question.pk] = {
            SurveyQuestion.Kind.SCALE: scale,
            SurveyQuestion.Kind.SINGLE: single,
            SurveyQuestion.Kind.MULTIPLE: list(multiple),
            SurveyQuestion.Kind.TEXT: text,
        }[question.kind]
    return values


def pes_members(count, prefix="pes"):
    return [
        make_pes_member(OrganisationFactory(), email=f"{prefix}{index}@example.org")
        for index in range(count)
    ]


def officials_of(municipality, count, prefix="urz"):
    return [
        make_official(municipality, email=f"{prefix}{index}@example.org") for index in range(count)
    ]


def answer_all(survey, people, group, **values):
    for person in people:
        surveys_services.survey_answer(
            survey=survey, actor=person, group=group, answers=answers_for(survey, **values)
        )
