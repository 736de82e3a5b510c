"""The pages whose HTML the Nu HTML Checker once found invalid are valid: the sign-up and
password-change help (a list, inside a <div>), a message's <time datetime> (no microseconds),
the address fields' autocomplete tokens, an offer description's headings (no level skipped)
and the report pages' htmx polling (data-hx-* attributes). CI checks every page the browser
tests load the same way (.ci/run, step_html_valid); this test needs Java and npm's vnu-jar
(`npm ci`) and is skipped without them, except in CI."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from exchange import services as exchange_services
from monitoring.models import Report
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory
from tests.factories import UserFactory, make_business_buyer, make_monitoring_member
from tests.monitoring.factories import ProgrammeFactory, ReportFactory

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def vnu():
    java = shutil.which("java")
    if java and VNU.exists():
        return [java, "-jar", str(VNU), "--errors-only", "--skip-non-html"]
    message = "the Nu HTML Checker needs Java (default-jre-headless) and `npm ci` (vnu-jar)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.django_db
def test_the_pages_once_invalid_are_valid_html(client, vnu, tmp_path, municipality, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    pages = {"signup": client.get("/konto/signup/")}

    client.force_login(UserFactory())
    pages["password-change"] = client.get("/konto/password/change/")
    pages["register-organisation"] = client.get("/organizacje/zarejestruj/")

    organisation = OrganisationFactory(seat_municipality=municipality)
    description = "Obiady.\n\n### W cenie\n\n- zastawa"
    offer = OfferFactory(
        organisation=organisation,
        description=description,
        description_html=exchange_services.render_description(description),
    )
    pages["offer"] = client.get(offer.get_absolute_url())

    buyer = make_business_buyer()
    inquiry = exchange_services.inquiry_send(
        offer=offer,
        buyer=buyer,
        company=buyer.buyer_memberships.get().company,
        quantity="80 porcji",
        message="Czy przygotujecie obiad?",
    )
    client.force_login(make_pes_member(organisation))
    pages["inquiry"] = client.get(inquiry.get_absolute_url())

    member = make_monitoring_member(municipality)
    report = ReportFactory(
        programme=ProgrammeFactory(municipality=municipality), status=Report.Status.RUNNING
    )
    client.force_login(member)
    pages["report"] = client.get(f"/monitoring/raporty/{report.pk}/")
    pages["reports"] = client.get(f"/monitoring/programy/{report.programme.pk}/raporty/")

    for name, response in pages.items():
        assert response.status_code == 200, name
        (tmp_path / f"{name}.html").write_bytes(response.content)
    assert "<time datetime=" in pages["inquiry"].content.decode()
    assert "data-hx-trigger" in pages["report"].content.decode()

    checked = subprocess.run(
        [*vnu, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert checked.returncode == 0, checked.stderr or checked.stdout
