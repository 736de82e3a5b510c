import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from demand.models import DemandNotice
from equipment_bank.models import Booking
from tests.demand.factories import (
    AnswerFactory,
    ClauseCheckFactory,
    NoticeFactory,
    PartnerFactory,
    company_notice,
)
from tests.directory.factories import OrganisationFactory

# The grants tests' competition decided with three funded offers (``decided``), and what it
# stands on.
from tests.grants.conftest import (  # noqa: F401
    competition,
    culture,
    decided,
    draft,
    offer,
    other_offer,
    outcomes,
    pdf_file,
    strategy,
    third_organisation,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OCDS_SCHEMA_ZIP = FIXTURES / "ocds-standard-1__1__5.zip"


@pytest.fixture
def department(official):
    """The department of the ``official`` fixture (in ``municipality``)."""
    return official.official_memberships.get().department


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def notices(department):
    """A municipality's notices in every public state, and what must never be published: a
    draft, a company's notice, the answers' prices and texts, the contact person."""
    department.municipality.regon = "871118833"
    department.municipality.save()
    published = NoticeFactory(department=department, published=True, estimated_value_public=False)
    ClauseCheckFactory(notice=published, employment_requirement=True)
    AnswerFactory(notice=published, price_net=Decimal("3333.33"), message="Tajna wiadomość")
    awarded = NoticeFactory(department=department, awarded=True)
    winner = AnswerFactory(
        notice=awarded,
        is_awarded=True,
        organisation=OrganisationFactory(name="Spółdzielnia Socjalna Smak", krs="0000123456"),
    )
    PartnerFactory(
        answer=winner,
        confirmed_at=timezone.now(),
        organisation=OrganisationFactory(name="Fundacja Partner", krs=""),
    )
    AnswerFactory(notice=awarded, price_net=Decimal("9999.99"))
    cancelled = NoticeFactory(department=department, cancelled=True)
    unpublished = NoticeFactory(department=department, title="Szkic niepublikowany")
    company = company_notice(published=True, title="Zakup firmy")
    return {
        "published": published,
        "awarded": awarded,
        "cancelled": cancelled,
        "draft": unpublished,
        "company": company,
        "winner": winner,
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module (each test still runs in its own savepoint) and
    rolled back after it; its open-data files in a folder of the module's own."""
    private = tmp_path_factory.mktemp("private")
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        PRIVATE_MEDIA_ROOT=private,
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield private
        transaction.set_rollback(True)


@pytest.fixture
def demo_media(demo, settings):
    settings.PRIVATE_MEDIA_ROOT = demo


def demo_people() -> set[str]:
    """The e-mails and names of the demo's users and of its notices' contact persons, the
    borrowers' receivers and returners."""
    people = set()
    for user in get_user_model().objects.all():
        people.add(user.email)
        if user.first_name and user.last_name:
            people.add(f"{user.first_name} {user.last_name}")
    for name, email, phone in DemandNotice.objects.values_list(
        "contact_name", "contact_email", "contact_phone"
    ):
        people |= {name, email} | ({phone} if phone else set())
    for received, returned in Booking.objects.values_list("handed_out_to", "returned_by_name"):
        people |= {received, returned}
    people.discard("")
    assert len(people) > 20
    return people
