"""Writes to partnerships: each function is one transaction and leaves an event behind
(pestor.audit): creation and changes of a partnership, every change of a membership, meetings."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pestor import audit
from pestor.text import fold

from ..models import Meeting, Partnership, PartnershipMember

PARTNERSHIP_FIELDS = ("name", "kind", "description", "results")
KIND_FIELD = {
    PartnershipMember.Kind.ORGANISATION: "organisation",
    PartnershipMember.Kind.MUNICIPALITY: "municipality",
    PartnershipMember.Kind.DEPARTMENT: "department",
    PartnershipMember.Kind.COMPANY: "company",
}


def _unique_slug(name: str) -> str:
    base = slugify(fold(name))[:100] or "partnerstwo"
    slug, counter = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _snapshot(partnership: Partnership) -> dict:
    return audit.snapshot(partnership, [*PARTNERSHIP_FIELDS, "themes", "territory"])


@transaction.atomic
def partnership_create(
    *,
    actor,
    name: str,
    kind: str,
    territory,
    themes=(),
    description: str = "",
    results: str = "",
    coordinator_organisation=None,
    coordinator_municipality=None,
    charter=None,
) -> Partnership:
    partnership = Partnership(
        name=name.strip(),
        kind=kind,
        description=description,
        results=results,
        coordinator_organisation=coordinator_organisation,
        coordinator_municipality=coordinator_municipality,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if charter:
        partnership.charter = charter
    partnership.slug = _unique_slug(partnership.name)
    if not territory:
        raise ValidationError({"territory": _("Give at least one municipality.")})
    partnership.full_clean(exclude=["slug"])
    partnership.save()
    partnership.themes.set(themes)
    partnership.territory.set(territory)
    # The coordinator is the first member.
    member = PartnershipMember(
        partnership=partnership,
        role=PartnershipMember.Role.LEADER,
        status=PartnershipMember.Status.ACTIVE,
        joined_on=timezone.localdate(),
    )
    if coordinator_organisation is not None:
        member.kind, member.organisation = (
            PartnershipMember.Kind.ORGANISATION,
            coordinator_organisation,
        )
    else:
        member.kind, member.municipality = (
            PartnershipMember.Kind.MUNICIPALITY,
            coordinator_municipality,
        )
    member.save()
    member.themes.set(themes)
    audit.record(
        actor=actor, action="partnership.created", target=partnership, after=_snapshot(partnership)
    )
    return partnership


@transaction.atomic
def partnership_update(
    *, actor, partnership: Partnership, themes, territory, charter=None, **fields
):
    before = _snapshot(partnership)
    for name in PARTNERSHIP_FIELDS:
        if name in fields:
            setattr(partnership, name, fields[name])
    if charter is False:
        partnership.charter = ""
    elif charter:
        partnership.charter = charter
    if not territory:
        raise ValidationError({"territory": _("Give at least one municipality.")})
    partnership.full_clean()
    partnership.save()
    partnership.themes.set(themes)
    partnership.territory.set(territory)
    audit.record(
        actor=actor,
        action="partnership.updated",
        target=partnership,
        before=before,
        after=_snapshot(partnership),
    )
    return partnership


def _already_member_error() -> ValidationError:
    return ValidationError(
        {"kind": _("This member is already in the partnership, or its answer is awaited.")},
        code="member_twice",
    )


def _new_member(*, actor, partnership, kind, target, role, themes, status, action):
    if kind not in KIND_FIELD or target is None:
        raise ValidationError({"kind": _("Choose who joins.")}, code="no_member")
    field = KIND_FIELD[kind]
    if partnership.members.open().filter(**{field: target}).exists():
        raise _already_member_error()
    member = PartnershipMember(
        partnership=partnership, kind=kind, role=role, status=status, **{field: target}
    )
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise _already_member_error() from None
    member.themes.set(themes)
    audit.record(
        actor=actor,
        action=action,
        target=partnership,
        after={"member": member.display_name, "kind": kind, "role": role},
    )
    return member


@transaction.atomic
def member_invite(
    *, actor, partnership, kind, target, role=PartnershipMember.Role.PARTNER, themes=()
):
    """The coordinator invites a member; the member's people accept or decline."""
    return _new_member(
        actor=actor,
        partnership=partnership,
        kind=kind,
        target=target,
        role=role,
        themes=themes,
        status=PartnershipMember.Status.INVITED,
        action="partnership.member_invited",
    )


@transaction.atomic
def member_request(
    *, actor, partnership, kind, target, role=PartnershipMember.Role.PARTNER, themes=()
):
    """A member's people ask to join; the coordinator accepts or declines."""
    return _new_member(
        actor=actor,
        partnership=partnership,
        kind=kind,
        target=target,
        role=role,
        themes=themes,
        status=PartnershipMember.Status.REQUESTED,
        action="partnership.member_requested",
    )


def _locked(member: PartnershipMember) -> PartnershipMember:
    return PartnershipMember.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def member_accept(*, actor, member: PartnershipMember) -> PartnershipMember:
    member = _locked(member)
    if member.status not in (PartnershipMember.Status.INVITED, PartnershipMember.Status.REQUESTED):
        raise ValidationError(_("This invitation or request has already been answered."))
    member.status = PartnershipMember.Status.ACTIVE
    member.joined_on = timezone.localdate()
    member.save(update_fields=["status", "joined_on"])
    audit.record(
        actor=actor,
        action="partnership.member_joined",
        target=member.partnership,
        after={"member": member.display_name, "joined_on": member.joined_on.isoformat()},
    )
    return member


@transaction.atomic
def member_decline(*, actor, member: PartnershipMember) -> PartnershipMember:
    member = _locked(member)
    if member.status not in (PartnershipMember.Status.INVITED, PartnershipMember.Status.REQUESTED):
        raise ValidationError(_("This invitation or request has already been answered."))
    before = member.status
    member.status = PartnershipMember.Status.DECLINED
    member.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="partnership.member_declined",
        target=member.partnership,
        before={"member": member.display_name, "status": before},
    )
    return member


@transaction.atomic
def member_end(*, actor, member: PartnershipMember, left_on) -> PartnershipMember:
    """A member leaves on ``left_on`` (not before it joined, not in the future)."""
    member = _locked(member)
    if member.status != PartnershipMember.Status.ACTIVE:
        raise ValidationError(_("Only a member can leave."))
    if member.joined_on and left_on < member.joined_on:
        raise ValidationError(
            {
                "left_on": _("A member cannot leave before it joined (%(date)s).")
                % {"date": member.joined_on.strftime("%d.%m.%Y")}
            },
            code="left_before",
        )
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("This date cannot be in the future.")})
    member.status = PartnershipMember.Status.LEFT
    member.left_on = left_on
    member.full_clean(validate_constraints=False)
    member.save(update_fields=["status", "left_on"])
    audit.record(
        actor=actor,
        action="partnership.member_left",
        target=member.partnership,
        after={"member": member.display_name, "left_on": left_on.isoformat()},
    )
    return member


MEETING_FIELDS = ("held_on", "title", "minutes", "decisions", "is_published")


@transaction.atomic
def meeting_save(*, actor, meeting: Meeting, **fields) -> Meeting:
    """Records a new meeting or changes one; publishing it is the coordinator's choice."""
    created = meeting.pk is None
    before = {} if created else audit.snapshot(meeting, MEETING_FIELDS)
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    if created and actor is not None and actor.is_authenticated:
        meeting.created_by = actor
    meeting.full_clean()
    meeting.save()
    audit.record(
        actor=actor,
        action="partnership.meeting_recorded" if created else "partnership.meeting_changed",
        target=meeting.partnership,
        before=before,
        after=audit.snapshot(meeting, MEETING_FIELDS),
    )
    return meeting
