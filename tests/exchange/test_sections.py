"""The exchange on shared pages: the dashboard panel, the home page's figures, the unread count
in the navigation, and the Django admin."""

import pytest
from django.urls import reverse

from tests.directory.factories import MembershipFactory, OrganisationFactory, make_pes_member
from tests.exchange.factories import InquiryFactory, OfferFactory, OfferPhotoFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_links_a_member_to_the_offers_of_each_organisation(
    client, organisation, pes_owner, municipality
):
    rejected = OrganisationFactory(rejected=True, seat_municipality=municipality)
    MembershipFactory(organisation=rejected, user=pes_owner, role="owner")
    client.force_login(pes_owner)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("exchange:organisation-offers", args=[organisation.slug]) in content
    assert reverse("exchange:organisation-offers", args=[rejected.slug]) not in content
    assert reverse("exchange:inbox") in content


def test_the_dashboard_counts_unread_conversations(client, inquiry, pes_owner):
    InquiryFactory(offer=inquiry.offer, buyer=inquiry.buyer, buyer_company=inquiry.buyer_company)
    client.force_login(pes_owner)
    response = client.get(reverse("pestor:dashboard"))
    assert response.context["unread_inquiries"]() == 2
    assert "2 conversations" in response.content.decode() or "2 rozmow" in (
        response.content.decode()
    )


def test_a_buyer_is_pointed_to_the_offers(client, business_buyer):
    client.force_login(business_buyer)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("exchange:offer-list") in content


def test_a_user_with_no_part_in_the_exchange_gets_no_panel(client, signed_in_user):
    client.force_login(signed_in_user)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert 'id="exchange-title"' not in content


def test_the_home_page_counts_public_offers(client, offer):
    OfferFactory(organisation=offer.organisation, status="archived")
    OfferFactory(organisation=OrganisationFactory(pending=True))
    response = client.get(reverse("pestor:home"))
    figures = dict(response.context["sections"])["exchange/_home_figures.html"]
    assert figures == {"offers": 1, "organisations": 1}
    assert reverse("exchange:offer-list") in response.content.decode()


def test_anonymous_visitors_have_no_unread_count(client):
    assert client.get(reverse("exchange:offer-list")).context["unread_inquiries"] == 0


def test_the_unread_count_is_queried_once_per_page(client, pes_owner, django_assert_num_queries):
    """The navigation and the dashboard both show it; the second asks no database."""
    client.force_login(pes_owner)
    response = client.get(reverse("exchange:offer-list"))
    counter = response.context["unread_inquiries"]
    with django_assert_num_queries(0):
        assert counter() == counter() == 0


@pytest.mark.parametrize("model", ["cpvcode", "offer", "inquiry"])
def test_the_admin_lists_and_opens_the_exchanges_models(client, admin_user, inquiry, model):
    OfferPhotoFactory(offer=inquiry.offer)
    client.force_login(admin_user)
    changelist = client.get(reverse(f"admin:exchange_{model}_changelist"))
    assert changelist.status_code == 200
    obj = {"cpvcode": inquiry.offer.cpv, "offer": inquiry.offer, "inquiry": inquiry}[model]
    change = client.get(reverse(f"admin:exchange_{model}_change", args=[obj.pk]))
    assert change.status_code == 200


def test_the_admin_shows_messages_but_adds_none(client, admin_user, inquiry):
    client.force_login(admin_user)
    content = client.get(
        reverse("admin:exchange_inquiry_change", args=[inquiry.pk])
    ).content.decode()
    assert "Czy możecie przygotować obiad dla 80 osób?" in content
    assert 'name="messages-0-body"' not in content


def test_a_member_of_a_pending_organisation_has_a_panel(client, pending_organisation):
    client.force_login(pending_organisation.memberships.get().user)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("exchange:organisation-offers", args=[pending_organisation.slug]) in content


def test_a_second_member_sees_the_same_organisation_panel(client, organisation):
    editor = make_pes_member(organisation, role="editor")
    client.force_login(editor)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("exchange:organisation-offers", args=[organisation.slug]) in content
