"""Vacancy alerts: what a PES looks for, matched against each published call and each premises
that becomes vacant; its members get one e-mail per match (Celery, after the commit)."""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from pestor import audit
from pestor.notifications import absolute_url, notify
from pestor.text import fold

from ..models import Premises, PremisesCall, VacancyAlert
from ..permissions import member_organisations, verified_organisation_ids

ALERT_FIELDS = (
    "municipality",
    "district",
    "min_area",
    "max_area",
    "floor",
    "step_free_only",
    "purpose",
)
MAX_ALERTS = 10
UNSUBSCRIBE_SALT = "premises.alert-unsubscribe"


@transaction.atomic
def alert_save(*, organisation, actor, **fields) -> VacancyAlert:
    if organisation.pk not in verified_organisation_ids(actor):
        raise ValidationError(
            {"organisation": _("Set alerts for a verified organisation you belong to.")},
            code="not_member",
        )
    if VacancyAlert.objects.filter(organisation=organisation).count() >= MAX_ALERTS:
        raise ValidationError(
            _("An organisation keeps at most %(count)s alerts: delete one first.")
            % {"count": MAX_ALERTS}
        )
    alert = VacancyAlert(organisation=organisation, created_by=actor, **fields)
    alert.district = alert.district.strip()
    alert.purpose = alert.purpose.strip()
    alert.full_clean()
    alert.save()
    audit.record(
        actor=actor,
        action="premises_alert.saved",
        target=alert,
        after=audit.snapshot(alert, ALERT_FIELDS),
    )
    return alert


@transaction.atomic
def alert_delete(*, alert: VacancyAlert, actor) -> None:
    if alert.organisation_id not in member_organisations(actor):
        raise ValidationError(_("Only the organisation's members can delete its alerts."))
    audit.record(actor=actor, action="premises_alert.deleted", target=alert)
    alert.delete()


def unsubscribe_token(alert: VacancyAlert) -> str:
    """A signed token naming the alert: the link in its e-mails withdraws it without signing in
    (whoever the organisation's e-mails reach may stop them)."""
    return signing.dumps({"alert": alert.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(alert: VacancyAlert) -> str:
    return absolute_url(reverse("premises:alert-unsubscribe", args=[unsubscribe_token(alert)]))


def alert_from_token(token: str) -> VacancyAlert | None:
    """The alert a token names, or None for a forged, mangled or spent token."""
    try:
        data = signing.loads(str(token)[:200], salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    pk = data.get("alert") if isinstance(data, dict) else None
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    return VacancyAlert.objects.select_related("organisation", "municipality").filter(pk=pk).first()


@transaction.atomic
def alert_unsubscribe(*, token: str, actor=None) -> VacancyAlert:
    """Withdraw the alert a token from its e-mail names; ValidationError when the token is not
    valid or the alert is withdrawn already."""
    alert = alert_from_token(token)
    if alert is None:
        raise ValidationError(
            _("This link is not valid or the alert has been withdrawn already."),
            code="bad_token",
        )
    audit.record(
        actor=actor,
        action="premises_alert.unsubscribed",
        target=alert,
        before=audit.snapshot(alert, ALERT_FIELDS),
        comment=_("withdrawn by the link in its e-mail"),
    )
    alert.delete()
    return alert


def premises_matches(alert: VacancyAlert, premises: Premises) -> bool:
    if alert.municipality_id != premises.municipality_id:
        return False
    if alert.district and fold(alert.district) != fold(premises.district):
        return False
    if alert.min_area is not None and premises.area_m2 < alert.min_area:
        return False
    if alert.max_area is not None and premises.area_m2 > alert.max_area:
        return False
    if alert.floor and alert.floor != premises.floor:
        return False
    return not (alert.step_free_only and not premises.step_free_entrance)


def call_matches(alert: VacancyAlert, call: PremisesCall, premises: list[Premises]) -> list:
    if alert.purpose:
        words = fold(alert.purpose).split()
        text = fold(f"{call.title} {call.purpose}")
        if not any(word in text for word in words):
            return []
    return [item for item in premises if premises_matches(alert, item)]


def alerts_match_call_later(*, call: PremisesCall) -> None:
    from ..tasks import match_call_alerts

    match_call_alerts.delay_on_commit(call.pk)


def alerts_match_premises_later(*, premises: Premises) -> None:
    from ..tasks import match_premises_alerts

    match_premises_alerts.delay_on_commit(premises.pk)


def alerts_match_call(*, call_pk: int) -> int:
    from ..selectors import member_emails

    call = PremisesCall.objects.filter(pk=call_pk, status=PremisesCall.Status.PUBLISHED).first()
    if call is None:
        return 0
    premises = list(call.premises.all())
    sent = 0
    for alert in VacancyAlert.objects.filter(municipality_id=call.municipality_id).iterator():
        matched = call_matches(alert, call, premises)
        if not matched:
            continue
        notify(
            template="premises/alert_call",
            key=f"premises/alert_call:{call.pk}:{alert.organisation_id}",
            recipients=member_emails([alert.organisation_id]),
            context={
                "call": call,
                "premises": matched,
                "url": absolute_url(call.get_absolute_url()),
                "unsubscribe_url": unsubscribe_url(alert),
            },
        )
        sent += 1
    return sent


def alerts_match_premises(*, premises_pk: int) -> int:
    from ..selectors import member_emails

    premises = Premises.objects.filter(pk=premises_pk, status=Premises.Status.VACANT).first()
    if premises is None:
        return 0
    sent = 0
    for alert in VacancyAlert.objects.filter(municipality_id=premises.municipality_id).iterator():
        if alert.purpose or not premises_matches(alert, premises):
            # An alert with a purpose waits for a call (a vacant premises has no purpose yet).
            continue
        notify(
            template="premises/alert_premises",
            key=f"premises/alert_premises:{premises.pk}:{premises.status_changed_at:%Y%m%d%H%M}:{alert.organisation_id}",
            recipients=member_emails([alert.organisation_id]),
            context={
                "premises": premises,
                "url": absolute_url(premises.get_absolute_url()),
                "unsubscribe_url": unsubscribe_url(alert),
            },
        )
        sent += 1
    return sent
