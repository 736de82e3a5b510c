"""Committee scoring in a browser, clicked through: a member declares no conflict of interest,
scores an application with the running total following what they type, saves a draft, submits;
another member declares a conflict and never sees the application; the chair reads the results
with each criterion's mean ("n/a" left out) and closes scoring. axe-core's WCAG 2.1 AA rules
run on every page of the path."""

import pytest
from playwright.sync_api import expect

from scoring import services
from scoring.models import Member, Panel, Submission
from tests.browser.test_equipment_bank_path import _login, _logout
from tests.factories import UserFactory
from tests.scoring.factories import make_call, make_panel, score

pytestmark = pytest.mark.django_db(transaction=True)


def test_declare_score_submit_and_read_the_results(page, assert_accessible):
    chair = UserFactory(email="przewodniczaca@torun.example.org", first_name="Anna")
    member = UserFactory(email="czlonek@example.org", first_name="Piotr")
    conflicted = UserFactory(email="konflikt@example.org", first_name="Ewa")
    call = make_call(manager=chair, applications=["Fundacja Alfa"])
    panel = make_panel(call=call, actor=chair)
    services.member_add(panel=panel, user=chair, role=Member.Role.CHAIR, actor=chair)
    services.member_add(panel=panel, user=member, represents_pes=True, actor=chair)
    services.member_add(panel=panel, user=conflicted, actor=chair)

    _login(page, member)
    page.goto("/ocena/")
    assert_accessible(page)
    page.get_by_role("link", name=panel.title).click()
    assert_accessible(page)
    page.get_by_role("link", name="Fundacja Alfa").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Oświadczenie o konflikcie")
    expect(page.locator("main")).not_to_contain_text("Plan: Fundacja Alfa")
    assert_accessible(page)
    page.get_by_label("Oświadczam, że nie mam konfliktu interesów z tą pozycją").check()
    page.get_by_role("button", name="Złóż oświadczenie").click()

    expect(page.locator("main")).to_contain_text("Plan: Fundacja Alfa")
    total = page.locator("#running-total")
    expect(total).to_have_text("0")
    fields = page.get_by_label("Punkty (od 0 do 10)")
    fields.fill("7,5")
    expect(total).to_have_text("7,5")  # live, before any save
    page.get_by_label("Punkty (od 0 do 5)").first.fill("4")
    expect(total).to_have_text("11,5")
    page.get_by_label("Nie dotyczy").check()
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    expect(page.locator(".messages")).to_contain_text("Dotychczasowa suma: 11,5 pkt.")
    expect(total).to_have_text("11,5")  # computed by the server this time
    page.get_by_role("button", name="Wyślij oceny").click()
    expect(page.locator(".messages")).to_contain_text("Wysłano oceny pozycji Fundacja Alfa")
    assert Submission.objects.get(member__user=member).is_submitted
    _logout(page)

    _login(page, conflicted)
    page.goto(panel.get_absolute_url())
    page.get_by_role("link", name="Fundacja Alfa").click()
    page.get_by_label("Mam konflikt interesów z tą pozycją i nie będę jej oceniać").check()
    page.get_by_role("button", name="Złóż oświadczenie").click()
    expect(page.locator(".form-error-summary")).to_contain_text("na czym polega konflikt")
    assert_accessible(page)
    page.get_by_label("Uwagi").fill("Zasiadam w zarządzie fundacji.")
    page.get_by_role("button", name="Złóż oświadczenie").click()
    expect(page.locator("main")).to_contain_text("Konflikt interesów: wyłączony")
    expect(page.get_by_role("link", name="Fundacja Alfa")).to_have_count(0)
    _logout(page)

    _login(page, chair)
    page.goto(panel.get_absolute_url())
    page.get_by_role("link", name="Wyniki").click()
    row = page.locator("table.results tbody tr").first
    expect(row).to_contain_text("Fundacja Alfa")
    expect(row.locator("td")).to_have_text(["1", "7,50", "4,00", "n/d", "11,50", "1", "1"])
    assert_accessible(page)
    page.get_by_role("button", name="Zamknij ocenę").click()
    expect(page.locator(".messages")).to_contain_text("wyniki są ostateczne")
    assert_accessible(page)


def test_parts_weights_exclusions_and_the_others_scores_after_ones_own(page, assert_accessible):
    """A grant-like panel: two parts, the strategy criterion weighing double, one offer excluded
    by the formal check. The first member submits; the second sees the running total weighted
    as they type and the first member's scores only after submitting their own; the chair reads
    the subtotals and the excluded offer apart."""
    chair = UserFactory(email="przewodniczacy@torun.example.org", first_name="Jan")
    first = UserFactory(email="pierwsza@example.org", first_name="Maria")
    second = UserFactory(email="drugi@example.org", first_name="Tomasz")
    call = make_call(manager=chair, applications=["Fundacja Alfa", "Stowarzyszenie Beta"])
    call.applications.filter(applicant="Stowarzyszenie Beta").update(
        formal_failure="Brak podpisu osoby upoważnionej"
    )
    panel = make_panel(
        call=call,
        actor=chair,
        results_visibility=Panel.ResultsVisibility.MEMBERS,
        criteria=[
            {"name": "Wykonalność", "max_points": 10, "part": "Ocena merytoryczna"},
            {"name": "Cele strategii", "max_points": 5, "part": "Zgodność", "weight": 2},
        ],
    )
    services.member_add(panel=panel, user=chair, role=Member.Role.CHAIR, actor=chair)
    first_seat = services.member_add(panel=panel, user=first, actor=chair)
    services.member_add(panel=panel, user=second, actor=chair)
    alfa = call.applications.get(applicant="Fundacja Alfa")
    score(panel, first_seat, alfa, 8, 4)

    _login(page, second)
    page.goto(panel.get_absolute_url())
    expect(page.get_by_role("link", name="Stowarzyszenie Beta")).to_have_count(0)
    page.get_by_role("link", name="Fundacja Alfa").click()
    page.get_by_label("Oświadczam, że nie mam konfliktu interesów z tą pozycją").check()
    page.get_by_role("button", name="Złóż oświadczenie").click()
    expect(page.locator("main")).not_to_contain_text("Maria")
    total = page.locator("#running-total")
    page.get_by_label("Punkty (od 0 do 10)").fill("6")
    page.get_by_label("Punkty (od 0 do 5)").fill("3")
    expect(total).to_have_text("12")  # 6 + 3 * 2, live
    page.get_by_role("button", name="Wyślij oceny").click()
    page.get_by_role("link", name="Fundacja Alfa").click()
    others = page.get_by_role("table", name="Oceny pozostałych członków")
    expect(others).to_contain_text("Maria")
    expect(others.locator("tbody td")).to_have_text(["8", "4", "16"])
    assert_accessible(page)
    _logout(page)

    _login(page, chair)
    page.goto(f"/ocena/{panel.pk}/wyniki/")
    row = page.locator("table.results tbody tr").first
    expect(row.locator("td")).to_have_text(["1", "7,00", "3,50", "7,00", "7,00", "14,00", "2", "0"])
    expect(page.get_by_role("table", name="Wyłączone z oceny")).to_contain_text(
        "Brak podpisu osoby upoważnionej"
    )
    assert_accessible(page)
