"""Vacancy alerts are withdrawn by their organisation's members: on the alerts page, or by the
signed link in every alert e-mail, without signing in (the link is the key; a GET only asks)."""

import pytest
from django.core import mail, signing
from django.urls import reverse

from pestor.models import AuditEvent
from premises import services
from premises.models import VacancyAlert
from tests.premises.factories import make_alert, make_call
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(organisation, pes_owner, pes_editor, municipality):
    return make_alert(organisation, pes_owner, municipality)


def test_every_alert_email_carries_the_link_that_withdraws_it(
    client, alert, premises, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_call([premises], official)
    assert {message.to[0] for message in mail.outbox} == {
        "wlasciciel@example.org",
        "redaktor@example.org",
    }
    link = next(
        line.split()[-1] for line in mail.outbox[0].body.splitlines() if "/alerty/wypisz/" in line
    )
    path = link[link.index("/lokale/") :]
    page = client.get(path)
    assert page.status_code == 200
    assert VacancyAlert.objects.filter(pk=alert.pk).exists()  # a GET only asks
    assert alert.municipality.name in page.content.decode()
    response = client.post(path)
    assert response.status_code == 200
    assert not VacancyAlert.objects.filter(pk=alert.pk).exists()
    event = AuditEvent.objects.get(action="premises_alert.unsubscribed")
    assert event.before["municipality"] == str(alert.municipality)
    # The link is spent.
    assert client.post(path).status_code == 404
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_whoever_holds_the_link_withdraws_the_alert(role, as_role, client, alert):
    as_role(role)
    url = services.unsubscribe_url(alert)
    path = url[url.index("/lokale/") :]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert not VacancyAlert.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "a\x00b",
        "x" * 5000,
        "nie-ma",
        signing.dumps({"alert": 1}, salt="another.salt"),
        signing.dumps({"alert": "1"}, salt="premises.alert-unsubscribe"),
        signing.dumps([1], salt="premises.alert-unsubscribe"),
    ],
    # Fixed ids: a signed token carries the time it was made, and every xdist process must
    # collect the same tests.
    ids=["nul", "long", "unsigned", "other-salt", "string-pk", "list"],
)
def test_a_forged_or_foreign_token_withdraws_nothing(client, alert, token):
    url = reverse("premises:alert-unsubscribe", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert VacancyAlert.objects.filter(pk=alert.pk).exists()


def test_a_tampered_token_names_no_alert(client, alert, organisation, pes_owner, municipality):
    other = make_alert(organisation, pes_owner, municipality, district="Podgórz")
    token = services.unsubscribe_url(alert).rstrip("/").rsplit("/", 1)[-1]
    forged = token.replace(":", ":x", 1)
    assert client.post(reverse("premises:alert-unsubscribe", args=[forged])).status_code == 404
    assert VacancyAlert.objects.count() == 2
    assert other.pk != alert.pk


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisation_members_delete_its_alert_on_the_alerts_page(
    role, as_role, client, alert
):
    as_role(role)
    response = client.post(reverse("premises:alert-delete", args=[alert.pk]))
    exists = VacancyAlert.objects.filter(pk=alert.pk).exists()
    if role in {"pes_owner", "pes_editor"}:
        assert response.status_code == 302
        assert not exists
    else:
        assert outcome(response) in ("login", 404)
        assert exists
