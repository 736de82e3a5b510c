"""Writes to the directory: each function is one transaction and leaves an event behind."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pestor import audit
from pestor.notifications import absolute_url, notify
from pestor.selectors import official_emails
from pestor.text import fold
from pestor.validators import compact_nip, compact_regon

from .models import LegalDataChange, Organisation, OrganisationInvitation, OrganisationMembership
from .permissions import can_change_legal_data

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


def _member_emails(organisation: Organisation, *, role=None) -> list[str]:
    memberships = organisation.memberships.filter(user__is_active=True)
    if role is not None:
        memberships = memberships.filter(role=role)
    return list(memberships.values_list("user__email", flat=True))


def _legal_values(organisation: Organisation) -> dict:
    """The legal data as stored: foreign keys by primary key, so comparing costs no query."""
    return {
        name: getattr(organisation, Organisation._meta.get_field(name).attname)
        for name in Organisation.LEGAL_FIELDS
    }


def _changed(before: dict, after: dict) -> list[str]:
    return [name for name in Organisation.LEGAL_FIELDS if before[name] != after[name]]


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
    organisation.save()
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
    """A member edits the profile. Only an owner changes the legal data, and only while the
    organisation awaits verification (a verified one goes through legal_change_request).
    Changes to legal data are logged for the officials; an organisation returned for
    correction goes back to the verification queue."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit.snapshot(organisation, Organisation.LEGAL_FIELDS)
    stored = _legal_values(organisation)
    _apply(organisation, fields)
    changed = _changed(stored, _legal_values(organisation))
    if changed and (
        organisation.status == Organisation.Status.VERIFIED
        or not can_change_legal_data(actor, organisation)
    ):
        raise PermissionDenied(f"Legal data not editable here: {', '.join(sorted(changed))}")
    organisation.full_clean()
    resubmitted = organisation.status == Organisation.Status.REJECTED
    if resubmitted:
        organisation.status = Organisation.Status.PENDING
    organisation.save()
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


# --- changes of a verified organisation's legal data ------------------------------------------

_ONE_PENDING = _(
    "A change of the legal data is already awaiting an official's decision. Withdraw it "
    "before you propose another one."
)


def _check_registry_numbers_free(organisation: Organisation, *, changed) -> None:
    """NIP is unique in the database; KRS is checked here, for changed numbers only (one
    entity, one KRS entry). Both may have been taken since the change was proposed."""
    others = Organisation.objects.exclude(pk=organisation.pk)
    errors = {}
    if "nip" in changed and others.filter(nip=organisation.nip).exists():
        errors["nip"] = _(
            "Another organisation registered in the portal already has the NIP %(number)s."
        ) % {"number": organisation.nip}
    if "krs" in changed and organisation.krs and others.filter(krs=organisation.krs).exists():
        errors["krs"] = _(
            "Another organisation registered in the portal already has the KRS number %(number)s."
        ) % {"number": organisation.krs}
    if errors:
        raise ValidationError(errors, code="taken")


@transaction.atomic
def legal_change_request(*, organisation: Organisation, requested_by, **fields) -> LegalDataChange:
    """An owner proposes new legal data for a verified organisation. The public record keeps
    the verified values (and date) until an official accepts; one change waits at a time."""
    unknown = set(fields) - set(Organisation.LEGAL_FIELDS)
    if unknown:
        raise TypeError(f"Not legal data: {', '.join(sorted(unknown))}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not can_change_legal_data(requested_by, organisation):
        raise PermissionDenied("Only owners change the legal data.")
    if organisation.status != Organisation.Status.VERIFIED:
        raise ValidationError(
            _("Until the organisation is verified, its owner corrects the legal data in the form."),
            code="not_verified",
        )
    if organisation.legal_changes.pending().exists():
        raise ValidationError(_ONE_PENDING, code="pending")
    candidate = Organisation.objects.get(pk=organisation.pk)
    _apply(candidate, fields)
    candidate.full_clean()
    changed = _changed(_legal_values(organisation), _legal_values(candidate))
    if not changed:
        raise ValidationError(_("You have not changed any of the legal data."), code="unchanged")
    _check_registry_numbers_free(candidate, changed=changed)
    change = LegalDataChange(
        organisation=organisation,
        requested_by=requested_by,
        proposed=LegalDataChange.legal_data_of(candidate),
    )
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:  # another owner's change was saved in the meantime
        raise ValidationError(_ONE_PENDING, code="pending") from None
    audit.record(
        actor=requested_by,
        action="organisation.legal_change_requested",
        target=organisation,
        before=audit.snapshot(organisation, Organisation.LEGAL_FIELDS),
        after=audit.snapshot(candidate, Organisation.LEGAL_FIELDS),
    )
    notify(
        template="directory/legal_change_pending",
        recipients=official_emails(municipality=organisation.seat_municipality_id),
        context={
            "organisation": organisation,
            "url": absolute_url(reverse("directory:legal-change-review", args=[change.pk])),
        },
    )
    return change


def _lock_pending(change: LegalDataChange) -> LegalDataChange:
    change = (
        LegalDataChange.objects.select_for_update().select_related("organisation").get(pk=change.pk)
    )
    if not change.is_pending:
        raise ValidationError(_("This change has already been decided."), code="decided")
    return change


@transaction.atomic
def legal_change_withdraw(*, change: LegalDataChange, actor) -> LegalDataChange:
    """An owner withdraws the change before an official decides; nothing is applied."""
    change = _lock_pending(change)
    if not can_change_legal_data(actor, change.organisation):
        raise PermissionDenied("Only owners withdraw a change of the legal data.")
    change.status = LegalDataChange.Status.WITHDRAWN
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor=actor, action="organisation.legal_change_withdrawn", target=change.organisation
    )
    return change


def _notify_owners(change: LegalDataChange, *, template: str, **context) -> None:
    organisation = change.organisation
    notify(
        template=template,
        recipients=_member_emails(organisation, role=OrganisationMembership.Role.OWNER),
        context={
            "organisation": organisation,
            "url": absolute_url(reverse("directory:legal-change", args=[organisation.slug])),
            **context,
        },
    )


@transaction.atomic
def legal_change_accept(*, change: LegalDataChange, official) -> Organisation:
    """An official confirms the new legal data against the registers: they replace the public
    record, which is dated as verified now, by this official."""
    change = _lock_pending(change)
    organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
    before = audit.snapshot(organisation, Organisation.LEGAL_FIELDS)
    stored = _legal_values(organisation)
    for attname, value in change.proposed_values().items():
        setattr(organisation, attname, value)
    changed = _changed(stored, _legal_values(organisation))
    _check_registry_numbers_free(organisation, changed=changed)
    organisation.full_clean()
    organisation.verified_at = timezone.now()
    organisation.verified_by = official
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:  # the NIP was registered between the check and the save
        raise ValidationError(
            {"nip": _("Another organisation registered in the portal already has this NIP.")},
            code="taken",
        ) from None
    change.status = LegalDataChange.Status.ACCEPTED
    change.decided_by = official
    change.decided_at = organisation.verified_at
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor=official,
        action="organisation.legal_change_accepted",
        target=organisation,
        before=before,
        after=audit.snapshot(organisation, Organisation.LEGAL_FIELDS),
    )
    _notify_owners(change, template="directory/legal_change_accepted")
    return organisation


@transaction.atomic
def legal_change_return(*, change: LegalDataChange, official, reason: str) -> LegalDataChange:
    """An official returns the change with a reason; the verified values stay as they are."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tell the organisation why the change cannot be accepted.")},
            code="reason_required",
        )
    change = _lock_pending(change)
    change.status = LegalDataChange.Status.RETURNED
    change.reason = reason
    change.decided_by = official
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record(
        actor=official,
        action="organisation.legal_change_returned",
        target=change.organisation,
        comment=reason,
    )
    _notify_owners(change, template="directory/legal_change_returned", reason=reason)
    return change
