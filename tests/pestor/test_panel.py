"""'My panel' asks the database a fixed, small number of queries whatever the user holds: the
roles in one query (pestor.roles), and each panel only for the roles that show it."""

import pytest
from django.urls import reverse

from pestor import roles
from pestor.models import MonitoringTeamMembership
from tests.demand.factories import MatchFactory, NoticeFactory
from tests.directory.factories import MembershipFactory, OrganisationFactory
from tests.exchange.factories import InquiryFactory, OfferFactory
from tests.factories import BusinessBuyerFactory, CompanyFactory, DepartmentFactory, OfficialFactory
from tests.monitoring.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

# The target of issue 8 for every page.
MAX_QUERIES = 10


@pytest.fixture
def busy_pes_owner(pes_owner, municipality):
    """An owner of 30 organisations with offers, inquiries and 30 matched open notices."""
    for organisation in OrganisationFactory.create_batch(30, seat_municipality=municipality):
        MembershipFactory(organisation=organisation, user=pes_owner)
        InquiryFactory(offer=OfferFactory(organisation=organisation))
        MatchFactory(notice=NoticeFactory(published=True), organisation=organisation)
    return pes_owner


@pytest.fixture
def busy_official(official, municipality):
    """An official of 3 departments whose municipality has 30 registrations to verify."""
    for _ in range(2):
        OfficialFactory(user=official, department=DepartmentFactory(municipality=municipality))
    OrganisationFactory.create_batch(30, pending=True, seat_municipality=municipality)
    return official


@pytest.fixture
def busy_monitoring_member(monitoring_member, municipality):
    ProgrammeFactory.create_batch(30, municipality=municipality)
    return monitoring_member


@pytest.fixture
def busy_business_buyer(business_buyer):
    for _ in range(30):
        BusinessBuyerFactory(user=business_buyer, company=CompanyFactory())
    return business_buyer


@pytest.mark.parametrize(
    "role",
    [
        "signed_in_user",
        "busy_pes_owner",
        "busy_official",
        "busy_monitoring_member",
        "busy_business_buyer",
        "local_administrator",
    ],
)
def test_the_panel_asks_at_most_ten_queries(role, as_role, client, django_assert_max_num_queries):
    as_role(role)
    url = reverse("pestor:dashboard")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_the_administrators_panel_asks_a_fixed_number_of_queries(
    as_role, client, busy_official, busy_monitoring_member, django_assert_num_queries
):
    """The installation's administrator sees every queue and every municipality, in as many
    queries as the target allows (the inbox badge and the organisations the exchange's panel
    asks for come with the roles' one query), pinned so that they do not grow."""
    as_role("admin_user")
    with django_assert_num_queries(MAX_QUERIES):
        assert client.get(reverse("pestor:dashboard")).status_code == 200


def test_the_panel_shows_what_the_roles_hold(as_role, client, busy_official, municipality):
    as_role("busy_official")
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert content.count(f"— {municipality.name}</li>") == 3
    assert reverse("directory:verification-queue") in content


def test_one_query_answers_every_role_question(
    busy_official, monitoring_member, municipality, django_assert_num_queries
):
    MonitoringTeamMembership.objects.create(user=busy_official, municipality=municipality)
    with django_assert_num_queries(1):
        assert roles.is_official(busy_official, municipality)
        assert roles.is_monitoring_member(busy_official, municipality)
        assert not roles.is_business_buyer(busy_official)
        assert not roles.is_local_administrator(busy_official)
        assert not roles.has_two_step(busy_official)
        assert not roles.mfa_required(busy_official)
