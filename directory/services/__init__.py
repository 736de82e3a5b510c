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
    organisation_register,
    organisation_reject,
    organisation_update,
    organisation_verify,
)

__all__ = [
    "EDITABLE_FIELDS",
    "invitation_accept",
    "invitation_send",
    "legal_change_accept",
    "legal_change_request",
    "legal_change_return",
    "legal_change_withdraw",
    "membership_remove",
    "organisation_register",
    "organisation_reject",
    "organisation_update",
    "organisation_verify",
]
