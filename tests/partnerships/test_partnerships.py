"""Partnerships and clusters (issue 15): the public pages, the coordinator's and the members'
forms for every role, memberships by invitation and by request, bad input, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.models import Meeting, Partnership, PartnershipMember
from pestor.models import AuditEvent
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory
from tests.factories import CompanyFactory
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

# The coordinator's pages: the coordinating organisation's members and the administrators.
COORDINATOR = dict.fromkeys(ROLES, 403) | {
    "resident": "login",
    "pes_owner": 200,
    "pes_editor": 200,
    "admin_user": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_list_and_the_page(role, as_role, client, cluster):
    as_role(role)
    assert client.get(reverse("partnerships:partnership-list")).status_code == 200
    page = client.get(cluster.get_absolute_url())
    assert page.status_code == 200
    assert "Trzy wspólne zamówienia" in page.content.decode()


CREATE = dict.fromkeys(ROLES, 403) | {
    "resident": "login",
    "pes_owner": 200,
    "pes_editor": 200,
    "other_pes_member": 200,
    "official": 200,
    "other_official": 200,
    "admin_user": 404,  # an administrator acting for nothing has no coordinator to choose
}


@pytest.mark.parametrize(("role", "expected"), CREATE.items())
def test_people_of_a_pes_and_officials_create_partnerships(
    role, expected, as_role, client, organisation, municipality
):
    user = as_role(role)
    url = reverse("partnerships:partnership-create")
    assert outcome(client.get(url)) == expected
    if expected != 200:
        return
    coordinator = client.get(url).context["form"].fields["coordinator"].choices[0][0]
    response = client.post(
        url,
        {
            "name": "Partnerstwo Trójsektorowe Płock",
            "kind": "three_sector",
            "territory": municipality.slug,
            "coordinator": coordinator,
            "themes": [],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    partnership = Partnership.objects.get(name="Partnerstwo Trójsektorowe Płock")
    assert partnership.members.get().status == "active"
    assert AuditEvent.objects.filter(action="partnership.created", actor=user).exists()


def test_a_charter_that_is_not_a_pdf_is_refused_and_nothing_is_lost(
    client, pes_owner, organisation, municipality
):
    client.force_login(pes_owner)
    url = reverse("partnerships:partnership-create")
    response = client.post(
        url,
        {
            "name": "Partnerstwo z dziwnym statutem",
            "kind": "local",
            "territory": municipality.slug,
            "coordinator": f"o{organisation.pk}",
            "charter": SimpleUploadedFile("statut.pdf", b"MZ not a pdf", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "PDF" in " ".join(response.context["form"].errors["charter"])
    assert "Partnerstwo z dziwnym statutem" in response.content.decode()
    assert not Partnership.objects.filter(name="Partnerstwo z dziwnym statutem").exists()


def test_a_charter_is_served_as_a_safe_download(client, pes_owner, cluster):
    client.force_login(pes_owner)
    response = client.post(
        reverse("partnerships:partnership-update", args=[cluster.slug]),
        {
            "name": cluster.name,
            "kind": cluster.kind,
            "territory": cluster.territory.get().slug,
            "charter": SimpleUploadedFile("s.pdf", b"%PDF-1.4 statut", "application/pdf"),
        },
    )
    assert response.status_code == 302
    client.logout()
    download = client.get(reverse("partnerships:charter", args=[cluster.slug]))
    assert download.status_code == 200
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(("role", "expected"), COORDINATOR.items())
def test_only_the_coordinator_edits_and_invites(
    role, expected, as_role, client, cluster, pes_owner, pes_editor
):
    as_role(role)
    for name in ("partnership-update", "member-invite", "meeting-create"):
        url = reverse(f"partnerships:{name}", args=[cluster.slug])
        assert outcome(client.get(url)) == expected, name
    company = CompanyFactory()
    response = client.post(
        reverse("partnerships:member-invite", args=[cluster.slug]),
        {"kind": "company", "nip": company.nip, "role": "supporting"},
    )
    invited = cluster.members.filter(company=company).exists()
    if expected == 200:
        assert response.status_code == 302
        assert invited
    else:
        assert outcome(response) == expected
        assert not invited


def _invite_company(cluster, company):
    return services.member_invite(
        actor=None, partnership=cluster, kind="company", target=company, role="supporting"
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_the_invited_members_people_accept_an_invitation(
    role, as_role, client, cluster, business_buyer
):
    company = business_buyer.buyer_memberships.get().company
    member = _invite_company(cluster, company)
    as_role(role)
    response = client.post(
        reverse("partnerships:member-decision", args=[member.pk]), {"decision": "accept"}
    )
    member.refresh_from_db()
    if role == "business_buyer":
        assert response.status_code == 302
        assert member.status == "active"
        assert member.joined_on == timezone.localdate()
    else:
        assert outcome(response) in ("login", 404)
        assert member.status == "invited"


@pytest.mark.parametrize("role", ROLES)
def test_a_request_to_join_is_decided_by_the_coordinator_alone(
    role, as_role, client, cluster, other_pes_member, pes_owner, pes_editor
):
    other = other_pes_member.organisation_memberships.get().organisation
    client.force_login(other_pes_member)
    response = client.post(
        reverse("partnerships:join-request", args=[cluster.slug]),
        {"member": f"o{other.pk}", "themes": []},
    )
    assert response.status_code == 302
    member = cluster.members.get(organisation=other)
    assert member.status == "requested"
    client.logout()
    as_role(role)
    response = client.post(
        reverse("partnerships:member-decision", args=[member.pk]), {"decision": "accept"}
    )
    member.refresh_from_db()
    if role in ("pes_owner", "pes_editor", "admin_user"):
        assert member.status == "active"
    else:
        assert outcome(response) in ("login", 404)
        assert member.status == "requested"


JOIN = dict.fromkeys(ROLES, 403) | {
    "resident": "login",
    "pes_owner": 200,
    "pes_editor": 200,
    "other_pes_member": 200,
    "official": 200,
    "other_official": 200,
    "business_buyer": 200,
}


@pytest.mark.parametrize(("role", "expected"), JOIN.items())
def test_who_may_ask_to_join(role, expected, as_role, client, cluster):
    as_role(role)
    assert outcome(client.get(reverse("partnerships:join-request", args=[cluster.slug]))) == (
        expected
    )


def test_a_member_twice_is_refused_with_a_message(client, pes_owner, cluster, business_buyer):
    company = business_buyer.buyer_memberships.get().company
    _invite_company(cluster, company)
    client.force_login(pes_owner)
    response = client.post(
        reverse("partnerships:member-invite", args=[cluster.slug]),
        {"kind": "company", "nip": company.nip, "role": "partner"},
    )
    assert response.status_code == 200
    assert "już w partnerstwie" in response.content.decode()
    assert cluster.members.filter(company=company).count() == 1


def test_an_unknown_nip_is_explained_and_kept(client, pes_owner, cluster):
    client.force_login(pes_owner)
    response = client.post(
        reverse("partnerships:member-invite", args=[cluster.slug]),
        {"kind": "organisation", "nip": "5260250274", "role": "partner"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nip"]
    assert "5260250274" in response.content.decode()


def test_leaving_before_joining_is_refused_and_the_member_stays(
    client, pes_owner, cluster, business_buyer
):
    company = business_buyer.buyer_memberships.get().company
    member = services.member_accept(actor=None, member=_invite_company(cluster, company))
    client.force_login(pes_owner)
    url = reverse("partnerships:member-leave", args=[member.pk])
    response = client.post(url, {"left_on": "2001-01-01"})
    assert response.status_code == 200
    assert "przed" in " ".join(response.context["form"].errors["left_on"])
    member.refresh_from_db()
    assert member.status == "active"
    response = client.post(url, {"left_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "left"
    assert AuditEvent.objects.filter(action="partnership.member_left").exists()


@pytest.mark.parametrize("role", ROLES)
def test_meetings_are_seen_by_members_until_published(
    role, as_role, client, cluster, pes_owner, pes_editor
):
    meeting = services.meeting_save(
        actor=None,
        meeting=Meeting(partnership=cluster),
        held_on=timezone.localdate(),
        title="Przestrzeń do refleksji",
        minutes="Omówiono wspólną ofertę.",
        decisions="Wspólny katalog do 30.06.",
        is_published=False,
    )
    as_role(role)
    members = ("pes_owner", "pes_editor", "admin_user")
    url = reverse("partnerships:meeting-detail", args=[meeting.pk])
    assert outcome(client.get(url)) == (200 if role in members else 404)
    list_url = reverse("partnerships:meeting-list", args=[cluster.slug])
    assert outcome(client.get(list_url)) == (
        200 if role in members else ("login" if role == "resident" else 403)
    )
    meeting.is_published = True
    meeting.save()
    assert client.get(url).status_code == 200


def test_the_combined_offer_is_filtered_by_theme(client, cluster, themes, municipality):
    education, communal = themes[0], themes[1]
    school = OrganisationFactory(name="Spółdzielnia Szkolna", seat_municipality=municipality)
    green = OrganisationFactory(name="Spółdzielnia Zieleni", seat_municipality=municipality)
    for organisation, theme in ((school, education), (green, communal)):
        member = services.member_invite(
            actor=None,
            partnership=cluster,
            kind="organisation",
            target=organisation,
            themes=[theme],
        )
        services.member_accept(actor=None, member=member)
    OfferFactory(organisation=school, title="Warsztaty edukacyjne")
    OfferFactory(organisation=green, title="Koszenie trawników")
    outsider = OrganisationFactory(seat_municipality=municipality)
    OfferFactory(organisation=outsider, title="Oferta spoza klastra")
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert "Warsztaty edukacyjne" in page and "Koszenie trawników" in page
    assert "Oferta spoza klastra" not in page
    page = client.get(cluster.get_absolute_url(), {"theme": communal.slug}).content.decode()
    assert "Koszenie trawników" in page
    assert "Warsztaty edukacyjne" not in page


# The partnership page's queries: tests/partnerships/test_partnership_events.py (every viewer,
# with members, offers, events and meetings growing).


def test_the_list_runs_a_fixed_number_of_queries(client, cluster, organisation, municipality):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("partnerships:partnership-list")).status_code == 200
        return len(captured)

    with_one = queries()
    for number in range(10):
        services.partnership_create(
            actor=None,
            name=f"Partnerstwo {number}",
            kind="local",
            territory=[municipality],
            themes=list(cluster.themes.all()),
            coordinator_organisation=organisation,
        )
    assert queries() == with_one


def test_the_organisation_page_lists_its_partnerships(client, cluster, organisation):
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert cluster.name in page


def test_the_exports_list_partnerships_and_members(client, cluster):
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("partnerships:partnership-export", args=[fmt]))
        assert response.status_code == 200
        response = client.get(reverse("partnerships:member-export", args=[cluster.slug, fmt]))
        assert response.status_code == 200
    response = client.get(reverse("partnerships:partnership-export", args=["csv"]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert cluster.name in body.decode("utf-8-sig")


def test_the_dashboard_shows_an_invitation(client, cluster, business_buyer):
    company = business_buyer.buyer_memberships.get().company
    _invite_company(cluster, company)
    client.force_login(business_buyer)
    page = client.get(reverse("pestor:dashboard")).content.decode()
    assert cluster.name in page


def test_the_database_refuses_leaving_before_joining(cluster, organisation):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipMember.objects.filter(partnership=cluster).update(
            left_on="2000-01-01", status="left"
        )


def test_another_pes_member_edits_nothing(client, cluster, other_pes_member):
    make_pes_member(OrganisationFactory())
    client.force_login(other_pes_member)
    url = reverse("partnerships:partnership-update", args=[cluster.slug])
    assert client.post(url, {"name": "Przejęte"}).status_code == 403
    cluster.refresh_from_db()
    assert cluster.name != "Przejęte"
