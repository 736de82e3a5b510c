"""E-mail notifications: rendered from templates in Polish, sent by a task after commit."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email


def notify(*, template: str, recipients, context: dict | None = None) -> None:
    """Queue ``emails/<template>_subject.txt`` and ``_body.txt`` for ``recipients``.

    Each recipient gets a message of their own, so that nobody sees the others' addresses
    (members of a PES, partners of a consortium). Messages leave only if the surrounding
    transaction commits.
    """
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    for recipient in recipients:
        send_email.delay_on_commit(subject=subject, body=body, recipients=[recipient])


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path
