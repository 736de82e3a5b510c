"""The CPV autocomplete (exchange.widgets): a keyboard-driven combobox that asks the server for
the codes matching what is typed, in the offer form, the notice form (several codes) and the
catalogue's filter; without JavaScript a text input for a code, its beginning or a name."""

import importlib
import re
from datetime import timedelta
from urllib.parse import unquote_plus

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from demand.models import DemandNotice
from exchange.models import Offer
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory
from tests.factories import DepartmentFactory, OfficialFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def curated_cpv(transactional_db):
    """The curated list as the data migration loads it (a transactional test before this one
    may have flushed it)."""
    migration = importlib.import_module("exchange.migrations.0002_curated_cpv")
    migration.load_curated(apps, None)


def results(count):
    """What the picker says of ``count`` results, with the Polish plural."""
    if count == 1:
        return "1 wynik"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} wyniki"
    return f"{count} wyników"


def _login(page, email):
    page.goto("/konto/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", "test-pass-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/panel/")


def _post_the_rest_of_the_notice(page):
    """Fills the notice's other fields, posts it, and checks the two codes were saved."""
    page.fill("#id_quantity", "120")
    page.fill("#id_unit", "osoba")
    page.fill("#id_estimated_value", "18000")
    deadline = timezone.localtime() + timedelta(days=7)
    page.fill("#id_answers_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_contact_name", "Anna Nowak")
    page.fill("#id_contact_email", "anna.nowak@torun.example.org")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: not url.endswith("/nowe/"))
    notice = DemandNotice.objects.get(title="Catering i sprzątanie po festynie")
    assert sorted(notice.cpv_codes.values_list("code", flat=True)) == ["55520000", "90910000"]


def _options(page, select_id):
    return page.locator(f"#{select_id}-ts-dropdown").get_by_role("option")


def _status(page, select_id):
    return page.locator(f"#{select_id}-ts-control").locator(
        "xpath=ancestor::div[contains(@class, 'ts-wrapper')]//*[@role='status']"
    )


def _open(page, name, select_id):
    page.get_by_role("combobox", name=name).focus()
    # Nothing but "none" is listed before something is typed: the codes come from the server.
    expect(_options(page, select_id).locator(".autocomplete-code")).to_have_count(0)


def _type(page, select_id, text):
    """Types into the open picker and waits until the results are those of the text."""
    page.keyboard.type(text)
    expect(_status(page, select_id)).to_have_attribute("data-query", text)


def test_a_member_finds_a_category_by_typing_and_picks_it_with_the_keyboard(
    page, assert_accessible, curated_cpv, municipality
):
    organisation = OrganisationFactory(seat_municipality=municipality)
    member = make_pes_member(organisation, email="czlonek@example.org")
    _login(page, member.email)
    page.goto(f"/gielda/organizacja/{organisation.slug}/nowa-oferta/")
    page.check("input[name=kind][value=service]")
    page.fill("#id_title", "Sprzątanie klatek schodowych")
    page.fill("#id_description", "Co tydzień, z mieszkańcami.")
    page.fill("#id_price", "300")
    page.fill("#id_unit", "miesiąc")
    # The text input became a select, enhanced: it is what the form submits.
    assert page.locator("select#id_cpv").evaluate("el => el.classList.contains('tomselected')")

    _open(page, "Kategoria (CPV)", "id_cpv")
    _type(page, "id_cpv", "sprzątanie")
    cleaning = _options(page, "id_cpv").filter(has_text="90910000-9 Usługi sprzątania").first
    # Polish endings and letters do not matter: every result is about cleaning; each names its
    # parents, so the tree stays readable in the results.
    texts = _options(page, "id_cpv").all_inner_texts()
    assert 5 <= len(texts) <= 20
    assert all("sprząt" in text.lower() for text in texts), texts
    assert cleaning.locator(".autocomplete-detail").inner_text() == (
        "Usługi odbioru ścieków, usuwania odpadów, czyszczenia i ekologiczne \u203a "
        "Usługi w zakresie sprzątania i odkażania"
    )
    expect(_status(page, "id_cpv")).to_have_text(results(len(texts)))
    assert_accessible(page)

    for _ in range(len(texts)):
        if "90910000-9" in page.locator("#id_cpv-ts-dropdown .option.active").inner_text():
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_cpv").input_value() == "90910000"
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "nowa-oferta" not in url)
    assert Offer.objects.get(title="Sprzątanie klatek schodowych").cpv_id == "90910000"


def test_nothing_found_is_said_in_polish(page, curated_cpv):
    page.goto("/gielda/")
    page.get_by_role("combobox", name="Kategoria (CPV)").focus()
    page.keyboard.type("xyzzy")
    expect(page.locator("#id_cpv-ts-dropdown .no-results")).to_have_text("Brak wyników")
    expect(_status(page, "id_cpv")).to_have_text("Brak wyników")
    for _ in range(5):
        page.keyboard.press("Backspace")
    page.keyboard.type("90919")
    # A number of results, not the "Brak wyników" still shown while the answer is on its way.
    expect(_status(page, "id_cpv")).to_have_text(re.compile(r"^\d+ wynik"))
    count = _options(page, "id_cpv").count()
    assert count > 1
    expect(_status(page, "id_cpv")).to_have_text(results(count))


def test_the_catalogue_filters_by_a_code_prefix_picked_with_the_keyboard(
    page, assert_accessible, curated_cpv, municipality
):
    OfferFactory(title="Obiady dla szkół", cpv_id="55520000")
    OfferFactory(title="Ulotki", cpv_id="79800000")
    page.goto("/gielda/")
    _open(page, "Kategoria (CPV)", "id_cpv")
    _type(page, "id_cpv", "5552")
    expect(_options(page, "id_cpv").first).to_contain_text("55520000")
    # Everything in the results lies under the prefix.
    codes = _options(page, "id_cpv").locator(".autocomplete-code").all_inner_texts()
    assert codes and all(code.startswith("5552") for code in codes), codes
    assert_accessible(page)
    page.keyboard.press("Enter")
    assert page.locator("#id_cpv").input_value() == "55520000"
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**cpv=55520000**")
    expect(page.get_by_role("link", name="Obiady dla szkół")).to_be_visible()
    assert page.get_by_role("link", name="Ulotki").count() == 0
    assert_accessible(page)


def test_a_buyer_picks_several_codes_for_a_notice(
    page, assert_accessible, curated_cpv, municipality
):
    department = DepartmentFactory(municipality=municipality, name="Wydział Kultury")
    official = OfficialFactory(
        department=department, user=UserFactory(email="urzedniczka@torun.example.org")
    ).user
    _login(page, official.email)
    page.goto("/zapotrzebowanie/nowe/")
    page.fill("#id_title", "Catering i sprzątanie po festynie")
    page.fill("#id_description", "Obiad dla 120 osób i sprzątanie terenu.")
    page.select_option("#id_buyer", f"department:{department.pk}")

    _open(page, "Kategorie (CPV)", "id_cpv_codes")
    _type(page, "id_cpv_codes", "55520000")
    expect(_options(page, "id_cpv_codes")).to_have_count(1)
    assert_accessible(page)
    page.keyboard.press("Enter")
    _type(page, "id_cpv_codes", "90910000")
    expect(_options(page, "id_cpv_codes")).to_have_count(1)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    chosen = page.eval_on_selector_all(
        "#id_cpv_codes option:checked", "options => options.map(option => option.value)"
    )
    assert sorted(chosen) == ["55520000", "90910000"]

    _post_the_rest_of_the_notice(page)


def test_without_javascript_codes_and_names_are_typed(page, assert_accessible, curated_cpv):
    OfferFactory(title="Obiady dla szkół", cpv_id="55520000")
    OfferFactory(title="Ulotki", cpv_id="79800000")
    page.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    page.goto("/gielda/")
    field = page.get_by_role("textbox", name="Kategoria (CPV)")
    field.fill("5552")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**cpv=5552**")
    expect(page.get_by_role("link", name="Obiady dla szkół")).to_be_visible()
    assert page.get_by_role("link", name="Ulotki").count() == 0
    # The code is shown with its name, which is read back the same.
    expect(field).to_have_value("55520000-1 Usługi dostarczania posiłków")
    assert_accessible(page)

    field.fill("sprzątanie szkół")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(lambda url: "sprz" in unquote_plus(url))
    error = page.get_by_text(re.compile("Żaden kod CPV nie nazywa się „sprzątanie szkół”"))
    expect(error).to_contain_text("90919300-5 Usługi sprzątania szkół")
    assert_accessible(page)


def test_without_javascript_a_buyer_types_several_codes(page, curated_cpv, municipality):
    page.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    official = OfficialFactory(
        department=DepartmentFactory(municipality=municipality),
        user=UserFactory(email="urzedniczka@torun.example.org"),
    ).user
    _login(page, official.email)
    page.goto("/zapotrzebowanie/nowe/")
    page.fill("#id_title", "Catering i sprzątanie po festynie")
    page.fill("#id_description", "Obiad dla 120 osób i sprzątanie terenu.")
    page.get_by_role("textbox", name="Kategorie (CPV)").fill("55520000-1; Usługi sprzątania")
    _post_the_rest_of_the_notice(page)
