"""Who gets locked out by failed sign-ins, where the client's address comes from behind a proxy,
and the Django admin's sign-in going through the portal's."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, AdminUserFactory, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
TOO_MANY = "Zbyt wiele nieudanych prób logowania"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def failed_limit_alone(settings):
    """allauth also caps all sign-in posts from one address at 30 a minute ("login"), which a
    burst of 50 in a test would hit first; lifted so the failed-sign-in limits act alone."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1000/m/ip"}


def sign_in(client, email, password, **request_extra):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, **request_extra
    )


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def fail_from_one_address(client, attempts, **request_extra):
    """Wrong passwords for ``attempts`` different e-mail addresses, as a sweep would send."""
    for number in range(attempts):
        sign_in(client, f"ktos{number}@example.org", "zle-haslo", **request_extra)


def test_a_locked_out_account_does_not_lock_out_others_at_the_same_address(client):
    locked = UserFactory(email="cel@example.org")
    colleague = UserFactory(email="kolega@example.org")
    for _attempt in range(5):
        assert sign_in(client, locked.email, "zle").status_code == 200

    # Even the right password waits for the account's limit to pass.
    assert TOO_MANY in sign_in(client, locked.email, PASSWORD).content.decode()
    assert not signed_in_as(client, locked)

    response = sign_in(client, colleague.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client, colleague)


def test_the_address_limit_trips_after_fifty_failures(client, failed_limit_alone):
    user = UserFactory(email="pechowiec@example.org")
    fail_from_one_address(client, 49)
    sign_in(client, user.email, "zle")

    response = sign_in(client, user.email, PASSWORD)
    assert not signed_in_as(client, user)
    assert TOO_MANY in response.content.decode()

    # The limit is the address's: the same person from elsewhere signs in.
    assert sign_in(client, user.email, PASSWORD, REMOTE_ADDR="192.0.2.50").status_code == 302
    assert signed_in_as(client, user)


def test_behind_one_trusted_proxy_each_forwarded_address_has_its_own_limit(
    client, settings, failed_limit_alone
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="mieszkanka@example.org")
    fail_from_one_address(client, 50, REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": "203.0.113.7"})

    sign_in(
        client, user.email, PASSWORD, REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": "203.0.113.7"}
    )
    assert not signed_in_as(client, user)

    # Another client behind the same proxy is not affected.
    response = sign_in(
        client, user.email, PASSWORD, REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": "198.51.100.9"}
    )
    assert response.status_code == 302
    assert signed_in_as(client, user)


def test_behind_a_trusted_proxy_a_spoofed_forwarded_address_does_not_escape_the_limit(
    client, settings, failed_limit_alone
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="ofiara@example.org")
    # The client invents a new address each time; the proxy appends the one it saw.
    for number in range(50):
        sign_in(
            client,
            f"ktos{number}@example.org",
            "zle",
            REMOTE_ADDR=PROXY,
            headers={"X-Forwarded-For": f"192.0.2.{number}, 203.0.113.7"},
        )
    sign_in(
        client,
        user.email,
        PASSWORD,
        REMOTE_ADDR=PROXY,
        headers={"X-Forwarded-For": "192.0.2.200, 203.0.113.7"},
    )
    assert not signed_in_as(client, user)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(
    client, settings, failed_limit_alone
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    user = UserFactory(email="ktokolwiek@example.org")
    for number in range(50):
        sign_in(
            client,
            f"ktos{number}@example.org",
            "zle",
            REMOTE_ADDR=PROXY,
            headers={"X-Forwarded-For": f"192.0.2.{number}"},
        )
    sign_in(
        client, user.email, PASSWORD, REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": "192.0.2.99"}
    )
    assert not signed_in_as(client, user)


# --- The Django admin's sign-in ---------------------------------------------------------------


def test_the_admin_sign_in_page_sends_to_the_portal_sign_in_keeping_next(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/pestor/user/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fpestor%2Fuser%2F"


def test_the_admin_index_leads_to_the_portal_sign_in(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_posting_to_the_admin_sign_in_never_signs_in(client):
    admin = AdminUserFactory(email="szef@example.org")
    for _attempt in range(20):
        client.post(reverse("admin:login"), {"username": admin.email, "password": "zle"})
    response = client.post(reverse("admin:login"), {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_a_staff_member_signed_in_through_the_portal_reaches_the_admin(client):
    admin = AdminUserFactory(email="szefowa@example.org")
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    # Signed in already, the admin's sign-in page is the admin itself.
    assert client.get(reverse("admin:login")).status_code == 302


def test_a_signed_in_user_without_staff_rights_is_refused_the_admin(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:login")).status_code == 403
