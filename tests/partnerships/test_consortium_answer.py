"""A partnership answers a demand notice as a consortium of its PES members: from its page, a
member's person gives the notice and lands on demand's answer form with the other active PES
members named as consortium partners (the existing consortium answer does the rest)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from partnerships import services
from tests.demand.factories import NoticeFactory
from tests.directory.factories import OrganisationFactory
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(cluster, municipality):
    """A second PES, an active member of the cluster."""
    school = OrganisationFactory(name="Spółdzielnia Szkolna", seat_municipality=municipality)
    services.member_accept(
        actor=None,
        member=services.member_invite(
            actor=None, partnership=cluster, kind="organisation", target=school
        ),
    )
    return school


@pytest.fixture
def notice(municipality):
    return NoticeFactory(published=True)


def _url(cluster, given):
    return reverse("partnerships:consortium-answer", args=[cluster.slug]) + f"?ogloszenie={given}"


# The people of an active PES member (the coordinating organisation's) answer; the others are
# refused, anonymous readers sent to sign in.
ANSWER = dict.fromkeys(ROLES, 403) | {"resident": "login", "pes_owner": 302, "pes_editor": 302}


@pytest.mark.parametrize(("role", "expected"), ANSWER.items())
def test_only_the_people_of_a_pes_member_answer_as_the_consortium(
    role, expected, as_role, client, cluster, school, notice
):
    as_role(role)
    response = client.get(_url(cluster, notice.pk))
    assert outcome(response) == expected
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert ('name="ogloszenie"' in page) == (expected == 302)


def test_the_answer_form_opens_with_the_other_members_as_partners(
    client, pes_owner, organisation, cluster, school, notice
):
    client.force_login(pes_owner)
    address = f"http://testserver{notice.get_absolute_url()}"
    response = client.get(_url(cluster, address))
    target = urlsplit(response["Location"])
    assert target.path == reverse("demand:answer-create", args=[notice.pk])
    # The other member only: the answerer's own organisation answers, it is nobody's partner.
    assert parse_qs(target.query) == {"partner": [str(school.pk)]}
    form = client.get(response["Location"]).context["form"]
    assert list(form.initial["partners"]) == [school.pk]
    assert form.fields["organisation"].queryset.get() == organisation


@pytest.mark.parametrize("given", ["", "abc", "999999", "99999999999999999999"])
def test_a_wrong_notice_is_explained_and_the_page_kept(client, pes_owner, cluster, given):
    client.force_login(pes_owner)
    response = client.get(_url(cluster, given), follow=True)
    assert response.redirect_chain[-1][0].startswith(cluster.get_absolute_url())
    page = response.content.decode()
    assert "Nie znaleziono ogłoszenia otwartego na odpowiedzi" in page


def test_a_closed_notice_is_not_answered(client, pes_owner, cluster, school):
    client.force_login(pes_owner)
    closed = NoticeFactory(closed=True)
    response = client.get(_url(cluster, closed.pk))
    assert response["Location"].startswith(cluster.get_absolute_url())


def test_a_partner_named_in_advance_must_be_a_candidate(client, pes_owner, notice):
    """demand takes ``?partner=`` only from its own partner candidates (verified PES)."""
    client.force_login(pes_owner)
    pending = OrganisationFactory(status="pending")
    url = reverse("demand:answer-create", args=[notice.pk]) + f"?partner={pending.pk}&partner=x"
    assert not client.get(url).context["form"].initial.get("partners")
