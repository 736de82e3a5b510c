"""Writes to the equipment bank, split by what they change; import them from here."""

from .bookings import (
    Borrower,
    booking_approve,
    booking_cancel,
    booking_close,
    booking_mark_no_show,
    booking_reject,
    booking_request,
    bookings_expire,
    check_period,
    kit_request,
    nearest_free_start,
    period_of,
    periods,
)
from .handover import (
    booking_hand_out,
    booking_return,
    damage_clear,
    damage_open,
    in_kind_value,
)
from .reminders import reminders_send
from .resources import (
    MAX_PHOTOS,
    calendar_feed_renew,
    calendar_feed_revoke,
    resource_attachment_add,
    resource_photo_add,
    resource_photo_remove,
)
from .series import MAX_OCCURRENCES, series_check, series_request

__all__ = [
    "MAX_OCCURRENCES",
    "MAX_PHOTOS",
    "Borrower",
    "booking_approve",
    "booking_cancel",
    "booking_close",
    "booking_hand_out",
    "booking_mark_no_show",
    "booking_reject",
    "booking_request",
    "booking_return",
    "bookings_expire",
    "calendar_feed_renew",
    "calendar_feed_revoke",
    "check_period",
    "damage_clear",
    "damage_open",
    "in_kind_value",
    "kit_request",
    "nearest_free_start",
    "period_of",
    "periods",
    "reminders_send",
    "resource_attachment_add",
    "resource_photo_add",
    "resource_photo_remove",
    "series_check",
    "series_request",
]
