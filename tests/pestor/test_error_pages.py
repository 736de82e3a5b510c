"""Error pages: 400, 403, 404, 429, 500 and a refused form (CSRF) in the portal's layout, in
Polish, with the page's language, a way back, and no trace of what failed."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE_NAME = "Portal Testowy"


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False
    settings.SITE_NAME = SITE_NAME


def assert_portal_error_page(response, status, heading):
    assert response.status_code == status
    content = response.content.decode()
    assert '<html lang="pl">' in content
    assert f"<h1>{heading}</h1>" in content
    assert 'href="/"' in content  # the way back home
    assert SITE_NAME in content  # the portal's own header and footer
    assert 'class="site-footer"' in content
    assert "Traceback" not in content
    return content


def test_a_missing_page_is_the_portals_404(client):
    response = client.get("/nie-ma-takiej-strony/")
    assert_portal_error_page(response, 404, "Nie znaleźliśmy tej strony")


def test_a_forbidden_page_is_the_portals_403(client):
    client.force_login(UserFactory())
    response = client.get(reverse("demand:notice-create"))
    content = assert_portal_error_page(response, 403, "Nie masz dostępu do tej strony")
    assert reverse("pestor:dashboard") in content


def test_a_form_refused_by_the_csrf_check_is_explained(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    content = assert_portal_error_page(response, 403, "Nie udało się wysłać formularza")
    assert "CSRF" not in content  # Django's reason is for developers, not for the page


def test_too_many_sign_ins_are_the_portals_429(client, settings):
    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": "zle"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    cache.clear()
    assert_portal_error_page(response, 429, "Zbyt wiele prób w krótkim czasie")


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.pestor.error_urls"
    return Client(raise_request_exception=False)


def test_a_failing_view_is_the_portals_500_without_the_error(failing_client):
    response = failing_client.get("/awaria/")
    content = assert_portal_error_page(response, 500, "Coś poszło nie tak po naszej stronie")
    assert "secret detail" not in content
    assert "RuntimeError" not in content


def test_the_500_page_needs_nothing_that_may_have_failed(failing_client, settings):
    """The context processors read the user's roles from the database; the 500 page renders
    even when they fail."""
    options = settings.TEMPLATES[0]["OPTIONS"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **options,
                "context_processors": [
                    *options["context_processors"],
                    "tests.pestor.error_urls.failing_context_processor",
                ],
            },
        }
    ]
    response = failing_client.get("/awaria/")
    assert_portal_error_page(response, 500, "Coś poszło nie tak po naszej stronie")


def test_a_bad_request_is_the_portals_400():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="zly.host.example")
    assert_portal_error_page(response, 400, "Portal nie mógł odczytać tego żądania")
