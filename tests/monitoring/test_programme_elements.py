"""The elements art. 5a ust. 4 of the Act on public benefit activity requires of a programme:
in the form, on the team's and the public page, and in the report."""

from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from monitoring import services
from monitoring.models import CooperationProgramme, Report
from pestor.storage import private_storage

pytestmark = pytest.mark.django_db

ELEMENTS = {
    "legal_basis": "Art. 5a ust. 1 ustawy o działalności pożytku publicznego.",
    "strategy_coherence": "Zgodny ze Strategią Rozwoju Miasta do 2030 roku.",
    "evaluation_method": "Ocena na podstawie wskaźników, raz w roku.",
    "preparation_and_consultation": "Konsultacje od 1 do 21 października, 14 uwag.",
    "competition_committees": "Komisje powołuje Prezydent zarządzeniem.",
}


def programme_post_data(programme, **overrides):
    return {
        "title": programme.title,
        "kind": programme.kind,
        "year_from": programme.year_from,
        "year_to": programme.year_to,
        "status": programme.status,
        "resolution_number": programme.resolution_number,
        "resolution_date": programme.resolution_date.isoformat(),
        **overrides,
    }


def test_the_team_enters_every_element_and_the_public_sees_them(
    client, monitoring_member, programme
):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:programme-edit", args=[programme.pk]),
        programme_post_data(programme, **ELEMENTS),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    for name, text in ELEMENTS.items():
        assert getattr(programme, name) == text
    team_page = client.get(programme.get_absolute_url()).content.decode()
    client.logout()
    public_page = client.get(reverse("monitoring:dashboard", args=["torun"])).content.decode()
    for text in ELEMENTS.values():
        assert text in team_page
        assert text in public_page


def test_the_form_offers_every_element(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    form = client.get(reverse("monitoring:programme-edit", args=[programme.pk])).context["form"]
    assert set(CooperationProgramme.STATUTORY_ELEMENTS) <= set(form.fields)


def test_bad_input_keeps_the_elements_typed(client, monitoring_member, programme):
    client.force_login(monitoring_member)
    response = client.post(
        reverse("monitoring:programme-edit", args=[programme.pk]),
        programme_post_data(programme, resolution_number="", **ELEMENTS),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["resolution_number"]
    content = response.content.decode()
    for text in ELEMENTS.values():
        assert text in content
    programme.refresh_from_db()
    assert programme.legal_basis == ""


def test_the_report_has_a_section_for_every_element(programme, monitoring_member):
    services.programme_update(programme=programme, actor=monitoring_member, **ELEMENTS)
    report = services.report_order(
        programme=programme,
        kind=Report.Kind.STATUTORY,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        requested_by=monitoring_member,
    )
    report = services.report_render(report_id=report.pk)
    assert report.status == Report.Status.DONE
    with private_storage().open(report.file.name, "rb") as handle:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(handle).pages).split())
    for value in ELEMENTS.values():
        assert value in text
    labels = [element["label"] for element in report.snapshot["programme"]["elements"]]
    assert len(labels) == len(ELEMENTS)
