"""Fixtures shared by all tests: one municipality with its people, and a neighbouring one."""

import pytest
from django.core.cache import cache

from directory.models import LegalForm
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import (
    AdminUserFactory,
    MunicipalityFactory,
    UserFactory,
    make_business_buyer,
    make_local_administrator,
    make_monitoring_member,
    make_official,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads and private files (reports, attachments) go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the home page's figures and the sign-in counts
    kept there by one test are not another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing passwords the production way would make each test user cost a tenth of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Toruń", slug="torun", teryt="0463011")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Chełmża", slug="chelmza", teryt="0415011")


@pytest.fixture
def official(municipality):
    return make_official(municipality, email="urzednik@torun.example.org")


@pytest.fixture
def other_official(other_municipality):
    return make_official(other_municipality, email="urzednik@chelmza.example.org")


@pytest.fixture
def monitoring_member(municipality):
    return make_monitoring_member(municipality)


@pytest.fixture
def business_buyer(db):
    return make_business_buyer()


@pytest.fixture
def admin_user(db):
    """Staff with the authenticator app set up, without which the portal lets staff nowhere but
    its setup (``admin_user.totp_secret`` computes codes with ``tests.factories.totp_code``)."""
    return AdminUserFactory(email="admin@example.org")


@pytest.fixture
def local_administrator(municipality):
    """The local administrator of ``municipality``, with the authenticator app set up (the role
    requires it; ``local_administrator.totp_secret`` computes codes)."""
    return make_local_administrator(municipality, email="administrator@torun.example.org")


@pytest.fixture
def resident():
    """An anonymous visitor: views and rules receive no user."""
    return None


@pytest.fixture
def signed_in_user(db):
    """A signed-in user with no roles at all (a resident who made an account)."""
    return UserFactory()


@pytest.fixture
def other_pes_member(other_municipality):
    """A member of a verified organisation seated in the other municipality."""
    return make_pes_member(OrganisationFactory(seat_municipality=other_municipality))


@pytest.fixture
def as_role(request, client):
    """``as_role("official")`` signs the client in as that fixture's user (or stays anonymous)."""

    def sign_in(role):
        user = request.getfixturevalue(role)
        if user is not None:
            client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def organisation(municipality):
    """A verified organisation seated in ``municipality``."""
    return OrganisationFactory(
        name="Spółdzielnia Socjalna Toruńska Przystań",
        slug="spoldzielnia-socjalna-torunska-przystan",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat_municipality=municipality,
    )


@pytest.fixture
def pes_owner(organisation):
    return make_pes_member(organisation, role="owner", email="wlasciciel@example.org")


@pytest.fixture
def pes_editor(organisation):
    return make_pes_member(organisation, role="editor", email="redaktor@example.org")


@pytest.fixture
def pending_organisation(municipality):
    """An organisation seated in ``municipality`` awaiting verification, with an owner."""
    pending = OrganisationFactory(pending=True, seat_municipality=municipality)
    make_pes_member(pending, role="owner")
    return pending


PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture(scope="session")
def _collected_static(tmp_path_factory):
    """STATIC_ROOT as a deployment has it: collectstatic run once with the production storage."""
    from django.core.management import call_command
    from django.test import override_settings

    static_root = tmp_path_factory.mktemp("staticfiles")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE},
    }
    with override_settings(STATIC_ROOT=static_root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root, storages


@pytest.fixture
def production_static(settings, _collected_static):
    """Static files served as with DEBUG off: hashed names from the manifest in STATIC_ROOT."""
    static_root, storages = _collected_static
    settings.STATIC_ROOT = static_root
    settings.STORAGES = storages
    return static_root
