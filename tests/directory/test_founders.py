"""Founding members of cooperatives (issue 15): the legal persons behind a social cooperative of
legal persons, kept by its editors, shown on its page and found by the directory's filter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory import services
from directory.models import CooperativeFounder, LegalForm
from pestor.models import AuditEvent
from tests.directory.factories import OrganisationFactory, next_regon
from tests.factories import MunicipalityFactory, next_nip
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

# Who keeps a cooperative's founding members: its members (owner and editor) and the
# administrators.
EDIT = dict.fromkeys(ROLES, 403) | {
    "resident": "login",
    "pes_owner": 200,
    "pes_editor": 200,
    "admin_user": 200,
}


@pytest.fixture
def cooperative(organisation):
    organisation.legal_form = LegalForm.SOCIAL_COOPERATIVE_OF_LEGAL_PERSONS
    organisation.save()
    return organisation


@pytest.mark.parametrize(("role", "expected"), EDIT.items())
def test_only_the_cooperatives_members_keep_its_founders(
    role, expected, as_role, client, cooperative, pes_owner, pes_editor, municipality
):
    as_role(role)
    url = reverse("directory:organisation-founders", args=[cooperative.slug])
    assert outcome(client.get(url)) == expected
    response = client.post(url, {"kind": "municipality", "municipality": municipality.slug})
    if expected == 200:
        assert response.status_code == 302
        founder = cooperative.founders.get()
        assert founder.municipality == municipality
        assert AuditEvent.objects.filter(action="organisation.founder_added").exists()
    else:
        assert outcome(response) == expected
        assert not cooperative.founders.exists()


@pytest.mark.parametrize(("role", "expected"), EDIT.items())
def test_only_the_cooperatives_members_remove_a_founder(
    role, expected, as_role, client, cooperative, pes_owner, pes_editor, municipality
):
    founder = services.founder_add(
        actor=None, cooperative=cooperative, kind="municipality", municipality=municipality
    )
    as_role(role)
    url = reverse("directory:founder-remove", args=[cooperative.slug, founder.pk])
    response = client.post(url)
    if expected == 200:
        assert response.status_code == 302
        assert not cooperative.founders.exists()
    else:
        assert outcome(response) == expected
        assert cooperative.founders.exists()


def test_an_association_has_no_founders_page(client, pes_owner, organisation):
    organisation.legal_form = LegalForm.ASSOCIATION
    organisation.save()
    client.force_login(pes_owner)
    url = reverse("directory:organisation-founders", args=[organisation.slug])
    assert client.get(url).status_code == 403


def test_the_three_kinds_of_founder_are_shown_on_the_page(
    client, cooperative, pes_owner, municipality
):
    ngo = OrganisationFactory(
        name="Stowarzyszenie Ekologiczne Wisła", seat_municipality=municipality
    )
    client.force_login(pes_owner)
    url = reverse("directory:organisation-founders", args=[cooperative.slug])
    client.post(url, {"kind": "municipality", "municipality": municipality.slug})
    client.post(url, {"kind": "organisation", "organisation_nip": ngo.nip})
    parish_regon = next_regon()
    response = client.post(
        url, {"kind": "legal_person", "name": "Parafia św. Jana", "regon": parish_regon}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(cooperative.get_absolute_url()).content.decode()
    assert "Gmina Toruń" in page or "Toruń" in page
    assert "Stowarzyszenie Ekologiczne Wisła" in page
    assert "Parafia św. Jana" in page
    assert parish_regon in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "legal_person", "name": "Parafia", "nip": "1234567890"}, "nip", "cyfr"),
        ({"kind": "legal_person", "name": "Parafia"}, "nip", "NIP lub REGON"),
        ({"kind": "legal_person", "nip": next_nip()}, "name", "nazwę"),
        ({"kind": "organisation", "organisation_nip": next_nip()}, "organisation_nip", "NIP"),
        ({"kind": "municipality", "municipality": ""}, "municipality", "gminy"),
    ],
    ids=["bad-nip", "no-number", "no-name", "unknown-organisation", "no-municipality"],
)
def test_bad_founders_are_explained_in_polish_and_nothing_is_saved(
    client, cooperative, pes_owner, data, field, message
):
    client.force_login(pes_owner)
    url = reverse("directory:organisation-founders", args=[cooperative.slug])
    response = client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message.lower() in errors.lower(), errors
    assert not cooperative.founders.exists()
    # What was typed is still in the form.
    for value in data.values():
        if value:
            assert value in response.content.decode()


def test_a_founder_twice_is_refused(client, cooperative, pes_owner, municipality):
    client.force_login(pes_owner)
    url = reverse("directory:organisation-founders", args=[cooperative.slug])
    client.post(url, {"kind": "municipality", "municipality": municipality.slug})
    response = client.post(url, {"kind": "municipality", "municipality": municipality.slug})
    assert response.status_code == 200
    assert "już na liście" in response.content.decode()
    assert cooperative.founders.count() == 1


def test_a_cooperative_cannot_found_itself(client, cooperative, pes_owner):
    client.force_login(pes_owner)
    url = reverse("directory:organisation-founders", args=[cooperative.slug])
    response = client.post(url, {"kind": "organisation", "organisation_nip": cooperative.nip})
    assert response.status_code == 200
    assert not cooperative.founders.exists()


def test_the_filter_finds_the_cooperatives_a_municipality_belongs_to(
    client, cooperative, municipality, other_municipality
):
    services.founder_add(
        actor=None, cooperative=cooperative, kind="municipality", municipality=municipality
    )
    other = OrganisationFactory(
        name="Spółdzielnia Melioracyjna",
        legal_form=LegalForm.SOCIAL_COOPERATIVE_OF_LEGAL_PERSONS,
        seat_municipality=other_municipality,
    )
    services.founder_add(
        actor=None, cooperative=other, kind="municipality", municipality=other_municipality
    )
    OrganisationFactory(name="Fundacja Bez Gminy", seat_municipality=municipality)
    response = client.get(
        reverse("directory:organisation-list"), {"founding_municipality": municipality.slug}
    )
    names = [card.name for card in response.context["organisations"]]
    assert names == [cooperative.name]


def test_the_organisation_page_runs_the_same_queries_with_more_founders(
    client, cooperative, municipality
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(cooperative.get_absolute_url()).status_code == 200
        return len(captured)

    services.founder_add(
        actor=None, cooperative=cooperative, kind="municipality", municipality=municipality
    )
    with_one = queries()
    for number in range(5):
        services.founder_add(
            actor=None,
            cooperative=cooperative,
            kind="organisation",
            organisation=OrganisationFactory(seat_municipality=municipality),
        )
        services.founder_add(
            actor=None,
            cooperative=cooperative,
            kind="municipality",
            municipality=MunicipalityFactory(),
        )
        services.founder_add(
            actor=None,
            cooperative=cooperative,
            kind="legal_person",
            name=f"Parafia {number}",
            regon=next_regon(),
        )
    assert cooperative.founders.count() == 16
    assert queries() == with_one


def test_the_database_refuses_a_founder_of_two_kinds(cooperative, municipality):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CooperativeFounder.objects.create(
            cooperative=cooperative, kind="municipality", municipality=municipality, name="X"
        )
