"""An organisation's members: invitations of editors by its owners, and removals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pestor import audit, invitations
from pestor.notifications import absolute_url, notify

from ..models import Organisation, OrganisationInvitation, OrganisationMembership


@transaction.atomic
def invitation_send(
    *, organisation: Organisation, email: str, invited_by
) -> OrganisationInvitation:
    """An owner invites an editor by e-mail; a repeated invitation is sent again, not doubled."""
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person is already a member of the organisation.")}, code="member"
        )
    invitation, created = invitations.open_or_new(
        OrganisationInvitation, organisation=organisation, email=email
    )
    if created:
        invitation.invited_by = invited_by
        invitation.save()
    notify(
        template="directory/invitation",
        key=f"directory/invitation:{invitation.pk}:{timezone.now().isoformat()}",
        recipients=[email],
        context={
            "organisation": organisation,
            "invited_by": invited_by,
            "valid_days": OrganisationInvitation.VALID_DAYS,
            "url": absolute_url(reverse("directory:invitation-accept", args=[invitation.token])),
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: OrganisationInvitation, user) -> OrganisationMembership:
    invitation = invitations.claim(invitation, user=user)
    membership, _created = OrganisationMembership.objects.get_or_create(
        organisation=invitation.organisation,
        user=user,
        defaults={"role": OrganisationMembership.Role.EDITOR},
    )
    audit.record(
        actor=user,
        action="organisation.member_joined",
        target=invitation.organisation,
        after={"member": user.email, "role": membership.role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: OrganisationMembership, actor) -> None:
    organisation = membership.organisation
    if (
        membership.role == OrganisationMembership.Role.OWNER
        and organisation.memberships.filter(role=OrganisationMembership.Role.OWNER).count() == 1
    ):
        raise ValidationError(
            _("The organisation must keep at least one owner."), code="last_owner"
        )
    audit.record(
        actor=actor,
        action="organisation.member_removed",
        target=organisation,
        before={"member": membership.user.email, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def membership_set_role(*, membership: OrganisationMembership, role: str, actor) -> None:
    """An owner hands ownership to an editor, or makes an owner an editor; the organisation
    always keeps at least one owner (so that its last owner can hand it over and leave)."""
    if role not in OrganisationMembership.Role.values:
        raise ValidationError(_("Choose owner or editor."), code="role")
    organisation = membership.organisation
    # Lock the members, so that two owners demoting each other at once leave one owner.
    owners = list(
        organisation.memberships.select_for_update()
        .filter(role=OrganisationMembership.Role.OWNER)
        .values_list("pk", flat=True)
    )
    if role == membership.role:
        return
    if role == OrganisationMembership.Role.EDITOR and owners == [membership.pk]:
        raise ValidationError(
            _("The organisation must keep at least one owner. Make another member an owner first."),
            code="last_owner",
        )
    audit.record(
        actor=actor,
        action="organisation.member_role_changed",
        target=organisation,
        before={"member": membership.user.email, "role": membership.role},
        after={"member": membership.user.email, "role": role},
    )
    membership.role = role
    membership.save(update_fields=["role"])
