"""What grant competitions (issue 13) need of the committee: parts with subtotals and weights,
items the owner keeps out of scoring, the others' scores only after one's own, a comment below
half of the maximum, nobody scoring after closing (also in a race), the boundaries of the
arithmetic (n/a, ties) and the pages of a long list."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from pestor.models import AuditEvent
from scoring import selectors, services
from scoring.models import Member, Panel, Score, Submission
from tests.factories import UserFactory
from tests.roles import ROLES, outcome
from tests.scoring.factories import make_call, make_panel, score

pytestmark = pytest.mark.django_db

PARTS = [
    {"name": "Wykonalność", "max_points": 10, "part": "Ocena merytoryczna"},
    {"name": "Kalkulacja kosztów", "max_points": 5, "part": "Ocena merytoryczna"},
    {
        "name": "Wkład w cele strategii",
        "max_points": 5,
        "part": "Zgodność ze strategią",
        "weight": 2,
        "allow_not_applicable": True,
    },
]


def _result(results, item):
    return next(r for r in results.items if r.item.pk == item.pk)


def _sheet_url(panel, item):
    return reverse("scoring:item-sheet", args=[panel.pk, item.pk])


def _fields(panel, *values, comments=()):
    data = {}
    for index, criterion in enumerate(panel.criteria.order_by("order", "pk")):
        data[f"points_{criterion.pk}"] = values[index]
        data[f"comment_{criterion.pk}"] = comments[index] if index < len(comments) else ""
    return data


# --- the arithmetic at its boundaries ----------------------------------------------------------


def test_not_applicable_is_left_out_but_zero_counts(panel, owner_seat, editor_seat, applications):
    alfa = applications[0]
    score(panel, owner_seat, alfa, 0, 0, "na")
    score(panel, editor_seat, alfa, 10, 4, 0)
    result = _result(selectors.panel_results(panel=panel), alfa)
    assert [m.mean for m in result.means] == [Decimal("5.00"), Decimal("2.00"), Decimal("0.00")]
    assert [(m.scored, m.not_applicable) for m in result.means] == [(2, 0), (2, 0), (1, 1)]
    assert result.total == Decimal("7.00")  # the one zero counts, the n/a does not
    assert result.max_total == Decimal("20")


def test_equal_rounded_totals_share_the_first_rank(
    official, pes_owner, pes_editor, monitoring_member
):
    """A: (10+10+9)/3 = 9.666…, B: 9.67 exactly; both show 9,67, so both rank first and the
    next is third."""
    call = make_call(manager=official, applications=["A", "B", "C"])
    panel = make_panel(call=call, actor=official, criteria=[{"name": "Jakość", "max_points": 10}])
    seats = [
        services.member_add(panel=panel, user=user, actor=official)
        for user in (pes_owner, pes_editor, monitoring_member)
    ]
    a, b, c = call.applications.order_by("pk")
    for seat, value in zip(seats, (10, 10, 9), strict=True):
        score(panel, seat, a, value)
    score(panel, seats[0], b, "9.67")
    score(panel, seats[0], c, 9)
    results = selectors.panel_results(panel=panel)
    assert [(r.label, r.total, r.rank) for r in results.items] == [
        ("A", Decimal("9.67"), 1),
        ("B", Decimal("9.67"), 1),
        ("C", Decimal("9.00"), 3),
    ]


# --- parts and weights -------------------------------------------------------------------------


@pytest.fixture
def parts_panel(call, official, pes_owner, pes_editor):
    panel = make_panel(call=call, actor=official, criteria=PARTS)
    services.member_add(panel=panel, user=pes_owner, actor=official)
    services.member_add(panel=panel, user=pes_editor, actor=official)
    return panel


def test_parts_have_subtotals_and_weights_multiply_the_mean(
    parts_panel, pes_owner, pes_editor, applications
):
    owner, editor = (parts_panel.members.get(user=u) for u in (pes_owner, pes_editor))
    alfa, beta = applications
    score(parts_panel, owner, alfa, 8, 4, 3)
    score(parts_panel, editor, alfa, 6, 3, 4)  # means 7, 3.5, 3.5 (times 2 = 7)
    score(parts_panel, owner, beta, 10, 5, "na")  # the strategy part not applicable
    results = selectors.panel_results(panel=parts_panel)
    assert [(p.name, p.max_points) for p in results.parts] == [
        ("Ocena merytoryczna", Decimal("15")),
        ("Zgodność ze strategią", Decimal("10")),
    ]
    first = _result(results, alfa)
    assert [m.mean for m in first.means] == [Decimal("7.00"), Decimal("3.50"), Decimal("3.50")]
    assert first.subtotals == [Decimal("10.50"), Decimal("7.00")]
    assert first.total == Decimal("17.50") and first.max_total == Decimal("25")
    second = _result(results, beta)
    assert second.subtotals == [Decimal("15.00"), None]
    assert second.total == Decimal("15.00") and second.max_total == Decimal("15")
    assert [r.item for r in results.items] == [alfa, beta]
    todo = selectors.member_todo(member=owner)
    assert [row.total for row in todo] == [Decimal(18), Decimal(15)]  # 8 + 4 + 3 * 2; 10 + 5


def test_a_panel_without_parts_has_no_subtotals(panel, owner_seat, applications):
    score(panel, owner_seat, applications[0], 8, 4, "na")
    results = selectors.panel_results(panel=panel)
    assert results.parts == [] and _result(results, applications[0]).subtotals == []


def test_the_sheet_the_results_and_the_export_show_parts_and_weights(
    client, parts_panel, official, pes_owner, pes_editor, applications
):
    owner = parts_panel.members.get(user=pes_owner)
    alfa = applications[0]
    score(parts_panel, parts_panel.members.get(user=pes_editor), alfa, 6, 3, 4)
    services.declaration_make(member=owner, item=alfa, conflict=False, actor=pes_owner)
    client.force_login(pes_owner)
    client.post(_sheet_url(parts_panel, alfa), {**_fields(parts_panel, "8", "4", "3"), "save": "1"})
    html = client.get(_sheet_url(parts_panel, alfa)).content.decode()
    assert "data-running-total>18</output>" in html  # 8 + 4 + 3 * 2
    assert "z 25 pkt" in html and 'data-weight="2.00"' in html
    client.post(
        _sheet_url(parts_panel, alfa), {**_fields(parts_panel, "8", "4", "3"), "submit": "1"}
    )

    client.force_login(official)
    html = client.get(reverse("scoring:panel-results", args=[parts_panel.pk])).content.decode()
    assert "Suma częściowa: Ocena merytoryczna" in html
    assert "<td>10,50</td><td>7,00</td>" in html and "<strong>17,50</strong>" in html
    text = b"".join(
        client.get(reverse("scoring:panel-export", args=[parts_panel.pk, "csv"])).streaming_content
    ).decode("utf-8-sig")
    header, *rows = [line.split(";") for line in text.splitlines()]
    assert header[8:11] == [
        "Razem",
        "Suma częściowa: Ocena merytoryczna",
        "Suma częściowa: Zgodność ze strategią",
    ]
    by_member = {row[2]: row for row in rows if row[1] == "Fundacja Alfa"}
    assert by_member[pes_owner.display_name][8:11] == ["18,00", "12,00", "6,00"]
    assert by_member["średnia członków"][8:11] == ["17,50", "10,50", "7,00"]


def test_a_weight_must_be_positive(call, official):
    with pytest.raises(ValidationError):
        make_panel(
            call=call, actor=official, criteria=[{"name": "a", "max_points": 5, "weight": 0}]
        )
    assert not Panel.objects.exists()


# --- items the owner keeps out of scoring ------------------------------------------------------


def test_an_excluded_item_is_not_scored_and_is_listed_apart_with_its_reason(
    client, panel, official, owner_seat, editor_seat, applications
):
    alfa, beta = applications
    score(panel, owner_seat, beta, 9, 4, 4)  # scored before the formal check failed it
    score(panel, owner_seat, alfa, 7, 3, 3)
    beta.formal_failure = "Oferta złożona po terminie"
    beta.save()
    panel = Panel.objects.get(pk=panel.pk)  # a new request: the exclusions are read afresh

    results = selectors.panel_results(panel=panel)
    assert [r.item for r in results.items] == [alfa]
    assert [(e.item, e.label, e.reason) for e in results.excluded] == [
        (beta, "Stowarzyszenie Beta", "Oferta złożona po terminie")
    ]
    assert [row.item for row in selectors.member_todo(member=editor_seat)] == [alfa]
    assert selectors.member_progress(member=owner_seat) == selectors.Progress(done=1, total=1)
    with pytest.raises(ValidationError):
        services.declaration_make(member=editor_seat, item=beta, conflict=False, actor=official)

    client.force_login(editor_seat.user)
    assert client.get(reverse("scoring:item-declare", args=[panel.pk, beta.pk])).status_code == 404
    assert "Stowarzyszenie Beta" not in client.get(panel.get_absolute_url()).content.decode()
    client.force_login(official)
    html = client.get(reverse("scoring:panel-results", args=[panel.pk])).content.decode()
    assert "Wyłączone z oceny" in html and "Oferta złożona po terminie" in html
    text = b"".join(
        client.get(reverse("scoring:panel-export", args=[panel.pk, "csv"])).streaming_content
    ).decode("utf-8-sig")
    header, *rows = [line.split(";") for line in text.splitlines()]
    assert header[-1] == "Wyłączone z oceny"
    assert rows[-1][1] == "Stowarzyszenie Beta" and rows[-1][-1] == "Oferta złożona po terminie"
    assert all(row[-1] == "" for row in rows[:-1])


# --- the others' scores, only after one's own --------------------------------------------------


@pytest.mark.parametrize("visibility", [Panel.ResultsVisibility.MEMBERS, "managers"])
def test_a_member_sees_the_others_scores_of_an_item_only_after_submitting_their_own(
    client, call, official, pes_owner, pes_editor, applications, visibility
):
    panel = make_panel(call=call, actor=official, results_visibility=visibility)
    owner = services.member_add(panel=panel, user=pes_owner, actor=official)
    editor = services.member_add(panel=panel, user=pes_editor, actor=official)
    alfa = applications[0]
    score(panel, editor, alfa, "9.5", 4, 4)
    score(panel, owner, alfa, 7, 3, "na", submit=False)
    client.force_login(pes_owner)
    html = client.get(_sheet_url(panel, alfa)).content.decode()
    assert pes_editor.display_name not in html and "9,5" not in html
    score(panel, owner, alfa, 7, 3, "na")
    html = client.get(_sheet_url(panel, alfa)).content.decode()
    shown = visibility == Panel.ResultsVisibility.MEMBERS
    assert (pes_editor.display_name in html) == shown
    assert ("<td>9,5</td><td>4</td><td>4</td><td>17,5</td>" in html) == shown


@pytest.mark.parametrize("role", ROLES)
def test_nobody_sees_a_members_scores_of_an_item_before_submitting_their_own(
    role, as_role, client, call, official, monitoring_member, applications
):
    """Every role opens the sheet of Alfa, which the chair has scored: only the chair sees the
    chair's points (their own); the other members have not submitted Alfa yet."""
    panel = make_panel(
        call=call, actor=official, results_visibility=Panel.ResultsVisibility.MEMBERS
    )
    chair = services.member_add(
        panel=panel, user=monitoring_member, role=Member.Role.CHAIR, actor=official
    )
    user = as_role(role)
    seat = None
    if user is not None and user != monitoring_member:
        seat = services.member_add(panel=panel, user=user, actor=official)
        services.declaration_make(member=seat, item=applications[0], conflict=False, actor=user)
    score(panel, chair, applications[0], "9.25", 4, 4)
    response = client.get(_sheet_url(panel, applications[0]))
    html = response.content.decode()
    if role == "resident":
        assert outcome(response) == "login"
    assert ("9,25" in html) == (role == "monitoring_member")


# --- a comment below half of the maximum -------------------------------------------------------


def test_the_sheet_asks_for_a_comment_below_half_and_keeps_what_was_typed(
    client, call, official, pes_owner, applications
):
    panel = make_panel(call=call, actor=official, comment_required_below_half=True)
    seat = services.member_add(panel=panel, user=pes_owner, actor=official)
    alfa = applications[0]
    services.declaration_make(member=seat, item=alfa, conflict=False, actor=pes_owner)
    client.force_login(pes_owner)
    data = {**_fields(panel, "4,5", "3", "5", comments=("", "Dobrze", "")), "submit": "1"}
    response = client.post(_sheet_url(panel, alfa), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Uzasadnij w komentarzu ocenę poniżej połowy maksimum." in html
    assert 'value="4,5"' in html and "Dobrze" in html
    assert not Submission.objects.filter(status="submitted").exists()
    data[f"comment_{panel.criteria.get(order=0).pk}"] = "Harmonogram nierealny."
    assert client.post(_sheet_url(panel, alfa), data).status_code == 302
    assert Submission.objects.get().is_submitted


def test_without_the_switch_no_comment_is_needed(panel, owner_seat, applications):
    assert not panel.comment_required_below_half
    score(panel, owner_seat, applications[0], 0, 0, 0)
    assert Submission.objects.get().is_submitted


# --- closing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_nobody_changes_a_score_after_closing(
    role, as_role, client, panel, official, seats, pes_owner, applications
):
    alfa = applications[0]
    score(panel, seats[pes_owner.pk], alfa, 5, 5, 5, submit=False)
    for seat in seats.values():
        if seat.user != pes_owner:
            services.declaration_make(member=seat, item=alfa, conflict=False, actor=seat.user)
    services.panel_close(panel=panel, actor=official)
    as_role(role)
    response = client.post(
        _sheet_url(panel, alfa), {**_fields(panel, "1", "1", "1"), "submit": "1"}
    )
    assert response.status_code in {200, 302, 404}
    assert sorted(Score.objects.values_list("points", flat=True)) == [5, 5, 5]
    assert not Submission.objects.filter(status="submitted").exists()
    assert not AuditEvent.objects.filter(action="scoring.sheet_submit").exists()


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (SQLite has one writer)",
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_closing_while_members_submit_lets_no_score_in_after_the_close(official):
    """Eight members submit at the moment the chair closes, each in its own thread and
    connection: every sheet is either in before the close or refused, never saved after it."""
    applicants = [f"Wnioskodawca {n}" for n in range(8)]
    call = make_call(manager=official, applications=applicants)
    panel = make_panel(call=call, actor=official)
    item = call.applications.order_by("pk").first()
    seats = []
    for _n in range(8):
        seat = services.member_add(panel=panel, user=UserFactory(), actor=official)
        services.declaration_make(member=seat, item=item, conflict=False, actor=seat.user)
        seats.append(seat)
    barrier = threading.Barrier(len(seats) + 1)
    outcomes = []
    lock = threading.Lock()

    def submit(seat):
        try:
            barrier.wait()
            try:
                score(panel, seat, item, 5, 5, 5)
            except ValidationError as error:
                result = ("refused", error.code)
            else:
                result = ("saved", None)
        except Exception as error:  # reported by the assertion below
            result = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    def close():
        try:
            barrier.wait()
            services.panel_close(panel=panel, actor=official)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(seat,)) for seat in seats]
    threads.append(threading.Thread(target=close))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert all(detail == "closed" for kind, detail in outcomes if kind == "refused")
    panel.refresh_from_db()
    assert panel.status == Panel.Status.CLOSED
    saved = Submission.objects.filter(member__panel=panel)
    assert saved.count() == sum(1 for kind, _detail in outcomes if kind == "saved")
    assert all(sheet.submitted_at <= panel.closed_at for sheet in saved)
    assert Score.objects.filter(submission__in=saved).count() == 3 * saved.count()


# --- long lists --------------------------------------------------------------------------------


def test_the_todo_list_and_the_ranking_come_a_page_at_a_time(client, official, pes_owner):
    call = make_call(manager=official, applications=[f"Oferta {n:02}" for n in range(60)])
    panel = make_panel(call=call, actor=official)
    seat = services.member_add(panel=panel, user=pes_owner, actor=official)
    items = list(call.applications.order_by("pk"))
    score(panel, seat, items[55], 10, 5, 5)
    score(panel, seat, items[0], 1, 1, 1)
    client.force_login(pes_owner)
    first = client.get(panel.get_absolute_url()).content.decode()
    assert "Oferta 49" in first and "Oferta 50" not in first
    assert "Gotowe: 2 z 60 pozycji." in first
    last = client.get(panel.get_absolute_url() + "?page=last").content.decode()
    assert "Oferta 50" in last and "Oferta 59" in last and "Oferta 49" not in last
    assert client.get(panel.get_absolute_url() + "?page=x").status_code == 404

    client.force_login(official)
    url = reverse("scoring:panel-results", args=[panel.pk])
    ranking = client.get(url).content.decode()
    assert ranking.index("Oferta 55") < ranking.index("Oferta 00")  # ranked 1 and 2
    assert "Oferta 48" in ranking and "Oferta 49" not in ranking
    second = client.get(url + "?page=2").content.decode()
    assert "Oferta 49" in second and "Oferta 59" in second and "Oferta 55" not in second


def test_the_cached_sums_follow_every_submission_and_removal(
    panel, official, owner_seat, editor_seat, chair, applications
):
    """The ranking's sums are cached until the submitted sheets change: a submitted draft and a
    removed member (with their sheets) show at once, whatever was read before."""
    alfa = applications[0]
    score(panel, owner_seat, alfa, 10, 5, 5)
    score(panel, editor_seat, alfa, 2, 1, 1, submit=False)
    score(panel, chair, alfa, 4, 1, 1)

    def total():
        return _result(selectors.panel_results(panel=panel), alfa).total

    assert total() == Decimal("13.00")  # (20 + 6) / 2
    assert total() == Decimal("13.00")  # read again, from the cache
    score(panel, editor_seat, alfa, 2, 1, 1)  # the draft submitted
    assert total() == Decimal("10.00")  # (20 + 6 + 4) / 3
    services.member_remove(member=chair, actor=official)
    assert total() == Decimal("12.00")  # (20 + 4) / 2
    services.member_remove(member=owner_seat, actor=official)
    assert total() == Decimal("4.00")


def test_the_paged_lists_run_a_fixed_number_of_queries(client, official, pes_owner):
    """The to-do list and the ranking of five items ask the database as often as those of
    seventy; the last page of seventy (read by its keys first, as every deeper page of
    ``CappedPaginator``) as often as the last of a hundred and forty."""
    from django.test.utils import CaptureQueriesContext

    def build(items):
        call = make_call(manager=official, applications=[f"Oferta {n}" for n in range(items)])
        panel = make_panel(
            call=call, actor=official, results_visibility=Panel.ResultsVisibility.MEMBERS
        )
        seat = services.member_add(panel=panel, user=pes_owner, actor=official)
        for item in call.applications.order_by("pk")[:3]:
            score(panel, seat, item, 5, 3, "na")
        return panel

    def count(panel):
        counts = []
        for user, url in (
            (pes_owner, panel.get_absolute_url()),
            (pes_owner, panel.get_absolute_url() + "?page=last"),
            (official, reverse("scoring:panel-results", args=[panel.pk])),
        ):
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    few, more, most = count(build(5)), count(build(70)), count(build(140))
    assert few[0] == more[0] == most[0] and few[2] == more[2] == most[2]
    assert more[1] == most[1]
