"""An open competition in a browser, clicked through: an official announces a culture
competition linked to two outcomes of the city's strategy; two PES submit (one through the
form, with its promise in the outcome's unit and a PDF); after the deadline the official checks
them formally; three members score (one declares a conflict of interest); the chair closes
scoring, funds one offer within the budget and publishes; the public results page shows every
criterion's mean and the grant; the funded PES returns its card after funding; the official
builds the cost-benefit analysis as a PDF and its text shows the cost per outcome; the area's
analysis sums the competition. axe-core's WCAG 2.1 AA rules run on every public page."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from grants import selectors, services
from grants.models import Competition, Contribution, Offer
from scoring import services as scoring_services
from scoring.models import Member
from tests.browser.test_equipment_bank_path import _login, _logout
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import DepartmentFactory, OfficialFactory, UserFactory, make_official
from tests.grants.factories import make_strategy, strategy_outcomes

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_announce_submit_score_close_fund_publish(
    page, municipality, spheres, assert_accessible, tmp_path
):
    official = OfficialFactory(
        department=DepartmentFactory(municipality=municipality, name="Wydział Kultury"),
        user=UserFactory(email="kultura@torun.example.org", first_name="Katarzyna"),
    ).user
    strategy = make_strategy(municipality, official)
    outcomes = strategy_outcomes(strategy)
    first = OrganisationFactory(name="Fundacja Podwórko", seat_municipality=municipality)
    second = OrganisationFactory(name="Teatr w Bramie", seat_municipality=municipality)
    pes = make_pes_member(first, email="podworko@example.org")
    other_pes = make_pes_member(second, email="brama@example.org")

    # The official announces the competition.
    _login(page, official)
    page.goto("/granty/nowy/")
    now = timezone.localtime()
    page.select_option("#id_municipality", label=municipality.name)
    page.fill("#id_title", "Kultura w dzielnicach")
    page.fill("#id_description", "Wydarzenia kulturalne w dzielnicach Torunia")
    page.select_option("#id_sphere", value=str(next(s.pk for s in spheres if s.code == "16")))
    for outcome in outcomes:
        page.get_by_label(str(outcome), exact=False).check()
    page.fill("#id_budget", "50000")
    page.fill("#id_offers_from", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_offers_until", (now + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_task_starts_on", f"{now.year + 1}-03-01")
    page.fill("#id_task_ends_on", f"{now.year + 1}-11-30")
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    page.get_by_role("button", name="Ogłoś konkurs").click()
    expect(page.locator(".messages")).to_contain_text("Konkurs został ogłoszony")
    competition = Competition.objects.get()
    assert competition.status == Competition.Status.PUBLISHED
    _logout(page)

    # The public list, the page and the strategy.
    page.goto("/granty/")
    assert_accessible(page)
    page.get_by_role("link", name="Kultura w dzielnicach").click()
    expect(page.locator("main")).to_contain_text("Strategia: Więcej mieszkańców w kulturze")
    assert_accessible(page)
    page.goto(strategy.get_absolute_url())
    assert_accessible(page)

    # A PES submits through the form, promising 600 persons a year.
    _login(page, pes)
    page.goto(competition.get_absolute_url())
    page.get_by_role("link", name="Złóż ofertę").click()
    page.fill("#id_task_title", "Festiwal podwórek")
    page.fill("#id_task_description", "Koncerty na podwórkach")
    page.fill("#id_schedule", "od maja do września")
    page.fill("#id_total_cost", "30000")
    page.fill("#id_grant_requested", "20000")
    page.fill("#id_own_funds", "5000")
    page.fill("#id_in_kind_value", "3000")
    page.fill("#id_volunteer_hours", "200")
    page.fill("#id_volunteer_value", "2000")
    page.locator(f"input[name=contribution_{outcomes[0].pk}][value=direct]").check()
    page.fill(f"#id_quantity_{outcomes[0].pk}", "600")
    page.locator(f"input[name=contribution_{outcomes[1].pk}][value=indirect]").check()
    page.set_input_files(
        "#id_documents",
        files=[{"name": "statut.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="Złóż ofertę").click()
    expect(page.locator(".messages")).to_contain_text("Oferta została złożona")
    offer = Offer.objects.get()
    assert offer.outcomes.get(outcome=outcomes[0]).promised_quantity == 600
    _logout(page)
    other = services.offer_submit(
        competition=competition,
        organisation=second,
        actor=other_pes,
        task_title="Teatr w bramie",
        task_description="Spektakle",
        schedule="lato",
        total_cost=Decimal(20000),
        grant_requested=Decimal(15000),
        own_funds=Decimal(2000),
        in_kind_value=Decimal(0),
        volunteer_hours=10,
        volunteer_value=Decimal(300),
        contributions={outcomes[0].pk: (Contribution.INDIRECT, None)},
        documents=[],
    )

    # The deadline passes; the official checks both offers formally.
    Competition.objects.filter(pk=competition.pk).update(
        offers_until=timezone.now() - timedelta(minutes=1)
    )
    _login(page, official)
    for item in (offer, other):
        page.goto(f"/granty/oferty/{item.pk}/ocena-formalna/")
        for checkbox in page.locator("input[type=checkbox]").all():
            checkbox.check()
        page.get_by_role("button", name="Zapisz ocenę").click()
        expect(page.locator(".messages")).to_contain_text("Ocena formalna została zapisana")
    _logout(page)

    # Three members: the chair (the official), a member who scores in the browser, and a PES
    # representative who declares a conflict with the first offer.
    panel = selectors.competition_panel(competition=competition)
    chair = Member.objects.get(panel=panel)
    member_user = make_official(competition.municipality, email="czlonek@example.org")
    scoring_services.member_add(panel=panel, user=member_user, actor=official)
    pes_member = scoring_services.member_add(
        panel=panel,
        user=make_pes_member(
            OrganisationFactory(name="Rada Działalności"), email="rada@example.org"
        ),
        represents_pes=True,
        actor=official,
    )
    scoring_services.declaration_make(
        member=pes_member, item=offer, conflict=True, note="Członek zarządu", actor=official
    )
    criteria = list(panel.criteria.all())
    for who, item, share in (
        (chair, offer, 1),
        (chair, other, Decimal("0.5")),
        (pes_member, other, 1),
    ):
        if who != pes_member or item != offer:
            scoring_services.declaration_make(member=who, item=item, conflict=False, actor=who.user)
        scoring_services.scores_save(
            member=who,
            item=item,
            values={
                c.pk: scoring_services.ScoreInput(
                    points=(c.max_points * share).quantize(Decimal("0.01")), comment="uwagi"
                )
                for c in criteria
            },
            submit=True,
            actor=who.user,
        )

    _login(page, member_user)
    page.goto(panel.get_absolute_url())
    page.get_by_role("link", name="Fundacja Podwórko").click()
    page.get_by_label("Oświadczam, że nie mam konfliktu interesów z tą pozycją").check()
    page.get_by_role("button", name="Złóż oświadczenie").click()
    expect(page.locator("main")).to_contain_text("Koncerty na podwórkach")
    for criterion in criteria:
        page.fill(f"#id_points_{criterion.pk}", str(criterion.max_points).replace(".", ","))
    page.get_by_role("button", name="Wyślij oceny").click()
    expect(page.locator(".messages")).to_contain_text("Wysłano oceny")
    page.goto(panel.get_absolute_url())
    page.get_by_role("link", name="Teatr w Bramie").click()
    page.get_by_label("Oświadczam, że nie mam konfliktu interesów z tą pozycją").check()
    page.get_by_role("button", name="Złóż oświadczenie").click()
    for criterion in criteria:
        page.fill(f"#id_points_{criterion.pk}", str(criterion.max_points).replace(".", ","))
    page.get_by_role("button", name="Wyślij oceny").click()
    expect(page.locator(".messages")).to_contain_text("Wysłano oceny")
    _logout(page)

    # The chair closes scoring, funds the first offer within the budget and publishes.
    _login(page, official)
    page.goto(panel.get_absolute_url())
    page.get_by_role("button", name="Zamknij ocenę").click()
    expect(page.locator(".messages")).to_contain_text("wyniki są ostateczne")
    page.goto(f"/granty/{competition.pk}/ranking/")
    page.fill(f"#id_amount_{offer.pk}", "60000")
    page.get_by_role("button", name="Opublikuj wyniki").click()
    expect(page.locator(".form-error-summary, .errorlist").first).to_contain_text("Najwyżej")
    page.fill(f"#id_amount_{offer.pk}", "18000")
    mail.outbox.clear()
    page.get_by_role("button", name="Opublikuj wyniki").click()
    expect(page.locator(".messages")).to_contain_text("Wyniki zostały opublikowane")
    assert {tuple(m.to) for m in mail.outbox} == {(pes.email,), (other_pes.email,)}
    _logout(page)

    # Everyone reads the results with every criterion's mean.
    page.goto(competition.get_absolute_url())
    results = page.locator("section[aria-labelledby=results-title]")
    expect(results).to_contain_text("Fundacja Podwórko")
    expect(results).to_contain_text("18 000,00 zł")
    expect(results).to_contain_text("Kalkulacja kosztów realizacji zadania")
    expect(results).to_contain_text("1 członek wyłączony z powodu konfliktu interesów")
    assert_accessible(page)
    page.get_by_role(
        "link", name="Analiza kosztów i korzyści: co dotacje kupują ze strategii"
    ).click()
    # 18 000 zł for 600 persons a year promised: 30 zł a person.
    expect(page.locator("main")).to_contain_text("30,00 zł")
    assert_accessible(page)

    # After the task the funded PES returns the same card with what it achieved.
    _login(page, pes)
    page.goto(offer.get_absolute_url())
    page.get_by_role("link", name="Wypełnij kartę po realizacji").click()
    page.get_by_label("Osiągnięto (osoby/rok): Więcej mieszkańców w kulturze").fill("540")
    page.get_by_label("Potwierdzenie: Więcej mieszkańców w kulturze").fill("Listy obecności")
    page.get_by_label("Osiągnięto (wydarzenia/rok): Więcej wydarzeń w dzielnicach").fill("0")
    page.get_by_role("button", name="Złóż kartę").click()
    expect(page.locator(".messages")).to_contain_text("Karta została złożona")
    card = page.locator("table", has_text="Deklarowano")
    expect(card).to_contain_text("600 osoby/rok")
    expect(card).to_contain_text("540 osoby/rok")
    _logout(page)
    _login(page, official)
    page.goto(offer.get_absolute_url())
    page.get_by_role("button", name="Zweryfikuj kartę po realizacji").click()
    expect(page.locator(".messages")).to_contain_text("Karta została zweryfikowana")
    # The official builds the analysis as a PDF (in the background; here, no broker, in the
    # request) and downloads it: cost per outcome promised and achieved, 18 000 / 540.
    page.goto(f"/granty/{competition.pk}/analiza/")
    page.get_by_role("button", name="Utwórz PDF").click()
    expect(page.locator(".messages")).to_contain_text("PDF jest gotowy")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Pobierz PDF").click()
    pdf_path = tmp_path / "analiza.pdf"
    download_info.value.save_as(pdf_path)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
        .replace("\xa0", " ")
        .split()
    )
    assert "Koszt jednostki deklarowanej" in text and "30,00 zł" in text
    assert "Koszt jednostki osiągniętej" in text and "33,33 zł" in text
    assert "Więcej mieszkańców w kulturze: osiągnięto 540 z 600" in text  # the chart, in words
    _logout(page)
    page.goto(f"/granty/{competition.pk}/analiza/")
    expect(page.locator("main")).to_contain_text("dotrzymana (90% lub więcej)")  # 540 of 600
    assert_accessible(page)
    # The same per strategy area, from the strategy's page.
    page.goto(strategy.get_absolute_url())
    page.get_by_role("link", name="Analiza kosztów i korzyści obszaru Kultura").click()
    expect(page.locator("main")).to_contain_text("30,00 zł")
    expect(page.locator("main")).to_contain_text(competition.title)
    assert_accessible(page)
