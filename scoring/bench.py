"""A committee of benchmark size, built in bulk for ``manage.py bench_scoring``.

The owner is an ``auth.Group`` (always installed) registered with scoring for the run only; the
items are the group's users. Nothing here is imported by the portal's pages.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from . import registry, services
from .models import Declaration, Member, Panel, Score, Submission

PREFIX = "bench-scoring"
MANAGER_EMAIL = f"{PREFIX}-manager@example.invalid"


@dataclass
class BenchCommittee:
    panel: Panel
    manager: object
    member: Member  # an ordinary member, not the chair: whose to-do list and sheet are measured
    draft_item: object  # an item the member holds a draft of: the sheet measured and saved


def register_owner() -> None:
    """Register ``auth.Group`` as an owner for this process (``unregister_owner`` undoes it)."""
    registry.register(
        Group,
        items=lambda group: group.user_set.order_by("pk"),
        label=lambda user: user.email,
        can_manage=lambda user, group: user.email == MANAGER_EMAIL,
    )


def unregister_owner() -> None:
    registry.unregister(Group)


def build(*, items: int, members: int, criteria: int, seed: int = 12) -> BenchCommittee:
    """A panel of ``criteria`` criteria (every third allows "not applicable"), ``members``
    members (the first chairs) who declared on every item (one item in fifty a conflict) and
    submitted a sheet for all of them but the member's last ten, left as drafts."""
    rng = random.Random(seed)
    user_model = get_user_model()
    now = timezone.now()
    password = "!"  # unusable
    manager = user_model.objects.create(email=MANAGER_EMAIL, password=password)
    group = Group.objects.create(name=f"{PREFIX} {now.timestamp()}")
    item_users = user_model.objects.bulk_create(
        user_model(
            email=f"{PREFIX}-item-{index}@example.invalid",
            first_name=f"Wnioskodawca {index}",
            password=password,
        )
        for index in range(items)
    )
    if not item_users or item_users[0].pk is None:  # a database that returns no keys
        item_users = list(user_model.objects.filter(email__startswith=f"{PREFIX}-item-"))
    Group.user_set.through.objects.bulk_create(
        Group.user_set.through(group_id=group.pk, user_id=user.pk) for user in item_users
    )
    panel = services.panel_create(
        owner=group,
        title="Komisja (benchmark)",
        actor=manager,
        criteria=[
            {
                "name": f"Kryterium {index + 1}",
                "max_points": 10 if index % 2 else 5,
                "allow_not_applicable": index % 3 == 2,
            }
            for index in range(criteria)
        ],
    )
    criteria_rows = list(panel.criteria.order_by("order", "pk"))
    member_users = [
        user_model.objects.create(
            email=f"{PREFIX}-member-{index}@example.invalid",
            first_name="Członek",
            last_name=f"Komisji {index}",
            password=password,
        )
        for index in range(members)
    ]
    seats = Member.objects.bulk_create(
        Member(
            panel=panel,
            user=user,
            role=Member.Role.CHAIR if index == 0 else Member.Role.MEMBER,
        )
        for index, user in enumerate(member_users)
    )
    seats = list(Member.objects.filter(panel=panel).order_by("pk"))
    measured = seats[1] if len(seats) > 1 else seats[0]
    item_type = ContentType.objects.get_for_model(user_model, for_concrete_model=False)
    declarations, submissions = [], []
    drafts = {user.pk for user in item_users[-10:]}
    for seat in seats:
        for index, user in enumerate(item_users):
            conflict = seat != measured and index % 50 == seat.pk % 50
            declarations.append(
                Declaration(
                    member=seat,
                    item_type=item_type,
                    item_id=user.pk,
                    conflict=conflict,
                    note="Powiązanie z wnioskodawcą" if conflict else "",
                )
            )
            if conflict:
                continue
            draft = seat == measured and user.pk in drafts
            submissions.append(
                Submission(
                    member=seat,
                    item_type=item_type,
                    item_id=user.pk,
                    status=Submission.Status.DRAFT if draft else Submission.Status.SUBMITTED,
                    updated_at=now,
                    submitted_at=None if draft else now,
                )
            )
    Declaration.objects.bulk_create(declarations, batch_size=2000)
    Submission.objects.bulk_create(submissions, batch_size=2000)
    scores = []
    for submission in Submission.objects.filter(member__panel=panel).only("pk"):
        for criterion in criteria_rows:
            not_applicable = criterion.allow_not_applicable and rng.random() < 0.1
            points = None
            if not not_applicable:
                points = Decimal(rng.randint(0, int(criterion.max_points) * 2)) / 2
            scores.append(
                Score(
                    submission=submission,
                    criterion=criterion,
                    points=points,
                    comment="Uzasadnienie oceny." if rng.random() < 0.2 else "",
                )
            )
    Score.objects.bulk_create(scores, batch_size=5000)
    draft_item = user_model.objects.get(pk=item_users[-1].pk)
    return BenchCommittee(panel=panel, manager=manager, member=measured, draft_item=draft_item)
