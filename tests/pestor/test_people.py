"""People and roles without the Django admin: a municipality's local administrator invites
officials and the monitoring team, removes them, and decides on requests for the business-buyer
role."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pestor import roles, services
from pestor.models import (
    AuditEvent,
    BusinessBuyerMembership,
    BuyerRoleRequest,
    Company,
    MonitoringTeamMembership,
    OfficialMembership,
    StaffInvitation,
)
from tests.factories import (
    CompanyFactory,
    DepartmentFactory,
    UserFactory,
    make_local_administrator,
    make_official,
    next_nip,
)
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

# The role matrix of these views: every role of tests/roles.py and the local administrator.
ALL_ROLES = list(dict.fromkeys([*ROLES, "local_administrator"]))
MANAGERS = {"admin_user", "local_administrator"}


@pytest.fixture
def department(municipality):
    return DepartmentFactory(municipality=municipality, name="Wydział Zamówień")


@pytest.fixture
def buyer_request(municipality):
    return BuyerRoleRequest.objects.create(
        user=UserFactory(email="kupiec@example.org"),
        company_name="Piekarnia Toruńska sp. z o.o.",
        nip=next_nip(),
        municipality=municipality,
    )


def _invite(municipality, local_administrator, department, email="nowa@torun.example.org"):
    return services.staff_invitation_send(
        municipality=municipality,
        kind=StaffInvitation.Kind.OFFICIAL,
        department=department,
        position="inspektor",
        email=email,
        invited_by=local_administrator,
    )


# The role and its second factor


def test_local_administrators_must_use_two_step_verification(municipality):
    assert roles.mfa_required(make_local_administrator(municipality, totp=False))
    assert not roles.mfa_required(make_official(municipality))
    assert not roles.mfa_required(AnonymousUser())


def test_a_local_administrator_without_the_app_is_sent_to_set_it_up(client, municipality):
    client.force_login(make_local_administrator(municipality, totp=False))
    response = client.get(reverse("pestor:municipality-people", args=[municipality.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_role_is_scoped_to_its_municipality(
    local_administrator, municipality, other_municipality
):
    assert roles.is_local_administrator(local_administrator, municipality)
    assert not roles.is_local_administrator(local_administrator, other_municipality)
    assert list(roles.administered_municipalities(local_administrator)) == [municipality]


# Invitations of officials and of the monitoring team


def test_an_invited_official_joins_the_department(
    municipality, local_administrator, department, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(municipality, local_administrator, department)
    assert mailoutbox[0].to == ["nowa@torun.example.org"]
    accept_url = reverse("pestor:invitation-accept", args=[invitation.token])
    assert accept_url in mailoutbox[0].body
    assert "Wydział Zamówień" in mailoutbox[0].body

    person = UserFactory(email="Nowa@Torun.example.org")
    services.staff_invitation_accept(invitation=invitation, user=person)
    membership = OfficialMembership.objects.get(user=person)
    assert membership.department == department and membership.position == "inspektor"
    assert roles.is_official(UserFactory._meta.model.objects.get(pk=person.pk), municipality)
    assert AuditEvent.objects.filter(action="municipality.staff_joined").exists()


def test_an_invitation_is_used_once(municipality, local_administrator, department):
    invitation = _invite(municipality, local_administrator, department)
    person = UserFactory(email="nowa@torun.example.org")
    services.staff_invitation_accept(invitation=invitation, user=person)
    with pytest.raises(ValidationError) as error:
        services.staff_invitation_accept(invitation=invitation, user=person)
    assert error.value.code == "closed"


def test_an_invitation_for_another_address_is_refused(
    municipality, local_administrator, department
):
    invitation = _invite(municipality, local_administrator, department)
    stranger = UserFactory(email="obcy@example.org")
    with pytest.raises(ValidationError) as error:
        services.staff_invitation_accept(invitation=invitation, user=stranger)
    assert error.value.code == "wrong_user"
    assert not OfficialMembership.objects.filter(user=stranger).exists()


def test_an_expired_invitation_is_refused(municipality, local_administrator, department):
    invitation = _invite(municipality, local_administrator, department)
    StaffInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=StaffInvitation.VALID_DAYS + 1)
    )
    invitation.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.staff_invitation_accept(
            invitation=invitation, user=UserFactory(email="nowa@torun.example.org")
        )
    assert error.value.code == "closed"


def test_a_repeated_invitation_is_sent_again_not_doubled(
    municipality, local_administrator, department, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _invite(municipality, local_administrator, department)
        second = _invite(municipality, local_administrator, department)
    assert first == second and len(mailoutbox) == 2


def test_an_official_is_invited_only_into_a_department_of_the_municipality(
    municipality, other_municipality, local_administrator
):
    foreign = DepartmentFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as error:
        _invite(municipality, local_administrator, foreign)
    assert "department" in error.value.error_dict


def test_a_member_is_not_invited_again(municipality, local_administrator, official):
    department = official.official_memberships.get().department
    with pytest.raises(ValidationError) as error:
        _invite(municipality, local_administrator, department, email=official.email)
    assert "email" in error.value.error_dict


def test_an_invited_team_member_joins_the_monitoring_team(municipality, local_administrator):
    invitation = services.staff_invitation_send(
        municipality=municipality,
        kind=StaffInvitation.Kind.MONITORING,
        email="zespol@example.org",
        invited_by=local_administrator,
    )
    person = UserFactory(email="zespol@example.org")
    services.staff_invitation_accept(invitation=invitation, user=person)
    assert MonitoringTeamMembership.objects.filter(user=person, municipality=municipality).exists()


def test_removing_people_ends_their_role(
    client, local_administrator, municipality, official, monitoring_member
):
    client.force_login(local_administrator)
    client.post(
        reverse(
            "pestor:official-remove",
            args=[municipality.slug, official.official_memberships.get().pk],
        )
    )
    client.post(
        reverse(
            "pestor:monitoring-member-remove",
            args=[municipality.slug, monitoring_member.monitoring_memberships.get().pk],
        )
    )
    assert not OfficialMembership.objects.filter(user=official).exists()
    assert not MonitoringTeamMembership.objects.filter(user=monitoring_member).exists()
    assert AuditEvent.objects.filter(action="municipality.official_removed").exists()


def test_a_local_administrator_cannot_remove_another_municipalitys_official(
    client, local_administrator, municipality, other_official
):
    client.force_login(local_administrator)
    membership = other_official.official_memberships.get()
    response = client.post(
        reverse("pestor:official-remove", args=[municipality.slug, membership.pk])
    )
    assert response.status_code == 404
    assert OfficialMembership.objects.filter(pk=membership.pk).exists()


def test_the_people_page_invites_and_lists(
    client, local_administrator, municipality, department, official, mailoutbox
):
    official.first_name, official.last_name = "Anna", "Urzędniczka"
    official.save()
    client.force_login(local_administrator)
    url = reverse("pestor:municipality-people", args=[municipality.slug])
    page = client.get(url).content.decode()
    assert "Anna Urzędniczka" in page
    response = client.post(
        url,
        {"email": "nowy@example.org", "kind": "official", "department": department.pk},
    )
    assert response.status_code == 302
    assert StaffInvitation.objects.filter(email="nowy@example.org", department=department).exists()
    assert "nowy@example.org" in client.get(url).content.decode()


def test_an_invitation_without_a_department_keeps_what_was_typed(
    client, local_administrator, municipality
):
    client.force_login(local_administrator)
    response = client.post(
        reverse("pestor:municipality-people", args=[municipality.slug]),
        {"email": "wpisany@example.org", "kind": "official", "position": "podinspektor"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="wpisany@example.org"' in page and 'value="podinspektor"' in page
    assert "Wybierz wydział" in page
    assert not StaffInvitation.objects.exists()


def test_accepting_through_the_page(client, municipality, local_administrator, department):
    invitation = _invite(municipality, local_administrator, department)
    person = UserFactory(email="nowa@torun.example.org")
    client.force_login(person)
    url = reverse("pestor:invitation-accept", args=[invitation.token])
    assert "Wydział Zamówień" in client.get(url).content.decode()
    assert client.post(url)["Location"] == reverse("pestor:dashboard")
    assert OfficialMembership.objects.filter(user=person, department=department).exists()


# Requests for the business-buyer role


def test_a_request_reaches_the_local_administrator(
    client,
    signed_in_user,
    municipality,
    local_administrator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(signed_in_user)
    nip = next_nip()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pestor:buyer-request"),
            {
                "company_name": "Drukarnia Wisła",
                "nip": f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}",
                "municipality": municipality.pk,
            },
        )
    assert response.status_code == 302
    request = BuyerRoleRequest.objects.get()
    assert request.nip == nip and request.status == BuyerRoleRequest.Status.PENDING
    assert mailoutbox[0].to == [local_administrator.email]
    assert "Drukarnia Wisła" in mailoutbox[0].body


def test_a_wrong_nip_is_refused_and_keeps_what_was_typed(client, signed_in_user, municipality):
    client.force_login(signed_in_user)
    response = client.post(
        reverse("pestor:buyer-request"),
        {"company_name": "Drukarnia Wisła", "nip": "1234567890", "municipality": municipality.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Drukarnia Wisła"' in page and 'value="1234567890"' in page
    assert "cyfrę kontrolną" in page
    assert not BuyerRoleRequest.objects.exists()


def test_a_known_company_keeps_its_seat(signed_in_user, municipality, other_municipality):
    company = CompanyFactory(municipality=municipality)
    request = services.buyer_request_submit(
        user=signed_in_user,
        company_name="inna nazwa",
        nip=company.nip,
        municipality=other_municipality,
    )
    assert request.municipality == municipality


def test_approval_makes_the_user_a_buyer_and_tells_them(
    buyer_request, local_administrator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.buyer_request_approve(request=buyer_request, actor=local_administrator)
    company = Company.objects.get(nip=buyer_request.nip)
    assert company.name == "Piekarnia Toruńska sp. z o.o."
    assert BusinessBuyerMembership.objects.filter(user=buyer_request.user, company=company).exists()
    buyer_request.refresh_from_db()
    assert buyer_request.status == BuyerRoleRequest.Status.APPROVED
    assert buyer_request.decided_by == local_administrator
    assert mailoutbox[-1].to == ["kupiec@example.org"]
    with pytest.raises(ValidationError):
        services.buyer_request_approve(request=buyer_request, actor=local_administrator)


def test_refusal_needs_a_reason_and_tells_the_user(
    buyer_request, local_administrator, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.buyer_request_refuse(request=buyer_request, actor=local_administrator, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.buyer_request_refuse(
            request=buyer_request, actor=local_administrator, reason="NIP należy do innej firmy."
        )
    buyer_request.refresh_from_db()
    assert buyer_request.status == BuyerRoleRequest.Status.REFUSED
    assert not BusinessBuyerMembership.objects.exists()
    assert mailoutbox[-1].to == ["kupiec@example.org"]
    assert "NIP należy do innej firmy." in mailoutbox[-1].body


def test_only_the_companys_municipality_decides(buyer_request, other_municipality, admin_user):
    stranger = make_local_administrator(other_municipality)
    with pytest.raises(ValidationError):
        services.buyer_request_approve(request=buyer_request, actor=stranger)
    services.buyer_request_approve(request=buyer_request, actor=admin_user)


def test_a_refusal_without_a_reason_keeps_the_page(client, local_administrator, buyer_request):
    client.force_login(local_administrator)
    url = reverse("pestor:buyer-request-decision", args=[buyer_request.pk])
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200
    assert "Piekarnia Toruńska" in response.content.decode()
    buyer_request.refresh_from_db()
    assert buyer_request.status == BuyerRoleRequest.Status.PENDING
    response = client.post(url, {"decision": "approve"})
    assert response["Location"] == reverse("pestor:buyer-requests")
    assert roles.is_business_buyer(buyer_request.user)


# The role matrix of the new views


def _matrix(as_role, client, role, url, *, method="get", allowed=200, managers_only=True):
    as_role(role)
    response = getattr(client, method)(url)
    if role == "resident":
        expected = "login"
    elif managers_only and role not in MANAGERS:
        expected = 404
    else:
        expected = allowed
    assert outcome(response) == expected, role


@pytest.mark.parametrize("role", ALL_ROLES)
def test_people_page_by_role(role, as_role, client, municipality, pes_owner, pes_editor):
    url = reverse("pestor:municipality-people", args=[municipality.slug])
    _matrix(as_role, client, role, url)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_people_page_of_another_municipality_by_role(role, as_role, client, other_municipality):
    as_role(role)
    response = client.get(reverse("pestor:municipality-people", args=[other_municipality.slug]))
    expected = {"resident": "login", "admin_user": 200}.get(role, 404)
    assert outcome(response) == expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_official_remove_by_role(role, as_role, client, municipality, pes_owner, pes_editor):
    membership = make_official(municipality).official_memberships.get()
    url = reverse("pestor:official-remove", args=[municipality.slug, membership.pk])
    _matrix(as_role, client, role, url, method="post", allowed=302)
    assert OfficialMembership.objects.filter(pk=membership.pk).exists() == (role not in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_monitoring_member_remove_by_role(role, as_role, client, municipality, monitoring_member):
    membership = monitoring_member.monitoring_memberships.get()
    url = reverse("pestor:monitoring-member-remove", args=[municipality.slug, membership.pk])
    _matrix(as_role, client, role, url, method="post", allowed=302)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_buyer_request_queue_by_role(role, as_role, client, pes_owner, pes_editor):
    _matrix(as_role, client, role, reverse("pestor:buyer-requests"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_buyer_request_decision_by_role(role, as_role, client, buyer_request, pes_owner):
    url = reverse("pestor:buyer-request-decision", args=[buyer_request.pk])
    _matrix(as_role, client, role, url)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_buyer_request_form_by_role(role, as_role, client, pes_owner, pes_editor):
    _matrix(as_role, client, role, reverse("pestor:buyer-request"), managers_only=False)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_invitation_page_by_role(
    role, as_role, client, municipality, local_administrator, department
):
    invitation = _invite(municipality, local_administrator, department)
    url = reverse("pestor:invitation-accept", args=[invitation.token])
    _matrix(as_role, client, role, url, managers_only=False)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_accepting_someone_elses_invitation_by_role(
    role, as_role, client, municipality, local_administrator, department
):
    invitation = _invite(municipality, local_administrator, department)
    user = as_role(role)
    response = client.post(reverse("pestor:invitation-accept", args=[invitation.token]))
    assert outcome(response) == ("login" if user is None else 302)
    assert not OfficialMembership.objects.filter(department=department).exists()


def test_the_panel_leads_the_local_administrator_to_the_people_and_the_requests(
    client, local_administrator, municipality, buyer_request, signed_in_user
):
    client.force_login(local_administrator)
    page = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("pestor:municipality-people", args=[municipality.slug]) in page
    assert reverse("pestor:buyer-requests") in page
    assert "(1 czeka)" in page

    client.force_login(signed_in_user)
    page = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("pestor:buyer-requests") not in page


def test_the_people_page_and_the_queue_query_a_fixed_number_of_times(
    client, local_administrator, municipality, monitoring_member
):
    def add_people_and_requests(count):
        for _number in range(count):
            make_official(municipality)
            BuyerRoleRequest.objects.create(
                user=UserFactory(), company_name="Firma", nip=next_nip(), municipality=municipality
            )

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    client.force_login(local_administrator)
    people = reverse("pestor:municipality-people", args=[municipality.slug])
    queue = reverse("pestor:buyer-requests")
    add_people_and_requests(2)
    few = queries(people), queries(queue)
    add_people_and_requests(6)
    assert (queries(people), queries(queue)) == few
    assert few[0] <= 20 and few[1] <= 15
