"""An organisation's standing in the portal after verification: withdrawn by its owner or
suspended by an official (and back), and the yearly confirmation of its data."""

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pestor import audit
from pestor.notifications import absolute_url, notify

from ..models import CONFIRMATION_GRACE_DAYS, CONFIRMATION_INTERVAL_DAYS, Organisation
from ..permissions import (
    can_confirm_data,
    can_deactivate_organisation,
    can_reactivate_organisation,
    can_restore_organisation,
    can_suspend_organisation,
)
from .organisations import _member_emails

Status = Organisation.Status


def _locked(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _status_event(*, actor, action, organisation, before, comment=""):
    audit.record(
        actor=actor,
        action=action,
        target=organisation,
        before={"status": before},
        after={"status": organisation.status},
        comment=comment,
    )


@transaction.atomic
def organisation_deactivate(*, organisation: Organisation, actor) -> Organisation:
    """An owner withdraws the organisation from the portal; it keeps its data and history and
    the owner may bring it back (reactivate) to the state it was in."""
    organisation = _locked(organisation)
    if not can_deactivate_organisation(actor, organisation):
        raise PermissionDenied("Only an owner deactivates an active organisation.")
    before = organisation.status
    organisation.status_before_deactivation = before
    organisation.status = Status.DEACTIVATED
    organisation.save(update_fields=["status", "status_before_deactivation"])
    _status_event(
        actor=actor, action="organisation.deactivated", organisation=organisation, before=before
    )
    return organisation


@transaction.atomic
def organisation_reactivate(*, organisation: Organisation, actor) -> Organisation:
    """An owner brings a deactivated organisation back to where it was: a verified one is
    public again (its legal data could not change meanwhile), a pending one awaits the
    official again."""
    organisation = _locked(organisation)
    if not can_reactivate_organisation(actor, organisation):
        raise PermissionDenied("Only an owner reactivates a deactivated organisation.")
    organisation.status = organisation.status_before_deactivation
    organisation.status_before_deactivation = ""
    organisation.save(update_fields=["status", "status_before_deactivation"])
    _status_event(
        actor=actor,
        action="organisation.reactivated",
        organisation=organisation,
        before=Status.DEACTIVATED,
    )
    return organisation


@transaction.atomic
def organisation_suspend(*, organisation: Organisation, official, reason: str) -> Organisation:
    """An official of the seat municipality suspends a verified organisation, with a reason
    the members are told; it leaves every public list until an official restores it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tell the organisation why it is suspended.")}, code="reason_required"
        )
    organisation = _locked(organisation)
    if not can_suspend_organisation(official, organisation):
        raise PermissionDenied("Only an official of the seat municipality suspends.")
    organisation.status = Status.SUSPENDED
    organisation.suspension_reason = reason
    organisation.save(update_fields=["status", "suspension_reason"])
    _status_event(
        actor=official,
        action="organisation.suspended",
        organisation=organisation,
        before=Status.VERIFIED,
        comment=reason,
    )
    notify(
        template="directory/organisation_suspended",
        key=f"directory/organisation_suspended:{organisation.pk}:{timezone.now().isoformat()}",
        recipients=_member_emails(organisation),
        context={
            "organisation": organisation,
            "reason": reason,
            "url": absolute_url(organisation.get_absolute_url()),
        },
    )
    return organisation


@transaction.atomic
def organisation_restore(*, organisation: Organisation, official) -> Organisation:
    """An official lifts the suspension: the organisation is verified and public again."""
    organisation = _locked(organisation)
    if not can_restore_organisation(official, organisation):
        raise PermissionDenied("Only an official of the seat municipality restores.")
    reason = organisation.suspension_reason
    organisation.status = Status.VERIFIED
    organisation.suspension_reason = ""
    organisation.save(update_fields=["status", "suspension_reason"])
    _status_event(
        actor=official,
        action="organisation.restored",
        organisation=organisation,
        before=Status.SUSPENDED,
        comment=reason,
    )
    notify(
        template="directory/organisation_restored",
        key=f"directory/organisation_restored:{organisation.pk}:{timezone.now().isoformat()}",
        recipients=_member_emails(organisation),
        context={
            "organisation": organisation,
            "url": absolute_url(organisation.get_absolute_url()),
        },
    )
    return organisation


# --- the yearly check -------------------------------------------------------------------------


@transaction.atomic
def organisation_confirm_data(*, organisation: Organisation, actor) -> Organisation:
    """An owner confirms that the organisation's data in the directory are up to date."""
    organisation = _locked(organisation)
    if not can_confirm_data(actor, organisation):
        raise PermissionDenied("Only an owner of a verified organisation confirms its data.")
    organisation.data_confirmed_at = timezone.now()
    organisation.save(update_fields=["data_confirmed_at"])
    audit.record(actor=actor, action="organisation.data_confirmed", target=organisation)
    return organisation


def _start_of_year(now) -> datetime:
    zone = timezone.get_default_timezone()  # Europe/Warsaw
    year = timezone.localtime(now, zone).year
    return timezone.make_aware(datetime.combine(datetime(year, 1, 1), time.min), zone)


def confirmation_reminders_send(*, now=None) -> int:
    """Ask the owners of every verified organisation whose data were last confirmed (or
    verified) over a year ago to confirm them. At most one reminder per organisation per
    calendar year: each is claimed by a conditional update, so a second run (or two workers
    at once) sends nothing more. Returns the number of reminders sent."""
    now = now or timezone.now()
    not_reminded_this_year = Q(confirmation_requested_at__isnull=True) | Q(
        confirmation_requested_at__lt=_start_of_year(now)
    )
    due = (
        Organisation.objects.public()
        # The later of the owners' confirmation and the official's last verification (an
        # accepted change of legal data is one); Coalesce keeps SQLite's GREATEST off NULLs.
        .annotate(
            last_confirmed=Greatest(
                Coalesce("data_confirmed_at", "verified_at"),
                Coalesce("verified_at", "data_confirmed_at"),
            )
        )
        .filter(last_confirmed__lt=now - timedelta(days=CONFIRMATION_INTERVAL_DAYS))
        .filter(not_reminded_this_year)
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = (
                Organisation.objects.filter(pk=pk)
                .filter(not_reminded_this_year)
                .update(confirmation_requested_at=now)
            )
            if not claimed:
                continue
            organisation = Organisation.objects.get(pk=pk)
            audit.record(
                actor=None, action="organisation.confirmation_requested", target=organisation
            )
            notify(
                template="directory/confirmation_reminder",
                key=f"directory/confirmation_reminder:{organisation.pk}:{now.year}",
                recipients=_member_emails(organisation, role="owner"),
                context={
                    "organisation": organisation,
                    "grace_days": CONFIRMATION_GRACE_DAYS,
                    "url": absolute_url(
                        reverse("directory:organisation-detail", args=[organisation.slug])
                    ),
                },
            )
            sent += 1
    return sent
