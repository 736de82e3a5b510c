"""An organisation's members: invitations of editors by its owners, and removals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pestor import audit
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
    invitation = organisation.invitations.filter(email=email, accepted_at__isnull=True).first()
    if invitation is None or invitation.is_expired:
        invitation = OrganisationInvitation.objects.create(
            organisation=organisation, email=email, invited_by=invited_by
        )
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
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(
            _("This invitation has expired or has already been used. Ask for a new one."),
            code="closed",
        )
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it."),
            code="wrong_user",
            params={"email": invitation.email},
        )
    membership, _created = OrganisationMembership.objects.get_or_create(
        organisation=invitation.organisation,
        user=user,
        defaults={"role": OrganisationMembership.Role.EDITOR},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
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
