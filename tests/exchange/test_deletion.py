"""Deleting a person or an organisation never takes a conversation away from the other side."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from directory.models import Organisation
from exchange import services
from exchange.models import Inquiry, InquiryMessage
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(offer, business_buyer, buyer_company, pes_owner):
    inquiry = services.inquiry_send(
        offer=offer,
        buyer=business_buyer,
        company=buyer_company,
        message="Czy dowieziecie obiad na 80 osób?",
    )
    services.inquiry_reply(inquiry=inquiry, author=pes_owner, body="Tak, dowieziemy na 12:00.")
    return inquiry


def test_a_deleted_pes_member_leaves_the_conversation_and_the_buyer_reads_deleted_account(
    client, admin_user, conversation, pes_owner, business_buyer
):
    name, email = pes_owner.get_full_name(), pes_owner.email
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:pestor_user_delete", args=[pes_owner.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert InquiryMessage.objects.filter(inquiry=conversation).count() == 2
    pes_owner.refresh_from_db()
    assert pes_owner.email != email and not pes_owner.is_active
    assert not pes_owner.organisation_memberships.exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert client.get(reverse("admin:pestor_user_change", args=[pes_owner.pk])).status_code == 200
    assert not client.login(email=email, password=PASSWORD)

    client = Client()  # a new browser: not one holding the admin's messages
    client.force_login(business_buyer)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Tak, dowieziemy na 12:00." in page
    assert "konto usunięte" in page
    assert name not in page and email not in page


def test_the_admin_says_that_an_account_with_history_is_anonymised(
    client, admin_user, conversation, pes_owner
):
    client.force_login(admin_user)

    page = client.get(reverse("admin:pestor_user_delete", args=[pes_owner.pk])).content.decode()

    assert "zostanie zanonimizowane zamiast usunięte" in page
    assert "Wiadomość: Tak, dowieziemy na 12:00." in page  # the message it keeps
    assert "Zanonimizuj konto" in page


def test_an_organisation_with_a_conversation_is_not_deleted(
    client, admin_user, conversation, organisation
):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:directory_organisation_delete", args=[organisation.pk]), {"post": "yes"}
    )

    assert response.status_code == 200
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert Inquiry.objects.filter(pk=conversation.pk).exists()
    assert InquiryMessage.objects.filter(inquiry=conversation).count() == 2
