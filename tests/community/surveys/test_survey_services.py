"""The surveys' rules: one answer per person (the service and the database), the deadline on the
server's clock, answers only from those addressed, anonymity below 5 answers per group, the
reminders once each, a training linked to its gap, the indicators and personal data."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community import surveys_selectors, surveys_services, tasks
from community.models import (
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from community.surveys_models import RespondentGroup
from tests.community.conftest import event_data
from tests.community.surveys.conftest import (
    answer_all,
    answers_for,
    officials_of,
    pes_members,
    survey_data,
)

pytestmark = pytest.mark.django_db

PES, OFFICIALS = RespondentGroup.PES, RespondentGroup.OFFICIALS


def test_questions_keep_their_order_and_options(survey):
    questions = surveys_selectors.survey_questions(survey=survey)
    assert [q.kind for q in questions] == ["scale", "single", "multiple", "text"]
    assert questions[2].choices == ["księgowość", "marketing", "RODO"]
    assert [q.order for q in questions] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([], "Dodaj co najmniej jedno pytanie."),
        ([{"kind": "single", "text": "Forma", "choices": ["jedna"]}], "od 2 do 20 opcji"),
        ([{"kind": "multiple", "text": "Tematy", "choices": ["a", "a"]}], "powtarza opcję"),
        ([{"kind": "scale", "text": "  "}], "nie ma treści"),
    ],
)
def test_a_survey_with_bad_questions_is_refused(
    municipality, monitoring_member, questions, message
):
    with pytest.raises(ValidationError, match=message):
        surveys_services.survey_create(
            actor=monitoring_member, municipality=municipality, **survey_data(questions=questions)
        )
    assert not Survey.objects.exists()


def test_a_published_survey_cannot_be_changed(survey, monitoring_member):
    with pytest.raises(ValidationError, match="nie można zmienić"):
        surveys_services.survey_update(
            survey=survey, actor=monitoring_member, **survey_data(title="Nowy tytuł")
        )


def test_one_answer_per_person(survey, pes_owner):
    surveys_services.survey_answer(
        survey=survey, actor=pes_owner, group=PES, answers=answers_for(survey)
    )
    with pytest.raises(ValidationError, match="została już przez Ciebie wypełniona"):
        surveys_services.survey_answer(
            survey=survey, actor=pes_owner, group=PES, answers=answers_for(survey)
        )
    survey.refresh_from_db()
    assert (survey.responses_pes, survey.responses_officials) == (1, 0)
    assert SurveyResponse.objects.count() == 1


def test_the_database_refuses_a_second_participation(survey, pes_owner):
    SurveyParticipation.objects.create(survey=survey, user=pes_owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyParticipation.objects.create(survey=survey, user=pes_owner)


def test_the_answers_are_not_linked_to_the_person(survey, pes_owner):
    response = surveys_services.survey_answer(
        survey=survey, actor=pes_owner, group=PES, answers=answers_for(survey)
    )
    fields = {field.name for field in SurveyResponse._meta.get_fields()}
    assert fields == {"id", "survey", "group", "answers"}
    assert {field.name for field in SurveyAnswer._meta.get_fields()} == {
        "id",
        "response",
        "question",
        "group",
        "value",
        "text",
    }
    # A random key: the order of responses does not follow the order of participations.
    assert len(str(response.pk)) == 36


def test_a_multiple_choice_gives_a_row_per_option(survey, pes_owner):
    surveys_services.survey_answer(
        survey=survey, actor=pes_owner, group=PES, answers=answers_for(survey, multiple=("0", "2"))
    )
    multiple = survey.questions.get(kind=SurveyQuestion.Kind.MULTIPLE)
    assert sorted(multiple.answers.values_list("value", flat=True)) == [0, 2]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"scale": "6"}, "Wybierz jedną z podanych odpowiedzi."),
        ({"single": "9"}, "Wybierz jedną z podanych odpowiedzi."),
        ({"multiple": ("0", "x")}, "Wybierz jedną z podanych odpowiedzi."),
        ({"scale": ""}, "Odpowiedz na to pytanie."),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(survey, pes_owner, overrides, message):
    with pytest.raises(ValidationError, match=message):
        surveys_services.survey_answer(
            survey=survey, actor=pes_owner, group=PES, answers=answers_for(survey, **overrides)
        )
    assert not SurveyParticipation.objects.exists()
    assert not SurveyAnswer.objects.exists()


def test_an_optional_question_may_be_left_empty(survey, pes_owner):
    surveys_services.survey_answer(
        survey=survey, actor=pes_owner, group=PES, answers=answers_for(survey, text="")
    )
    assert not SurveyAnswer.objects.exclude(text="").exists()


def test_only_those_addressed_answer_in_their_group(
    survey, pes_owner, official, other_official, signed_in_user
):
    with pytest.raises(ValidationError, match="nie jest skierowana do Ciebie"):
        surveys_services.survey_answer(
            survey=survey, actor=pes_owner, group=OFFICIALS, answers=answers_for(survey)
        )
    for outsider in (other_official, signed_in_user):
        with pytest.raises(ValidationError, match="nie jest skierowana do Ciebie"):
            surveys_services.survey_answer(
                survey=survey, actor=outsider, group=OFFICIALS, answers=answers_for(survey)
            )
    surveys_services.survey_answer(
        survey=survey, actor=official, group=OFFICIALS, answers=answers_for(survey)
    )
    survey.refresh_from_db()
    assert survey.responses_officials == 1


def test_a_survey_for_pes_only_is_not_answered_by_officials(
    municipality, monitoring_member, official
):
    created = surveys_services.survey_create(
        actor=monitoring_member,
        municipality=municipality,
        **survey_data(audience=Survey.Audience.PES),
    )
    only_pes = surveys_services.survey_publish(survey=created, actor=monitoring_member)
    with pytest.raises(ValidationError, match="nie jest skierowana do Ciebie"):
        surveys_services.survey_answer(
            survey=only_pes, actor=official, group=OFFICIALS, answers=answers_for(only_pes)
        )


def test_answers_close_at_the_deadline_on_the_servers_clock(survey, pes_owner):
    with pytest.raises(ValidationError, match="Ankietę zamknięto"):
        surveys_services.survey_answer(
            survey=survey,
            actor=pes_owner,
            group=PES,
            answers=answers_for(survey),
            now=survey.deadline,
        )


def test_a_draft_takes_no_answers_and_publishing_needs_a_future_deadline(
    draft_survey, pes_owner, monitoring_member
):
    with pytest.raises(ValidationError, match="nie przyjmuje odpowiedzi"):
        surveys_services.survey_answer(
            survey=draft_survey, actor=pes_owner, group=PES, answers=answers_for(draft_survey)
        )
    with pytest.raises(ValidationError, match="Termin już upłynął"):
        surveys_services.survey_publish(
            survey=draft_survey, actor=monitoring_member, now=draft_survey.deadline
        )


def _group(results, question_kind, group):
    (result,) = [r for r in results if r.question.kind == question_kind]
    (found,) = [g for g in result.groups if g.group == group]
    return found


def test_results_are_suppressed_below_five_answers_per_group(survey, municipality):
    answer_all(survey, pes_members(5), PES, scale="5", single="0")
    answer_all(survey, officials_of(municipality, 4), OFFICIALS, scale="1")
    survey.refresh_from_db()
    results = surveys_selectors.survey_results(survey=survey)
    pes_scale = _group(results, "scale", PES)
    assert not pes_scale.suppressed
    assert pes_scale.mean == 5
    assert [f.value for f in pes_scale.figures] == [0, 0, 0, 0, 5]
    assert "5: 5 z 5 odpowiedzi (100%)." in pes_scale.figures[4].description
    officials_scale = _group(results, "scale", OFFICIALS)
    assert "mniej niż 5" in officials_scale.suppressed
    assert officials_scale.figures == [] and officials_scale.mean is None
    assert _group(results, "text", OFFICIALS).texts == []
    assert _group(results, "text", PES).texts == ["Więcej praktyki"] * 5
    rows = surveys_selectors.survey_export_rows(survey=survey)
    officials = str(RespondentGroup.OFFICIALS.label)
    suppressed = [row for row in rows if row["group"] == officials]
    assert len(suppressed) == 4  # one row per question, saying why
    assert all(row["count"] is None and row["share"] is None for row in suppressed)


def test_short_texts_need_five_answers_to_the_question(survey):
    people = pes_members(6)
    answer_all(survey, people[:4], PES, text="Tekst")
    answer_all(survey, people[4:], PES, text="")
    survey.refresh_from_db()
    texts = _group(surveys_selectors.survey_results(survey=survey), "text", PES)
    assert texts.texts == [] and "4" in texts.suppressed


def test_the_results_of_many_answers_take_a_fixed_number_of_queries(
    survey, django_assert_num_queries
):
    answer_all(survey, pes_members(7), PES)
    survey.refresh_from_db()
    with django_assert_num_queries(5):
        surveys_selectors.survey_results(survey=survey)


def test_reminders_go_before_the_deadline_once_each_to_those_who_did_not_answer(
    survey, pes_owner, pes_editor, official, django_capture_on_commit_callbacks, mailoutbox
):
    surveys_services.survey_answer(
        survey=survey, actor=pes_editor, group=PES, answers=answers_for(survey)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys_services.survey_reminders_send(now=survey.deadline - timedelta(days=5)) == 0
        assert surveys_services.survey_reminders_send(now=survey.deadline - timedelta(days=2)) == 2
    assert {message.to[0] for message in mailoutbox} == {pes_owner.email, official.email}
    assert survey.title in mailoutbox[0].subject
    mailoutbox.clear()
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_survey_reminders.delay().get()
        surveys_services.survey_reminders_send()
    assert mailoutbox == []  # however often the beat task runs, each reminder once
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys_services.survey_reminders_send(now=survey.deadline + timedelta(hours=1)) == 0


def test_a_training_from_a_gap_is_linked_to_the_question(survey, monitoring_member, municipality):
    question = survey.questions.get(kind=SurveyQuestion.Kind.SCALE)
    link = surveys_services.gap_training_create(
        actor=monitoring_member, question=question, municipality=municipality, **event_data()
    )
    assert link.event.survey_gap.question == question
    result = surveys_selectors.survey_results(survey=survey)[0]
    assert result.trainings == [link.event]


def test_indicators_count_surveys_and_answers(survey, municipality, pes_owner):
    surveys_services.survey_answer(
        survey=survey, actor=pes_owner, group=PES, answers=answers_for(survey)
    )
    day = timezone.localdate(survey.deadline)
    period = {"municipality": municipality, "start": day, "end": day}
    assert surveys_selectors.indicator_surveys(**period) == 1
    assert surveys_selectors.indicator_survey_responses(**period) == 1
    before = {**period, "end": day - timedelta(days=1), "start": day - timedelta(days=30)}
    assert surveys_selectors.indicator_surveys(**before) == 0


def test_personal_data_says_which_surveys_without_the_answers(survey, pes_owner):
    surveys_services.survey_answer(
        survey=survey, actor=pes_owner, group=PES, answers=answers_for(survey)
    )
    data = surveys_selectors.personal_data(user=pes_owner)
    assert [entry["survey"] for entry in data["surveys_answered"]] == [survey.title]
    assert "Więcej praktyki" not in str(data)
