"""The committee of a call for premises, through the scoring app: the official sets the criteria
(which forms the panel), members declare conflicts and score, the ranking stands beside the
decision, and the published results show the scores per criterion. Every page for every role,
bad input kept, fixed query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from premises import permissions, selectors, services
from premises.models import Application, PremisesCall
from scoring import services as scoring_services
from scoring.models import Member, Panel
from scoring.services import ScoreInput
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import make_official
from tests.premises.factories import make_call
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

OFFICIALS = {"official", "admin_user"}
CRITERIA = [
    {"name": "Program działań", "max_points": 10},
    {"name": "Doświadczenie", "max_points": 5},
    {"name": "Wkład własny", "max_points": 5, "allow_not_applicable": True},
]


def _close(call):
    PremisesCall.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    call.refresh_from_db()
    return call


@pytest.fixture
def rival(municipality):
    """A second verified PES of the city with its member."""
    organisation = OrganisationFactory(name="Fundacja Rubinkowo", seat_municipality=municipality)
    return organisation, make_pes_member(organisation, email="rubinkowo@example.org")


@pytest.fixture
def applications(apply, pes_editor, rival):
    return apply(), apply(organisation=rival[0], actor=rival[1])


@pytest.fixture
def panel(open_call, official, applications):
    return services.committee_create(call=open_call, actor=official, criteria=CRITERIA)


@pytest.fixture
def second_official(municipality):
    return make_official(municipality, email="komisja@torun.example.org")


@pytest.fixture
def scored(panel, open_call, official, second_official, applications):
    """Closed call; the official chairs and scores both applications, the second official
    declares a conflict with the first and scores the second."""
    _close(open_call)
    first, second = applications
    chair = scoring_services.member_add(
        panel=panel, user=official, role=Member.Role.CHAIR, actor=official
    )
    seat = scoring_services.member_add(panel=panel, user=second_official, actor=official)
    criteria = list(panel.criteria.order_by("order"))

    def score(member, item, points):
        values = {
            criterion.pk: ScoreInput(
                points=None if value is None else Decimal(value), not_applicable=value is None
            )
            for criterion, value in zip(criteria, points, strict=True)
        }
        scoring_services.declaration_make(
            member=member, item=item, conflict=False, actor=member.user
        )
        scoring_services.scores_save(
            member=member, item=item, values=values, submit=True, actor=member.user
        )

    score(chair, first, ["8", "4", None])
    score(chair, second, ["6", "3", "2"])
    scoring_services.declaration_make(
        member=seat, item=first, conflict=True, note="Zasiadam w zarządzie", actor=second_official
    )
    score(seat, second, ["9", "5", "4"])
    return panel


# --- services and selectors ---------------------------------------------------------------------


def test_the_official_sets_the_criteria_which_forms_a_public_panel(open_call, official):
    panel = services.committee_create(call=open_call, actor=official, criteria=CRITERIA)
    assert panel.results_visibility == Panel.ResultsVisibility.PUBLIC
    assert [(c.name, c.max_points, c.allow_not_applicable) for c in panel.criteria.all()] == [
        ("Program działań", 10, False),
        ("Doświadczenie", 5, False),
        ("Wkład własny", 5, True),
    ]
    assert selectors.committee_panel(call=open_call) == panel
    with pytest.raises(ValidationError) as error:
        services.committee_create(call=open_call, actor=official, criteria=CRITERIA)
    assert error.value.code == "committee_exists"


def test_only_the_officials_form_a_committee_with_distinct_criteria(
    open_call, other_official, pes_owner, official
):
    for actor in (other_official, pes_owner):
        with pytest.raises(ValidationError):
            services.committee_create(call=open_call, actor=actor, criteria=CRITERIA)
    with pytest.raises(ValidationError) as error:
        services.committee_create(
            call=open_call,
            actor=official,
            criteria=[{"name": "Program", "max_points": 5}, {"name": "program ", "max_points": 3}],
        )
    assert error.value.code == "duplicate_name"
    assert selectors.committee_panel(call=open_call) is None


def test_the_committee_scores_nothing_before_the_close_nor_withdrawn_applications(
    open_call, applications, pes_owner
):
    assert not selectors.committee_items(open_call).exists()
    services.application_withdraw(application=applications[0], actor=pes_owner)
    _close(open_call)
    assert list(selectors.committee_items(open_call)) == [applications[1]]


def test_the_ranking_per_premises_leaves_out_the_conflicted_member_and_na(scored, applications):
    first, second = applications
    criteria, rankings = selectors.committee_ranking(panel=scored)
    assert [c.name for c in criteria] == ["Program działań", "Doświadczenie", "Wkład własny"]
    (ranking,) = rankings
    rows = {row.application: row for row in ranking.rows}
    # The second: (6+9)/2 + (3+5)/2 + (2+4)/2 = 7.5 + 4 + 3 = 14.5, two scorers.
    assert rows[second].rank == 1
    assert rows[second].result.total == Decimal("14.50")
    assert rows[second].result.scorers == 2
    # The first: the chair alone (the other member declared a conflict), n/a left out.
    assert rows[first].rank == 2
    assert rows[first].result.total == Decimal("12.00")
    assert rows[first].result.conflicts == 1
    assert rows[first].result.means[2].mean is None
    assert rows[first].result.means[2].not_applicable == 1


def test_the_decision_closes_the_panel(scored, open_call, official, applications, premises):
    services.call_decide(
        call=open_call, actor=official, decisions={premises: (applications[1], "Najwyżej oceniony")}
    )
    scored.refresh_from_db()
    assert not scored.is_open
    assert Application.objects.get(pk=applications[1].pk).status == Application.Status.CHOSEN


# --- pages for every role -----------------------------------------------------------------------


def expected(role, allowed, *, denied=403):
    if role == "resident":
        return "login"
    return 200 if role in allowed else denied


@pytest.mark.parametrize("role", ROLES)
def test_only_the_call_officials_see_and_set_the_committee(role, as_role, client, open_call):
    as_role(role)
    url = reverse("premises:call-committee", args=[open_call.pk])
    assert outcome(client.get(url)) == expected(role, OFFICIALS)
    response = client.post(url, {"name_1": "Program", "max_points_1": "10"})
    if role in OFFICIALS:
        panel = selectors.committee_panel(call=open_call)
        assert response.status_code == 302
        assert response["Location"] == reverse("scoring:panel-members", args=[panel.pk])
    else:
        assert outcome(response) == expected(role, OFFICIALS)
        assert selectors.committee_panel(call=open_call) is None


@pytest.mark.parametrize("role", ROLES)
def test_only_the_call_officials_decide_with_the_ranking(role, as_role, client, scored, open_call):
    as_role(role)
    response = client.get(reverse("premises:call-decide", args=[open_call.pk]))
    assert outcome(response) == expected(role, OFFICIALS)
    if role in OFFICIALS:
        page = response.content.decode()
        assert "Program działań" in page
        assert "14,5" in page
        assert "miejsce 1, 14,50 pkt" in page


@pytest.mark.parametrize("role", ROLES)
def test_the_call_page_shows_the_criteria_to_all_and_the_scores_once_decided(
    role, as_role, client, scored, open_call, official, applications, premises
):
    as_role(role)
    url = open_call.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Program działań" in page  # the criteria are public
    members_link = reverse("scoring:panel-detail", args=[scored.pk])
    assert (members_link in page) == (role in OFFICIALS)
    results_link = reverse("scoring:panel-results", args=[scored.pk])
    assert (results_link in page) == (role in OFFICIALS)
    # Before the results, only the officials see the scores.
    assert ("14,5" in page) == (role in OFFICIALS)
    services.call_decide(
        call=open_call, actor=official, decisions={premises: (applications[1], "Najwyżej oceniony")}
    )
    page = client.get(url).content.decode()
    assert "14,5" in page and "7,5" in page  # the total and a mean per criterion, for everyone
    assert applications[1].organisation.display_name in page


@pytest.mark.parametrize("role", ROLES)
def test_scoring_pages_of_a_call_answer_members_and_managers_only(
    role, as_role, client, scored, applications
):
    as_role(role)
    response = client.get(scored.get_absolute_url())
    assert outcome(response) == expected(role, OFFICIALS, denied=404)
    sheet = reverse("scoring:item-sheet", args=[scored.pk, applications[0].pk])
    # The chair's submitted sheet; managers who do not sit on the panel get 404 as others.
    assert outcome(client.get(sheet)) == expected(role, {"official"}, denied=404)


def test_a_member_with_a_conflict_never_sees_the_application(
    client, scored, second_official, applications
):
    client.force_login(second_official)
    sheet = reverse("scoring:item-sheet", args=[scored.pk, applications[0].pk])
    assert client.get(sheet).status_code == 404
    response = client.get(reverse("scoring:item-sheet", args=[scored.pk, applications[1].pk]))
    assert "Kawiarnia społeczna" in response.content.decode()  # premises' detail template


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name_1": "Program", "max_points_1": "-1"}, "max_points_1"),
        ({"name_1": "Program", "max_points_1": "abc"}, "max_points_1"),
        ({"name_1": "Program", "max_points_1": "NaN"}, "max_points_1"),
        ({"name_1": "Program", "max_points_1": "10000"}, "max_points_1"),
        ({"name_1": "Program"}, "max_points_1"),
        ({"max_points_1": "5"}, "name_1"),
        ({}, "__all__"),
        (
            {"name_1": "Program", "max_points_1": "5", "name_2": "program", "max_points_2": "5"},
            "__all__",
        ),
    ],
)
def test_bad_criteria_get_a_message_and_keep_what_was_typed(
    client, official, open_call, data, field
):
    client.force_login(official)
    response = client.post(reverse("premises:call-committee", args=[open_call.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if "name_1" in data:
        assert 'value="Program"' in response.content.decode()
    assert selectors.committee_panel(call=open_call) is None


def test_criteria_take_points_with_a_decimal_comma(client, official, open_call):
    client.force_login(official)
    client.post(
        reverse("premises:call-committee", args=[open_call.pk]),
        {"name_1": "Program", "max_points_1": "7,5", "not_applicable_1": "on"},
    )
    (criterion,) = selectors.committee_panel(call=open_call).criteria.all()
    assert criterion.max_points == Decimal("7.5")
    assert criterion.allow_not_applicable


# --- query counts -------------------------------------------------------------------------------


def _more_applications(apply, call, premises, count):
    PremisesCall.objects.filter(pk=call.pk).update(closes_at=timezone.now() + timedelta(days=1))
    call.refresh_from_db()
    for _n in range(count):
        organisation = OrganisationFactory(seat_municipality=premises.municipality)
        apply(call=call, organisation=organisation, actor=make_pes_member(organisation))
    _close(call)


def test_the_committee_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, apply, scored, open_call, official, premises
):
    client.force_login(official)
    urls = [
        open_call.get_absolute_url(),
        reverse("premises:call-decide", args=[open_call.pk]),
        reverse("premises:call-committee", args=[open_call.pk]),
    ]
    # scoring keeps a panel's sums in the cache until a sheet changes: each page is counted as
    # read again, with the sums cached, before and after more applications.
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    _more_applications(apply, open_call, premises, 4)
    for url in urls:
        client.get(url)
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    assert counts == dict(zip(urls, [14, 13, 7], strict=True))


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_call_is_edited_by_its_officials_only(role, as_role, client, premises, official):
    """The form mixin the committee's page shares with the call's edit page."""
    draft = make_call([premises], official, publish=False)
    as_role(role)
    url = reverse("premises:call-update", args=[draft.pk])
    # Others are not told the draft exists.
    assert outcome(client.get(url)) == expected(role, OFFICIALS, denied=404)
    response = client.post(url, {"title": "Zmieniony"})
    draft.refresh_from_db()
    assert draft.title != "Zmieniony"
    assert outcome(response) == (200 if role in OFFICIALS else expected(role, (), denied=404))


def test_a_pes_representative_on_the_committee_reads_the_documents_only_when_cleared(
    client, panel, open_call, official, applications, rival
):
    """A member who is neither the applicant nor an official reads an application's documents
    once they have declared no conflict with it, and never one they are excluded from."""
    third = OrganisationFactory(
        name="Stowarzyszenie Trzecie", seat_municipality=open_call.municipality
    )
    representative = make_pes_member(third, email="przedstawiciel@example.org")
    _close(open_call)
    seat = scoring_services.member_add(
        panel=panel, user=representative, represents_pes=True, actor=official
    )
    first, second = applications
    client.force_login(representative)
    document = first.documents.get()
    urls = [
        first.get_absolute_url(),
        reverse("premises:application-document", args=[first.pk, document.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404, 404]  # not yet declared
    scoring_services.declaration_make(member=seat, item=first, conflict=False, actor=representative)
    scoring_services.declaration_make(
        member=seat, item=second, conflict=True, note="Członek fundacji", actor=representative
    )
    assert [client.get(url).status_code for url in urls] == [200, 200]
    assert client.get(second.get_absolute_url()).status_code == 404
    sheet = client.get(reverse("scoring:item-sheet", args=[panel.pk, first.pk]))
    assert urls[1] in sheet.content.decode()


# --- who may sit on the committee ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "represents_pes", "refusal"),
    [
        ("stranger", False, "Only officials of"),
        ("stranger", True, "must belong to a verified organisation"),
        ("other_official", False, "Only officials of"),
        ("pes_member", False, "Only officials of"),
    ],
)
def test_only_the_citys_officials_and_people_of_a_verified_pes_sit_on_the_committee(
    client, panel, official, municipality, who, represents_pes, refusal
):
    from tests.factories import MunicipalityFactory, UserFactory

    candidates = {
        "stranger": lambda: UserFactory(email="obcy@example.org"),
        "other_official": lambda: make_official(MunicipalityFactory(), email="lubicz@example.org"),
        "pes_member": lambda: make_pes_member(
            OrganisationFactory(name="Fundacja Kandydat", seat_municipality=municipality),
            email="kandydat@example.org",
        ),
    }
    candidate = candidates[who]()
    client.force_login(official)
    url = reverse("scoring:panel-members", args=[panel.pk])
    data = {"email": candidate.email, "role": "member"}
    if represents_pes:
        data["represents_pes"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    with translation.override("en"):
        reason = permissions.committee_member_refusal(candidate, panel.owner, represents_pes)
    assert refusal in reason
    with translation.override("pl"):
        reason = permissions.committee_member_refusal(candidate, panel.owner, represents_pes)
    assert escape(reason) in response.content.decode()  # in Polish, on the e-mail field
    assert candidate.email in response.content.decode()  # what was typed is kept
    assert not panel.members.filter(user=candidate).exists()


def test_an_official_of_the_city_and_a_pes_representative_are_added(
    client, panel, official, second_official, rival
):
    client.force_login(official)
    url = reverse("scoring:panel-members", args=[panel.pk])
    client.post(url, {"email": second_official.email, "role": "member"})
    client.post(url, {"email": rival[1].email, "role": "member", "represents_pes": "on"})
    assert set(panel.members.values_list("user__email", "represents_pes")) == {
        (second_official.email, False),
        (rival[1].email, True),
    }
