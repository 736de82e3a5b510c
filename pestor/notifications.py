"""E-mail notifications: rendered from templates in Polish, sent by a task after commit.

Every e-mail is sent for one event under a key (``notify(key=...)``): the outbox
(``SentEmail``) remembers each key with its recipient, so a task that runs twice (its message
delivered again after a lost worker, a retry) never sends the same e-mail twice.
"""

import contextvars
import hashlib
import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import SentEmail

logger = logging.getLogger(__name__)

_muted = contextvars.ContextVar("pestor_notifications_muted", default=False)


@contextmanager
def muted():
    """No e-mail is queued inside: the demo (``load_demo``) goes through the apps' services,
    which notify the demo's fictional people of what happens to them."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notify(*, template: str, key: str, recipients, context: dict | None = None) -> None:
    """Queue ``emails/<template>_subject.txt`` and ``_body.txt`` for ``recipients``.

    ``key`` names the event (``"demand/notice_matched:<notice>:<organisation>"``): the same key
    and recipient are e-mailed once, however often this or the task runs. Each recipient gets a
    message of their own, so that nobody sees the others' addresses (members of a PES, partners
    of a consortium). Messages leave only if the surrounding transaction commits.
    """
    from .tasks import send_email

    recipients = sorted({address for address in recipients if address})
    if not recipients or _muted.get():
        return
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    for recipient in recipients:
        send_email.delay_on_commit(
            subject=subject, body=body, recipients=[recipient], key=f"{key}:{recipient}"
        )


def email_send(*, subject: str, body: str, recipients: list[str], key: str = "") -> int:
    """Send one message, once per ``key``. The key's row is written in the transaction that
    sends: a second run waits for the first, then finds the row and sends nothing; a failed
    send (an SMTP error, retried by the task) leaves no row."""
    if not key:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    digest = hashlib.sha256(key.encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentEmail.objects.create(
                    key_digest=digest,
                    key=key,
                    recipient=", ".join(recipients)[:254],
                    subject=subject[:300],
                )
        except IntegrityError:
            logger.info("E-mail %s was sent already; not sent again", key)
            return 0
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path
