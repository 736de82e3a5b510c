"""The committee's pages over HTTP: every view against every role, what a member with a
conflict never sees, bad input that loses nothing, the running total, exports, fixed queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from pestor.models import AuditEvent
from scoring import services
from scoring.models import Declaration, Panel, Score, Submission
from tests.factories import UserFactory
from tests.roles import ROLES, outcome
from tests.scoring.factories import make_call, make_panel, score

pytestmark = pytest.mark.django_db

MEMBERS = {"monitoring_member", "pes_owner", "pes_editor"}  # the chair and two members
MANAGERS = {"official", "admin_user", "monitoring_member"}  # the call's manager, admin, chair


def expected(role, allowed, *, member_refused=404):
    """Anonymous visitors sign in first; anyone else not allowed gets a 404, except members,
    who know the panel exists (``member_refused``)."""
    if role == "resident":
        return "login"
    if role in allowed:
        return 200
    return member_refused if role in MEMBERS else 404


@pytest.fixture
def declared(panel, seats, applications, pes_owner, pes_editor):
    """The PES owner declared no conflict with Alfa; the editor declared one."""
    alfa = applications[0]
    services.declaration_make(
        member=seats[pes_owner.pk], item=alfa, conflict=False, actor=pes_owner
    )
    services.declaration_make(
        member=seats[pes_editor.pk], item=alfa, conflict=True, note="Zarząd", actor=pes_editor
    )
    return alfa


# --- the role matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_list_of_my_panels(role, as_role, client, panel):
    as_role(role)
    response = client.get(reverse("scoring:panel-list"))
    if role == "resident":
        assert outcome(response) == "login"
        return
    assert response.status_code == 200
    assert (panel.title in response.content.decode()) == (role in MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_the_panel_page(role, as_role, client, panel):
    as_role(role)
    response = client.get(panel.get_absolute_url())
    assert outcome(response) == expected(role, MEMBERS | MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_the_declaration_page(role, as_role, client, panel, applications):
    as_role(role)
    response = client.get(reverse("scoring:item-declare", args=[panel.pk, applications[1].pk]))
    assert outcome(response) == expected(role, MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_the_score_sheet(role, as_role, client, panel, declared):
    """Only a member who declared no conflict sees the item; the editor, who declared one, gets
    a 404 and nothing of the item."""
    as_role(role)
    response = client.get(reverse("scoring:item-sheet", args=[panel.pk, declared.pk]))
    if role == "monitoring_member":  # has not declared yet: sent to the declaration first
        assert response.status_code == 302
        assert response["Location"].endswith(f"/pozycje/{declared.pk}/deklaracja/")
        return
    assert outcome(response) == expected(role, {"pes_owner"})
    assert ("Plan: Fundacja Alfa" in response.content.decode()) == (role == "pes_owner")


@pytest.mark.parametrize("role", ROLES)
def test_the_results_and_their_exports(role, as_role, client, panel):
    as_role(role)
    for url in (
        reverse("scoring:panel-results", args=[panel.pk]),
        reverse("scoring:panel-export", args=[panel.pk, "csv"]),
        reverse("scoring:panel-export", args=[panel.pk, "xlsx"]),
    ):
        assert outcome(client.get(url)) == expected(role, MANAGERS, member_refused=403)


@pytest.mark.parametrize("role", ROLES)
def test_the_members_page(role, as_role, client, panel):
    as_role(role)
    response = client.get(reverse("scoring:panel-members", args=[panel.pk]))
    assert outcome(response) == expected(role, MANAGERS, member_refused=403)


@pytest.mark.parametrize("role", ROLES)
def test_adding_and_removing_members(role, as_role, client, panel, seats, pes_editor):
    as_role(role)
    newcomer = UserFactory(email="nowy@example.org")
    response = client.post(
        reverse("scoring:panel-members", args=[panel.pk]),
        {"email": "NOWY@example.org", "role": "member"},
    )
    removal = client.post(
        reverse("scoring:member-remove", args=[panel.pk, seats[pes_editor.pk].pk])
    )
    allowed = role in MANAGERS
    want = 302 if allowed else expected(role, set(), member_refused=403)
    assert outcome(response) == want and outcome(removal) == want
    assert panel.members.filter(user=newcomer).exists() == allowed
    assert panel.members.filter(user=pes_editor).exists() == (not allowed)


@pytest.mark.parametrize("role", ROLES)
def test_closing_the_panel(role, as_role, client, panel):
    as_role(role)
    response = client.post(reverse("scoring:panel-close", args=[panel.pk]))
    allowed = role in MANAGERS
    assert outcome(response) == (302 if allowed else expected(role, set(), member_refused=403))
    panel.refresh_from_db()
    assert (panel.status == Panel.Status.CLOSED) == allowed


def test_members_see_results_only_when_the_panel_lets_them_after_submitting(
    client, official, call, pes_owner, applications
):
    panel = make_panel(
        call=call, actor=official, results_visibility=Panel.ResultsVisibility.MEMBERS
    )
    seat = services.member_add(panel=panel, user=pes_owner, actor=official)
    client.force_login(pes_owner)
    url = reverse("scoring:panel-results", args=[panel.pk])
    assert client.get(url).status_code == 403
    score(panel, seat, applications[0], 5, 5, 5)
    assert client.get(url).status_code == 403  # Beta is still to score
    score(panel, seat, applications[1], 5, 5, 5)
    assert client.get(url).status_code == 200


def test_a_missing_panel_item_or_member_is_404(client, panel, pes_owner, official, seats):
    client.force_login(pes_owner)
    other_call_item = make_call(manager=official).applications.first()
    assert client.get(reverse("scoring:panel-detail", args=[999999])).status_code == 404
    assert client.get(reverse("scoring:panel-detail", args=[10**30])).status_code == 404
    for url in (
        reverse("scoring:item-declare", args=[panel.pk, other_call_item.pk]),
        reverse("scoring:item-sheet", args=[panel.pk, 10**30]),
    ):
        assert client.get(url).status_code == 404
    client.force_login(official)
    assert client.post(reverse("scoring:member-remove", args=[panel.pk, 999999])).status_code == 404
    assert client.get(reverse("scoring:panel-export", args=[panel.pk, "pdf"])).status_code == 404


# --- declaring and scoring ---------------------------------------------------------------------


def _sheet_url(panel, item):
    return reverse("scoring:item-sheet", args=[panel.pk, item.pk])


def _fields(panel, *values, comments=()):
    data = {}
    for index, criterion in enumerate(panel.criteria.order_by("order", "pk")):
        value = values[index]
        if value == "na":
            data[f"na_{criterion.pk}"] = "on"
        else:
            data[f"points_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comments[index] if index < len(comments) else ""
    return data


def test_declare_then_score_with_a_running_total_then_submit(
    client, panel, pes_owner, applications
):
    alfa = applications[0]
    client.force_login(pes_owner)
    page = client.get(_sheet_url(panel, alfa))
    assert page.status_code == 302  # declaration first
    declare_url = page["Location"]
    page = client.get(declare_url)
    assert "Plan: Fundacja Alfa" not in page.content.decode()  # nothing before the declaration
    response = client.post(declare_url, {"conflict": "no"})
    assert response.status_code == 302 and response["Location"] == _sheet_url(panel, alfa)

    response = client.post(_sheet_url(panel, alfa), {**_fields(panel, "7,5", "", ""), "save": "1"})
    assert response.status_code == 302
    page = client.get(_sheet_url(panel, alfa))
    html = page.content.decode()
    assert "Plan: Fundacja Alfa" in html
    assert "data-running-total>7,5</output>" in html
    assert 'value="7,5"' in html

    client.post(_sheet_url(panel, alfa), {**_fields(panel, "8", "4", "na"), "save": "1"})
    assert "data-running-total>12</output>" in client.get(_sheet_url(panel, alfa)).content.decode()
    response = client.post(
        _sheet_url(panel, alfa), {**_fields(panel, "8", "4", "na"), "submit": "1"}
    )
    assert response.status_code == 302 and response["Location"] == panel.get_absolute_url()
    sheet = Submission.objects.get()
    assert sheet.is_submitted
    html = client.get(_sheet_url(panel, alfa)).content.decode()
    assert '<form method="post" novalidate class="score-sheet"' not in html  # read-only now


def test_the_saved_sheets_message_gives_the_total_just_saved(
    client, panel, pes_owner, applications
):
    """The sheet's page reads the member's draft with the item; the message after saving reads
    the sheet again, as saved now, not as read before the save."""
    from django.contrib.messages import get_messages

    alfa = applications[0]
    client.force_login(pes_owner)
    client.post(reverse("scoring:item-declare", args=[panel.pk, alfa.pk]), {"conflict": "no"})
    client.post(_sheet_url(panel, alfa), {**_fields(panel, "7,5", "", ""), "save": "1"})
    response = client.post(
        _sheet_url(panel, alfa),
        {**_fields(panel, "8", "4", "na"), "save": "1"},
        headers={"accept-language": "pl"},
    )
    assert [str(message) for message in get_messages(response.wsgi_request)][-1] == (
        "Zapisano wersję roboczą. Dotychczasowa suma: 12 pkt."
    )


def test_a_conflict_hides_the_item_for_good(client, panel, pes_editor, applications):
    alfa = applications[0]
    client.force_login(pes_editor)
    url = reverse("scoring:item-declare", args=[panel.pk, alfa.pk])
    response = client.post(url, {"conflict": "yes", "note": ""})
    assert response.status_code == 200
    assert "Say briefly what the conflict of interest is." in response.content.decode() or (
        "Napisz krótko" in response.content.decode()
    )
    response = client.post(url, {"conflict": "yes", "note": "Jestem w zarządzie."})
    assert response.status_code == 302 and response["Location"] == panel.get_absolute_url()
    assert Declaration.objects.get().conflict
    sheet = client.get(_sheet_url(panel, alfa))
    assert sheet.status_code == 404
    assert "Plan: Fundacja Alfa" not in sheet.content.decode()
    response = client.post(
        _sheet_url(panel, alfa), {**_fields(panel, "1", "1", "1"), "submit": "1"}
    )
    assert response.status_code == 404
    response = client.post(url, {"conflict": "no"})  # a declaration cannot be taken back
    assert response.status_code == 200 and Declaration.objects.get().conflict
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("11", "4", "1"), "Maksymalnie 10 pkt."),
        (("-1", "4", "1"), "Liczba punktów nie może być ujemna."),
        (("siedem", "4", "1"), "Wpisz liczbę, np. 7 lub 7,5."),
        (("NaN", "4", "1"), "Wpisz liczbę, np. 7 lub 7,5."),
        (("1e999999999", "4", "1"), "Maksymalnie 10 pkt."),
        (("7,125", "4", "1"), "Najwyżej dwa miejsca po przecinku."),
        (("7", "", "1"), "Oceń to kryterium przed wysłaniem."),
    ],
)
def test_bad_points_get_a_polish_message_by_the_field_and_lose_nothing(
    client, panel, pes_owner, declared, values, message
):
    client.force_login(pes_owner)
    data = {**_fields(panel, *values, comments=("Uwaga do wykonalności",)), "submit": "1"}
    response = client.post(_sheet_url(panel, declared), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{values[0]}"' in html and "Uwaga do wykonalności" in html
    assert not Score.objects.exists() and not Submission.objects.filter(status="submitted").exists()


def test_points_and_not_applicable_together_are_refused(client, panel, pes_owner, declared):
    client.force_login(pes_owner)
    data = _fields(panel, "7", "4", "3")
    data[f"na_{panel.criteria.get(order=2).pk}"] = "on"
    response = client.post(_sheet_url(panel, declared), {**data, "save": "1"})
    assert response.status_code == 200
    assert (
        "Podaj punkty albo zaznacz „nie dotyczy”, nie jedno i drugie." in response.content.decode()
    )


def test_not_applicable_posted_for_a_criterion_that_does_not_allow_it_is_ignored(
    client, panel, pes_owner, declared
):
    client.force_login(pes_owner)
    data = _fields(panel, "7", "4", "3")
    data[f"na_{panel.criteria.get(order=0).pk}"] = "on"
    client.post(_sheet_url(panel, declared), {**data, "submit": "1"})
    assert Score.objects.get(criterion__order=0).points == 7


def test_scoring_after_submission_or_closing_is_refused(
    client, panel, official, pes_owner, seats, declared
):
    score(panel, seats[pes_owner.pk], declared, 5, 5, 5)
    client.force_login(pes_owner)
    response = client.post(
        _sheet_url(panel, declared), {**_fields(panel, "1", "1", "1"), "save": "1"}
    )
    assert response.status_code == 200
    assert "Ta karta została już wysłana i nie można jej zmienić." in response.content.decode()
    services.panel_close(panel=panel, actor=official)
    beta = panel.owner.applications.order_by("pk").last()
    response = client.post(
        reverse("scoring:item-declare", args=[panel.pk, beta.pk]), {"conflict": "no"}
    )
    assert "Ocena w tej komisji jest zamknięta." in response.content.decode()
    assert sorted(Score.objects.values_list("points", flat=True)) == [5, 5, 5]


def test_adding_an_unknown_person_says_so(client, panel, official):
    client.force_login(official)
    response = client.post(
        reverse("scoring:panel-members", args=[panel.pk]),
        {"email": "nikt@example.org", "role": "member"},
    )
    assert response.status_code == 200
    assert "Nikt z tym adresem e-mail nie ma konta." in response.content.decode()
    assert 'value="nikt@example.org"' in response.content.decode()


# --- results and exports -----------------------------------------------------------------------


def test_results_show_means_na_and_ranking(
    client, panel, official, seats, pes_owner, monitoring_member, applications
):
    alfa, beta = applications
    score(panel, seats[pes_owner.pk], alfa, 8, 4, "na")
    score(panel, seats[monitoring_member.pk], alfa, 6, 3, "na")
    score(panel, seats[pes_owner.pk], beta, 10, 5, 5)
    client.force_login(official)
    html = client.get(reverse("scoring:panel-results", args=[panel.pk])).content.decode()
    assert html.index("Stowarzyszenie Beta") < html.index("Fundacja Alfa")
    assert "<td>7,00</td><td>3,50</td><td>n/d</td>" in html
    assert "<strong>10,50</strong>" in html


def test_the_csv_and_xlsx_carry_every_criterion_of_every_member(
    client, panel, official, seats, pes_owner, monitoring_member, applications
):
    alfa = applications[0]
    score(panel, seats[pes_owner.pk], alfa, "7.5", 4, "na")
    score(panel, seats[monitoring_member.pk], alfa, 6, 3, 2)
    client.force_login(official)
    response = client.get(reverse("scoring:panel-export", args=[panel.pk, "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["Miejsce", "Pozycja", "Członek", "Rola", "Przedstawiciel PES"]
    assert rows[0][5:8] == [
        "Wykonalność (maks. 10)",
        "Kalkulacja kosztów (maks. 5)",
        "Wkład własny (maks. 5)",
    ]
    by_member = {row[2]: row for row in rows[1:] if row[1] == "Fundacja Alfa"}
    owner_row = by_member[pes_owner.display_name]
    assert owner_row[5:9] == ["7,50", "4,00", "n/d", "11,50"]
    assert by_member["średnia członków"][5:9] == ["6,75", "3,50", "2,00", "12,25"]

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("scoring:panel-export", args=[panel.pk, "xlsx"])).getvalue())
    )
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    mean_row = next(
        row for row in sheet_rows if row[2] == "średnia członków" and row[1] == "Fundacja Alfa"
    )
    assert mean_row[5:9] == (6.75, 3.5, 2, 12.25)


def test_the_results_page_runs_a_fixed_number_of_queries(client, official, django_user_model):
    """Five items and three members, then forty items and twelve members: the same count."""

    def build(items, members):
        call = make_call(manager=official, applications=[f"Wnioskodawca {i}" for i in range(items)])
        panel = make_panel(call=call, actor=official)
        seats = [
            services.member_add(panel=panel, user=UserFactory(), actor=official)
            for _ in range(members)
        ]
        for item in call.applications.all():
            for seat in seats:
                score(panel, seat, item, 5, 3, "na")
        return panel

    def count(panel):
        with CaptureQueriesContext(connection) as queries:
            for url in (
                reverse("scoring:panel-results", args=[panel.pk]),
                reverse("scoring:panel-detail", args=[panel.pk]),
            ):
                assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(official)
    small, large = build(5, 3), build(40, 12)
    assert count(small) == count(large)
    assert Decimal(count(large)) <= 30


def test_the_panel_list_and_the_members_page_run_a_fixed_number_of_queries(
    client, official, pes_owner
):
    def build(n):
        panels = []
        for i in range(n):
            call = make_call(manager=official, applications=[f"W{i}"])
            panel = make_panel(call=call, actor=official)
            services.member_add(panel=panel, user=pes_owner, actor=official)
            for _ in range(3):
                services.member_add(panel=panel, user=UserFactory(), actor=official)
            panels.append(panel)
        return panels

    def count(url, user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = build(2)
    list_few = count(reverse("scoring:panel-list"), pes_owner)
    members_few = count(reverse("scoring:panel-members", args=[few[0].pk]), official)
    many = build(15)
    assert count(reverse("scoring:panel-list"), pes_owner) == list_few
    services.member_add(panel=many[0], user=UserFactory(), actor=official)
    assert count(reverse("scoring:panel-members", args=[many[0].pk]), official) == members_few


def test_every_page_change_is_in_the_event_log(client, panel, official, pes_owner, applications):
    client.force_login(pes_owner)
    alfa = applications[0]
    client.post(reverse("scoring:item-declare", args=[panel.pk, alfa.pk]), {"conflict": "no"})
    client.post(_sheet_url(panel, alfa), {**_fields(panel, "8", "4", "na"), "submit": "1"})
    client.force_login(official)
    client.post(reverse("scoring:panel-close", args=[panel.pk]))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"scoring.declare", "scoring.sheet_submit", "scoring.panel_close"} <= actions


def test_my_panel_links_to_the_scoring_panels(client, pes_owner):
    client.force_login(pes_owner)
    html = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("scoring:panel-list") in html


def test_a_members_to_do_list_and_sheet_run_a_fixed_number_of_queries(client, official, pes_owner):
    """Three items, two members and two criteria, then sixty items, twelve members and twelve
    weighted criteria: the member's to-do list (their declarations, drafts and totals) and
    their submitted sheet with the others' sheets ask the database as often (issue 8: at most
    ten a page, the session, the user and the roles included)."""

    def build(items, members, criteria):
        call = make_call(manager=official, applications=[f"Oferta {n}" for n in range(items)])
        call.applications.filter(applicant="Oferta 1").update(formal_failure="Brak podpisu")
        panel = make_panel(
            call=call,
            actor=official,
            criteria=[
                {"name": f"Kryterium {n}", "max_points": 10, "weight": 1 + n % 2}
                for n in range(criteria)
            ],
            results_visibility=Panel.ResultsVisibility.MEMBERS,
        )
        seat = services.member_add(panel=panel, user=pes_owner, actor=official)
        others = [
            services.member_add(panel=panel, user=UserFactory(), actor=official)
            for _ in range(members - 1)
        ]
        first, _failed, draft, conflict, *_rest = call.applications.order_by("pk")
        for member in [seat, *others]:
            score(panel, member, first, *[4] * criteria)
        score(panel, seat, draft, *[None] * (criteria - 1), 3, submit=False)
        services.declaration_make(
            member=seat, item=conflict, conflict=True, note="Zarząd", actor=pes_owner
        )
        return panel, first, draft

    def count(panel, url):
        client.get(url)  # the sums and the roles as a second request finds them
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response

    client.force_login(pes_owner)
    counts = {}
    for items, members, criteria in ((4, 2, 2), (60, 12, 12)):
        panel, first, draft = build(items, members, criteria)
        todo, listed = count(panel, panel.get_absolute_url())
        sheet, shown = count(panel, _sheet_url(panel, first))
        counts[items] = (todo, sheet)
        # What the lists read with the items is what they read before, one query each.
        rows = {row.item.pk: row for row in listed.context["rows"]}
        assert len(rows) == min(items - 1, 50)  # the failed one kept out; a page of 50
        assert rows[first.pk].total == 4 * sum(1 + n % 2 for n in range(criteria))
        assert rows[first.pk].submission.is_submitted and not rows[first.pk].conflict
        assert rows[draft.pk].total == 3 * (1 + (criteria - 1) % 2)
        assert not rows[draft.pk].submission.is_submitted
        assert listed.context["progress"].done == 2  # the submitted one and the conflict
        assert len(shown.context["others"]) == members - 1
        assert shown.context["sheet"].total == rows[first.pk].total
    # The session, the user and the roles; the panel with the seat and the criteria; the call;
    # what it keeps out; then the list's count, its page with the member's work, the progress;
    # the sheet's item with the member's declaration, sheet and scores, the others' sheets.
    assert counts[4] == counts[60] == (9, 8)
