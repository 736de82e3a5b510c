"""Public media (SERVE_MEDIA): only the images the portal wrote, with their own content type;
old logos are replaced by re-encoded copies."""

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from directory import services
from tests.image_files import upload
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


def _put(settings, name, content):
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _png_bytes(size=(30, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def logo(organisation, pes_owner):
    services.organisation_update(
        organisation=organisation,
        actor=pes_owner,
        logo=upload(Image.new("RGB", (30, 20), "teal"), name="logo.png"),
    )
    organisation.refresh_from_db()
    return organisation.logo


@pytest.mark.parametrize("role", ROLES)
def test_everyone_gets_a_logo_the_portal_wrote_as_an_image(role, as_role, client, logo):
    as_role(role)

    response = client.get(logo.url)

    assert outcome(response) == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "name",
    [
        "logos/2025/logo.pdf",  # an upload from before re-encoding, under the uploader's name
        "logos/2025/logo.png",
        "logos/2025/0123456789abcdef0123456789abcdef.html",
        "logos/2025/0123456789abcdef0123456789abcdef.svg",
        "notes/0123456789abcdef0123456789abcdef.png",  # not a folder the portal writes
        "logos/0123456789abcdef0123456789abcdef.png",
    ],
)
def test_files_the_portal_did_not_write_are_not_served(client, settings, name):
    _put(settings, name, _png_bytes() + b"<script>alert(1)</script>")

    response = client.get(f"/{settings.MEDIA_URL}{name}")

    assert response.status_code == 404


def test_no_path_leaves_the_media_folder(client, settings, tmp_path):
    (tmp_path / "secret.png").write_bytes(_png_bytes())
    _put(settings, "logos/2025/x.png", b"")

    for path in ("logos/2025/../../../secret.png", "..%2Fsecret.png", "%2e%2e/secret.png"):
        assert client.get(f"/{settings.MEDIA_URL}{path}").status_code == 404


def test_the_media_route_is_named():
    assert reverse("public-media", kwargs={"path": "logos/x.png"}).endswith("/logos/x.png")


# --- logos stored before re-encoding ------------------------------------------------------------

_migration = importlib.import_module("directory.migrations.0005_reencode_logos")


def test_old_logos_are_replaced_by_reencoded_copies(organisation, settings):
    appended = b"%PDF-1.4 appended"
    old = _put(settings, "logos/2025/logo.pdf", _png_bytes((3000, 1500)) + appended)
    organisation.logo = "logos/2025/logo.pdf"
    organisation.save(update_fields=["logo"])

    _migration.reencode_logos(apps, None)

    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".png")
    assert not old.exists()
    with organisation.logo.open("rb") as stored:
        content = stored.read()
    assert appended not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (1000, 500)


def test_an_old_logo_that_is_no_image_is_cleared(organisation, settings):
    _put(settings, "logos/2025/logo.eps", b"%!PS-Adobe-3.0 EPSF-3.0")
    organisation.logo = "logos/2025/logo.eps"
    organisation.save(update_fields=["logo"])

    _migration.reencode_logos(apps, None)

    organisation.refresh_from_db()
    assert not organisation.logo


def test_reencoded_logos_are_left_as_they_are(organisation, settings):
    organisation.logo = ContentFile(_png_bytes(), name="0123456789abcdef0123456789abcdef.png")
    organisation.save()
    name = organisation.logo.name

    _migration.reencode_logos(apps, None)

    organisation.refresh_from_db()
    assert organisation.logo.name == name
