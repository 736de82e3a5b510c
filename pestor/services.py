"""Writes to the shared things: user accounts, and the roles a municipality grants."""

from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, invitations, personal_data, roles, selectors
from .models import (
    BusinessBuyerMembership,
    BuyerRoleRequest,
    Company,
    Department,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
    SentEmail,
    StaffInvitation,
    User,
)
from .notifications import absolute_url, notify
from .validators import compact_nip


@transaction.atomic
def user_profile_update(*, user: User, first_name: str, last_name: str) -> User:
    """The name the portal shows instead of the e-mail address."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    return user


def user_delete_own(*, user: User) -> User | None:
    """A person deletes their own account (RODO art. 17). Refused while something only they can
    hand over depends on them (an organisation's last owner); see ``user_erase`` for the rest."""
    blockers = personal_data.deletion_blockers(user=user)
    if blockers:
        raise ValidationError([blocker.message for blocker in blockers], code="blocked")
    return user_erase(user=user, actor=user)


def user_erase(*, user: User, actor=None) -> User | None:
    """Delete an account (RODO art. 17): the account goes, the records others rely on stay.

    An account without history is deleted with its own rows (memberships, e-mail addresses).
    One that left history behind (messages, answers, decisions, measurements: every foreign key
    to it from such records is PROTECT; or entries in the admin log) is anonymised instead and
    returned. Used by the admin's delete.
    """
    if not selectors.user_history(user=user):
        try:
            with transaction.atomic():
                user.delete()
            return None
        except ProtectedError:  # history written since the check
            pass
    return user_anonymise(user=user, actor=actor)


@transaction.atomic
def user_anonymise(*, user: User, actor=None) -> User:
    """Erase the person from the account and keep the row behind its history.

    The name and e-mail address go (the address is free for a new account), the password
    cannot be used, the roles end; the records the person left read "deleted account". The
    event log keeps the names it copied when things happened: it is the record of decisions
    on public money and on the PES's standing (RODO art. 17(3)(b) and (e)).
    """
    # The outbox's record of what was sent to the address goes with it: it only guards against
    # sending an e-mail twice, and the person will get none any more.
    SentEmail.objects.filter(recipient__iexact=user.email).delete()
    user.first_name = ""
    user.last_name = ""
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.anonymised_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for rows in _own_rows(user):
        rows.delete()
    audit.record(actor=actor, action="user.anonymised", target=user)
    return user


def _own_rows(user: User):
    """The rows that are only the account's, those its deletion would cascade to: the roles
    (memberships), the e-mail addresses, the sign-in factors. Django's admin log stays with the
    event log, as the record of what an administrator did."""
    for relation in User._meta.get_fields(include_hidden=True):
        if (
            relation.auto_created
            and not relation.concrete
            and getattr(relation, "on_delete", None) is models.CASCADE
            and relation.related_model is not LogEntry
        ):
            yield relation.related_model._base_manager.filter(**{relation.field.name: user})


# Officials and the monitoring team, invited and removed by a municipality's local administrator.


@transaction.atomic
def staff_invitation_send(
    *,
    municipality: Municipality,
    kind: str,
    email: str,
    invited_by: User,
    department: Department | None = None,
    position: str = "",
) -> StaffInvitation:
    """Invite a person by e-mail into a department (as an official) or into the monitoring team;
    an open invitation of the same person to the same place is sent again, not doubled."""
    email = email.strip().lower()
    if kind == StaffInvitation.Kind.OFFICIAL:
        if department is None or department.municipality_id != municipality.pk:
            raise ValidationError(
                {"department": _("Choose a department of this municipality.")}, code="department"
            )
        already = OfficialMembership.objects.filter(
            department=department, user__email__iexact=email
        ).exists()
    else:
        department = None
        position = ""
        already = MonitoringTeamMembership.objects.filter(
            municipality=municipality, user__email__iexact=email
        ).exists()
    if already:
        raise ValidationError(
            {"email": _("This person already holds this role.")}, code="already_member"
        )
    invitation, created = invitations.open_or_new(
        StaffInvitation, municipality=municipality, kind=kind, department=department, email=email
    )
    if created:
        invitation.position = position.strip()
        invitation.invited_by = invited_by
        invitation.full_clean()
        invitation.save()
    audit.record(
        actor=invited_by,
        action="municipality.staff_invited",
        target=municipality,
        after={"email": email, "role": kind, "department": str(department or "")},
    )
    notify(
        template="pestor/staff_invitation",
        key=f"pestor/staff_invitation:{invitation.pk}:{timezone.now().isoformat()}",
        recipients=[email],
        context={
            "invitation": invitation,
            "invited_by": invited_by,
            "valid_days": StaffInvitation.VALID_DAYS,
            "url": absolute_url(reverse("pestor:invitation-accept", args=[invitation.token])),
        },
    )
    return invitation


@transaction.atomic
def staff_invitation_accept(*, invitation: StaffInvitation, user: User):
    """The invited person takes the role: once, before it expires, with the invited address."""
    invitation = invitations.claim(invitation, user=user)
    if invitation.kind == StaffInvitation.Kind.OFFICIAL:
        membership, _created = OfficialMembership.objects.get_or_create(
            user=user,
            department=invitation.department,
            defaults={"position": invitation.position},
        )
    else:
        membership, _created = MonitoringTeamMembership.objects.get_or_create(
            user=user, municipality=invitation.municipality
        )
    audit.record(
        actor=user,
        action="municipality.staff_joined",
        target=invitation.municipality,
        after={"member": user.email, "role": invitation.kind},
    )
    return membership


@transaction.atomic
def official_remove(*, membership: OfficialMembership, actor: User) -> None:
    audit.record(
        actor=actor,
        action="municipality.official_removed",
        target=membership.department.municipality,
        before={"member": membership.user.email, "department": membership.department.name},
    )
    membership.delete()


@transaction.atomic
def monitoring_member_remove(*, membership: MonitoringTeamMembership, actor: User) -> None:
    audit.record(
        actor=actor,
        action="municipality.monitoring_member_removed",
        target=membership.municipality,
        before={"member": membership.user.email},
    )
    membership.delete()


# The business-buyer role: asked for by the person, decided by the municipality.


@transaction.atomic
def buyer_request_submit(
    *, user: User, company_name: str, nip: str, municipality: Municipality
) -> BuyerRoleRequest:
    """A person asks to buy for a company identified by its NIP. A company the portal knows
    already keeps its own seat: the request goes to that municipality."""
    nip = compact_nip(nip)
    company = Company.objects.filter(nip=nip).first()
    if company is not None:
        municipality = company.municipality
        if BusinessBuyerMembership.objects.filter(user=user, company=company).exists():
            raise ValidationError(
                {"nip": _("You already buy for this company.")}, code="already_buyer"
            )
    if BuyerRoleRequest.objects.filter(
        user=user, nip=nip, status=BuyerRoleRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            {"nip": _("Your request for this company awaits a decision.")}, code="pending"
        )
    request = BuyerRoleRequest(
        user=user, company_name=company_name.strip(), nip=nip, municipality=municipality
    )
    request.full_clean()
    request.save()
    notify(
        template="pestor/buyer_request_pending",
        key=f"pestor/buyer_request_pending:{request.pk}",
        recipients=selectors.local_admin_emails(municipality=municipality),
        context={"request": request, "url": absolute_url(reverse("pestor:buyer-requests"))},
    )
    return request


def _lock_pending(request: BuyerRoleRequest, actor: User) -> BuyerRoleRequest:
    request = BuyerRoleRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if request.status != BuyerRoleRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    if not (
        roles.is_administrator(actor) or roles.is_local_administrator(actor, request.municipality)
    ):
        raise ValidationError(
            _("Only a local administrator of the company's municipality decides this request."),
            code="forbidden",
        )
    return request


@transaction.atomic
def buyer_request_approve(*, request: BuyerRoleRequest, actor: User) -> BusinessBuyerMembership:
    request = _lock_pending(request, actor)
    company, _created = Company.objects.get_or_create(
        nip=request.nip,
        defaults={"name": request.company_name, "municipality": request.municipality},
    )
    membership, _created = BusinessBuyerMembership.objects.get_or_create(
        user=request.user, company=company
    )
    request.status = BuyerRoleRequest.Status.APPROVED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(
        actor=actor,
        action="company.buyer_approved",
        target=company,
        after={"buyer": request.user.email},
    )
    notify(
        template="pestor/buyer_request_approved",
        key=f"pestor/buyer_request_approved:{request.pk}",
        recipients=[request.user.email],
        context={"request": request, "url": absolute_url(reverse("pestor:dashboard"))},
    )
    return membership


@transaction.atomic
def buyer_request_refuse(
    *, request: BuyerRoleRequest, actor: User, reason: str
) -> BuyerRoleRequest:
    request = _lock_pending(request, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the request is refused; the person will read it.")},
            code="reason",
        )
    request.status = BuyerRoleRequest.Status.REFUSED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.reason = reason
    request.full_clean()
    request.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    audit.record(
        actor=actor,
        action="buyer_request.refused",
        target=request,
        before={"status": BuyerRoleRequest.Status.PENDING},
        after={"status": request.status},
        comment=reason,
    )
    notify(
        template="pestor/buyer_request_refused",
        key=f"pestor/buyer_request_refused:{request.pk}",
        recipients=[request.user.email],
        context={"request": request, "url": absolute_url(reverse("pestor:buyer-request"))},
    )
    return request
