"""A call of the test-only consumer with its applications, and a panel scoring them."""

from decimal import Decimal

from scoring import services
from scoring.services import ScoreInput
from tests.scoring.consumer.models import Application, Call

CRITERIA = [
    {"name": "Wykonalność", "max_points": 10, "description": "Czy plan jest realny."},
    {"name": "Kalkulacja kosztów", "max_points": 5},
    {"name": "Wkład własny", "max_points": 5, "allow_not_applicable": True},
]


def make_call(*, manager=None, applications=("Fundacja Alfa", "Stowarzyszenie Beta")):
    call = Call.objects.create(
        title="Nabór na lokal przy ul. Szerokiej", manager_id=manager.pk if manager else None
    )
    for name in applications:
        Application.objects.create(call=call, applicant=name, secret_plan=f"Plan: {name}")
    return call


def make_panel(*, call, actor, criteria=CRITERIA, **options):
    return services.panel_create(
        owner=call, title=f"Komisja: {call.title}", criteria=criteria, actor=actor, **options
    )


def points(*values):
    """ScoreInputs by position: a number, "na" for not applicable, None for nothing yet."""
    return [
        ScoreInput(not_applicable=True)
        if value == "na"
        else ScoreInput(points=None if value is None else Decimal(str(value)))
        for value in values
    ]


def score(panel, member, item, *values, submit=True):
    """Declare no conflict (if not yet) and save the sheet with ``values`` in criteria order."""
    if not member.declarations.filter(item_id=item.pk).exists():
        services.declaration_make(member=member, item=item, conflict=False, actor=member.user)
    criteria = list(panel.criteria.order_by("order", "pk"))
    return services.scores_save(
        member=member,
        item=item,
        values=dict(zip([c.pk for c in criteria], points(*values), strict=True)),
        submit=submit,
        actor=member.user,
    )


def hostile_seed(*, manager, chair, member) -> list[str]:
    """A panel for tests/test_hostile_input.py, whose demo has no consumer of scoring yet: the
    ``manager`` manages the call, ``chair`` chairs, ``member`` declared no conflict with the
    first application (its sheet is a form to fuzz) and not yet with the second."""
    from django.urls import reverse

    from scoring.models import Member

    call = make_call(manager=manager)
    panel = make_panel(call=call, actor=manager, comment_required_below_half=True)
    services.member_add(panel=panel, user=chair, role=Member.Role.CHAIR, actor=manager)
    seat = services.member_add(panel=panel, user=member, represents_pes=True, actor=manager)
    first = call.applications.order_by("pk").first()
    services.declaration_make(member=seat, item=first, conflict=False, actor=member)
    return [
        panel.get_absolute_url(),
        reverse("scoring:item-sheet", args=[panel.pk, first.pk]),
        reverse("scoring:panel-results", args=[panel.pk]),
    ]
