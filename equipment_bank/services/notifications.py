"""The bank's e-mails, each under its own key (pestor.notifications: sent once per key)."""

from pestor.notifications import absolute_url, notify

from .. import selectors

# Who hears of each event: the owner's managers, the borrower, or both.
TO_MANAGERS = {"requested", "cancelled"}
TO_BOTH = {"damage_opened", "overdue_1", "overdue_7"}


def notify_booking(booking, event: str, *, key_suffix: str = "", context: dict | None = None):
    if event in TO_MANAGERS:
        recipients = selectors.owner_manager_emails(owner=booking.owner)
    elif event in TO_BOTH:
        recipients = selectors.owner_manager_emails(
            owner=booking.owner
        ) + selectors.borrower_emails(booking=booking)
    else:
        recipients = selectors.borrower_emails(booking=booking)
    notify(
        template=f"equipment_bank/booking_{event}",
        key=f"equipment_bank/booking_{event}:{booking.pk}{key_suffix}",
        recipients=recipients,
        context={
            "booking": booking,
            "url": absolute_url(booking.get_absolute_url()),
            **(context or {}),
        },
    )
