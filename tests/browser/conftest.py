"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against
pytest-django's live server. Without Chromium they are skipped, except in CI, where they fail."""

import hashlib
import os
import re
import shutil
from pathlib import Path

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


# Runs in every page before its own scripts: each Content Security Policy violation the browser
# reports on the page is handed to the test (the list survives navigations; window would not).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.pestorCspViolation({
    document: event.documentURI,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
}, true);
"""


@pytest.fixture
def csp_violations():
    """The Content Security Policy violations the browser reported on the test's pages so far."""
    return []


def assert_no_csp_violations(page, violations):
    from playwright.sync_api import Error

    try:
        page.evaluate("0")  # a round trip: violations reported before it have reached the list
    except Error:  # the page is navigating; give the reports of the last one a moment instead
        page.wait_for_timeout(200)
    assert violations == [], "Content Security Policy violations:\n" + "\n".join(
        str(violation) for violation in violations
    )


# CI sets HTML_SNAPSHOT_DIR: each HTML page the browser tests load (the body the server sent, before
# any script ran) is written there, and the Nu HTML Checker then validates them all (.ci/run).
HTML_SNAPSHOT_DIR = os.environ.get("HTML_SNAPSHOT_DIR")


def save_html_snapshot(response):
    """Writes a document response's HTML into HTML_SNAPSHOT_DIR, named after its path."""
    if response.request.resource_type != "document" or response.status != 200:
        return
    if not response.headers.get("content-type", "").startswith("text/html"):
        return
    try:
        body = response.body()
    except Exception:  # the page navigated on before its body was read
        return
    path = response.url.split("://", 1)[-1].split("/", 1)[-1] or "home"
    name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")[:80] or "home"
    digest = hashlib.sha1(body, usedforsecurity=False).hexdigest()[:10]
    directory = Path(HTML_SNAPSHOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}-{digest}.html").write_bytes(body)


@pytest.fixture
def page(browser, live_server, settings, csp_violations):
    """A page on the live server, with the portal's Content Security Policy in force; a test
    fails if any page it visits triggers a violation."""
    settings.SITE_URL = live_server.url
    # Map tiles would be fetched from the internet, which tests have none of.
    settings.MAP_TILE_URL = live_server.url + "/static/vendor/leaflet/images/{z}{x}{y}.png"
    context = browser.new_context(locale="pl-PL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    # On the context, so that popups (the admin's add-another windows) are watched too.
    context.expose_function("pestorCspViolation", lambda found: csp_violations.append(found))
    context.add_init_script(CSP_LISTENER)
    if HTML_SNAPSHOT_DIR:
        context.on("response", save_html_snapshot)
    page = context.new_page()
    yield page
    try:
        if not page.is_closed():
            assert_no_csp_violations(page, csp_violations)
        else:
            assert csp_violations == []
    finally:
        context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _run_axe_on_loaded_page(axe, page):
    """axe-core on the page once it has loaded. A test that clicks a link and checks the page at
    once may start axe while the next document replaces the old one (axe then reads a null
    document, or its script is gone with the old page): it is run again on the page that came."""
    from playwright.sync_api import Error as PlaywrightError

    page.wait_for_load_state("load")
    try:
        return axe.run(page, options=WCAG_AA)
    except PlaywrightError as error:
        if not re.search(r"documentElement|context was destroyed|axe is not defined", str(error)):
            raise
    page.wait_for_load_state("load")
    return axe.run(page, options=WCAG_AA)


@pytest.fixture
def assert_accessible(axe, csp_violations):
    """Runs axe-core on the page and fails with its report on any WCAG 2.1 AA violation, or on
    any Content Security Policy violation the pages visited so far have triggered."""

    def check(page):
        assert_no_csp_violations(page, csp_violations)
        results = _run_axe_on_loaded_page(axe, page)
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
