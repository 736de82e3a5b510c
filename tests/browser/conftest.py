"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against
pytest-django's live server. Without Chromium they are skipped, except in CI, where they fail."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium).")
        pytest.skip("Chromium is not installed (apt-get install chromium) — browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    # Map tiles would be fetched from the internet, which tests have none of.
    settings.MAP_TILE_URL = live_server.url + "/static/vendor/leaflet/images/{z}{x}{y}.png"
    context = browser.new_context(locale="pl-PL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def assert_accessible(axe):
    """Runs axe-core on the page and fails with its report on any WCAG 2.1 AA violation."""

    def check(page):
        results = axe.run(page, options=WCAG_AA)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def spheres(transactional_db):
    """The spheres of art. 4, which a flush between transactional tests removes."""
    from directory.models import PublicBenefitSphere
    from directory.spheres import SPHERES

    for position, (code, name) in enumerate(SPHERES, start=1):
        PublicBenefitSphere.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )
    return list(PublicBenefitSphere.objects.order_by("position"))
