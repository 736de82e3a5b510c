"""Means with "not applicable" left out (never zero), totals, ties, what counts, and the
member's to-do list."""

from decimal import Decimal

import pytest

from scoring import selectors, services
from tests.scoring.factories import make_call, make_panel, score

pytestmark = pytest.mark.django_db


def _result(results, item):
    return next(r for r in results.items if r.item.pk == item.pk)


def test_the_mean_leaves_not_applicable_out_and_shows_it(
    panel, owner_seat, editor_seat, chair, applications
):
    alfa = applications[0]
    score(panel, owner_seat, alfa, 8, 4, "na")
    score(panel, editor_seat, alfa, 6, 3, 4)
    score(panel, chair, alfa, 7, 5, "na")
    result = _result(selectors.panel_results(panel=panel), alfa)
    assert [m.mean for m in result.means] == [Decimal("7.00"), Decimal("4.00"), Decimal("4.00")]
    assert [(m.scored, m.not_applicable) for m in result.means] == [(3, 0), (3, 0), (1, 2)]
    assert result.total == Decimal("15.00")  # 7 + 4 + 4: n/a counted as zero would give 13,33
    assert result.scorers == 3


def test_a_criterion_everyone_marked_not_applicable_reads_as_such(
    panel, owner_seat, editor_seat, applications
):
    score(panel, owner_seat, applications[0], 8, 4, "na")
    score(panel, editor_seat, applications[0], 6, 2, "na")
    result = _result(selectors.panel_results(panel=panel), applications[0])
    assert result.means[2].mean is None and result.means[2].not_applicable == 2
    assert result.total == Decimal("10.00")
    assert result.max_total == Decimal("15")  # the n/a criterion's 5 points are not on offer


def test_means_are_rounded_half_up_and_the_total_sums_exact_means(
    panel, owner_seat, editor_seat, chair, applications
):
    score(panel, owner_seat, applications[0], 10, 5, 5)
    score(panel, editor_seat, applications[0], 10, 5, 5)
    score(panel, chair, applications[0], 9, 4, 4)
    result = _result(selectors.panel_results(panel=panel), applications[0])
    assert [m.mean for m in result.means] == [Decimal("9.67"), Decimal("4.67"), Decimal("4.67")]
    assert result.total == Decimal("19.00")  # 29/3 + 14/3 + 14/3, not 9.67 + 4.67 + 4.67


def test_drafts_do_not_count(panel, owner_seat, editor_seat, applications):
    score(panel, owner_seat, applications[0], 10, 5, 5)
    score(panel, editor_seat, applications[0], 0, 0, 0, submit=False)
    result = _result(selectors.panel_results(panel=panel), applications[0])
    assert result.total == Decimal("20.00") and result.scorers == 1


def test_ties_share_a_rank_and_unscored_items_come_last(official, pes_owner, pes_editor):
    call = make_call(manager=official, applications=["A", "B", "C", "D"])
    panel = make_panel(call=call, actor=official)
    first = services.member_add(panel=panel, user=pes_owner, actor=official)
    second = services.member_add(panel=panel, user=pes_editor, actor=official)
    a, b, c, d = call.applications.order_by("pk")
    score(panel, first, a, 5, 5, 5)
    score(panel, second, a, 10, 4, 5)  # A: 7.5 + 4.5 + 5 = 17
    score(panel, first, b, 10, 5, 5)
    score(panel, second, b, 8, 5, 5)  # B: 9 + 5 + 5 = 19
    score(panel, first, c, 8, 2, "na")
    score(panel, second, c, 10, 2, 5)  # C: 9 + 2 + 5 (one member's n/a left out) = 16
    results = selectors.panel_results(panel=panel)
    assert [(r.label, r.total, r.rank) for r in results.items] == [
        ("B", Decimal("19.00"), 1),
        ("A", Decimal("17.00"), 2),
        ("C", Decimal("16.00"), 3),
        ("D", Decimal("0.00"), None),
    ]
    services.declaration_make(
        member=second, item=d, conflict=True, note="Rodzina", actor=pes_editor
    )
    score(panel, first, d, 10, 2, 5)  # 17: ties with A
    results = selectors.panel_results(panel=panel)
    assert [(r.label, r.rank) for r in results.items] == [("B", 1), ("A", 2), ("D", 2), ("C", 4)]
    assert _result(results, d).conflicts == 1


def test_the_todo_list_says_what_the_member_has_done(panel, owner_seat, applications):
    alfa, beta = applications
    assert [
        (r.label, r.declaration, r.submission) for r in selectors.member_todo(member=owner_seat)
    ] == [
        ("Fundacja Alfa", None, None),
        ("Stowarzyszenie Beta", None, None),
    ]
    score(panel, owner_seat, alfa, 7, 3, None, submit=False)
    services.declaration_make(
        member=owner_seat, item=beta, conflict=True, note="x", actor=owner_seat.user
    )
    rows = selectors.member_todo(member=owner_seat)
    assert rows[0].total == Decimal("10") and not rows[0].done
    assert rows[1].conflict and rows[1].done
    assert not selectors.member_has_submitted_everything(member=owner_seat)
    score(panel, owner_seat, alfa, 7, 3, 1)
    assert selectors.member_has_submitted_everything(member=owner_seat)


def test_the_export_has_every_members_points_and_the_means(
    panel, owner_seat, editor_seat, applications
):
    score(panel, owner_seat, applications[0], 8, 4, "na", submit=True)
    score(panel, editor_seat, applications[0], 6, 2, 3, submit=True)
    rows = selectors.export_rows(panel=panel, not_applicable_label="n/d")
    alfa = [row for row in rows if row.result.item == applications[0]]
    assert [(r.member, r.points, r.total, r.is_mean) for r in alfa] == [
        (owner_seat.user.display_name, [Decimal(8), Decimal(4), "n/d"], Decimal(12), False),
        (editor_seat.user.display_name, [Decimal(6), Decimal(2), Decimal(3)], Decimal(11), False),
        ("", [Decimal("7.00"), Decimal("3.00"), Decimal("3.00")], Decimal("13.00"), True),
    ]
    beta = [row for row in rows if row.result.item == applications[1]]
    assert [(r.is_mean, r.points, r.total) for r in beta] == [(True, [None, None, None], None)]
