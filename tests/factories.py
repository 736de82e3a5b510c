"""Factories of the shared things: users, municipalities, departments and role memberships."""

import base64
import hashlib
import hmac
import itertools
import struct
import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from stdnum.pl import nip as stdnum_nip

from pestor.models import (
    BusinessBuyerMembership,
    Company,
    Department,
    LocalAdministratorMembership,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
    User,
    Voivodeship,
)

PASSWORD = "test-pass-123"

_nip_numbers = itertools.count(100_000_000)


def next_nip() -> str:
    """A fresh NIP with a correct check digit (python-stdnum's weights)."""
    while True:
        base = str(next(_nip_numbers))
        for check in range(10):
            candidate = f"{base}{check}"
            if stdnum_nip.is_valid(candidate):
                return candidate
        # No digit satisfies the checksum (it would have to be 10): try the next base.


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user whose primary e-mail address is verified, so they can log in."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Sequence(lambda n: f"Jan{n}")
    last_name = "Kowalski"
    password = factory.django.Password(PASSWORD)
    is_active = True

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


def activate_totp(user) -> str:
    """Sets up the authenticator app for ``user`` through allauth.mfa, as its activation page
    does (TOTP and recovery codes), and returns the secret the app would hold."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    user.totp_secret = secret
    return secret


def totp_code(secret: str) -> str:
    """The six digits an authenticator app shows for ``secret`` (RFC 6238: 30 s steps, SHA-1),
    computed here independently of allauth."""
    counter = int(time.time() // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class AdminUserFactory(UserFactory):
    """An administrator as the portal requires them: with the authenticator app set up
    (``totp=False`` for one who has not done it yet). The secret is ``user.totp_secret``."""

    is_staff = True
    is_superuser = True

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            activate_totp(self)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    """A gmina in the kujawsko-pomorskie voivodeship (TERYT starting with "04")."""

    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gmina {n}")
    slug = factory.Sequence(lambda n: f"gmina-{n}")
    teryt = factory.Sequence(lambda n: f"04{n % 100_000:05d}")
    voivodeship = Voivodeship.KUJAWSKO_POMORSKIE


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Wydział Spraw Społecznych {n}")
    code = factory.Sequence(lambda n: f"WSS{n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    """An OfficialMembership; ``.user`` of it is the official (see ``make_official``)."""

    class Meta:
        model = OfficialMembership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    position = "inspektor"


class MonitoringMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringTeamMembership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Firma {n} sp. z o.o.")
    nip = factory.LazyFunction(next_nip)
    municipality = factory.SubFactory(MunicipalityFactory)


class BusinessBuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessBuyerMembership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)


def make_official(municipality=None, **user_fields) -> User:
    """A user who is an official of ``municipality`` (a new one if not given)."""
    department = DepartmentFactory(municipality=municipality or MunicipalityFactory())
    return OfficialFactory(department=department, user=UserFactory(**user_fields)).user


def make_monitoring_member(municipality=None, **user_fields) -> User:
    return MonitoringMemberFactory(
        municipality=municipality or MunicipalityFactory(), user=UserFactory(**user_fields)
    ).user


def make_business_buyer(company=None, **user_fields) -> User:
    company = company or CompanyFactory()
    return BusinessBuyerFactory(company=company, user=UserFactory(**user_fields)).user


def make_local_administrator(municipality=None, *, totp=True, **user_fields) -> User:
    """A local administrator of ``municipality``, with the authenticator app set up as the role
    requires (``totp=False`` for one who has not set it up; the secret is ``user.totp_secret``)."""
    user = UserFactory(**user_fields)
    LocalAdministratorMembership.objects.create(
        user=user, municipality=municipality or MunicipalityFactory()
    )
    if totp:
        activate_totp(user)
    return user
