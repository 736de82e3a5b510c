"""Who may do what with events and registrations. Pure functions; views and templates ask
through ``pestor.permissions`` (``require("community.manage_event", user, event)``).

- Officials and members of the monitoring team publish events of their municipality; members of
  a verified PES publish their organisation's own events. Each manages what they published
  (the officials and the team of the municipality manage all of its events).
- Every signed-in user registers themselves and colleagues while registration is open, and
  cancels what they registered; the organisers cancel any registration.
- Everyone sees published events; a draft is seen by those who manage it only.
"""

from directory.permissions import verified_organisation_ids
from pestor import roles
from pestor.permissions import rule

from .models import Event, Registration


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_city_organiser(user, municipality_id) -> bool:
    """An official or a monitoring team member of the municipality (or an administrator)."""
    return (
        roles.is_administrator(user)
        or roles.is_official(user, municipality_id)
        or roles.is_monitoring_member(user, municipality_id)
    )


def publisher_municipality_ids(user) -> frozenset[int]:
    return roles.official_municipality_ids(user) | roles.monitoring_municipality_ids(user)


@rule("community.publish")
def can_publish(user, obj=None):
    """Create an event: officials, the monitoring team, members of a verified PES."""
    return (
        roles.is_administrator(user)
        or bool(publisher_municipality_ids(user))
        or bool(verified_organisation_ids(user))
    )


@rule("community.manage_event")
def can_manage_event(user, event: Event):
    if not _signed_in(user):
        return False
    if is_city_organiser(user, event.municipality_id):
        return True
    return event.organiser_id is not None and event.organiser_id in verified_organisation_ids(user)


@rule("community.view_event")
def can_view_event(user, event: Event):
    return event.status != Event.Status.DRAFT or can_manage_event(user, event)


@rule("community.edit_event")
def can_edit_event(user, event: Event):
    return event.status != Event.Status.CANCELLED and can_manage_event(user, event)


@rule("community.publish_event")
def can_publish_event(user, event: Event):
    return event.status == Event.Status.DRAFT and can_manage_event(user, event)


@rule("community.cancel_event")
def can_cancel_event(user, event: Event):
    return event.status == Event.Status.PUBLISHED and can_manage_event(user, event)


@rule("community.report_event")
def can_report_event(user, event: Event):
    """The report after the event: once it has started, by those who manage it."""
    return (
        event.status == Event.Status.PUBLISHED
        and event.starts_at <= _now()
        and can_manage_event(user, event)
    )


@rule("community.register")
def can_register(user, event: Event):
    """The service checks the deadline again under the event's lock."""
    return _signed_in(user) and event.registration_open()


@rule("community.cancel_registration")
def can_cancel_registration(user, registration: Registration):
    if registration.status == Registration.Status.CANCELLED or not _signed_in(user):
        return False
    if registration.event.ends_at <= _now():
        return False
    return registration.registered_by_id == user.pk or can_manage_event(user, registration.event)


@rule("community.view_participants")
def can_view_participants(user, event: Event):
    return can_manage_event(user, event)


def _now():
    from django.utils import timezone

    return timezone.now()


# The competence surveys' rules (registered with pestor.permissions when imported).
from . import surveys_permissions  # noqa: E402, F401
