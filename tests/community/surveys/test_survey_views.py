"""The survey pages for every role (allowed, refused, or the same 404 for a survey one may not
see), bad input that keeps what was typed with a Polish message, a second answer refused
clearly, the export, a training from a gap, and fixed query counts."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from community import surveys_services
from community.models import Event, Survey, SurveyParticipation, SurveyQuestion
from community.surveys_models import RespondentGroup
from pestor.models import AuditEvent
from tests.community.surveys.conftest import answer_all, officials_of, pes_members
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

TEAM = {"monitoring_member", "admin_user"}
# Those a Toruń survey for PES members and officials is addressed to.
ADDRESSED = {"pes_owner", "pes_editor", "other_pes_member", "official"}
SIGNED_IN = set(ROLES) - {"resident"}


def expected(role, allowed, *, otherwise):
    if role == "resident":
        return "login"
    return 200 if role in allowed else otherwise


@pytest.mark.parametrize("role", ROLES)
def test_the_list_is_for_signed_in_users(role, as_role, client, survey):
    as_role(role)
    response = client.get(reverse("community:survey-list"))
    assert outcome(response) == expected(role, SIGNED_IN, otherwise=None)
    if role in ADDRESSED:
        assert survey.title in response.content.decode()
    elif role == "signed_in_user":
        assert survey.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_build_a_survey(role, as_role, client):
    as_role(role)
    response = client.get(reverse("community:survey-create"))
    assert outcome(response) == expected(role, TEAM, otherwise=403)


@pytest.mark.parametrize("role", ROLES)
def test_a_published_survey_is_seen_by_the_team_and_those_addressed(role, as_role, client, survey):
    as_role(role)
    response = client.get(reverse("community:survey-answer", args=[survey.pk]))
    assert outcome(response) == expected(role, TEAM | ADDRESSED, otherwise=404)
    if role in ADDRESSED:
        assert "Wyślij odpowiedzi" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_and_edited_by_the_team_only(role, as_role, client, draft_survey):
    as_role(role)
    for url in (
        reverse("community:survey-answer", args=[draft_survey.pk]),
        reverse("community:survey-update", args=[draft_survey.pk]),
    ):
        assert outcome(client.get(url)) == expected(role, TEAM, otherwise=404), url
    response = client.post(reverse("community:survey-publish", args=[draft_survey.pk]))
    draft_survey.refresh_from_db()
    if role in TEAM:
        assert draft_survey.status == Survey.Status.PUBLISHED
    else:
        assert outcome(response) in ("login", 404)
        assert draft_survey.status == Survey.Status.DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_who_may_answer(role, as_role, client, survey):
    user = as_role(role)
    data = _valid_answers(survey)
    if role == "official":
        data["group"] = RespondentGroup.OFFICIALS
    response = client.post(reverse("community:survey-answer", args=[survey.pk]), data)
    if role in ADDRESSED:
        assert response.status_code == 302
        assert SurveyParticipation.objects.filter(survey=survey, user=user).exists()
    else:
        assert outcome(response) in ("login", 404)
        assert not SurveyParticipation.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_results_and_export_are_for_the_team(role, as_role, client, survey):
    as_role(role)
    for url in (
        reverse("community:survey-results", args=[survey.pk]),
        reverse("community:survey-export", args=[survey.pk, "csv"]),
        reverse("community:survey-export", args=[survey.pk, "xlsx"]),
    ):
        otherwise = 403 if role in ADDRESSED else 404
        assert outcome(client.get(url)) == expected(role, TEAM, otherwise=otherwise), url


@pytest.mark.parametrize("role", ROLES)
def test_a_training_from_a_gap_is_created_by_the_team(role, as_role, client, survey):
    as_role(role)
    question = survey.questions.first()
    url = reverse("community:survey-gap-event", args=[survey.pk, question.pk])
    assert outcome(client.get(url)) == expected(role, TEAM, otherwise=404)


def _valid_answers(survey, **overrides) -> dict:
    data = {}
    for question in survey.questions.all():
        key = f"q{question.pk}"
        data[key] = {
            SurveyQuestion.Kind.SCALE: "4",
            SurveyQuestion.Kind.SINGLE: "0",
            SurveyQuestion.Kind.MULTIPLE: ["1", "2"],
            SurveyQuestion.Kind.TEXT: "Więcej warsztatów",
        }[question.kind]
    data.update(overrides)
    return data


def test_a_missing_answer_gets_a_polish_message_and_keeps_the_others(client, survey, pes_owner):
    client.force_login(pes_owner)
    scale = survey.questions.get(kind=SurveyQuestion.Kind.SCALE)
    text = survey.questions.get(kind=SurveyQuestion.Kind.TEXT)
    data = _valid_answers(survey, **{f"q{scale.pk}": ""})
    response = client.post(reverse("community:survey-answer", args=[survey.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Odpowiedz na to pytanie." in html
    assert 'value="Więcej warsztatów"' in html
    assert not SurveyParticipation.objects.exists()
    assert f'name="q{text.pk}"' in html


def test_a_second_answer_is_refused_with_a_clear_message(client, survey, pes_owner):
    client.force_login(pes_owner)
    url = reverse("community:survey-answer", args=[survey.pk])
    assert client.post(url, _valid_answers(survey)).status_code == 302
    response = client.post(url, _valid_answers(survey))
    assert response.status_code == 400
    assert "Ta ankieta została już przez Ciebie wypełniona" in response.content.decode()
    assert SurveyParticipation.objects.count() == 1
    page = client.get(url).content.decode()
    assert "Wyślij odpowiedzi" not in page
    assert "została już przez Ciebie wypełniona" in page


def test_a_person_in_both_groups_chooses_one(client, survey, organisation, official):
    from directory.models import OrganisationMembership

    OrganisationMembership.objects.create(organisation=organisation, user=official, role="editor")
    client.force_login(official)
    url = reverse("community:survey-answer", args=[survey.pk])
    response = client.post(url, _valid_answers(survey))
    assert response.status_code == 400
    assert "group" in response.context["form"].errors
    response = client.post(url, {**_valid_answers(survey), "group": RespondentGroup.PES})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.responses_pes, survey.responses_officials) == (1, 0)


def test_the_team_builds_a_survey_and_bad_rows_keep_what_was_typed(
    client, monitoring_member, municipality
):
    client.force_login(monitoring_member)
    url = reverse("community:survey-create")
    data = {
        "municipality": str(municipality.pk),
        "title": "Ankieta kompetencyjna",
        "introduction": "",
        "audience": "both",
        "deadline": "2099-05-01T12:00",
        "questions-TOTAL_FORMS": "3",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Forma szkolenia",
        "questions-0-kind": "single",
        "questions-0-choices": "tylko jedna",
        "questions-0-required": "on",
        "questions-1-text": "Potrzeba: RODO",
        "questions-1-kind": "scale",
        "questions-1-required": "on",
        "questions-2-text": "",
        "questions-2-kind": "scale",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pytanie 1 potrzebuje od 2 do 20 opcji." in html
    assert 'value="Potrzeba: RODO"' in html and "tylko jedna" in html
    assert not Survey.objects.exists()
    data["questions-0-choices"] = "stacjonarnie\nonline"
    response = client.post(url, data)
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert [q.text for q in survey.questions.all()] == ["Forma szkolenia", "Potrzeba: RODO"]
    assert survey.questions.first().choices == ["stacjonarnie", "online"]


def test_a_past_deadline_is_refused_in_polish(client, monitoring_member, municipality):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("community:survey-create"),
        {
            "municipality": str(municipality.pk),
            "title": "Ankieta",
            "audience": "pes",
            "deadline": "2001-01-01T12:00",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-0-text": "Potrzeba",
            "questions-0-kind": "scale",
        },
    )
    assert response.status_code == 400
    assert "Termin musi przypadać w przyszłości." in response.content.decode()


def test_results_show_charts_with_text_and_suppress_small_groups(
    client, survey, municipality, monitoring_member
):
    answer_all(survey, pes_members(5), RespondentGroup.PES, scale="5")
    answer_all(survey, officials_of(municipality, 2), RespondentGroup.OFFICIALS, scale="1")
    client.force_login(monitoring_member)
    html = client.get(reverse("community:survey-results", args=[survey.pk])).content.decode()
    assert html.count("<svg") == 5 + 2 + 3  # scale, single and multiple of the PES
    assert "5: 5 z 5 odpowiedzi (100%)." in html
    assert "Nie pokazano: 2 odpowiedzi w tej grupie" in html
    assert html.count("Więcej praktyki") == 5
    workbook = load_workbook(
        io.BytesIO(
            b"".join(client.get(reverse("community:survey-export", args=[survey.pk, "xlsx"])))
        )
    )
    cells = [str(cell.value) for row in workbook.active.iter_rows() for cell in row]
    assert "Więcej praktyki" in cells
    assert cells.count("urzędnicy") == 4


def test_a_training_created_from_a_gap_names_it_on_the_event_page(
    client, survey, monitoring_member, municipality
):
    client.force_login(monitoring_member)
    question = survey.questions.get(kind=SurveyQuestion.Kind.SCALE)
    url = reverse("community:survey-gap-event", args=[survey.pk, question.pk])
    form = client.get(url).context["form"]
    assert form.initial["kind"] == "training"
    assert question.text in form.initial["title"]
    response = client.post(
        url,
        {
            "publisher": f"m{municipality.pk}",
            "kind": "training",
            "title": form.initial["title"],
            "programme": "Plan.",
            "starts_at": "2099-03-01T10:00",
            "ends_at": "2099-03-01T14:00",
            "venue": "Sala 101",
            "audience": "everyone",
            "capacity": "20",
            "registration_deadline": "2099-02-27T10:00",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    page = client.get(event.get_absolute_url()).content.decode()
    assert f"odpowiada na lukę „{question.text}” z ankiety „{survey.title}”" in page
    results = client.get(reverse("community:survey-results", args=[survey.pk])).content.decode()
    assert event.get_absolute_url() in results


def test_the_results_page_runs_a_fixed_number_of_queries(
    client, survey, monitoring_member, django_assert_num_queries
):
    answer_all(survey, pes_members(6), RespondentGroup.PES)
    client.force_login(monitoring_member)
    url = reverse("community:survey-results", args=[survey.pk])
    client.get(url)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_the_answer_page_and_the_list_run_a_fixed_number_of_queries(
    client, survey, pes_owner, municipality, monitoring_member, django_assert_num_queries
):
    for index in range(5):
        surveys_services.survey_publish(
            survey=surveys_services.survey_create(
                actor=monitoring_member,
                municipality=municipality,
                title=f"Ankieta {index}",
                audience="pes",
                deadline=survey.deadline,
                questions=[{"kind": "scale", "text": "Potrzeba"}],
            ),
            actor=monitoring_member,
        )
    client.force_login(pes_owner)
    client.get(reverse("community:survey-list"))
    with django_assert_num_queries(4):
        assert client.get(reverse("community:survey-list")).status_code == 200
    url = reverse("community:survey-answer", args=[survey.pk])
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


# --- a later deadline -----------------------------------------------------------------------


def audit_actions(survey) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            action__startswith="community.survey_extend", object_id=str(survey.pk)
        ).values_list("action", flat=True)
    )


def _later(survey, days=5):
    return timezone.localtime(survey.deadline + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_extend_an_open_surveys_deadline(role, as_role, client, survey):
    as_role(role)
    before = survey.deadline
    url = reverse("community:survey-deadline", args=[survey.pk])
    page = client.get(url)
    response = client.post(url, {"deadline": _later(survey)})
    survey.refresh_from_db()
    if role in TEAM:
        assert page.status_code == 200
        assert response.status_code == 302
        later = (before + timedelta(days=5)).replace(second=0, microsecond=0)
        assert survey.deadline == later
    else:
        # Those addressed see the survey but may not touch it; the others do not see it at all.
        refused = "login" if role == "resident" else 403 if role in ADDRESSED else 404
        assert outcome(page) == outcome(response) == refused
        assert survey.deadline == before


def test_the_team_extends_the_deadline_from_the_survey_page(client, survey, monitoring_member):
    client.force_login(monitoring_member)
    page = client.get(reverse("community:survey-answer", args=[survey.pk])).content.decode()
    url = reverse("community:survey-deadline", args=[survey.pk])
    assert f'href="{url}"' in page and "Przedłuż termin" in page
    response = client.post(url, {"deadline": _later(survey, days=10)}, follow=True)
    assert "Termin ankiety został przedłużony." in response.content.decode()
    assert audit_actions(survey) == ["community.survey_extend"]


def test_an_earlier_deadline_is_refused_in_polish_and_keeps_what_was_typed(
    client, survey, monitoring_member
):
    client.force_login(monitoring_member)
    before = survey.deadline
    typed = _later(survey, days=-1)
    response = client.post(
        reverse("community:survey-deadline", args=[survey.pk]), {"deadline": typed}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Podaj datę późniejszą niż obecny termin" in page
    assert f'value="{typed}"' in page
    survey.refresh_from_db()
    assert survey.deadline == before


def test_a_draft_or_closed_survey_has_no_deadline_to_extend(
    client, survey, draft_survey, monitoring_member
):
    client.force_login(monitoring_member)
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    for closed in (survey, draft_survey):
        url = reverse("community:survey-deadline", args=[closed.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"deadline": "2030-01-01T12:00"}).status_code == 403
    page = client.get(reverse("community:survey-answer", args=[survey.pk])).content.decode()
    assert "Przedłuż termin" not in page
