"""The directory's reads: who sees which organisation, the public list's filters, the queue."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from directory import selectors
from directory.models import LegalForm, Organisation, PublicBenefitSphere
from tests.directory.factories import MembershipFactory, OrganisationFactory, make_pes_member
from tests.factories import AdminUserFactory, MunicipalityFactory, UserFactory, make_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(municipality, other_municipality):
    """Organisations in every state, in both municipalities."""
    return {
        "verified_here": OrganisationFactory(seat_municipality=municipality),
        "pending_here": OrganisationFactory(pending=True, seat_municipality=municipality),
        "rejected_here": OrganisationFactory(rejected=True, seat_municipality=municipality),
        "verified_there": OrganisationFactory(seat_municipality=other_municipality),
        "pending_there": OrganisationFactory(pending=True, seat_municipality=other_municipality),
    }


def visible(user, directory):
    seen = set(Organisation.objects.visible_to(user).values_list("pk", flat=True))
    return {name for name, organisation in directory.items() if organisation.pk in seen}


def listed(filters=None):
    return list(selectors.organisation_list(filters=filters).qs)


# --- visibility -----------------------------------------------------------------------------


@pytest.mark.parametrize("anonymous", [None, AnonymousUser()], ids=["none", "anonymous_user"])
def test_anonymous_sees_only_verified(directory, anonymous):
    assert visible(anonymous, directory) == {"verified_here", "verified_there"}


def test_signed_in_user_without_roles_sees_only_verified(directory):
    assert visible(UserFactory(), directory) == {"verified_here", "verified_there"}


def test_member_sees_their_own_pending_organisation(directory):
    member = make_pes_member(directory["pending_there"], role="editor")

    assert visible(member, directory) == {"verified_here", "verified_there", "pending_there"}


def test_member_sees_their_own_rejected_organisation(directory):
    member = make_pes_member(directory["rejected_here"])

    assert visible(member, directory) == {"verified_here", "verified_there", "rejected_here"}


def test_official_sees_pending_of_own_municipality_only(directory, official):
    assert visible(official, directory) == {
        "verified_here",
        "verified_there",
        "pending_here",
        "rejected_here",
    }


def test_official_of_other_municipality_does_not_see_our_pending(directory, other_official):
    assert visible(other_official, directory) == {
        "verified_here",
        "verified_there",
        "pending_there",
    }


def test_administrator_sees_everything(directory):
    assert visible(AdminUserFactory(), directory) == set(directory)


def test_visible_to_lists_an_organisation_once_however_many_conditions_match(
    directory, municipality
):
    official_and_member = make_official(municipality)
    # Two members make two joined rows; the official's own membership and seat both match.
    make_pes_member(directory["pending_here"])
    MembershipFactory(organisation=directory["pending_here"], user=official_and_member)

    pks = list(Organisation.objects.visible_to(official_and_member).values_list("pk", flat=True))
    assert len(pks) == len(set(pks))


def test_get_for_user_hides_a_pending_organisation_from_others_as_404(directory, other_official):
    with pytest.raises(Http404):
        selectors.organisation_get_for_user(
            user=other_official, slug=directory["pending_here"].slug
        )


def test_get_for_user_returns_a_pending_organisation_to_its_official(directory, official):
    found = selectors.organisation_get_for_user(user=official, slug=directory["pending_here"].slug)

    assert found == directory["pending_here"]


def test_get_for_user_of_a_missing_slug_is_404(directory):
    with pytest.raises(Http404):
        selectors.organisation_get_for_user(user=AnonymousUser(), slug="nie-ma-takiej")


# --- the public list ------------------------------------------------------------------------


def test_list_excludes_organisations_not_verified(directory):
    assert set(listed()) == {directory["verified_here"], directory["verified_there"]}


def test_list_is_ordered_by_name(municipality):
    OrganisationFactory(seat_municipality=municipality, name="Zielona Fundacja")
    OrganisationFactory(seat_municipality=municipality, name="Akademia Dobra")

    assert [o.name for o in listed()] == ["Akademia Dobra", "Zielona Fundacja"]


def test_text_search_ignores_case_and_polish_letters(municipality):
    lodz = OrganisationFactory(seat_municipality=municipality, name="Spółdzielnia Socjalna Łódź")
    OrganisationFactory(seat_municipality=municipality, name="Fundacja Toruńska")

    assert listed({"q": "lodz"}) == [lodz]
    assert listed({"q": "ŁÓDŹ"}) == [lodz]
    assert listed({"q": "SPOLDZIELNIA"}) == [lodz]


def test_text_search_needs_every_word(municipality):
    both = OrganisationFactory(seat_municipality=municipality, name="Fundacja Zielony Ogród")
    OrganisationFactory(seat_municipality=municipality, name="Fundacja Czerwony Dom")
    OrganisationFactory(seat_municipality=municipality, name="Zielony Dom")

    assert listed({"q": "zielony  fundacja"}) == [both]


def test_text_search_finds_the_town_and_the_nip(municipality):
    in_chelmza = OrganisationFactory(seat_municipality=municipality, city="Chełmża")
    other = OrganisationFactory(seat_municipality=municipality, city="Toruń")

    assert listed({"q": "chelmza"}) == [in_chelmza]
    assert listed({"q": other.nip}) == [other]


def test_text_search_does_not_find_pending_organisations(municipality):
    OrganisationFactory(pending=True, seat_municipality=municipality, name="Ukryta Łódź")

    assert listed({"q": "lodz"}) == []


def test_filter_by_legal_form(municipality):
    cooperative = OrganisationFactory(
        seat_municipality=municipality, legal_form=LegalForm.SOCIAL_COOPERATIVE
    )
    OrganisationFactory(seat_municipality=municipality, legal_form=LegalForm.FOUNDATION)

    assert listed({"legal_form": "social_cooperative"}) == [cooperative]


def test_filter_by_sphere(municipality):
    culture, sport = PublicBenefitSphere.objects.order_by("position")[:2]
    in_culture = OrganisationFactory(seat_municipality=municipality, spheres=[culture, sport])
    OrganisationFactory(seat_municipality=municipality, spheres=[sport])
    OrganisationFactory(seat_municipality=municipality)

    assert listed({"sphere": str(culture.pk)}) == [in_culture]


def test_filter_by_municipality_served_uses_its_slug(municipality, other_municipality):
    serves_both = OrganisationFactory(
        seat_municipality=municipality, municipalities_served=[municipality, other_municipality]
    )
    OrganisationFactory(seat_municipality=municipality, municipalities_served=[municipality])
    seated_there = OrganisationFactory(seat_municipality=other_municipality)

    assert set(listed({"municipality": other_municipality.slug})) == {serves_both, seated_there}


def test_filter_social_enterprises_only(municipality):
    enterprise = OrganisationFactory(
        seat_municipality=municipality,
        is_social_enterprise=True,
        social_enterprise_since=date(2023, 3, 1),
    )
    OrganisationFactory(seat_municipality=municipality)

    assert listed({"social_enterprise": "on"}) == [enterprise]
    assert len(listed({"q": ""})) == 2


def test_filter_public_benefit_only(municipality):
    opp = OrganisationFactory(seat_municipality=municipality, is_public_benefit=True)
    OrganisationFactory(seat_municipality=municipality)

    assert listed({"public_benefit": "on"}) == [opp]


def test_filters_combine(municipality, other_municipality):
    wanted = OrganisationFactory(
        seat_municipality=other_municipality,
        name="Spółdzielnia Łódka",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        is_public_benefit=True,
    )
    OrganisationFactory(
        seat_municipality=municipality,
        name="Spółdzielnia Łódka Bis",
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        is_public_benefit=True,
    )

    filters = {
        "q": "lodka",
        "legal_form": "social_cooperative",
        "municipality": other_municipality.slug,
        "public_benefit": "on",
    }
    assert listed(filters) == [wanted]


def read_list_as_the_page_does():
    """What a card of the public list shows (templates/directory/_organisation_card.html)."""
    queryset = selectors.organisation_list(filters={"q": "fundacja"}).qs
    for organisation in selectors.organisation_cards(
        list(queryset.values_list("pk", flat=True)[:20])
    ):
        _ = (organisation.name, organisation.slug, organisation.city, organisation.legal_form)
        _ = (organisation.is_unconfirmed, organisation.logo, organisation.description)
        _ = (organisation.is_social_enterprise, organisation.is_public_benefit)
        _ = [sphere.name for sphere in organisation.spheres.all()]


def test_list_of_one_and_of_many_runs_the_same_queries(municipality, django_assert_num_queries):
    spheres = list(PublicBenefitSphere.objects.order_by("position")[:3])
    OrganisationFactory(seat_municipality=municipality, name="Fundacja 0", spheres=spheres)

    # The page's keys, the organisations (the columns their cards show), then the spheres of
    # all of them.
    with django_assert_num_queries(3):
        read_list_as_the_page_does()

    for n in range(1, 25):
        OrganisationFactory(
            seat_municipality=MunicipalityFactory(), name=f"Fundacja {n}", spheres=spheres
        )
    assert len(listed({"q": "fundacja"})) == 25

    with django_assert_num_queries(3):
        read_list_as_the_page_does()


# --- the verification queue -----------------------------------------------------------------


def test_verification_queue_holds_pending_of_the_officials_municipality(directory, official):
    assert list(selectors.verification_queue(user=official)) == [directory["pending_here"]]


def test_verification_queue_of_other_official_holds_only_theirs(directory, other_official):
    assert list(selectors.verification_queue(user=other_official)) == [directory["pending_there"]]


def test_verification_queue_of_administrator_holds_all_pending(directory):
    queue = list(selectors.verification_queue(user=AdminUserFactory()))

    assert set(queue) == {directory["pending_here"], directory["pending_there"]}


def test_verification_queue_of_a_non_official_is_empty(directory):
    assert list(selectors.verification_queue(user=UserFactory())) == []


def test_verification_queue_is_oldest_first(municipality, official):
    newer = OrganisationFactory(pending=True, seat_municipality=municipality)
    older = OrganisationFactory(
        pending=True,
        seat_municipality=municipality,
        created_at=timezone.now() - timedelta(days=3),
    )

    assert list(selectors.verification_queue(user=official)) == [older, newer]


# --- membership reads -----------------------------------------------------------------------


def test_organisations_of_user_carry_the_member_role(directory):
    user = UserFactory()
    MembershipFactory(organisation=directory["verified_here"], user=user, role="owner")
    MembershipFactory(organisation=directory["pending_there"], user=user, role="editor")

    roles = {o.pk: o.member_role for o in selectors.organisations_of_user(user=user)}

    assert roles == {
        directory["verified_here"].pk: "owner",
        directory["pending_there"].pk: "editor",
    }


def test_organisations_of_anonymous_user_is_empty(directory):
    assert list(selectors.organisations_of_user(user=AnonymousUser())) == []


def test_organisation_counts_count_only_verified(municipality):
    OrganisationFactory(
        seat_municipality=municipality,
        is_social_enterprise=True,
        social_enterprise_since=date(2022, 1, 1),
    )
    OrganisationFactory(seat_municipality=municipality)
    OrganisationFactory(
        pending=True,
        seat_municipality=municipality,
        is_social_enterprise=True,
        social_enterprise_since=date(2022, 1, 1),
    )

    assert selectors.organisation_counts() == {"verified": 2, "social_enterprises": 1}


# --- contracts reserved under art. 94 PZP ------------------------------------------------------


@pytest.mark.parametrize("legal_form", ["social_cooperative", "cis", "kis", "zaz", "wtz"], ids=str)
def test_an_integration_legal_form_qualifies_for_a_reserved_contract(legal_form):
    organisation = OrganisationFactory(legal_form=legal_form, employees=0)
    result = selectors.qualifies_for_reserved_contract(organisation)
    assert result.qualifies
    assert organisation.get_legal_form_display() in result.reason


@pytest.mark.parametrize(
    ("employees", "at_risk", "qualifies"),
    [(10, 3, True), (7, 3, True), (10, 2, False), (3, 0, False), (0, 0, False)],
)
def test_other_forms_qualify_with_at_least_30_percent_of_staff_at_risk(
    employees, at_risk, qualifies
):
    organisation = OrganisationFactory(
        legal_form="association", employees=employees, employees_at_risk=at_risk
    )
    result = selectors.qualifies_for_reserved_contract(organisation)
    assert result.qualifies is qualifies
    assert bool(result) is qualifies
    assert organisation.name in result.reason
    if not qualifies:
        assert "art. 94" in result.reason and "30%" in result.reason
    queryset = selectors.organisations_qualifying_for_reserved_contract(
        Organisation.objects.filter(pk=organisation.pk)
    )
    assert queryset.exists() is qualifies


def test_an_unverified_organisation_does_not_qualify_whatever_its_form():
    organisation = OrganisationFactory(legal_form="social_cooperative", pending=True)
    assert not selectors.qualifies_for_reserved_contract(organisation)
    assert not selectors.organisations_qualifying_for_reserved_contract(
        Organisation.objects.filter(pk=organisation.pk)
    ).exists()
