"""Factories of the directory: organisations, their members and invitations."""

import itertools

import factory
from django.utils import timezone
from stdnum.pl import regon as stdnum_regon

from directory.models import (
    LegalForm,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    PublicBenefitSphere,
)
from tests.factories import MunicipalityFactory, UserFactory, next_nip

_regon_numbers = itertools.count(30_000_000)
_krs_numbers = itertools.count(1)


def next_regon() -> str:
    """A fresh 9-digit REGON with a correct check digit."""
    base = str(next(_regon_numbers))
    return base + stdnum_regon.calc_check_digit(base)


def next_krs() -> str:
    return f"{next(_krs_numbers):010d}"


class PublicBenefitSphereFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicBenefitSphere
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"t{n}")
    position = factory.Sequence(lambda n: 1000 + n)
    name = factory.Sequence(lambda n: f"Sfera testowa {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A verified organisation with valid registry numbers; ``pending=True`` or
    ``rejected=True`` for one awaiting or returned from verification."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    class Params:
        pending = factory.Trait(status=Organisation.Status.PENDING, verified_at=None)
        rejected = factory.Trait(
            status=Organisation.Status.REJECTED,
            verified_at=None,
            rejection_reason="Numer KRS nie zgadza się z rejestrem.",
        )

    name = factory.Sequence(lambda n: f"Stowarzyszenie Testowe {n}")
    slug = factory.Sequence(lambda n: f"stowarzyszenie-testowe-{n}")
    legal_form = LegalForm.ASSOCIATION
    krs = factory.LazyFunction(next_krs)
    nip = factory.LazyFunction(next_nip)
    regon = factory.LazyFunction(next_regon)
    street = "ul. Szeroka 1"
    postal_code = "87-100"
    city = "Toruń"
    seat_municipality = factory.SubFactory(MunicipalityFactory)
    status = Organisation.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def municipalities_served(self, create, extracted, **kwargs):
        if not create:
            return
        served = extracted if extracted is not None else [self.seat_municipality]
        self.municipalities_served.set(served)

    @factory.post_generation
    def spheres(self, create, extracted, **kwargs):
        if create and extracted:
            self.spheres.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMembership.Role.OWNER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationInvitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    invited_by = factory.SubFactory(UserFactory)


def make_pes_member(organisation=None, role="owner", **user_fields):
    """A user who is an owner (or editor) of ``organisation`` (a new verified one if not given)."""
    return MembershipFactory(
        organisation=organisation or OrganisationFactory(),
        user=UserFactory(**user_fields),
        role=role,
    ).user
