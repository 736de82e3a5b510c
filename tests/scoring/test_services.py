"""The committee's rules, whatever calls the services: declare before scoring, a conflict
excludes, points within range, a submitted sheet and a closed panel never change, every change
in the event log."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pestor.models import AuditEvent
from scoring import services
from scoring.models import Declaration, Member, Panel, Score, Submission
from scoring.services import ScoreInput
from tests.scoring.factories import make_call, make_panel, points, score

pytestmark = pytest.mark.django_db


def _values(panel, *values):
    criteria = list(panel.criteria.order_by("order", "pk"))
    return dict(zip([c.pk for c in criteria], points(*values), strict=True))


def test_a_panel_is_created_with_its_criteria_in_order_and_logged(call, official):
    panel = make_panel(call=call, actor=official)
    assert panel.owner == call
    assert [c.name for c in panel.criteria.all()] == [
        "Wykonalność",
        "Kalkulacja kosztów",
        "Wkład własny",
    ]
    assert [c.allow_not_applicable for c in panel.criteria.all()] == [False, False, True]
    assert AuditEvent.objects.for_object(panel).get().action == "scoring.panel_create"


def test_an_unregistered_owner_cannot_have_a_panel(official):
    with pytest.raises(LookupError):
        services.panel_create(
            owner=official, title="x", criteria=[{"name": "a", "max_points": 1}], actor=official
        )


@pytest.mark.parametrize("max_points", [0, -3])
def test_a_criterion_needs_positive_maximum(call, official, max_points):
    with pytest.raises(ValidationError):
        make_panel(call=call, actor=official, criteria=[{"name": "a", "max_points": max_points}])
    assert not Panel.objects.exists()


def test_a_panel_needs_a_criterion(call, official):
    with pytest.raises(ValidationError):
        make_panel(call=call, actor=official, criteria=[])


def test_one_panel_per_owner(call, official):
    make_panel(call=call, actor=official)
    with pytest.raises(ValidationError):
        make_panel(call=call, actor=official)


def test_a_member_sits_once(panel, official, pes_owner):
    with pytest.raises(ValidationError) as error:
        services.member_add(panel=panel, user=pes_owner, actor=official)
    assert "email" in error.value.error_dict


def test_scoring_without_declaration_is_refused(panel, owner_seat, applications):
    with pytest.raises(ValidationError) as error:
        services.scores_save(
            member=owner_seat,
            item=applications[0],
            values=_values(panel, 5, 5, 5),
            actor=owner_seat.user,
        )
    assert error.value.code == "undeclared"
    assert not Submission.objects.exists()


def test_a_conflict_excludes_the_member_from_that_item_only(panel, editor_seat, applications):
    services.declaration_make(
        member=editor_seat,
        item=applications[0],
        conflict=True,
        note="Jestem członkiem zarządu.",
        actor=editor_seat.user,
    )
    with pytest.raises(ValidationError) as error:
        services.scores_save(
            member=editor_seat,
            item=applications[0],
            values=_values(panel, 5, 5, 5),
            actor=editor_seat.user,
        )
    assert error.value.code == "conflict"
    score(panel, editor_seat, applications[1], 5, 5, 5)
    assert Submission.objects.get().item_id == applications[1].pk


def test_a_declaration_is_final_and_a_conflict_needs_a_note(panel, owner_seat, applications):
    with pytest.raises(ValidationError) as error:
        services.declaration_make(
            member=owner_seat, item=applications[0], conflict=True, actor=owner_seat.user
        )
    assert "note" in error.value.error_dict
    services.declaration_make(
        member=owner_seat, item=applications[0], conflict=False, actor=owner_seat.user
    )
    with pytest.raises(ValidationError):
        services.declaration_make(
            member=owner_seat,
            item=applications[0],
            conflict=True,
            note="Jednak tak.",
            actor=owner_seat.user,
        )
    assert Declaration.objects.get().conflict is False


def test_an_item_of_another_owner_is_refused(panel, owner_seat, official):
    other = make_call(manager=official).applications.first()
    with pytest.raises(ValidationError):
        services.declaration_make(member=owner_seat, item=other, conflict=False, actor=official)


@pytest.mark.parametrize(
    ("values", "field_index", "message"),
    [
        ((11, 5, 5), 0, "At most 10 points."),
        ((-1, 5, 5), 0, "Points cannot be negative."),
        ((5, "na", 5), 1, 'This criterion cannot be "not applicable".'),
        ((Decimal("5.555"), 5, 5), 0, "Use at most two decimal places."),
    ],
)
def test_points_out_of_range_are_refused_and_nothing_is_saved(
    panel, owner_seat, applications, values, field_index, message
):
    services.declaration_make(
        member=owner_seat, item=applications[0], conflict=False, actor=owner_seat.user
    )
    criteria = list(panel.criteria.order_by("order", "pk"))
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.scores_save(
            member=owner_seat,
            item=applications[0],
            values=_values(panel, *values),
            actor=owner_seat.user,
        )
    key = f"points_{criteria[field_index].pk}"
    assert error.value.error_dict[key][0].message == message
    assert not Score.objects.exists()


def test_a_draft_may_be_incomplete_a_submission_may_not(panel, owner_seat, applications):
    item = applications[0]
    score(panel, owner_seat, item, 7, None, None, submit=False)
    sheet = Submission.objects.get()
    assert sheet.status == Submission.Status.DRAFT
    assert sheet.scores.count() == 1
    with pytest.raises(ValidationError) as error:
        score(panel, owner_seat, item, 7, None, None, submit=True)
    assert len(error.value.error_dict) == 2
    score(panel, owner_seat, item, 7, 3, "na", submit=True)
    sheet.refresh_from_db()
    assert sheet.status == Submission.Status.SUBMITTED
    assert sheet.submitted_at is not None
    assert [s.points for s in sheet.scores.order_by("criterion__order")] == [7, 3, None]


def test_a_draft_can_be_corrected_and_a_cleared_criterion_is_removed(
    panel, owner_seat, applications
):
    item = applications[0]
    score(panel, owner_seat, item, 7, 4, 2, submit=False)
    score(panel, owner_seat, item, 8, None, "na", submit=False)
    sheet = Submission.objects.get()
    assert {s.criterion.name: s.points for s in sheet.scores.all()} == {
        "Wykonalność": 8,
        "Wkład własny": None,
    }


def test_a_submitted_sheet_never_changes(panel, owner_seat, applications):
    score(panel, owner_seat, applications[0], 7, 3, 2)
    with pytest.raises(ValidationError) as error:
        score(panel, owner_seat, applications[0], 1, 1, 1)
    assert error.value.code == "locked"
    assert sorted(Score.objects.values_list("points", flat=True)) == [2, 3, 7]


def test_nothing_changes_in_a_closed_panel(panel, official, owner_seat, editor_seat, applications):
    score(panel, owner_seat, applications[0], 7, 3, 2, submit=False)
    services.panel_close(panel=panel, actor=official)
    panel.refresh_from_db()
    assert panel.status == Panel.Status.CLOSED and panel.closed_by == official
    with pytest.raises(ValidationError):
        score(panel, owner_seat, applications[0], 7, 3, 2)
    with pytest.raises(ValidationError):
        services.declaration_make(
            member=editor_seat, item=applications[0], conflict=False, actor=editor_seat.user
        )
    with pytest.raises(ValidationError):
        services.member_add(panel=panel, user=official, actor=official)
    with pytest.raises(ValidationError):
        services.member_remove(member=owner_seat, actor=official)
    with pytest.raises(ValidationError):
        services.panel_close(panel=panel, actor=official)


def test_a_comment_is_required_below_half_when_the_panel_asks(
    official, pes_owner, call, applications
):
    panel = make_panel(call=call, actor=official, comment_required_below_half=True)
    seat = services.member_add(panel=panel, user=pes_owner, actor=official)
    criteria = list(panel.criteria.order_by("order", "pk"))
    with pytest.raises(ValidationError) as error:
        score(panel, seat, applications[0], 4, 3, "na")
    assert list(error.value.error_dict) == [f"comment_{criteria[0].pk}"]
    score(panel, seat, applications[0], 4, 3, "na", submit=False)  # a draft may wait for it
    values = _values(panel, 4, 3, "na")
    values[criteria[0].pk] = ScoreInput(points=Decimal(4), comment="Harmonogram nierealny.")
    services.scores_save(
        member=seat, item=applications[0], values=values, submit=True, actor=pes_owner
    )
    assert Submission.objects.get().is_submitted


def test_every_change_is_in_the_event_log(panel, official, owner_seat, applications):
    score(panel, owner_seat, applications[0], 7, 3, 2, submit=False)
    score(panel, owner_seat, applications[0], 8, 3, "na", submit=True)
    services.member_remove(
        member=panel.members.get(role=Member.Role.MEMBER, represents_pes=False), actor=official
    )
    services.panel_close(panel=panel, actor=official)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "scoring.panel_create",
        "scoring.member_add",
        "scoring.member_add",
        "scoring.member_add",
        "scoring.declare",
        "scoring.sheet_save",
        "scoring.sheet_submit",
        "scoring.member_remove",
        "scoring.panel_close",
    ]
    submitted = AuditEvent.objects.get(action="scoring.sheet_submit")
    criteria = list(panel.criteria.order_by("order", "pk"))
    assert submitted.before[str(criteria[0].pk)]["points"] == "7.00"
    assert submitted.after[str(criteria[0].pk)]["points"] == "8.00"
    assert submitted.after[str(criteria[2].pk)]["not_applicable"] is True
    assert submitted.actor == owner_seat.user


def test_removing_a_member_removes_their_sheets(panel, official, owner_seat, applications):
    score(panel, owner_seat, applications[0], 7, 3, 2)
    services.member_remove(member=owner_seat, actor=official)
    assert not Submission.objects.exists() and not Declaration.objects.exists()
    event = AuditEvent.objects.get(action="scoring.member_remove")
    assert event.before["submitted_sheets"] == 1
