"""Fixtures of the premises tests: Toruń's rules, a unit of the official's municipality and
its premises; the shared verified organisation is the tenant and applicant."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from directory.models import PublicBenefitSphere
from premises import services
from tests.premises.factories import PremisesFactory, UnitFactory, make_call


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
    return make_call([premises], official, closes_at=timezone.now() + timedelta(days=10))


@pytest.fixture
def pdf_file():
    return _pdf()


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("statut.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def sign_lease(request, policy, sphere, official):
    """``sign_lease(premises=…, organisation=…, **fields)``: a lease under Toruń's rules signed
    by the official, from 2024 to 2026 at 30 PLN/m² unless told otherwise; premises and
    organisation default to the ``premises`` and ``organisation`` fixtures."""

    def sign(premises=None, organisation=None, *, actor=None, **kwargs):
        fields = {
            "activity": "Jadłodzielnia",
            "starts_on": date(2024, 1, 1),
            "ends_on": date(2026, 1, 1),
            "basic_rent_m2": Decimal("30.00"),
            "sphere": sphere,
            **kwargs,
        }
        return services.lease_sign(
            premises=premises or request.getfixturevalue("premises"),
            organisation=organisation or request.getfixturevalue("organisation"),
            actor=actor or official,
            **fields,
        )

    return sign


@pytest.fixture
def apply(request):
    """``apply(**fields)``: an application with a PDF statute; the call, premises,
    organisation and actor default to ``open_call``, ``premises``, ``organisation`` and
    ``pes_owner``."""

    def submit(*, call=None, premises=None, organisation=None, actor=None, **kwargs):
        fields = {
            "documents": [("Statut", _pdf())],
            "intended_use": "Kawiarnia społeczna",
            "opening_hours": "10-18",
            "beneficiaries": 300,
            "proposed_rent_m2": Decimal(10),
            **kwargs,
        }
        return services.application_submit(
            call=call or request.getfixturevalue("open_call"),
            premises=premises or request.getfixturevalue("premises"),
            organisation=organisation or request.getfixturevalue("organisation"),
            actor=actor or request.getfixturevalue("pes_owner"),
            **fields,
        )

    return submit
