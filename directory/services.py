"""Writes to the directory: each function is one transaction and leaves an event behind."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pestor import audit
from pestor.integrity import save_validated
from pestor.notifications import absolute_url, notify
from pestor.selectors import official_emails
from pestor.text import fold
from pestor.validators import compact_nip, compact_regon

from .models import Organisation, OrganisationInvitation, OrganisationMembership

# What a member may set on their organisation; status and verification are the officials'.
EDITABLE_FIELDS = (
    "name",
    "short_name",
    "legal_form",
    "krs",
    "nip",
    "regon",
    "is_public_benefit",
    "is_social_enterprise",
    "social_enterprise_since",
    "year_founded",
    "street",
    "postal_code",
    "city",
    "latitude",
    "longitude",
    "seat_municipality",
    "description",
    "website",
    "email",
    "phone",
    "logo",
    "employees",
    "employees_at_risk",
)


def _unique_slug(name: str, *, exclude_pk=None) -> str:
    base = slugify(fold(name))[:100] or "organizacja"
    slug, counter = base, 2
    queryset = Organisation.objects.exclude(pk=exclude_pk)
    while queryset.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _apply(organisation: Organisation, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable by members: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.nip = compact_nip(organisation.nip)
    organisation.regon = compact_regon(organisation.regon)


def _member_emails(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(user__is_active=True).values_list("user__email", flat=True)
    )


def _notify_officials_of_pending(organisation: Organisation, *, resubmitted: bool) -> None:
    notify(
        template="directory/organisation_pending",
        recipients=official_emails(municipality=organisation.seat_municipality_id),
        context={
            "organisation": organisation,
            "resubmitted": resubmitted,
            "url": absolute_url(reverse("directory:verification-queue")),
        },
    )


@transaction.atomic
def organisation_register(*, owner, spheres=(), municipalities_served=(), **fields) -> Organisation:
    """A signed-in user registers an organisation and becomes its owner; it awaits verification."""
    organisation = Organisation(status=Organisation.Status.PENDING)
    _apply(organisation, fields)
    organisation.slug = _unique_slug(organisation.name)
    organisation.full_clean()
    save_validated(organisation)
    organisation.spheres.set(spheres)
    organisation.municipalities_served.set(
        municipalities_served or [organisation.seat_municipality]
    )
    OrganisationMembership.objects.create(
        organisation=organisation, user=owner, role=OrganisationMembership.Role.OWNER
    )
    audit.record(
        actor=owner,
        action="organisation.registered",
        target=organisation,
        after=audit.snapshot(organisation, Organisation.LEGAL_FIELDS),
    )
    notify(
        template="directory/organisation_registered",
        recipients=[owner.email],
        context={
            "organisation": organisation,
            "url": absolute_url(organisation.get_absolute_url()),
        },
    )
    _notify_officials_of_pending(organisation, resubmitted=False)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor, spheres=None, municipalities_served=None, **fields
) -> Organisation:
    """A member edits the profile. Changes to legal data are logged for the officials; an
    organisation returned for correction goes back to the verification queue."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit.snapshot(organisation, Organisation.LEGAL_FIELDS)
    _apply(organisation, fields)
    organisation.full_clean()
    resubmitted = organisation.status == Organisation.Status.REJECTED
    if resubmitted:
        organisation.status = Organisation.Status.PENDING
    save_validated(organisation)
    if spheres is not None:
        organisation.spheres.set(spheres)
    if municipalities_served is not None:
        organisation.municipalities_served.set(municipalities_served)
    after = audit.snapshot(organisation, Organisation.LEGAL_FIELDS)
    if before != after:
        audit.record(
            actor=actor,
            action="organisation.legal_data_changed",
            target=organisation,
            before=before,
            after=after,
        )
    if resubmitted:
        audit.record(
            actor=actor,
            action="organisation.resubmitted",
            target=organisation,
            before={"status": Organisation.Status.REJECTED},
            after={"status": Organisation.Status.PENDING},
        )
        _notify_officials_of_pending(organisation, resubmitted=True)
    return organisation


def _decide(organisation: Organisation) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != Organisation.Status.PENDING:
        raise ValidationError(_("This registration has already been decided."), code="decided")
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, official) -> Organisation:
    """An official confirms the registration against the public registers; it goes public."""
    organisation = _decide(organisation)
    organisation.status = Organisation.Status.VERIFIED
    organisation.verified_at = timezone.now()
    organisation.verified_by = official
    organisation.rejection_reason = ""
    organisation.save(update_fields=["status", "verified_at", "verified_by", "rejection_reason"])
    audit.record(
        actor=official,
        action="organisation.verified",
        target=organisation,
        before={"status": Organisation.Status.PENDING},
        after={"status": Organisation.Status.VERIFIED},
    )
    notify(
        template="directory/organisation_verified",
        recipients=_member_emails(organisation),
        context={
            "organisation": organisation,
            "url": absolute_url(organisation.get_absolute_url()),
        },
    )
    return organisation


@transaction.atomic
def organisation_reject(*, organisation: Organisation, official, reason: str) -> Organisation:
    """An official returns the registration with a reason the owner can act on."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tell the organisation what to correct.")}, code="reason_required"
        )
    organisation = _decide(organisation)
    organisation.status = Organisation.Status.REJECTED
    organisation.rejection_reason = reason
    organisation.save(update_fields=["status", "rejection_reason"])
    audit.record(
        actor=official,
        action="organisation.rejected",
        target=organisation,
        before={"status": Organisation.Status.PENDING},
        after={"status": Organisation.Status.REJECTED},
        comment=reason,
    )
    notify(
        template="directory/organisation_rejected",
        recipients=_member_emails(organisation),
        context={
            "organisation": organisation,
            "reason": reason,
            "url": absolute_url(reverse("directory:organisation-edit", args=[organisation.slug])),
        },
    )
    return organisation


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
