"""Operators read panels in the admin but change nothing there (changes go through the services
and the event log)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_shows_a_panel_read_only(client, admin_user, panel):
    client.force_login(admin_user)
    assert client.get(reverse("admin:scoring_panel_changelist") + "?q=Komisja").status_code == 200
    page = client.get(reverse("admin:scoring_panel_change", args=[panel.pk]))
    assert page.status_code == 200
    assert "Wykonalność" in page.content.decode()
    assert client.get(reverse("admin:scoring_panel_add")).status_code == 403
    assert client.post(reverse("admin:scoring_panel_delete", args=[panel.pk])).status_code == 403
    # A NUL byte in a filter (which PostgreSQL refuses) reloads the list without it.
    refused = client.get(reverse("admin:scoring_panel_changelist") + "?status__exact=a%00b")
    assert refused.status_code == 302 and refused["Location"].endswith("?e=1")
