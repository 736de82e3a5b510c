"""The premises policy in a browser, clicked through: a PES saves a vacancy alert; an official
opens a matching call and the PES gets the e-mail and applies with a PDF; after the close the
official records the decision, signs the lease with the proposed discount; the tenant files its
annual report, the official accepts it, and the public results page shows it; its CSV is read
back. A call's committee: the official sets the criteria and forms the panel with two members;
one declares a conflict of interest, the other scores; the official decides with the ranking
beside the form; the public call page shows the scores per criterion. A vacancy alert withdrawn
by the link in its e-mail. axe-core's WCAG 2.1 AA rules run on every public page of the paths."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from premises import services
from premises.models import Application, Lease, PremisesCall, VacancyAlert
from scoring.models import Declaration, Panel
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import PASSWORD, DepartmentFactory, OfficialFactory, UserFactory
from tests.premises.factories import PremisesFactory, UnitFactory, make_alert, make_call

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


def test_alert_call_application_decision_lease_report_results(
    page, municipality, spheres, assert_accessible
):
    department = DepartmentFactory(municipality=municipality, name="Wydział Gospodarki Komunalnej")
    official = OfficialFactory(
        department=department, user=UserFactory(email="lokale@torun.example.org")
    ).user
    services.torun_policy(municipality=municipality)
    unit = UnitFactory(department=department, name="Dział Lokali Użytkowych")
    premises = PremisesFactory(
        unit=unit, address="ul. Szeroka 32, 87-100 Toruń", area_m2=Decimal("64.50")
    )
    tenant = OrganisationFactory(
        name="Spółdzielnia Socjalna Smaczny Kąsek", seat_municipality=municipality
    )
    pes = make_pes_member(tenant, email="kasek@example.org")

    # The PES saves an alert.
    _login(page, pes)
    page.goto("/lokale/")
    assert_accessible(page)
    page.goto("/lokale/alerty/")
    assert_accessible(page)
    page.select_option("#id_organisation", label=tenant.name)
    page.select_option("#id_municipality", label=municipality.name)
    page.fill("#id_min_area", "40")
    page.fill("#id_purpose", "kawiarnia")
    page.get_by_role("button", name="Zapisz powiadomienie").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Powiadomienie")
    _logout(page)

    # The official opens a matching call; the PES gets the e-mail.
    _login(page, official)
    page.goto("/lokale/nabory/nowy/")
    now = timezone.localtime()
    page.fill("#id_title", "Nabór: sklep społeczny z kawiarnią")
    page.fill("#id_purpose", "Sklep społeczny z kawiarnią")
    page.fill("#id_documents_required", "Statut")
    page.fill("#id_opens_at", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_closes_at", (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(str(premises)).check()
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_role("button", name="Ogłoś nabór").click()
    expect(page.locator("main")).to_contain_text("Nabór został ogłoszony")
    _logout(page)
    alert = next(m for m in mail.outbox if m.to == [pes.email])
    assert "ul. Szeroka 32" in alert.body
    call = PremisesCall.objects.get()

    # The PES follows the link and applies with a PDF.
    _login(page, pes)
    page.goto(call.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Złóż wniosek", exact=True).first.click()
    page.fill("#id_intended_use", "Sklep społeczny z kawiarnią, zatrudnienie 4 osób")
    page.fill("#id_opening_hours", "pon.-sob. 9:00-18:00")
    page.fill("#id_beneficiaries", "600")
    page.fill("#id_proposed_rent_m2", "12")
    page.set_input_files(
        "#id_documents",
        files=[{"name": "statut.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="Złóż wniosek").click()
    expect(page.locator("main")).to_contain_text("Twój wniosek został złożony")
    _logout(page)

    # The call closes; the official records the decision.
    PremisesCall.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    _login(page, official)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Zapisz rozstrzygnięcie").click()
    page.select_option(f"#id_choice_{premises.pk}", label=tenant.name)
    page.fill(f"#id_reason_{premises.pk}", "Najpełniejszy program i doświadczenie")
    page.get_by_role("button", name="Opublikuj wyniki").click()
    expect(page.locator("main")).to_contain_text("Najpełniejszy program")
    assert [m.to for m in mail.outbox] == [[pes.email]]

    # The lease, with the discount the rules propose (social assistance: 70%).
    last_year = timezone.localdate().year - 1
    page.goto(f"/lokale/{premises.pk}/umowa/")
    page.select_option("#id_organisation", label=tenant.name)
    page.select_option("#id_sphere", index=1)
    page.fill("#id_activity", "Sklep społeczny z kawiarnią")
    page.fill("#id_starts_on", date(last_year, 1, 1).isoformat())
    page.fill("#id_basic_rent_m2", "30")
    page.get_by_role("button", name="Zarejestruj umowę").click()
    expect(page.locator("main")).to_contain_text("70")
    lease = Lease.objects.get()
    assert lease.discount_percent == 70
    _logout(page)

    # The tenant files its annual report.
    _login(page, pes)
    page.goto(lease.get_absolute_url())
    page.get_by_role("link", name="Złóż sprawozdanie").click()
    page.fill("#id_activities", "Sklep i kawiarnia, warsztaty kulinarne")
    page.fill("#id_beneficiaries", "734")
    page.fill("#id_hours_per_week", "54")
    page.fill("#id_events", "18")
    page.fill("#id_volunteers", "6")
    page.fill("#id_narrative", "Rok pełen pracy.")
    page.get_by_role("button", name="Złóż sprawozdanie").click()
    expect(page.locator("main")).to_contain_text("Sprawozdanie zostało złożone")
    _logout(page)

    # The official accepts it; the public results page shows it.
    _login(page, official)
    page.goto("/lokale/sprawozdania/")
    page.get_by_role("link", name=f"{last_year}: ul. Szeroka 32", exact=False).click()
    page.get_by_role("button", name="Przyjmij sprawozdanie").click()
    _logout(page)
    page.goto(f"/lokale/wyniki/?rok={last_year}")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("734")
    page.goto(f"/lokale/zasady/{municipality.slug}/")
    assert_accessible(page)
    page.goto(premises.get_absolute_url())
    assert_accessible(page)
    page.goto("/lokale/nabory/")
    assert_accessible(page)

    response = page.request.get(f"/lokale/wyniki/dane.csv?rok={last_year}")
    rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "ul. Szeroka 32, 87-100 Toruń"
    assert rows[1][4] == tenant.name
    assert rows[1][-1] == "734"


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
    call = make_call([premises], official)
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


def test_an_alert_is_withdrawn_by_the_link_in_its_email(page, municipality, assert_accessible):
    tenant = OrganisationFactory(name="Fundacja Rubinkowo", seat_municipality=municipality)
    pes = make_pes_member(tenant, email="rubinkowo@example.org")
    alert = make_alert(
        tenant, pes, municipality, district="Rubinkowo", step_free_only=True, purpose="świetlica"
    )
    link = services.unsubscribe_url(alert)
    page.goto(link[link.index("/lokale/") :])
    expect(page.locator("main")).to_contain_text("Rubinkowo")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    assert not VacancyAlert.objects.exists()
    assert_accessible(page)


def test_an_official_changes_the_discount_rules_and_the_history_shows_both(
    page, municipality, spheres, assert_accessible
):
    department = DepartmentFactory(municipality=municipality)
    official = _official(department, "zasady@torun.example.org")
    official.user_permissions.add(
        Permission.objects.get(content_type__app_label="premises", codename="change_discountpolicy")
    )
    services.torun_policy(municipality=municipality)
    sphere = next(sphere for sphere in spheres if sphere.code == "1")  # social assistance
    _login(page, official)
    page.goto(f"/lokale/zasady/{municipality.slug}/")
    page.locator(f"a[href='/lokale/zasady/{municipality.slug}/edycja/']").click()
    page.fill(f"#id_sphere_{sphere.pk}", "60")
    page.fill("#id_discount_months", "24")
    page.fill("#id_reason", "Zarządzenie Prezydenta nr 12/2026")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Zarządzenie Prezydenta nr 12/2026")
    expect(page.locator("main")).to_contain_text("24 miesiące")
    expect(page.locator("main")).to_contain_text("do 60% dla")
    _logout(page)
    page.goto(f"/lokale/zasady/{municipality.slug}/")
    expect(page.locator("main .history")).to_contain_text("Zarządzenie Prezydenta nr 12/2026")
    assert_accessible(page)
