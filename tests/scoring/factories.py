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
    call = Call.objects.create(title="Nabór na lokal przy ul. Szerokiej", manager=manager)
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
