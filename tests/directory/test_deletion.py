"""An organisation with nothing others rely on (pending registration, members, invitations,
offers with photos) is deleted whole, and the event log records what it was."""

import pytest
from django.urls import reverse

from directory.models import Organisation, OrganisationInvitation, OrganisationMembership
from exchange.models import Offer, OfferPhoto
from pestor.models import AuditEvent
from tests.directory.factories import InvitationFactory, MembershipFactory
from tests.exchange.factories import OfferFactory, OfferPhotoFactory

pytestmark = pytest.mark.django_db


def test_an_organisation_with_only_its_own_data_is_deleted_and_the_log_says_what_it_was(
    client, admin_user, pending_organisation
):
    owner = pending_organisation.memberships.get().user
    MembershipFactory(organisation=pending_organisation, role="editor")
    InvitationFactory(organisation=pending_organisation, invited_by=owner)
    OfferPhotoFactory(offer=OfferFactory(organisation=pending_organisation, created_by=owner))
    pk, name, nip = pending_organisation.pk, pending_organisation.name, pending_organisation.nip
    client.force_login(admin_user)
    url = reverse("admin:directory_organisation_delete", args=[pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=pk).exists()
    assert not OrganisationMembership.objects.filter(organisation_id=pk).exists()
    assert not OrganisationInvitation.objects.filter(organisation_id=pk).exists()
    assert not Offer.objects.filter(organisation_id=pk).exists()
    assert not OfferPhoto.objects.exists()
    owner.refresh_from_db()  # the people stay: only their membership went
    (event,) = AuditEvent.objects.filter(action="organisation.deleted", object_id=str(pk))
    assert event.object_repr == name
    assert event.before["nip"] == nip
    assert event.actor == admin_user
    assert event.actor_repr == admin_user.display_name
