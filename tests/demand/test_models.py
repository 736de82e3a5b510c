"""Invariants of the demand register's models: the database refuses what the services never
write, and the models explain the rest on their fields."""

import io
import tracemalloc
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from demand.models import (
    PROCUREMENT_LAW_THRESHOLD,
    Answer,
    DemandNotice,
    SocialClauseCheck,
    procurement_law_applies,
)
from demand.validators import document_type, validate_document
from tests.demand.factories import (
    DOCX_PARTS,
    ODT_PARTS,
    AnswerFactory,
    ClauseCheckFactory,
    NoticeFactory,
    docx_file,
    odt_file,
    pdf_file,
    zip_bytes,
)
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_the_threshold_is_130_000_pln_net():
    assert Decimal("130000.00") == PROCUREMENT_LAW_THRESHOLD
    assert not procurement_law_applies(Decimal("129999.99"))
    assert procurement_law_applies(Decimal("130000.00"))


def test_a_notice_has_exactly_one_buyer(department):
    with transaction.atomic(), pytest.raises(IntegrityError):
        NoticeFactory(department=department, company=CompanyFactory())


def test_a_clause_check_has_a_clause_or_a_reason_in_the_database(draft):
    with transaction.atomic(), pytest.raises(IntegrityError):
        SocialClauseCheck.objects.create(
            notice=draft, estimated_value=Decimal("1"), procurement_law_applies=False
        )


def test_a_clause_check_explains_a_missing_reason_on_its_field(draft):
    check = SocialClauseCheck(
        notice=draft, estimated_value=Decimal("1"), procurement_law_applies=False
    )
    with pytest.raises(ValidationError) as error:
        check.full_clean()
    assert "no_clause_reason" in error.value.message_dict


def test_a_priced_offer_has_a_price_in_the_database(notice, organisation):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Answer.objects.create(notice=notice, organisation=organisation, kind=Answer.Kind.OFFER)


def test_one_answer_per_organisation_in_the_database(answer):
    with transaction.atomic(), pytest.raises(IntegrityError):
        AnswerFactory(notice=answer.notice, organisation=answer.organisation)


def test_the_delivery_period_is_explained_on_its_field(department):
    notice = NoticeFactory.build(
        department=department,
        delivery_from=date(2030, 5, 10),
        delivery_to=date(2030, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        notice.full_clean(exclude=["cpv_codes"])
    assert list(error.value.message_dict) == ["delivery_to"]


def test_search_text_ignores_case_and_diacritics(department):
    notice = NoticeFactory(department=department, title="Sprzątanie ŁAZIENEK", description="Żółć")
    assert notice.search_text.startswith("sprzatanie lazienek zolc")


@pytest.mark.parametrize(
    ("state", "effective"),
    [
        ({}, "draft"),
        ({"published": True}, "published"),
        ({"expired": True}, "closed"),
        ({"closed": True}, "closed"),
        ({"awarded": True}, "awarded"),
        ({"cancelled": True}, "cancelled"),
    ],
)
def test_effective_status(department, state, effective):
    notice = NoticeFactory(department=department, **state)
    assert notice.effective_status == effective
    assert notice.get_effective_status_display() == DemandNotice.Status(effective).label


def test_open_for_answers_ends_at_the_deadline(department):
    notice = NoticeFactory(department=department, published=True)
    assert notice.is_open_for_answers
    notice.answers_deadline = timezone.now() - timedelta(microseconds=1)
    assert not notice.is_open_for_answers


@pytest.mark.parametrize("upload", [pdf_file, odt_file, docx_file])
def test_documents_of_the_three_formats_pass(upload):
    validate_document(upload())


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("archiwum.docx", zip_bytes({"payload.exe": b"MZ"})),  # any ZIP is not a DOCX
        ("opis.odt", zip_bytes({"mimetype": b"application/zip", "content.xml": b"<x/>"})),
        ("opis.docx", zip_bytes(ODT_PARTS)),  # an ODT called DOCX
        ("oferta.odt", zip_bytes(DOCX_PARTS)),  # a DOCX called ODT
        ("oferta.pdf", zip_bytes(DOCX_PARTS)),
        ("oferta.docx", b"%PDF-1.7 a pdf called docx"),
        ("uszkodzony.docx", b"PK\x03\x04" + b"\x00" * 40),  # a ZIP header and nothing else
        ("strona.pdf", b"<html><script>alert(1)</script>%PDF-1.4"),
    ],
)
def test_a_document_must_be_the_format_its_extension_says(name, content):
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile(name, content))

    assert error.value.code == "invalid_content"


def test_the_odt_mimetype_part_is_not_unpacked_when_it_is_large():
    # A "mimetype" part of 20 MB of zeros compresses to 20 kB: it is not unpacked.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"\x00" * 20_000_000)
    upload = SimpleUploadedFile("a.odt", buffer.getvalue())
    assert upload.size < 100_000

    tracemalloc.start()
    try:
        assert document_type(upload) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


@pytest.mark.parametrize(
    ("upload", "expected"), [(pdf_file, ".pdf"), (odt_file, ".odt"), (docx_file, ".docx")]
)
def test_the_type_of_a_document_is_read_from_its_content(upload, expected):
    file = upload("bez-rozszerzenia")
    file.seek(7)

    assert document_type(file) == expected
    assert file.tell() == 7


def test_a_document_is_read_from_its_start_and_left_where_it_was():
    upload = pdf_file()
    upload.seek(3)
    validate_document(upload)
    assert upload.tell() == 3


def test_clause_check_factory_is_a_reservation(draft):
    check = ClauseCheckFactory(notice=draft)
    assert check.has_clause and check.reserved_for_pes and not check.procurement_law_applies
