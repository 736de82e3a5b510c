"""A person's own account: their name shown instead of the address, their data as JSON (RODO
art. 15 and 20), and deleting the account with the password (art. 17)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from pestor import services
from pestor.models import BuyerRoleRequest, User
from tests.directory.factories import make_pes_member
from tests.exchange.factories import InquiryFactory, OfferFactory
from tests.factories import PASSWORD, UserFactory, make_official, next_nip
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

ALL_ROLES = list(dict.fromkeys([*ROLES, "local_administrator"]))


@pytest.fixture
def inquiry(business_buyer, organisation, pes_owner):
    offer = OfferFactory(organisation=organisation, title="Catering na konferencje")
    return InquiryFactory(
        offer=offer,
        buyer=business_buyer,
        buyer_company=business_buyer.buyer_memberships.get().company,
        first_message="Czy ugotujecie zupę dla 40 osób?",
    )


# The name


def test_a_person_sets_their_name_and_is_shown_by_it(client, municipality):
    user = UserFactory(email="ala@example.org", first_name="", last_name="")
    assert str(user) == "ala@example.org"
    client.force_login(user)
    response = client.post(
        reverse("pestor:account"), {"first_name": " Alicja ", "last_name": "Nowak"}
    )
    assert response["Location"] == reverse("pestor:account")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Alicja", "Nowak")
    assert str(user) == user.display_name == "Alicja Nowak"
    assert "Alicja Nowak" in client.get(reverse("pestor:dashboard")).content.decode()


def test_a_too_long_name_keeps_what_was_typed(client, signed_in_user):
    client.force_login(signed_in_user)
    response = client.post(reverse("pestor:account"), {"first_name": "A" * 151, "last_name": "Zet"})
    assert response.status_code == 200
    assert 'value="Zet"' in response.content.decode()
    signed_in_user.refresh_from_db()
    assert signed_in_user.last_name == "Kowalski"


# The data


def test_the_download_holds_the_account_its_roles_and_what_it_wrote(
    client, business_buyer, inquiry, municipality
):
    services.buyer_request_submit(
        user=business_buyer, company_name="Nowa Firma", nip=next_nip(), municipality=municipality
    )
    client.force_login(business_buyer)
    response = client.get(reverse("pestor:account-data"))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == business_buyer.email
    assert data["account"]["last_name"] == "Kowalski"
    company = business_buyer.buyer_memberships.get().company
    assert data["roles"]["business_buyer"] == [
        {
            "company": company.name,
            "nip": company.nip,
            "since": data["roles"]["business_buyer"][0]["since"],
        }
    ]
    assert data["business_buyer_requests"][0]["company_name"] == "Nowa Firma"
    assert data["exchange"]["messages"][0]["body"] == "Czy ugotujecie zupę dla 40 osób?"
    assert data["exchange"]["inquiries"][0]["offer"] == "Catering na konferencje"
    assert set(data) >= {"directory", "demand", "monitoring"}


def test_the_download_names_the_organisations_of_a_member(client, pes_owner, organisation):
    client.force_login(pes_owner)
    data = json.loads(client.get(reverse("pestor:account-data")).content)
    assert data["directory"]["memberships"][0]["organisation"] == organisation.name
    assert data["directory"]["memberships"][0]["role"] == "owner"


def test_the_download_holds_nobody_elses_data(client, inquiry, pes_owner, business_buyer):
    client.force_login(pes_owner)
    body = client.get(reverse("pestor:account-data")).content.decode()
    assert business_buyer.email not in body
    assert "zupę" not in body


# Deleting the account


def test_a_wrong_password_deletes_nothing(client, signed_in_user):
    client.force_login(signed_in_user)
    response = client.post(reverse("pestor:account-delete"), {"password": "zgadywanka"})
    assert response.status_code == 200
    assert "To nie jest Twoje hasło." in response.content.decode()
    assert User.objects.filter(pk=signed_in_user.pk, is_active=True).exists()


def test_an_account_without_history_goes_and_its_person_is_signed_out(client, signed_in_user):
    email = signed_in_user.email
    client.force_login(signed_in_user)
    response = client.post(reverse("pestor:account-delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("pestor:home")
    assert not User.objects.filter(pk=signed_in_user.pk).exists()
    assert "_auth_user_id" not in client.session
    assert not Client().login(email=email, password=PASSWORD)


def test_a_buyer_with_an_inquiry_is_anonymised_and_the_inquiry_stays(
    client, business_buyer, inquiry, pes_owner
):
    name, email = business_buyer.get_full_name(), business_buyer.email
    client.force_login(business_buyer)
    client.post(reverse("pestor:account-delete"), {"password": PASSWORD})
    business_buyer.refresh_from_db()
    assert business_buyer.anonymised_at and not business_buyer.is_active
    assert not business_buyer.buyer_memberships.exists()
    assert not BuyerRoleRequest.objects.filter(user=business_buyer).exists()

    owner = Client()
    owner.force_login(pes_owner)
    page = owner.get(inquiry.get_absolute_url()).content.decode()
    assert "Czy ugotujecie zupę dla 40 osób?" in page
    assert "konto usunięte" in page
    assert name not in page and email not in page


def test_an_organisations_last_owner_is_asked_to_hand_it_over(client, pes_owner, organisation):
    client.force_login(pes_owner)
    members_url = reverse("directory:organisation-members", kwargs={"slug": organisation.slug})
    page = client.get(reverse("pestor:account-delete")).content.decode()
    assert "Jesteś jedynym właścicielem" in page and members_url in page
    assert 'name="password"' not in page

    response = client.post(reverse("pestor:account-delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert members_url in response.content.decode()
    assert User.objects.filter(pk=pes_owner.pk, is_active=True).exists()


def test_an_owner_with_a_second_owner_may_go(client, pes_owner, organisation):
    make_pes_member(organisation, role="owner")
    client.force_login(pes_owner)
    client.post(reverse("pestor:account-delete"), {"password": PASSWORD})
    assert not User.objects.filter(pk=pes_owner.pk, is_active=True).exists()


def test_an_officials_department_stays_when_the_official_goes(client, municipality):
    official = make_official(municipality)
    department = official.official_memberships.get().department
    client.force_login(official)
    client.post(reverse("pestor:account-delete"), {"password": PASSWORD})
    assert not User.objects.filter(pk=official.pk).exists()
    department.refresh_from_db()
    assert department.officials.count() == 0


# The role matrix


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    "url_name", ["pestor:account", "pestor:account-data", "pestor:account-delete"]
)
def test_own_account_pages_by_role(role, url_name, as_role, client, pes_owner, pes_editor):
    as_role(role)
    response = client.get(reverse(url_name))
    assert outcome(response) == ("login" if role == "resident" else 200)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_deleting_by_role_needs_the_password(role, as_role, client, pes_owner, pes_editor):
    user = as_role(role)
    response = client.post(reverse("pestor:account-delete"), {"password": "nie-to-haslo"})
    assert outcome(response) == ("login" if user is None else 200)
    if user is not None:
        assert User.objects.filter(pk=user.pk, is_active=True).exists()


def test_a_local_administrator_who_decided_is_anonymised_and_the_decision_stays(
    client, local_administrator, municipality
):
    request = services.buyer_request_submit(
        user=UserFactory(), company_name="Firma", nip=next_nip(), municipality=municipality
    )
    services.buyer_request_approve(request=request, actor=local_administrator)
    client.force_login(local_administrator)
    client.post(reverse("pestor:account-delete"), {"password": PASSWORD})
    request.refresh_from_db()
    assert request.decided_by_id == local_administrator.pk
    assert str(request.decided_by) == "konto usunięte"
    assert not request.decided_by.local_admin_memberships.exists()
