"""Materials after an event: PDF, ODT and PPTX by their content, for those who manage the event;
everyone who sees the event downloads them, as files that run nothing when opened."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Event, Material
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CITY = {"official", "monitoring_member", "admin_user"}


def _zip(parts: dict) -> bytes:
    """The same bytes whenever built: each xdist worker collects the parametrized tests itself,
    and a member dated by the clock made their ids differ between workers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def _file_name(value):
    """A test's id: the file's name (its bytes are not an id)."""
    return value if isinstance(value, str) else None


ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
PPTX = _zip({"[Content_Types].xml": b"<x/>", "ppt/presentation.xml": b"<x/>"})
DOCX = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})


@pytest.fixture
def held(training):
    Event.objects.filter(pk=training.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    training.refresh_from_db()
    return training


@pytest.mark.parametrize(
    ("name", "content"), [("a.pdf", PDF), ("b.odt", ODT), ("c.pptx", PPTX)], ids=_file_name
)
def test_pdf_odt_and_pptx_are_published(held, official, name, content):
    material = services.material_add(
        event=held, actor=official, title="Slajdy", file=SimpleUploadedFile(name, content)
    )
    assert material.extension == name[name.index(".") :]


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.pdf", b"MZ\x90\x00 not a pdf"), ("b.odt", DOCX), ("c.pptx", ODT), ("d.docx", DOCX)],
    ids=_file_name,
)
def test_other_content_is_refused_whatever_its_name(held, official, name, content):
    with pytest.raises(ValidationError) as error:
        services.material_add(
            event=held, actor=official, title="X", file=SimpleUploadedFile(name, content)
        )
    assert "file" in error.value.message_dict
    assert not Material.objects.exists()


def test_materials_wait_for_the_event(training, official):
    with pytest.raises(ValidationError):
        services.material_add(
            event=training, actor=official, title="X", file=SimpleUploadedFile("a.pdf", PDF)
        )


@pytest.mark.parametrize("role", ROLES)
def test_who_publishes_and_who_downloads(role, as_role, client, held, official):
    material = services.material_add(
        event=held, actor=official, title="Slajdy", file=SimpleUploadedFile("a.pdf", PDF)
    )
    as_role(role)
    download = client.get(reverse("community:material-download", args=[held.pk, material.pk]))
    assert download.status_code == 200
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(download.streaming_content) == PDF
    page = client.get(reverse("community:event-report", args=[held.pk]))
    expected = "login" if role == "resident" else (200 if role in CITY else 403)
    assert outcome(page) == expected
    if expected == 200:
        # The page's title is its title, and its materials are listed once.
        text = page.content.decode()
        assert f"<title>Sprawozdanie: {held.title} · PES-TOR</title>" in text
        assert text.count('id="materials-title"') == 1
    response = client.post(
        reverse("community:material-add", args=[held.pk]),
        {"title": "Druga", "file": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert outcome(response) == ("login" if role == "resident" else (302 if role in CITY else 403))
    assert Material.objects.count() == (2 if role in CITY else 1)


def test_a_bad_file_gets_a_polish_message_and_keeps_the_title(client, held, official):
    client.force_login(official)
    response = client.post(
        reverse("community:material-add", args=[held.pk]),
        {"title": "Podsumowanie", "file": SimpleUploadedFile("x.pptx", b"not a presentation")},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "nie jest plikiem PDF, ODT ani PPTX" in page
    assert 'value="Podsumowanie"' in page


def test_a_draft_events_materials_are_a_404_to_others(client, draft, official, signed_in_user):
    Event.objects.filter(pk=draft.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    draft.refresh_from_db()
    material = services.material_add(
        event=draft, actor=official, title="X", file=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(signed_in_user)
    url = reverse("community:material-download", args=[draft.pk, material.pk])
    assert client.get(url).status_code == 404
