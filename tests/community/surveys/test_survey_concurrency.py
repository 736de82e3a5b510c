"""One answer per person under parallel requests: the same person's answers sent at once (a
double click, two tabs) wait for the survey's row lock; one is saved, the others get the
message, none a server error, and the counters count one."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from community import surveys_services
from community.models import Survey, SurveyParticipation, SurveyResponse
from community.surveys_models import RespondentGroup
from tests.community.surveys.conftest import answers_for, survey_data

PARALLEL = 4


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (SQLite has one writer)",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_answers_of_one_person_save_one(municipality, monitoring_member, pes_owner):
    survey = surveys_services.survey_publish(
        survey=surveys_services.survey_create(
            actor=monitoring_member, municipality=municipality, **survey_data()
        ),
        actor=monitoring_member,
    )
    answers = answers_for(survey)
    start = threading.Barrier(PARALLEL)
    refused, errors = [], []

    def answer():
        try:
            start.wait()
            surveys_services.survey_answer(
                survey=survey, actor=pes_owner, group=RespondentGroup.PES, answers=answers
            )
        except ValidationError as error:
            refused.append(error)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer) for _index in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(refused) == PARALLEL - 1
    assert all("już przez Ciebie wypełniona" in " ".join(e.messages) for e in refused)
    assert SurveyParticipation.objects.count() == 1 == SurveyResponse.objects.count()
    assert Survey.objects.get(pk=survey.pk).responses_pes == 1
