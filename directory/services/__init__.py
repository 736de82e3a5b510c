"""Writes to the directory: each function is one transaction and leaves an event behind.
One module per entity; callers import from ``directory.services``."""

from .founders import founder_add, founder_remove
from .legal_changes import (
    legal_change_accept,
    legal_change_request,
    legal_change_return,
    legal_change_withdraw,
)
from .members import (
    invitation_accept,
    invitation_send,
    membership_remove,
    membership_set_role,
)
from .organisations import (
    EDITABLE_FIELDS,
    LOGO_STORED_SIDE,
    organisation_delete,
    organisation_register,
    organisation_reject,
    organisation_update,
    organisation_verify,
    store_logo_copy,
)
from .standing import (
    confirmation_reminders_send,
    organisation_confirm_data,
    organisation_deactivate,
    organisation_reactivate,
    organisation_restore,
    organisation_suspend,
)

__all__ = [
    "EDITABLE_FIELDS",
    "LOGO_STORED_SIDE",
    "confirmation_reminders_send",
    "founder_add",
    "founder_remove",
    "invitation_accept",
    "invitation_send",
    "legal_change_accept",
    "legal_change_request",
    "legal_change_return",
    "legal_change_withdraw",
    "membership_remove",
    "membership_set_role",
    "organisation_confirm_data",
    "organisation_deactivate",
    "organisation_delete",
    "organisation_reactivate",
    "organisation_register",
    "organisation_reject",
    "organisation_restore",
    "organisation_suspend",
    "organisation_update",
    "organisation_verify",
    "store_logo_copy",
]
