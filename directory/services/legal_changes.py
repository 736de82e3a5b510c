"""Changes of a verified organisation's legal data: an owner proposes, an official of the seat
municipality accepts or returns; the public record stays verified meanwhile."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pestor import audit
from pestor.notifications import absolute_url, notify
from pestor.selectors import official_emails

from ..models import LegalDataChange, Organisation, OrganisationMembership
from ..permissions import can_change_legal_data
from .organisations import _apply, _changed, _legal_values, _member_emails

_ONE_PENDING = gettext_lazy(
    "A change of the legal data is already awaiting an official's decision. Withdraw it "
    "before you propose another one."
)


def _validate_legal_data(organisation: Organisation) -> None:
    # Only the legal data: the rest of the stored profile (a logo file among it) is not what
    # the owner proposes or the official decides on.
    organisation.full_clean(
        exclude=[
            field.name
            for field in Organisation._meta.concrete_fields
            if field.name not in Organisation.LEGAL_FIELDS
        ]
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
    _validate_legal_data(candidate)
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
        key=f"directory/legal_change_pending:{change.pk}",
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
        key=f"{template}:{change.pk}",
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
    _validate_legal_data(organisation)
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
