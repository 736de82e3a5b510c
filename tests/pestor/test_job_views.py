"""The operators' page of interrupted and failed background jobs."""

import pytest
from django.urls import reverse

from monitoring.models import Report
from tests.monitoring.factories import ReportFactory
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

URL = reverse("pestor:job-list")
STAFF_ONLY = dict.fromkeys(ROLES, 403) | {"resident": "login", "admin_user": 200}


@pytest.mark.parametrize(("role", "expected"), STAFF_ONLY.items())
def test_only_staff_see_the_jobs_page(client, as_role, role, expected):
    as_role(role)
    assert outcome(client.get(URL)) == expected


def test_the_page_lists_interrupted_and_failed_jobs_only(client, admin_user):
    failed = ReportFactory(status=Report.Status.FAILED, error="ValueError: zepsute dane")
    interrupted = ReportFactory(status=Report.Status.INTERRUPTED, interruptions=1)
    done = ReportFactory(status=Report.Status.DONE)
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert "Przerwane i nieudane zadania w tle" in page
    assert "ValueError: zepsute dane" in page
    assert failed.get_absolute_url() in page
    assert interrupted.get_absolute_url() in page
    assert "przerwane, ponownie w kolejce" in page
    assert done.get_absolute_url() not in page


def test_an_empty_list_says_so(client, admin_user):
    client.force_login(admin_user)
    assert "Żadne zadanie nie zostało przerwane" in client.get(URL).content.decode()


def test_staff_find_the_page_on_their_dashboard(client, admin_user, official):
    client.force_login(admin_user)
    assert URL in client.get(reverse("pestor:dashboard")).content.decode()
    client.force_login(official)
    assert URL not in client.get(reverse("pestor:dashboard")).content.decode()
