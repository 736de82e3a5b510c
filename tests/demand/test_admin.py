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


@pytest.mark.parametrize(
    ("model", "param"),
    [("demand_demandnotice", "answers_deadline__year"), ("pestor_auditevent", "created_at__year")],
)
@pytest.mark.parametrize("year", ["9" * 40, "-" + "9" * 40, "NaN"])
def test_a_date_hierarchy_year_beyond_any_date_reloads_the_list(
    client, admin_user, model, param, year
):
    """A year too big for a date raised an OverflowError (500) in Django's changelist."""
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:{model}_changelist"), {param: year})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
