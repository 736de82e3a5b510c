"""A call's committee in a browser, clicked through: the official sets the criteria and forms
the panel with two members; one declares a conflict of interest with the application, the other
scores it; the official sees the ranking on the decision page and decides; the public call
page shows the scores per criterion (axe-core runs on it)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from premises import services
from premises.models import Application, PremisesCall
from scoring.models import Declaration, Panel
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import PASSWORD, DepartmentFactory, OfficialFactory, UserFactory
from tests.premises.factories import PremisesFactory, UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _login(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def _logout(page):
    page.locator("form[action='/konto/logout/'] button").first.click()


def _official(department, email):
    return OfficialFactory(department=department, user=UserFactory(email=email)).user


def test_criteria_panel_conflict_scores_ranking_decision(page, municipality, assert_accessible):
    department = DepartmentFactory(municipality=municipality, name="Wydział Gospodarki Komunalnej")
    official = _official(department, "lokale@torun.example.org")
    conflicted = _official(department, "komisja1@torun.example.org")
    scorer = _official(department, "komisja2@torun.example.org")
    unit = UnitFactory(department=department, name="Dział Lokali Użytkowych")
    premises = PremisesFactory(unit=unit, address="ul. Szeroka 32, 87-100 Toruń")
    tenant = OrganisationFactory(
        name="Spółdzielnia Socjalna Smaczny Kąsek", seat_municipality=municipality
    )
    pes = make_pes_member(tenant, email="kasek@example.org")
    now = timezone.now()
    call = services.call_create(
        municipality=municipality,
        actor=official,
        premises=[premises],
        title="Nabór: sklep społeczny z kawiarnią",
        purpose="Sklep społeczny z kawiarnią",
        documents_required="Statut",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    services.call_publish(call=call, actor=official)
    application = services.application_submit(
        call=call,
        premises=premises,
        organisation=tenant,
        actor=pes,
        documents=[("Statut", SimpleUploadedFile("statut.pdf", PDF))],
        intended_use="Sklep społeczny z kawiarnią, zatrudnienie 4 osób",
        opening_hours="pon.-sob. 9:00-18:00",
        beneficiaries=600,
        proposed_rent_m2=Decimal(12),
    )

    # The official sets the criteria from the call's page and adds two members.
    _login(page, official)
    page.goto(call.get_absolute_url())
    page.locator(f"#ocena-komisji a[href='/lokale/nabory/{call.pk}/komisja/']").click()
    page.fill("#id_name_1", "Program działań")
    page.fill("#id_max_points_1", "10")
    page.fill("#id_name_2", "Wkład własny")
    page.fill("#id_max_points_2", "5")
    page.check("#id_not_applicable_2")
    page.locator("main form button[type=submit]").click()
    panel = Panel.objects.get()
    page.wait_for_url(f"**/ocena/{panel.pk}/czlonkowie/")
    for member in (conflicted, scorer):
        page.fill("#id_email", member.email)
        page.locator("main form.narrow button[type=submit]").click()
        expect(page.locator("main table")).to_contain_text(member.display_name)
    _logout(page)

    # The call closes; the first member declares a conflict of interest.
    PremisesCall.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    _login(page, conflicted)
    page.goto(panel.get_absolute_url())
    page.get_by_role("link", name=tenant.name).first.click()
    page.locator("input[name=conflict][value=yes]").check()
    page.fill("#id_note", "Zasiadam w radzie nadzorczej spółdzielni.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/ocena/{panel.pk}/")
    assert Declaration.objects.get(item_id=application.pk).conflict
    _logout(page)

    # The second declares none and scores.
    _login(page, scorer)
    page.goto(panel.get_absolute_url())
    page.get_by_role("link", name=tenant.name).first.click()
    page.locator("input[name=conflict][value=no]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Sklep społeczny z kawiarnią, zatrudnienie")
    first, second = panel.criteria.order_by("order")
    page.fill(f"#id_points_{first.pk}", "8,5")
    page.check(f"#id_na_{second.pk}")
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**/ocena/{panel.pk}/")
    _logout(page)

    # The official sees the ranking beside the decision form and decides.
    _login(page, official)
    page.goto(call.get_absolute_url())
    page.locator(f"a[href='/lokale/nabory/{call.pk}/decyzja/']").click()
    ranking = page.locator("#ocena-komisji table")
    expect(ranking).to_contain_text(tenant.name)
    expect(ranking).to_contain_text("8,5")
    page.select_option(f"#id_choice_{premises.pk}", value=str(application.pk))
    page.fill(f"#id_reason_{premises.pk}", "Najwyżej oceniony program")
    page.locator("main form.narrow button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Najwyżej oceniony program")
    assert Application.objects.get(pk=application.pk).status == Application.Status.CHOSEN
    panel.refresh_from_db()
    assert not panel.is_open
    _logout(page)

    # Everyone sees the scores per criterion with the results.
    page.goto(call.get_absolute_url())
    scores = page.locator("#ocena-komisji table")
    expect(scores).to_contain_text("Program działań")
    expect(scores).to_contain_text("8,5")
    assert_accessible(page)
