"""Writes of the premises policy, split by what they change; import them from here."""

from .alerts import (
    alert_delete,
    alert_from_token,
    alert_save,
    alert_unsubscribe,
    alerts_match_call,
    alerts_match_premises,
    unsubscribe_url,
)
from .calls import (
    application_submit,
    application_withdraw,
    call_create,
    call_decide,
    call_publish,
    call_update,
)
from .committee import committee_close, committee_create
from .leases import (
    lease_end,
    lease_index,
    lease_proposal,
    lease_sign,
    leases_sync_status,
    support_extend_indefinite,
    support_refresh,
)
from .policy import policy_change, policy_set, torun_policy
from .registry import (
    premises_change_status,
    premises_create,
    premises_photo_add,
    premises_photo_remove,
    premises_plan_set,
    premises_set_status,
    premises_update,
)
from .reports import reminders_send, report_accept, report_return, report_submit

__all__ = [
    "alert_delete",
    "alert_from_token",
    "alert_save",
    "alert_unsubscribe",
    "alerts_match_call",
    "alerts_match_premises",
    "application_submit",
    "application_withdraw",
    "call_create",
    "call_decide",
    "call_publish",
    "call_update",
    "committee_close",
    "committee_create",
    "lease_end",
    "lease_index",
    "lease_proposal",
    "lease_sign",
    "leases_sync_status",
    "policy_change",
    "policy_set",
    "premises_change_status",
    "premises_create",
    "premises_photo_add",
    "premises_photo_remove",
    "premises_plan_set",
    "premises_set_status",
    "premises_update",
    "reminders_send",
    "report_accept",
    "report_return",
    "report_submit",
    "support_extend_indefinite",
    "support_refresh",
    "torun_policy",
    "unsubscribe_url",
]
