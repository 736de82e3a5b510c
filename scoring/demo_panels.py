"""The demo's panels, as the apps that score through ``scoring`` seat them (premises'
committees, the award's jury): a helper of their ``demo`` modules, not a demo of its own."""

from decimal import Decimal

from . import services
from .models import Member, Panel
from .services import ScoreInput


def seat_and_score(context, *, panel: Panel, chair, items, scores, conflict_note, close) -> Panel:
    """Seats ``chair``, a colleague official (the demo's ``official_torun_partnership``) and
    the PES representative (``pes_editor``) on ``panel``; the colleague declares a conflict of
    interest with the first item (``conflict_note``), and every seat scores each item it may
    (``scores``: points per criterion of each item in turn, None for "not applicable"; every
    second seat one point less) and submits. ``close`` closes the panel as the chair."""
    colleague = context.accounts["official_torun_partnership"]
    representative = context.accounts["pes_editor"]
    seats = [
        services.member_add(panel=panel, user=chair, role=Member.Role.CHAIR, actor=chair),
        services.member_add(panel=panel, user=colleague, actor=chair),
        services.member_add(panel=panel, user=representative, represents_pes=True, actor=chair),
    ]
    criteria = list(panel.criteria.order_by("order"))
    for number, item in enumerate(items):
        points = scores[number % len(scores)]
        for seat_number, seat in enumerate(seats):
            conflict = seat.user == colleague and number == 0
            services.declaration_make(
                member=seat,
                item=item,
                conflict=conflict,
                note=conflict_note if conflict else "",
                actor=seat.user,
            )
            if conflict:
                continue
            values = {
                criterion.pk: ScoreInput(
                    points=None if value is None else Decimal(value) - seat_number % 2,
                    not_applicable=value is None,
                )
                for criterion, value in zip(criteria, points, strict=True)
            }
            services.scores_save(
                member=seat, item=item, values=values, submit=True, actor=seat.user
            )
    if close:
        services.panel_close(panel=panel, actor=chair)
    return panel
