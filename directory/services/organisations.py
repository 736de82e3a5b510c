"""An organisation's registration, profile and verification."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pestor import audit
from pestor.images import reencode
from pestor.integrity import save_validated
from pestor.notifications import absolute_url, notify
from pestor.selectors import official_emails
from pestor.text import fold
from pestor.validators import compact_nip, compact_regon

from ..models import Organisation, OrganisationMembership
from ..permissions import can_change_legal_data
from ..validators import LOGO_FORMATS

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
# Logos are shown small (cards, the profile's header); the stored copy is at most this wide/high.
LOGO_STORED_SIDE = 1000


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


def store_logo_copy(organisation: Organisation) -> None:
    """A new logo (validated by full_clean) is stored as the portal's re-encoded copy, like an
    offer photo: resized, without metadata, under the extension of its real format. Every path
    that sets a logo (these services, the admin) goes through here."""
    logo = organisation.logo
    if logo and not logo._committed:
        try:
            organisation.logo = reencode(logo.file, max_side=LOGO_STORED_SIDE, formats=LOGO_FORMATS)
        except ValidationError as error:
            raise ValidationError({"logo": error.error_list}) from None


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
        key=f"directory/organisation_pending:{organisation.pk}:{timezone.now().isoformat()}",
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
    store_logo_copy(organisation)
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
        key=f"directory/organisation_registered:{organisation.pk}",
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
    old_logo = organisation.logo.name
    _apply(organisation, fields)
    changed = _changed(stored, _legal_values(organisation))
    # Once verified (and while withdrawn, whatever it was before) the legal data change only
    # through an official's review; otherwise reactivation would publish unchecked data.
    if changed and (
        organisation.status not in (Organisation.Status.PENDING, Organisation.Status.REJECTED)
        or not can_change_legal_data(actor, organisation)
    ):
        raise PermissionDenied(f"Legal data not editable here: {', '.join(sorted(changed))}")
    organisation.full_clean()
    store_logo_copy(organisation)
    resubmitted = organisation.status == Organisation.Status.REJECTED
    if resubmitted:
        organisation.status = Organisation.Status.PENDING
    save_validated(organisation)
    if old_logo and organisation.logo.name != old_logo:
        # A replaced or removed logo is no longer public: its file goes once this commits.
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
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
        key=f"directory/organisation_verified:{organisation.pk}:{organisation.verified_at.isoformat()}",
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
        key=f"directory/organisation_rejected:{organisation.pk}:{timezone.now().isoformat()}",
        recipients=_member_emails(organisation),
        context={
            "organisation": organisation,
            "reason": reason,
            "url": absolute_url(reverse("directory:organisation-edit", args=[organisation.slug])),
        },
    )
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation, actor) -> None:
    """Delete an organisation that nobody else's records rely on.

    Its own things go with it: memberships, invitations, offers and their photos. Answers,
    consortium partnerships, notice matches and inquiries PROTECT it (ProtectedError): such an
    organisation stays, withdrawn from the portal instead. The event log keeps its legal data.
    """
    audit.record(
        actor=actor,
        action="organisation.deleted",
        target=organisation,
        before=audit.snapshot(organisation, Organisation.LEGAL_FIELDS),
    )
    organisation.delete()
