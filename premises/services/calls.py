"""Calls for premises (nabory): drafting, publishing, applications by verified PES before the
close on the server's clock, and the decision with its reason, e-mailed to every applicant.

The committee's evaluation (criteria, members, conflict declarations, scores, ranking) belongs
to the ``scoring`` app (``committee.py`` forms the call's panel); the official records the
decision with the ranking beside it (``call_decide``), which stays the one place the outcome is
written, and closes the panel.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pestor import audit
from pestor.notifications import absolute_url, notify

from ..models import Application, ApplicationDocument, CallDecision, Premises, PremisesCall
from ..permissions import can_manage_call, is_city_official, verified_organisation_ids
from ..validators import validate_pdf
from .committee import committee_close

CALL_FIELDS = ("title", "purpose", "documents_required", "opens_at", "closes_at")
MAX_DOCUMENTS = 5


def _require_official(actor, municipality_id) -> None:
    if not is_city_official(actor, municipality_id):
        raise ValidationError(
            _("Only the officials of the municipality can do this."), code="not_official"
        )


def _check_premises(premises, municipality_id, *, call=None) -> None:
    if not premises:
        raise ValidationError({"premises": _("Choose at least one premises.")}, code="no_premises")
    for item in premises:
        if item.municipality_id != municipality_id:
            raise ValidationError(
                {"premises": _("Offer only premises of the call's municipality.")},
                code="premises_elsewhere",
            )
        allowed = {Premises.Status.VACANT}
        if call is not None and call.premises.filter(pk=item.pk).exists():
            allowed.add(Premises.Status.IN_CALL)
        if item.status not in allowed:
            raise ValidationError(
                {"premises": _("%(premises)s is not vacant.") % {"premises": item}},
                code="premises_not_vacant",
            )


@transaction.atomic
def call_create(*, municipality, actor, premises, **fields) -> PremisesCall:
    _require_official(actor, municipality.pk)
    _check_premises(premises, municipality.pk)
    call = PremisesCall(municipality=municipality, created_by=actor, **fields)
    call.full_clean()
    call.save()
    call.premises.set(premises)
    audit.record(
        actor=actor,
        action="premises_call.created",
        target=call,
        after=audit.snapshot(call, CALL_FIELDS),
    )
    return call


@transaction.atomic
def call_update(*, call: PremisesCall, actor, premises, **fields) -> PremisesCall:
    call = PremisesCall.objects.select_for_update().get(pk=call.pk)
    _require_official(actor, call.municipality_id)
    if call.status != PremisesCall.Status.DRAFT:
        raise ValidationError(_("A published call cannot be changed."), code="call_published")
    _check_premises(premises, call.municipality_id, call=call)
    before = audit.snapshot(call, CALL_FIELDS)
    for name, value in fields.items():
        setattr(call, name, value)
    call.full_clean()
    call.save()
    call.premises.set(premises)
    audit.record(
        actor=actor,
        action="premises_call.updated",
        target=call,
        before=before,
        after=audit.snapshot(call, CALL_FIELDS),
    )
    return call


@transaction.atomic
def call_publish(*, call: PremisesCall, actor) -> PremisesCall:
    """Publish the call: its premises show "in a call", alerts that match are e-mailed."""
    from .alerts import alerts_match_call_later
    from .registry import premises_set_status

    call = PremisesCall.objects.select_for_update().get(pk=call.pk)
    _require_official(actor, call.municipality_id)
    if call.status != PremisesCall.Status.DRAFT:
        raise ValidationError(_("The call is published already."), code="call_published")
    if call.closes_at <= timezone.now():
        raise ValidationError(
            {"closes_at": _("The call's close has passed: set a later one first.")},
            code="call_closed",
        )
    premises = list(call.premises.all())
    _check_premises(premises, call.municipality_id, call=call)
    call.status = PremisesCall.Status.PUBLISHED
    call.published_at = timezone.now()
    call.save(update_fields=["status", "published_at"])
    for item in premises:
        premises_set_status(
            premises=item, status=Premises.Status.IN_CALL, actor=actor, note=call.title
        )
    audit.record(actor=actor, action="premises_call.published", target=call)
    alerts_match_call_later(call=call)
    return call


@transaction.atomic
def application_submit(
    *,
    call: PremisesCall,
    premises: Premises,
    organisation,
    actor,
    documents: list[tuple[str, object]],
    now=None,
    **fields,
) -> Application:
    """A verified PES applies once per premises per call, before the close by the server's
    clock. ``documents``: (title, PDF file) pairs, checked by their content."""
    now = now or timezone.now()
    call = PremisesCall.objects.select_for_update().get(pk=call.pk)
    if organisation.pk not in verified_organisation_ids(actor):
        raise ValidationError(
            {"organisation": _("Apply for a verified organisation you belong to.")},
            code="not_member",
        )
    if not call.is_open(now):
        if now >= call.closes_at:
            message = _("The call closed at %(time)s: applications are no longer accepted.") % {
                "time": timezone.localtime(call.closes_at).strftime("%d.%m.%Y %H:%M")
            }
        else:
            message = _("The call is not open for applications.")
        raise ValidationError(message, code="call_closed")
    if not call.premises.filter(pk=premises.pk).exists():
        raise ValidationError({"premises": _("These premises are not offered in this call.")})
    if Application.objects.filter(call=call, premises=premises, organisation=organisation).exists():
        raise _duplicate()
    if not documents:
        raise ValidationError(
            {"documents": _("Attach the documents the call requires, as PDF files.")},
            code="documents_required",
        )
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError(
            {"documents": _("Attach at most %(count)s files.") % {"count": MAX_DOCUMENTS}}
        )
    for _title, file in documents:
        try:
            validate_pdf(file)
        except ValidationError as error:
            raise ValidationError({"documents": error.error_list}) from None
    application = Application(
        call=call,
        premises=premises,
        organisation=organisation,
        submitted_by=actor,
        submitted_at=now,
        **fields,
    )
    application.full_clean(exclude=["call", "premises", "organisation"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise _duplicate() from None
    for title, file in documents:
        document = ApplicationDocument(application=application, title=(title or file.name)[:200])
        document.file = file
        document.save()
    audit.record(actor=actor, action="premises_application.submitted", target=application)
    return application


def _duplicate() -> ValidationError:
    message = _("Your organisation has already applied for these premises in this call.")
    return ValidationError({"premises": ValidationError(message, code="duplicate_application")})


@transaction.atomic
def application_withdraw(*, application: Application, actor) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    from ..permissions import can_withdraw_application

    if not can_withdraw_application(actor, application):
        raise ValidationError(_("This application can no longer be withdrawn."))
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status"])
    audit.record(actor=actor, action="premises_application.withdrawn", target=application)
    return application


@transaction.atomic
def call_decide(*, call: PremisesCall, actor, decisions: dict, now=None) -> PremisesCall:
    """Record the outcome after the close: ``decisions`` {premises: (application or None,
    reason)} for every premises of the call. The results are published, every applicant is
    e-mailed, premises nobody got are vacant again."""
    from .registry import premises_set_status

    now = now or timezone.now()
    call = PremisesCall.objects.select_for_update().get(pk=call.pk)
    if not can_manage_call(actor, call):
        raise ValidationError(_("Only the officials of the municipality can do this."))
    if call.status != PremisesCall.Status.PUBLISHED:
        raise ValidationError(_("The results of this call are published already."))
    if now < call.closes_at:
        raise ValidationError(
            _("The call is still open: decide after it closes."), code="call_still_open"
        )
    premises = list(call.premises.all())
    for item in premises:
        if item not in decisions:
            raise ValidationError(
                _("Decide on every premises of the call (%(premises)s is missing).")
                % {"premises": item},
                code="decision_missing",
            )
        chosen, reason = decisions[item]
        if not (reason or "").strip():
            raise ValidationError(
                {
                    "reason": _("Give the reason for the decision on %(premises)s.")
                    % {"premises": item}
                },
                code="reason_required",
            )
        if chosen is not None and (
            chosen.call_id != call.pk
            or chosen.premises_id != item.pk
            or chosen.status != Application.Status.SUBMITTED
        ):
            raise ValidationError(
                _("Choose an application submitted for %(premises)s.") % {"premises": item},
                code="wrong_application",
            )
    for item in premises:
        chosen, reason = decisions[item]
        CallDecision.objects.create(
            call=call,
            premises=item,
            application=chosen,
            reason=reason.strip(),
            decided_by=actor,
            decided_at=now,
        )
        applications = call.applications.filter(premises=item, status=Application.Status.SUBMITTED)
        applications.exclude(pk=getattr(chosen, "pk", None)).update(
            status=Application.Status.NOT_CHOSEN
        )
        if chosen is not None:
            applications.filter(pk=chosen.pk).update(status=Application.Status.CHOSEN)
        else:
            premises_set_status(
                premises=item,
                status=Premises.Status.VACANT,
                actor=actor,
                note=_("nobody chosen in the call"),
            )
        audit.record(
            actor=actor,
            action="premises_call.decided",
            target=call,
            after={"premises": item.pk, "application": getattr(chosen, "pk", None)},
            comment=reason.strip(),
        )
    committee_close(call=call, actor=actor)
    call.status = PremisesCall.Status.DECIDED
    call.decided_at = now
    call.save(update_fields=["status", "decided_at"])
    _notify_applicants(call)
    return call


def _notify_applicants(call: PremisesCall) -> None:
    from ..selectors import member_emails

    applications = call.applications.select_related("organisation", "premises").exclude(
        status=Application.Status.WITHDRAWN
    )
    for application in applications:
        notify(
            template="premises/call_results",
            key=f"premises/call_results:{call.pk}:{application.pk}",
            recipients=member_emails([application.organisation_id]),
            context={
                "call": call,
                "application": application,
                "chosen": application.status == Application.Status.CHOSEN,
                "url": absolute_url(call.get_absolute_url()),
            },
        )
