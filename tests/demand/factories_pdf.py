"""Factories of demand notices with everything the market-research note and the feed show.

(The demand app's own factories live in factories.py; these are kept apart so that the two do
not collide while both are written.)"""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from demand.models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeMatch,
    SocialClauseCheck,
)
from tests.directory.factories import OrganisationFactory
from tests.factories import CompanyFactory, DepartmentFactory


class NoticeFactory(factory.django.DjangoModelFactory):
    """A published notice of a department, open for answers for two weeks."""

    class Meta:
        model = DemandNotice
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=DemandNotice.Status.DRAFT, published_at=None)
        for_company = factory.Trait(department=None, company=factory.SubFactory(CompanyFactory))

    title = factory.Sequence(lambda n: f"Catering na konferencję {n}")
    description = "Obiad dla uczestników konferencji."
    quantity = Decimal("120")
    unit = "osób"
    estimated_value = Decimal("12500.00")
    answers_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    delivery_from = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    delivery_to = factory.LazyFunction(lambda: date.today() + timedelta(days=31))
    delivery_place = "Dwór Artusa, Rynek Staromiejski 6, Toruń"
    contact_name = "Anna Nowak"
    contact_email = "anna.nowak@torun.example.org"
    department = factory.SubFactory(DepartmentFactory)
    municipality = factory.LazyAttribute(
        lambda notice: (
            notice.department.municipality if notice.department else notice.company.municipality
        )
    )
    status = DemandNotice.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def cpv_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.cpv_codes.set(extracted)


class ClauseCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialClauseCheck

    notice = factory.SubFactory(NoticeFactory)
    estimated_value = factory.LazyAttribute(lambda check: check.notice.estimated_value)
    procurement_law_applies = False
    reserved_for_pes = True


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeMatch

    notice = factory.SubFactory(NoticeFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    notice = factory.SubFactory(NoticeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Answer.Kind.OFFER
    price_net = Decimal("11800.00")
    terms = "Płatność 14 dni od wystawienia faktury."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumPartner

    answer = factory.SubFactory(AnswerFactory)
    organisation = factory.SubFactory(OrganisationFactory)
