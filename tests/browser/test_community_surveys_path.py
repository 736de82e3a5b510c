"""A competence survey in a browser, clicked through: the monitoring team builds a survey and
publishes it; a PES member and an official answer it (a missing answer first gets a Polish
message and keeps what was typed; a second answer is refused); the results show the PES
members' charts with their text and the officials' group suppressed below 5 answers; from a
gap the team creates a training, whose page names the gap. axe-core's WCAG 2.1 AA rules run
on the list, the answering page, the builder and the results."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community import surveys_selectors, surveys_services
from community.models import Event, Survey
from community.surveys_models import RespondentGroup
from tests.browser.test_equipment_bank_path import _login, _logout
from tests.community.surveys.conftest import pes_members
from tests.factories import make_monitoring_member, make_official

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_survey_is_built_answered_and_a_training_answers_its_gap(
    page, municipality, assert_accessible
):
    team = make_monitoring_member(municipality, email="zespol@torun.example.org")
    official = make_official(municipality, email="urzednik-ankieta@torun.example.org")
    pes, *others = pes_members(5, prefix="ankieta")

    # The team builds the survey: a scale and a short text.
    _login(page, team)
    page.goto("/wydarzenia/ankiety/")
    assert_accessible(page)
    page.get_by_role("link", name="Nowa ankieta kompetencyjna").click()
    page.fill("#id_title", "Potrzeby szkoleniowe w przeglądarce")
    page.select_option("#id_audience", "both")
    deadline = timezone.localtime() + timedelta(days=10)
    page.fill("#id_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_questions-0-text", "Potrzeba szkolenia: rozeznanie rynku")
    page.select_option("#id_questions-0-kind", "scale")
    page.fill("#id_questions-1-text", "Czego jeszcze potrzebujesz?")
    page.select_option("#id_questions-1-kind", "text")
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    expect(page.get_by_text("Ankietę zapisano jako wersję roboczą.")).to_be_visible()
    page.get_by_role("button", name="Opublikuj ankietę").click()
    expect(page.get_by_text("Ankieta jest opublikowana")).to_be_visible()
    survey = Survey.objects.get()
    # A few more days for the answers: an earlier date is refused, a later one taken.
    page.get_by_role("link", name="Przedłuż termin").click()
    page.fill("#id_deadline", (deadline - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Zapisz nowy termin").click()
    expect(page.get_by_text("Podaj datę późniejszą niż obecny termin").first).to_be_visible()
    assert_accessible(page)
    page.fill("#id_deadline", (deadline + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Zapisz nowy termin").click()
    expect(page.get_by_text("Termin ankiety został przedłużony.")).to_be_visible()
    survey.refresh_from_db()
    assert timezone.localtime(survey.deadline).date() == (deadline + timedelta(days=4)).date()
    _logout(page)

    # A PES member answers: the scale left empty first, the text kept.
    _login(page, pes)
    page.goto("/wydarzenia/ankiety/")
    page.get_by_role("link", name="Potrzeby szkoleniowe w przeglądarce").click()
    assert_accessible(page)
    page.get_by_label("Czego jeszcze potrzebujesz?").fill("Przykładów z innych miast")
    page.get_by_role("button", name="Wyślij odpowiedzi").click()
    expect(page.get_by_text("Odpowiedz na to pytanie.").first).to_be_visible()
    expect(page.get_by_label("Czego jeszcze potrzebujesz?")).to_have_value(
        "Przykładów z innych miast"
    )
    assert_accessible(page)
    page.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Wyślij odpowiedzi").click()
    expect(page.get_by_text("Dziękujemy: odpowiedzi zapisano")).to_be_visible()
    expect(page.get_by_text("wypełniona, dziękujemy")).to_be_visible()
    page.goto(survey.get_absolute_url())
    expect(page.get_by_text("Ta ankieta została już przez Ciebie wypełniona.")).to_be_visible()
    _logout(page)

    # An official answers too; four more PES members answer (five PES members in all).
    _login(page, official)
    page.goto(survey.get_absolute_url())
    page.get_by_label("2", exact=True).check()
    page.get_by_label("Czego jeszcze potrzebujesz?").fill("Wzorów dokumentów")
    page.get_by_role("button", name="Wyślij odpowiedzi").click()
    expect(page.get_by_text("Dziękujemy: odpowiedzi zapisano")).to_be_visible()
    _logout(page)
    questions = surveys_selectors.survey_questions(survey=survey)
    for person in others:
        surveys_services.survey_answer(
            survey=survey,
            actor=person,
            group=RespondentGroup.PES,
            answers={questions[0].pk: "4", questions[1].pk: "Więcej warsztatów"},
        )

    # The results: the PES members' chart and text, the officials suppressed.
    _login(page, team)
    page.goto(f"/wydarzenia/ankiety/{survey.pk}/wyniki/")
    expect(page.locator(".chart-text", has_text="5: 1 z 5 odpowiedzi (20%).")).to_be_visible()
    expect(page.get_by_role("img", name="5: 1 z 5 odpowiedzi (20%).")).to_be_visible()
    expect(page.get_by_text("Przykładów z innych miast")).to_be_visible()
    expect(page.get_by_text("Nie pokazano: 1 odpowiedź w tej grupie").first).to_be_visible()
    assert_accessible(page)

    # A training from the gap of the first question.
    page.get_by_role("link", name="Utwórz szkolenie na tę lukę").first.click()
    expect(page.locator("#id_title")).to_have_value(
        "Szkolenie: Potrzeba szkolenia: rozeznanie rynku"
    )
    start = timezone.localtime() + timedelta(days=30)
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT10:00"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT14:00"))
    page.fill("#id_registration_deadline", (start - timedelta(days=2)).strftime("%Y-%m-%dT10:00"))
    page.fill("#id_venue", "Urząd Miasta Torunia, sala 101")
    page.fill("#id_capacity", "20")
    page.get_by_role("button", name="Zapisz").click()
    expect(
        page.get_by_text(
            "odpowiada na lukę „Potrzeba szkolenia: rozeznanie rynku” z ankiety "
            "„Potrzeby szkoleniowe w przeglądarce”"
        )
    ).to_be_visible()
    assert Event.objects.get().survey_gap.question == questions[0]
