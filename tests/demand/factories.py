"""Factories of the demand register: notices in every state, clause checks, matches, answers,
consortium partners, and small documents of each accepted format."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demand.models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeMatch,
    SocialClauseCheck,
)
from directory.models import LegalForm
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import cpv_code
from tests.factories import CompanyFactory, DepartmentFactory


def pdf_file(name="dokument.pdf", size=None):
    content = b"%PDF-1.4\n% test\n"
    if size:
        content += b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            # An ODT's first part, "mimetype", is stored uncompressed, as the format requires.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


DOCX_PARTS = {
    "[Content_Types].xml": b"<?xml version='1.0'?><Types/>",
    "_rels/.rels": b"<?xml version='1.0'?><Relationships/>",
    "word/document.xml": b"<?xml version='1.0'?><w:document/>",
}
ODT_PARTS = {
    "mimetype": b"application/vnd.oasis.opendocument.text",
    "META-INF/manifest.xml": b"<?xml version='1.0'?><manifest:manifest/>",
    "content.xml": b"<?xml version='1.0'?><office:document-content/>",
}


def docx_file(name="oferta.docx"):
    return SimpleUploadedFile(
        name,
        zip_bytes(DOCX_PARTS),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def odt_file(name="opis.odt"):
    return SimpleUploadedFile(
        name, zip_bytes(ODT_PARTS), content_type="application/vnd.oasis.opendocument.text"
    )


class NoticeFactory(factory.django.DjangoModelFactory):
    """A department's draft notice open for two weeks, with the catering CPV code.

    Traits: ``published``, ``closed`` (published, deadline passed, closed by the task),
    ``expired`` (published, deadline passed, not closed yet), ``awarded``, ``cancelled``.
    ``company=...`` makes a company's notice (pass ``department=None``)."""

    class Meta:
        model = DemandNotice
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=DemandNotice.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )
        expired = factory.Trait(
            status=DemandNotice.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=10)),
            answers_deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )
        closed = factory.Trait(
            status=DemandNotice.Status.CLOSED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=10)),
            answers_deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
            closed_at=factory.SelfAttribute("answers_deadline"),
        )
        awarded = factory.Trait(
            status=DemandNotice.Status.AWARDED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=10)),
            answers_deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3)),
            awarded_at=factory.LazyFunction(timezone.now),
            award_date=factory.LazyFunction(timezone.localdate),
            awarded_value=Decimal("12500.00"),
        )
        cancelled = factory.Trait(
            status=DemandNotice.Status.CANCELLED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=5)),
            cancelled_at=factory.LazyFunction(timezone.now),
            cancel_reason="Zmiana planów budżetowych.",
        )

    title = factory.Sequence(lambda n: f"Catering na konferencję {n}")
    description = "Obiad dla 80 uczestników konferencji o ekonomii społecznej."
    department = factory.SubFactory(DepartmentFactory)
    company = None
    municipality = factory.LazyAttribute(
        lambda o: o.department.municipality if o.department else o.company.municipality
    )
    quantity = Decimal("80")
    unit = "posiłek"
    estimated_value = Decimal("4000.00")
    estimated_value_public = True
    answers_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    delivery_place = "Urząd Miasta, ul. Wały gen. Sikorskiego 8"
    contact_name = "Anna Nowak"
    contact_email = "anna.nowak@um.example.org"
    status = DemandNotice.Status.DRAFT

    @factory.post_generation
    def cpv_codes(self, create, extracted, **kwargs):
        if create:
            self.cpv_codes.set(extracted if extracted is not None else [cpv_code("55520000")])


def company_notice(company=None, **fields) -> DemandNotice:
    company = company or CompanyFactory()
    return NoticeFactory(department=None, company=company, **fields)


class ClauseCheckFactory(factory.django.DjangoModelFactory):
    """An art. 94 reservation for PES below the threshold of the Public Procurement Law."""

    class Meta:
        model = SocialClauseCheck

    notice = factory.SubFactory(NoticeFactory)
    estimated_value = Decimal("4000.00")
    procurement_law_applies = factory.LazyAttribute(
        lambda o: o.estimated_value >= Decimal("130000")
    )
    reserved_for_pes = True


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeMatch

    notice = factory.SubFactory(NoticeFactory, published=True)
    organisation = factory.SubFactory(OrganisationFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    """A priced offer of a verified organisation to a published notice."""

    class Meta:
        model = Answer

    notice = factory.SubFactory(NoticeFactory, published=True)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Answer.Kind.OFFER
    price_net = Decimal("3600.00")
    terms = "Płatność przelewem 14 dni."
    message = "Chętnie przygotujemy obiad z lokalnych produktów."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumPartner

    answer = factory.SubFactory(AnswerFactory)
    # Qualifies for the reserved notices the fixtures default to (art. 94 PZP).
    organisation = factory.SubFactory(OrganisationFactory, legal_form=LegalForm.SOCIAL_COOPERATIVE)
