"""Two-step verification (allauth.mfa): required of staff, offered to everyone else, asked for
at sign-in, in Polish and in the portal's layout."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    AdminUserFactory,
    UserFactory,
    activate_totp,
    totp_code,
)
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counts and used TOTP codes live in the cache.
    cache.clear()
    yield
    cache.clear()


def sign_in_with_password(client, user, **data):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, **data}
    )


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


# --- Required of staff -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["pestor:dashboard", "pestor:home", "admin:index", "directory:organisation-list"]
)
def test_staff_without_the_app_are_sent_to_set_it_up(client, url_name):
    client.force_login(AdminUserFactory(totp=False))
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_without_the_app_may_still_set_it_up_and_sign_out(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("mfa_index")).status_code == 200
    # Activation first asks for the password again (allauth), which is reachable too.
    activation = client.get(reverse("mfa_activate_totp"), follow=True)
    assert activation.status_code == 200
    assert client.get(reverse("javascript-catalog")).status_code == 200
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_staff_with_the_app_are_not_redirected(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("pestor:dashboard")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


# The roles that must use it (pestor.roles.mfa_required) have the app set up in their fixtures.
@pytest.mark.parametrize(
    "role", [role for role in ROLES if role not in ("admin_user", "local_administrator")]
)
def test_other_roles_are_offered_it_but_not_forced(role, as_role, client, pes_owner, pes_editor):
    user = as_role(role)
    response = client.get(reverse("pestor:dashboard"))
    if user is None:
        assert outcome(response) == "login"
        return
    assert response.status_code == 200
    assert "Włącz weryfikację dwuetapową" in response.content.decode()
    assert reverse("mfa_index") in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_two_step_page_by_role(role, as_role, client, pes_owner, pes_editor):
    as_role(role)
    response = client.get(reverse("mfa_index"))
    assert outcome(response) == ("login" if role == "resident" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_sign_in_by_role(role, as_role, client, pes_owner, pes_editor):
    """Anonymous: to the portal's sign-in; staff: into the admin; anyone else: refused."""
    as_role(role)
    response = client.get(reverse("admin:login"))
    expected = {"resident": "login", "admin_user": 302}.get(role, 403)
    assert outcome(response) == expected
    if role == "admin_user":
        assert response["Location"] == reverse("admin:index")


# --- Setting it up -----------------------------------------------------------------------------


def test_staff_sign_in_set_up_the_app_and_then_reach_the_admin(client):
    staff = AdminUserFactory(email="administratorka@example.org", totp=False)
    response = sign_in_with_password(client, staff, next=reverse("admin:index"))
    assert signed_in_as(client, staff)
    assert client.get(response["Location"])["Location"] == reverse("mfa_activate_totp")

    # allauth asks for the password once more before a change to how the account signs in.
    confirm = client.get(reverse("mfa_activate_totp"))
    assert confirm["Location"].startswith(reverse("account_reauthenticate"))
    # That page is allauth's own, in allauth's Polish.
    assert "Potwierdź dostęp" in client.get(confirm["Location"]).content.decode()
    back = client.post(confirm["Location"], {"password": PASSWORD})
    assert back["Location"] == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Włącz weryfikację dwuetapową" in html
    assert "Twoje konto ma uprawnienia administracyjne" in html
    # The QR code is drawn from the page itself: an SVG data URI, nothing fetched from outside.
    qr = re.search(r'<img class="totp-qr" src="([^"]+)"', html).group(1)
    assert qr.startswith("data:image/svg+xml;base64,")
    secret = re.search(r'<code id="totp-secret" class="totp-secret">(\w+)</code>', html).group(1)

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Błędny kod" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=staff).exists()

    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "Kody zapasowe" in codes
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_official_turns_it_on_from_the_panel(client, official):
    client.force_login(official)
    panel = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("mfa_index") in panel
    index = client.get(reverse("mfa_index")).content.decode()
    assert "<h1>Weryfikacja dwuetapowa</h1>" in index
    assert reverse("mfa_activate_totp") in index


# --- Signing in with it ------------------------------------------------------------------------


def test_a_password_alone_does_not_sign_in_a_user_with_the_app(client):
    user = UserFactory(email="ostrozna@example.org")
    secret = activate_totp(user)

    response = sign_in_with_password(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Weryfikacja dwuetapowa" in page
    assert '<label for="id_code">Kod z aplikacji</label>' in page

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "Błędny kod" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right["Location"] == reverse("pestor:dashboard")
    assert signed_in_as(client, user)


def test_a_recovery_code_signs_in_once(client):
    user = UserFactory()
    activate_totp(user)
    code = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()[0]

    sign_in_with_password(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert signed_in_as(client, user)

    client.post(reverse("account_logout"))
    sign_in_with_password(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_signed_in_with_password_and_code_land_in_the_admin(client):
    staff = AdminUserFactory(email="operator@example.org")
    sign_in_with_password(client, staff, next=reverse("admin:index"))
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff.totp_secret)})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_codes_are_throttled(client):
    user = UserFactory()
    secret = activate_totp(user)
    sign_in_with_password(client, user)
    for _attempt in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert "_auth_user_id" not in client.session
    assert "Zbyt wiele nieudanych prób logowania" in response.content.decode()


def test_staff_who_turn_the_app_off_are_sent_to_set_it_up_again(client, admin_user):
    client.force_login(admin_user)
    # Turning it off is a sensitive change: allauth asks for a code from the app first.
    confirm = client.get(reverse("mfa_deactivate_totp"))
    assert confirm["Location"].startswith(reverse("account_reauthenticate"))
    code_page = client.get(
        reverse("mfa_reauthenticate") + "?next=" + reverse("mfa_deactivate_totp")
    )
    assert "Kod z aplikacji" in code_page.content.decode()
    client.post(
        reverse("mfa_reauthenticate") + "?next=" + reverse("mfa_deactivate_totp"),
        {"code": totp_code(admin_user.totp_secret)},
    )

    page = client.get(reverse("mfa_deactivate_totp"))
    assert "Wyłącz weryfikację dwuetapową" in page.content.decode()
    assert "poprosimy Cię o ponowne jej włączenie" in page.content.decode()
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=admin_user, type="totp").exists()
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")


def test_new_backup_codes_replace_the_old_ones(client):
    user = UserFactory()
    activate_totp(user)
    old = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    page = client.get(reverse("mfa_generate_recovery_codes"))
    assert "Generowanie nowych kodów zapasowych" in page.content.decode()
    assert "Obecne kody przestaną działać." in page.content.decode()
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    new = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    assert set(new).isdisjoint(old)
    shown = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert all(code in shown for code in new)
