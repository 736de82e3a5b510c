"""Writes to the demand register: each function is one transaction and leaves an event behind.

Deadlines are enforced here, on the server, whatever the clock in the browser: every write that
depends on a notice being open locks the notice's row (``select_for_update``) and checks the
deadline inside the same transaction, so a request that arrives as the deadline passes, or two
answers of one organisation sent at once, end in exactly one allowed outcome.

One module per entity; callers import from ``demand.services``.
"""

from ._common import ANSWER_FIELDS, LOGGED_NOTICE_FIELDS, MAX_ATTACHMENTS, NOTICE_FIELDS
from .answers import (
    answer_submit,
    answer_update,
    answer_withdraw,
    partner_confirm,
    partner_decline,
)
from .corrections import notice_correct
from .notices import (
    clause_check_save,
    close_expired_notices,
    notice_award,
    notice_cancel,
    notice_create,
    notice_extend_deadline,
    notice_notify_matches,
    notice_publish,
    notice_update,
)
from .questions import question_answer, question_ask

__all__ = [
    "ANSWER_FIELDS",
    "LOGGED_NOTICE_FIELDS",
    "MAX_ATTACHMENTS",
    "NOTICE_FIELDS",
    "answer_submit",
    "answer_update",
    "answer_withdraw",
    "clause_check_save",
    "close_expired_notices",
    "notice_award",
    "notice_cancel",
    "notice_correct",
    "notice_create",
    "notice_extend_deadline",
    "notice_notify_matches",
    "notice_publish",
    "notice_update",
    "partner_confirm",
    "partner_decline",
    "question_answer",
    "question_ask",
]
