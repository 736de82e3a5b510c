from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Organisation

register = template.Library()

EVENT_LABELS = {
    "organisation.registered": gettext_lazy("Registered"),
    "organisation.verified": gettext_lazy("Verified by an official"),
    "organisation.rejected": gettext_lazy("Returned for correction"),
    "organisation.resubmitted": gettext_lazy("Corrected and sent back for verification"),
    "organisation.legal_data_changed": gettext_lazy("Legal data changed"),
    "organisation.legal_change_requested": gettext_lazy("Change of legal data proposed"),
    "organisation.legal_change_withdrawn": gettext_lazy("Change of legal data withdrawn"),
    "organisation.legal_change_accepted": gettext_lazy("Change of legal data accepted"),
    "organisation.legal_change_returned": gettext_lazy("Change of legal data returned"),
    "organisation.member_joined": gettext_lazy("New member"),
    "organisation.member_removed": gettext_lazy("Member removed"),
    "organisation.deactivated": gettext_lazy("Deactivated by its owner"),
    "organisation.reactivated": gettext_lazy("Reactivated by its owner"),
    "organisation.suspended": gettext_lazy("Suspended by an official"),
    "organisation.restored": gettext_lazy("Restored by an official"),
    "organisation.confirmation_requested": gettext_lazy("Asked to confirm the data"),
    "organisation.data_confirmed": gettext_lazy("Data confirmed by the owner"),
}

_CHOICE_LABELS = {
    "status": dict(Organisation.Status.choices),
    "legal_form": dict(Organisation._meta.get_field("legal_form").choices),
}


@register.filter
def event_label(action):
    return EVENT_LABELS.get(action, action)


@register.filter
def organisation_field_label(name):
    try:
        return Organisation._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return {"member": _("member"), "role": _("role")}.get(name, name)


@register.filter
def history_value(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    for labels in _CHOICE_LABELS.values():
        if value in labels:
            return labels[value]
    return value
