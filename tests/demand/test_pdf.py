"""The market-research note (rozeznanie rynku): a PDF with the need, the clause decision, the
matched PES, the answers with their prices and the award — in Polish, with page numbers."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from demand import pdf
from demand.models import DemandNotice
from directory.models import LegalForm
from exchange.models import CpvCode
from pestor import pdf as shared_pdf
from tests.demand.factories_pdf import (
    AnswerFactory,
    ClauseCheckFactory,
    MatchFactory,
    NoticeFactory,
    PartnerFactory,
)
from tests.directory.factories import OrganisationFactory
from tests.factories import DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
GENERATED_AT = datetime(2026, 3, 9, 14, 5, tzinfo=WARSAW)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Thousands are grouped with no-break spaces; words may wrap at the end of a cell.
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def polish():
    with translation.override("pl"):
        yield


@pytest.fixture
def awarded_notice(polish):
    municipality = MunicipalityFactory(name="Toruń", slug="torun-pdf", teryt="0463099")
    department = DepartmentFactory(municipality=municipality, name="Wydział Spraw Społecznych")
    notice = NoticeFactory(
        department=department,
        title="Catering na konferencję „Ekonomia społeczna w Toruniu”",
        description="Obiad dwudaniowy i przerwa kawowa dla 120 osób.",
        cpv_codes=[CpvCode.objects.get(code="55520000"), CpvCode.objects.get(code="55321000")],
        estimated_value=Decimal("12500.00"),
        status=DemandNotice.Status.AWARDED,
        award_date=date(2026, 3, 2),
        awarded_value=Decimal("11800.00"),
        awarded_at=timezone.now(),
    )
    ClauseCheckFactory(notice=notice, estimated_value=Decimal("12500.00"))
    kitchen = OrganisationFactory(
        name="Spółdzielnia Socjalna „Żółć i Łąka”",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        is_social_enterprise=True,
        social_enterprise_since=date(2024, 5, 6),
        seat_municipality=municipality,
    )
    foundation = OrganisationFactory(
        name="Fundacja Źródło Ćmińsk",
        legal_form=LegalForm.FOUNDATION,
        seat_municipality=municipality,
    )
    partner = OrganisationFactory(name="Stowarzyszenie Gęśla Ńęść", seat_municipality=municipality)
    MatchFactory(notice=notice, organisation=kitchen)
    MatchFactory(notice=notice, organisation=foundation)
    AnswerFactory(
        notice=notice, organisation=kitchen, price_net=Decimal("11800.00"), is_awarded=True
    )
    consortium = AnswerFactory(
        notice=notice, organisation=foundation, price_net=Decimal("12500.00")
    )
    PartnerFactory(answer=consortium, organisation=partner, confirmed_at=timezone.now())
    return notice


def test_the_note_is_a_pdf_with_the_title_and_page_numbers(awarded_notice):
    data = pdf.market_research_note_pdf(awarded_notice, generated_at=GENERATED_AT)

    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert translation.gettext("Market research note") in text
    first_page = translation.gettext("Page {page} of {pages}").split("{pages}")[0]
    assert first_page.format(page=1) in text  # "Strona 1 z" in Polish
    assert awarded_notice.title in text


def test_polish_letters_survive_in_names(awarded_notice):
    text = pdf_text(pdf.market_research_note_pdf(awarded_notice, generated_at=GENERATED_AT))

    for name in (
        "Spółdzielnia Socjalna „Żółć i Łąka”",
        "Fundacja Źródło Ćmińsk",
        "Stowarzyszenie Gęśla Ńęść",
        "Wydział Spraw Społecznych",
        "Toruń",
        "Usługi dostarczania posiłków",
    ):
        assert name in text


def test_money_dates_and_codes_are_written_the_polish_way(awarded_notice):
    text = pdf_text(pdf.market_research_note_pdf(awarded_notice, generated_at=GENERATED_AT))

    assert "12 500,00" in text
    assert "11 800,00" in text
    assert "130 000,00" in text  # the threshold of the Public Procurement Law
    assert pdf.pln(Decimal("11800")).replace("\xa0", " ") in text
    assert "55520000-1" in text
    assert "02.03.2026" in text  # the date of award
    assert "09.03.2026 14:05" in text  # when the note was generated


def test_the_note_shows_the_decision_the_matches_the_answers_and_the_award(awarded_notice):
    gettext = translation.gettext
    text = pdf_text(pdf.market_research_note_pdf(awarded_notice, generated_at=GENERATED_AT))

    assert "art. 94 PZP" in text
    assert "ustawy Prawo zamówień publicznych nie stosuje się" in text
    kitchen = awarded_notice.answers.get(is_awarded=True).organisation
    assert kitchen.nip in text
    assert str(LegalForm.SOCIAL_COOPERATIVE.label) in text
    assert gettext("Consortium with:") in text
    assert gettext("confirmed") in text
    assert gettext("Date of award") in text


def test_a_cancelled_notice_gives_its_reason(polish):
    notice = NoticeFactory(
        status=DemandNotice.Status.CANCELLED,
        cancelled_at=timezone.now(),
        cancel_reason="Brak środków w budżecie na rok 2026.",
    )
    ClauseCheckFactory(
        notice=notice, reserved_for_pes=False, no_clause_reason="Zakup jednorazowy, drobny."
    )

    text = pdf_text(pdf.market_research_note_pdf(notice))

    assert "Brak środków w budżecie na rok 2026." in text
    assert "Zakup jednorazowy, drobny." in text
    assert translation.gettext("No answers have been received.") in text


def test_a_company_notice_names_the_company(polish):
    notice = NoticeFactory(for_company=True)

    text = pdf_text(pdf.market_research_note_pdf(notice))

    assert notice.company.name in text
    assert translation.gettext("No social-clause check has been recorded for this notice.") in text


def test_the_number_of_queries_does_not_grow_with_the_answers(awarded_notice):
    def count():
        with CaptureQueriesContext(connection) as queries:
            pdf.note_context(pdf.notice_for_note(awarded_notice.pk))
        return len(queries)

    few = count()
    for _ in range(10):
        answer = AnswerFactory(notice=awarded_notice)
        PartnerFactory(answer=answer)
        MatchFactory(notice=awarded_notice, organisation=answer.organisation)
    assert count() == few


def test_user_content_cannot_make_the_renderer_fetch_anything(polish, monkeypatch):
    fetched = []
    fetcher_class = shared_pdf._fetcher_class()
    original = fetcher_class.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_class, "fetch", spy)
    notice = NoticeFactory(
        title='<img src="http://127.0.0.1:9/title.png">',
        description='<img src="http://127.0.0.1:9/x.png"> <link rel="stylesheet" href="file:///etc/passwd">',
    )

    text = pdf_text(pdf.market_research_note_pdf(notice))

    assert '<img src="http://127.0.0.1:9/x.png">' in text  # shown as text, not loaded
    assert fetched == ["file:///static/css/pdf.css"]


def test_the_fetcher_serves_static_files_and_data_urls():
    css = shared_pdf.fetch_url("file:///static/css/pdf.css")
    assert b"DejaVu Sans" in css.read()
    assert css.content_type == "text/css"

    pixel = shared_pdf.fetch_url("data:text/plain;base64,UEVTLVRPUg==")
    assert pixel.read() == b"PES-TOR"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/style.css",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        "file:///static/../../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        "file:///static/css/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="static files"):
        shared_pdf.fetch_url(url)


def test_a_static_file_named_by_its_real_path_is_served(settings):
    real_path = settings.BASE_DIR / "static" / "css" / "pdf.css"
    assert b"@page" in shared_pdf.fetch_url(real_path.as_uri()).read()


def test_css_strings_cannot_close_the_style_element():
    assert pdf.css_string('Obiad "na" </style><img src=x>') == (
        '"Obiad \\22 na\\22  \\3c /style\\3e \\3c img src=x\\3e "'
    )


def fetches_during(monkeypatch):
    """Every URL the renderer asks for, with whether the fetcher found it."""
    fetched = []
    fetcher_class = shared_pdf._fetcher_class()
    original = fetcher_class.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except ValueError:
            fetched.append((url, False))
            raise
        fetched.append((url, True))
        return response

    monkeypatch.setattr(fetcher_class, "fetch", spy)
    return fetched


def pdf_fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_the_note_keeps_its_stylesheet_with_production_static_files(
    production_static, monkeypatch, polish
):
    fetched = fetches_during(monkeypatch)

    data = pdf.market_research_note_pdf(NoticeFactory())

    [(url, found)] = fetched
    assert url.startswith("file:///static/css/pdf.") and url != "file:///static/css/pdf.css"
    assert found
    # The stylesheet sets DejaVu Sans; without it WeasyPrint falls back to a serif face.
    assert all("DejaVu-Sans" in font for font in pdf_fonts(data)), pdf_fonts(data)


def test_the_fetcher_finds_hashed_names_only_inside_static_root(production_static):
    hashed = next((production_static / "css").glob("pdf.*.css"))
    assert b"@page" in shared_pdf.fetch_url(f"file:///static/css/{hashed.name}").read()
    with pytest.raises(ValueError, match="static files"):
        shared_pdf.fetch_url("file:///static/../staticfiles.json")


def test_the_buyers_department_is_not_labelled_with_its_own_first_word(awarded_notice, polish):
    text = pdf_text(pdf.market_research_note_pdf(awarded_notice, generated_at=GENERATED_AT))
    assert "Komórka zamawiająca Wydział Spraw Społecznych" in text
    assert "Wydział Wydział" not in text
