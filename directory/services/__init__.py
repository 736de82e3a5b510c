"""Writes to the directory: each function is one transaction and leaves an event behind.
One module per entity; callers import from ``directory.services``."""

from .legal_changes import (
    legal_change_accept,
    legal_change_request,
    legal_change_return,
    legal_change_withdraw,
)
from .members import invitation_accept, invitation_send, membership_remove
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

__all__ = [
    "EDITABLE_FIELDS",
    "LOGO_STORED_SIDE",
    "invitation_accept",
    "invitation_send",
    "legal_change_accept",
    "legal_change_request",
    "legal_change_return",
    "legal_change_withdraw",
    "membership_remove",
    "organisation_delete",
    "organisation_register",
    "organisation_reject",
    "organisation_update",
    "organisation_verify",
    "store_logo_copy",
]
