"""Changes to events and registrations: one transaction each, checked again here whatever the
form said, the ones that matter written to the event log (``pestor.audit``).

Places are given under the event's row lock (``SELECT … FOR UPDATE``): the places taken are read
and changed by one transaction at a time, so parallel registrations for the last place give it to
one of them and put the other on the waiting list; the deadline is read from the server's clock
once the lock is held.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange.services import render_description
from pestor import audit, roles
from pestor.notifications import absolute_url, notify

from .models import Event, Material, Registration, Speaker
from .validators import validate_material

EVENT_FIELDS = [
    "kind",
    "title",
    "programme",
    "starts_at",
    "ends_at",
    "venue",
    "latitude",
    "longitude",
    "online_url",
    "audience",
    "capacity",
    "registration_deadline",
    "accessibility",
    "public_task",
]
# What the event log keeps of an event (its fields and the partnership organising it).
AUDIT_FIELDS = [*EVENT_FIELDS, "partnership_id"]
PARTNERSHIP_REFUSED = gettext_lazy(
    "A partnership organises only the events of a PES that is its active member: publish the "
    "event as such an organisation or leave the partnership out."
)
# At most this many people in one registration (oneself and colleagues).
MAX_PARTICIPANTS = 10


_KEEP = object()


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _apply(event: Event, fields: dict) -> None:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Not editable on an event: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(event, name, value)
    event.title = (event.title or "").strip()
    event.programme_html = render_description(event.programme)


def _set_partnership(event: Event, partnership_id: int | None) -> None:
    """Names the partnership organising the event: only an organising PES that is its active
    member may (asked through partnerships' selectors); an unchanged one stays."""
    if partnership_id == event.partnership_id:
        return
    if partnership_id is not None:
        from partnerships import selectors as partnership_selectors

        if event.organiser_id is None or not partnership_selectors.is_active_member(
            partnership_id=partnership_id, organisation_id=event.organiser_id
        ):
            raise ValidationError({"partnership": PARTNERSHIP_REFUSED}, code="not_member")
    event.partnership_id = partnership_id


def _set_speakers(event: Event, speakers: list[dict]) -> None:
    event.speakers.all().delete()
    Speaker.objects.bulk_create(
        Speaker(
            event=event,
            name=speaker["name"],
            topic=speaker.get("topic", ""),
            organisation=speaker.get("organisation"),
            order=position,
        )
        for position, speaker in enumerate(speakers)
    )


@transaction.atomic
def event_create(
    *, actor, municipality, organiser=None, partnership=None, speakers=(), **fields
) -> Event:
    """``partnership``: the id of the partnership organising it (the organiser must be its
    active member)."""
    event = Event(municipality=municipality, organiser=organiser, created_by=actor)
    _apply(event, fields)
    _set_partnership(event, partnership)
    event.full_clean()
    event.save()
    _set_speakers(event, list(speakers))
    audit.record(
        actor=actor,
        action="community.event_create",
        target=event,
        after=audit.snapshot(event, AUDIT_FIELDS),
    )
    return event


@transaction.atomic
def event_update(*, event: Event, actor, speakers=None, partnership=_KEEP, **fields) -> Event:
    """A smaller capacity than the places taken is refused; a larger one moves the waiting
    list up at once. ``partnership``: the id of the partnership organising it, or None (left
    as it is when not given)."""
    event = _locked(event)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."), code="cancelled")
    before = audit.snapshot(event, AUDIT_FIELDS)
    _apply(event, fields)
    if partnership is not _KEEP:
        _set_partnership(event, partnership)
    event.full_clean()
    event.save()
    if speakers is not None:
        _set_speakers(event, list(speakers))
    _fill_places(event)
    audit.record(
        actor=actor,
        action="community.event_update",
        target=event,
        before=before,
        after=audit.snapshot(event, AUDIT_FIELDS),
    )
    return event


@transaction.atomic
def event_publish(*, event: Event, actor, now: datetime | None = None) -> Event:
    event = _locked(event)
    now = now or timezone.now()
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    event.status = Event.Status.PUBLISHED
    event.published_at = now
    event.save(update_fields=["status", "published_at"])
    audit.record(actor=actor, action="community.event_publish", target=event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor, reason: str) -> Event:
    """Cancels the event; everyone registered (confirmed or waiting) gets an e-mail."""
    event = _locked(event)
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("Only a published event can be cancelled."), code="not_published")
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    audit.record(actor=actor, action="community.event_cancel", target=event, comment=reason[:1000])
    for registration in event.registrations.exclude(status=Registration.Status.CANCELLED):
        _notify(registration, "community/event_cancelled", extra={"reason": reason})
    return event


def _affiliation(actor, organisation) -> str:
    if organisation is not None:
        return Registration.Affiliation.PES
    if roles.is_official(actor) or roles.is_monitoring_member(actor):
        return Registration.Affiliation.ADMINISTRATION
    return Registration.Affiliation.RESIDENT


def _normalised(email: str) -> str:
    return (email or "").strip().lower()


@transaction.atomic
def registration_create(
    *, event: Event, actor, participants: list[tuple[str, str]], organisation=None, now=None
) -> list[Registration]:
    """Registers ``participants`` (name, e-mail) for the event, for ``organisation`` if given
    (one of the actor's). Places go in order while they last, the rest to the waiting list.
    Nothing is written if any participant is refused."""
    from directory.permissions import membership_statuses

    if not participants:
        raise ValidationError(_("Name at least one participant."), code="nobody")
    if len(participants) > MAX_PARTICIPANTS:
        raise ValidationError(
            _("At most %(limit)d people in one registration.") % {"limit": MAX_PARTICIPANTS},
            code="too_many",
        )
    if organisation is not None and organisation.pk not in membership_statuses(actor):
        raise ValidationError(_("You do not work for this organisation."), code="not_member")
    event = _locked(event)
    now = now or timezone.now()
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event does not take registrations."), code="closed")
    if now >= event.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(deadline)s.")
            % {
                "deadline": timezone.localtime(event.registration_deadline).strftime(
                    "%d.%m.%Y %H:%M"
                )
            },
            code="deadline_passed",
        )
    emails = [_normalised(email) for _name, email in participants]
    if len(set(emails)) != len(emails):
        raise ValidationError(_("Each participant must have a different e-mail address."))
    taken = set(
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(email__in=emails)
        .values_list("email", flat=True)
    )
    if taken:
        raise ValidationError(
            _("Already registered for this event: %(emails)s.")
            % {"emails": ", ".join(sorted(taken))},
            code="already_registered",
        )
    affiliation = _affiliation(actor, organisation)
    created = []
    for name, email in participants:
        confirmed = event.seats_taken < event.capacity
        registration = Registration(
            event=event,
            registered_by=actor,
            name=name.strip(),
            email=_normalised(email),
            organisation=organisation,
            affiliation=affiliation,
            status=Registration.Status.CONFIRMED if confirmed else Registration.Status.WAITING,
            created_at=now,
        )
        registration.full_clean(exclude=["event", "registered_by"])
        registration.save()
        if confirmed:
            event.seats_taken += 1
        else:
            event.waiting += 1
        created.append(registration)
    event.save(update_fields=["seats_taken", "waiting"])
    audit.record(
        actor=actor,
        action="community.registration_create",
        target=event,
        after={"registrations": [r.pk for r in created]},
    )
    for registration in created:
        _notify(registration, "community/registered")
    return created


@transaction.atomic
def registration_cancel(*, registration: Registration, actor, now=None) -> Registration | None:
    """Cancels a registration; a confirmed place goes to the first on the waiting list, who is
    e-mailed. Returns the promoted registration, if any."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."), code="cancelled")
    now = now or timezone.now()
    was = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if was == Registration.Status.CONFIRMED:
        event.seats_taken -= 1
    else:
        event.waiting -= 1
    event.save(update_fields=["seats_taken", "waiting"])
    audit.record(
        actor=actor,
        action="community.registration_cancel",
        target=event,
        before={"registration": registration.pk, "name": registration.name, "status": was},
    )
    promoted = _fill_places(event, now=now)
    return promoted[0] if promoted else None


def _fill_places(event: Event, *, now=None) -> list[Registration]:
    """Moves the waiting list up into free places (the event's row is locked by the caller);
    each promoted participant gets an e-mail."""
    free = event.capacity - event.seats_taken
    if free <= 0 or event.waiting <= 0 or event.status == Event.Status.CANCELLED:
        return []
    now = now or timezone.now()
    promoted = list(
        event.registrations.select_for_update()
        .filter(status=Registration.Status.WAITING)
        .order_by("created_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _notify(registration, "community/promoted")
    Event.objects.filter(pk=event.pk).update(
        seats_taken=F("seats_taken") + len(promoted), waiting=F("waiting") - len(promoted)
    )
    event.seats_taken += len(promoted)
    event.waiting -= len(promoted)
    return promoted


def _notify(registration: Registration, template: str, *, extra=None) -> None:
    event = registration.event
    notify(
        template=template,
        key=f"{template}:{registration.pk}",
        recipients=[registration.email, registration.registered_by.email],
        context={
            "event": event,
            "registration": registration,
            "starts": timezone.localtime(event.starts_at),
            "url": absolute_url(event.get_absolute_url()),
            "my_url": absolute_url(reverse("community:my-registrations")),
            **(extra or {}),
        },
    )


@transaction.atomic
def attendance_mark(*, event: Event, actor, present: set[int], shown: set[int]) -> int:
    """Marks who was present among the confirmed participants ``shown`` on the organiser's page
    (those of them not in ``present`` absent; the others as they were). Returns the number
    present at the event."""
    event = _locked(event)
    if event.starts_at > timezone.now():
        raise ValidationError(
            _("Attendance is marked once the event has started."), code="not_started"
        )
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED)
    confirmed.filter(pk__in=present & shown).update(attended=True)
    confirmed.filter(pk__in=shown - present).update(attended=False)
    count = confirmed.filter(attended=True).count()
    audit.record(
        actor=actor, action="community.attendance_mark", target=event, after={"present": count}
    )
    return count


@transaction.atomic
def report_publish(*, event: Event, actor, report: str, now=None) -> Event:
    """The short report after the event: what was agreed (for a Laboratory session, its
    conclusions). Published on the event's page once the event has started."""
    event = _locked(event)
    now = now or timezone.now()
    if event.starts_at > now:
        raise ValidationError(
            {"report": _("The report is published once the event has started.")},
            code="not_started",
        )
    before = {"report": event.report}
    event.report = report.strip()
    event.report_html = render_description(event.report)
    event.save(update_fields=["report", "report_html"])
    audit.record(
        actor=actor,
        action="community.report_publish",
        target=event,
        before=before,
        after={"report": event.report},
    )
    return event


# At most this many materials per event.
MAX_MATERIALS = 20


@transaction.atomic
def material_add(*, event: Event, actor, title: str, file) -> Material:
    """Publishes a document after the event has started; its content is checked (PDF, ODT or
    PPTX), whatever its name says."""
    event = _locked(event)
    if event.starts_at > timezone.now():
        raise ValidationError(
            {"file": _("Materials are published once the event has started.")},
            code="not_started",
        )
    if event.materials.count() >= MAX_MATERIALS:
        raise ValidationError(
            {"file": _("At most %(limit)d materials per event.") % {"limit": MAX_MATERIALS}}
        )
    try:
        extension = validate_material(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    material = Material(
        event=event, title=title.strip(), extension=extension, uploaded_by=actor, file=file
    )
    material.full_clean(exclude=["file"])
    material.save()
    audit.record(actor=actor, action="community.material_add", target=event, after={"title": title})
    return material


@transaction.atomic
def material_remove(*, material: Material, actor) -> None:
    event = _locked(material.event)
    title = material.title
    material.file.delete(save=False)
    material.delete()
    audit.record(
        actor=actor, action="community.material_remove", target=event, before={"title": title}
    )


def reminders_send(*, now=None) -> int:
    """E-mails every confirmed participant of the events that start tomorrow (local date). The
    key of each e-mail is its registration: however often the beat task runs, once each."""
    from .selectors import registrations_to_remind

    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    sent = 0
    for registration in registrations_to_remind(day=tomorrow):
        _notify(registration, "community/reminder")
        sent += 1
    return sent
