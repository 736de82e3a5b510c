"""Notifications are queued after commit, once per key and recipient, and not at all while
muted (the demo)."""

import pytest

from pestor import notifications

pytestmark = pytest.mark.django_db


def _notify():
    notifications.notify(
        template="demand/notice_matched",
        key="test:muted",
        recipients=["ktos@example.org"],
        context={"notice": None, "organisation": None, "notice_url": "/"},
    )


def test_an_email_is_sent_after_commit_and_none_while_muted(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True), notifications.muted():
        _notify()
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _notify()
    assert [message.to for message in mailoutbox] == [["ktos@example.org"]]
