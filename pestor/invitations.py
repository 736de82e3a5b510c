"""The steps every e-mail invitation shares (an organisation's editor, a municipality's staff):
reuse an open invitation instead of doubling it, and accept it once, with the invited address.
What the accepted invitation grants is the inviting app's business."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Invitation


def open_or_new(model: type[Invitation], **fields) -> tuple[Invitation, bool]:
    """The open invitation matching ``fields`` (same place, same address), or a new unsaved one:
    ``(invitation, created)``. A repeated invitation is sent again, not doubled."""
    invitation = model.objects.filter(accepted_at__isnull=True, **fields).first()
    if invitation is not None and not invitation.is_expired:
        return invitation, False
    return model(**fields), True


def claim(invitation: Invitation, *, user) -> Invitation:
    """Lock the invitation, check it is still open and meant for ``user``'s address, and mark it
    accepted by them. Call inside a transaction; returns the locked, updated row."""
    invitation = type(invitation).objects.select_for_update().get(pk=invitation.pk)
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
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation
