"""Accounts through allauth: sign-up with e-mail verification, login by e-mail, throttling."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from pestor import roles
from pestor.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_sign_up_sends_a_verification_link_and_grants_no_role(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Nowa@Example.org",
            "password1": "Dobre-Haslo-2026",
            "password2": "Dobre-Haslo-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nowa@example.org")
    assert not user.emailaddress_set.get().verified
    assert re.search(r"/konto/confirm-email/\S+/", mailoutbox[0].body)
    # Nobody makes themselves an official by signing up.
    assert not roles.is_official(user) and not roles.is_monitoring_member(user)
    assert not user.is_staff and not user.is_superuser


def test_an_unverified_address_cannot_sign_in(client, mailoutbox):
    UserFactory(email="niepotwierdzony@example.org", verified_email=False)
    response = client.post(
        reverse("account_login"), {"login": "niepotwierdzony@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_is_by_email_and_case_insensitive(client):
    UserFactory(email="jan@example.org")
    response = client.post(
        reverse("account_login"), {"login": "JAN@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("pestor:dashboard")


def test_repeated_failed_logins_are_throttled(client):
    UserFactory(email="cel@example.org")
    for _attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": "cel@example.org", "password": "zle"}
        )
        assert response.status_code == 200
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": "cel@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_password_reset_sends_a_link(client, mailoutbox):
    UserFactory(email="zapominalski@example.org")
    client.post(reverse("account_reset_password"), {"email": "zapominalski@example.org"})
    assert mailoutbox and mailoutbox[0].to == ["zapominalski@example.org"]
    assert "/konto/password/reset/key/" in mailoutbox[0].body


def test_a_signed_in_user_changes_the_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Nowe-Haslo-2026!", "password2": "Nowe-Haslo-2026!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nowe-Haslo-2026!")


def test_sign_out_is_a_post(client):
    client.force_login(UserFactory())
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.fixture
def public_address(settings):
    settings.SITE_NAME = "Portal Współpracy Toruń"
    settings.SITE_URL = "https://pes.torun.example.pl"


def test_the_verification_e_mail_names_the_portal_and_links_to_its_address(
    client, mailoutbox, public_address
):
    client.post(
        reverse("account_signup"),
        {"email": "nowa@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = mailoutbox
    assert message.subject.startswith("[Portal Współpracy Toruń] ")
    assert "Portal Współpracy Toruń" in message.body
    assert "127.0.0.1" not in message.body and "testserver" not in message.body
    assert re.search(r"https://pes\.torun\.example\.pl/konto/confirm-email/\S+/", message.body)


def test_the_password_reset_e_mail_links_to_the_portals_address(client, mailoutbox, public_address):
    UserFactory(email="zapominalski@example.org")
    client.post(reverse("account_reset_password"), {"email": "zapominalski@example.org"})
    client.post(reverse("account_reset_password"), {"email": "nieznany@example.org"})
    known, unknown = mailoutbox
    assert "https://pes.torun.example.pl/konto/password/reset/key/" in known.body
    assert "https://pes.torun.example.pl/konto/signup/" in unknown.body
    for message in mailoutbox:
        assert "Portal Współpracy Toruń" in message.body
        assert "testserver" not in message.body
