"""The demand register in the Django admin: its lists and forms open for an administrator."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["demandnotice", "answer"])
def test_admin_pages_open(client, admin_user, answer, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:demand_{model}_changelist")).status_code == 200
    obj = answer.notice if model == "demandnotice" else answer
    assert client.get(reverse(f"admin:demand_{model}_change", args=[obj.pk])).status_code == 200
    assert (
        client.get(reverse(f"admin:demand_{model}_changelist"), {"q": "catering"}).status_code
        == 200
    )
