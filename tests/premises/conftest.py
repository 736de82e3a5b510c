"""Fixtures of the premises tests: Toruń's rules, a unit of the official's municipality and
its premises; the shared verified organisation is the tenant and applicant."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.models import PublicBenefitSphere
from premises import services
from tests.premises.factories import PremisesFactory, UnitFactory


@pytest.fixture
def policy(municipality):
    return services.torun_policy(municipality=municipality)


@pytest.fixture
def unit(official):
    return UnitFactory(department=official.official_memberships.get().department)


@pytest.fixture
def premises(unit):
    return PremisesFactory(unit=unit)


@pytest.fixture
def sphere(db):
    """Social assistance: up to 70% in Toruń."""
    # get_or_create: a transactional test (test_concurrency) runs after a flush of the spheres.
    return PublicBenefitSphere.objects.get_or_create(
        code="1", defaults={"name": "pomoc społeczna", "position": 1}
    )[0]


@pytest.fixture
def open_call(premises, official):
    now = timezone.now()
    call = services.call_create(
        municipality=premises.municipality,
        actor=official,
        premises=[premises],
        title="Nabór: sklep społeczny z kawiarnią",
        purpose="Sklep społeczny i kawiarnia",
        documents_required="Statut",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )
    return services.call_publish(call=call, actor=official)


@pytest.fixture
def pdf_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("statut.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
