"""The grants pages for every role (allowed, refused, or the same 404 for what one may not
see), bad input keeping what was typed, and the lists' fixed query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from grants import selectors, services
from grants.models import Competition, Offer
from scoring import selectors as scoring_selectors
from scoring import services as scoring_services
from scoring.models import Member
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import make_official
from tests.grants.factories import close_offers, offer_data
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

OFFICIALS = {"official", "admin_user"}
ANY_OFFICIAL = OFFICIALS | {"other_official"}
MEMBERS = {"pes_owner", "pes_editor"}
VERIFIED_MEMBERS = MEMBERS | {"other_pes_member"}


def expected(role, allowed, *, denied=403):
    if role == "resident":
        return "login"
    return 200 if role in allowed else denied


# --- public pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_competitions_feed_and_strategy(role, as_role, client, competition):
    as_role(role)
    for url in (
        reverse("grants:competition-list"),
        reverse("grants:competition-list") + "?state=open&sphere=" + str(competition.sphere_id),
        reverse("grants:competition-feed"),
        competition.get_absolute_url(),
        reverse("grants:strategy-list"),
        reverse(
            "grants:strategy-detail", args=[competition.outcomes.first().goal.area.strategy_id]
        ),
    ):
        assert client.get(url).status_code == 200, url


def test_the_feed_lists_announced_competitions_only(client, competition, draft_two):
    feed = client.get(reverse("grants:competition-feed")).content.decode()
    assert competition.title in feed
    assert draft_two.title not in feed


@pytest.fixture
def draft_two(municipality, official, culture, outcomes):
    from tests.grants.factories import competition_data

    return services.competition_create(
        municipality=municipality,
        actor=official,
        outcomes=outcomes,
        **competition_data(culture, title="Szkic konkursu o teatrze"),
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_and_edited_by_its_officials_only(role, as_role, client, draft_two):
    as_role(role)
    detail = client.get(draft_two.get_absolute_url())
    assert detail.status_code == (200 if role in OFFICIALS else 404)
    edit = client.get(reverse("grants:competition-update", args=[draft_two.pk]))
    assert outcome(edit) == expected(role, OFFICIALS, denied=404)
    publish = client.post(reverse("grants:competition-publish", args=[draft_two.pk]))
    draft_two.refresh_from_db()
    if role in OFFICIALS:
        assert draft_two.status == Competition.Status.PUBLISHED
    else:
        assert outcome(publish) in ("login", 404)
        assert draft_two.status == Competition.Status.DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_who_may_announce_and_edit_the_strategy(role, as_role, client, strategy):
    as_role(role)
    create = client.get(reverse("grants:competition-create"))
    assert outcome(create) == expected(role, ANY_OFFICIAL)
    new_strategy = client.get(reverse("grants:strategy-create"))
    assert outcome(new_strategy) == expected(role, ANY_OFFICIAL)
    outcome_row = services.StrategyOutcome.objects.filter(goal__area__strategy=strategy).first()
    edit = client.post(
        reverse("grants:outcome-update", args=[outcome_row.pk]),
        {"name": "Zmieniony", "measure": "m", "unit": "osoby", "order": 0},
    )
    outcome_row.refresh_from_db()
    if role in OFFICIALS:
        assert edit.status_code == 302 and outcome_row.name == "Zmieniony"
    else:
        assert outcome(edit) == expected(role, set())
        assert outcome_row.name != "Zmieniony"


def test_an_official_builds_the_strategy_in_the_portal(client, official, municipality):
    client.force_login(official)
    response = client.post(
        reverse("grants:strategy-create"),
        {
            "municipality": municipality.pk,
            "name": "Strategia",
            "first_year": 2021,
            "last_year": 2030,
        },
    )
    strategy = services.Strategy.objects.get()
    assert response["Location"] == strategy.get_absolute_url()
    client.post(reverse("grants:area-create", args=[strategy.pk]), {"name": "Kultura", "order": 0})
    area = strategy.areas.get()
    client.post(reverse("grants:goal-create", args=[area.pk]), {"name": "Cel", "order": 0})
    goal = area.goals.get()
    client.post(
        reverse("grants:outcome-create", args=[goal.pk]),
        {"name": "Rezultat", "measure": "uczestnicy", "unit": "osoby/rok", "order": 0},
    )
    page = client.get(strategy.get_absolute_url()).content.decode()
    assert "osoby/rok" in page


# --- offers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_submit_an_offer(role, as_role, client, competition):
    as_role(role)
    response = client.get(reverse("grants:offer-create", args=[competition.pk]))
    assert outcome(response) == expected(role, VERIFIED_MEMBERS | OFFICIALS)


@pytest.mark.parametrize("role", ROLES)
def test_an_offer_is_seen_by_its_pes_and_the_officials_only(role, as_role, client, offer):
    as_role(role)
    allowed = MEMBERS | OFFICIALS
    detail = client.get(offer.get_absolute_url())
    assert outcome(detail) == expected(role, allowed, denied=404)
    document = offer.documents.get()
    download = client.get(reverse("grants:offer-document", args=[offer.pk, document.pk]))
    assert outcome(download) == expected(role, allowed, denied=404)
    if role in allowed:
        assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    edit = client.get(reverse("grants:offer-update", args=[offer.pk]))
    assert outcome(edit) == expected(role, MEMBERS, denied=404 if role not in allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_its_pes_withdraws_an_offer(role, as_role, client, offer):
    as_role(role)
    client.post(reverse("grants:offer-withdraw", args=[offer.pk]))
    offer.refresh_from_db()
    assert (offer.status == Offer.Status.WITHDRAWN) == (role in MEMBERS)


def _form(outcomes, **overrides):
    data = offer_data(outcomes)
    form = {key: value for key, value in data.items() if key not in ("contributions", "documents")}
    for pk, (contribution, quantity) in data["contributions"].items():
        form[f"contribution_{pk}"] = contribution
        form[f"quantity_{pk}"] = "" if quantity is None else str(quantity)
    form.update(overrides)
    return form


def test_a_pes_submits_an_offer_through_the_form(
    client, pes_owner, competition, organisation, outcomes, pdf_file
):
    client.force_login(pes_owner)
    response = client.post(
        reverse("grants:offer-create", args=[competition.pk]),
        {**_form(outcomes), "organisation": organisation.pk, "documents": pdf_file},
    )
    offer = Offer.objects.get()
    assert response["Location"] == offer.get_absolute_url()
    assert offer.documents.count() == 1
    assert offer.outcomes.get(outcome=outcomes[0]).promised_quantity == 500


def test_bad_input_gets_a_polish_message_and_keeps_what_was_typed(
    client, pes_owner, competition, organisation, outcomes
):
    client.force_login(pes_owner)
    response = client.post(
        reverse("grants:offer-create", args=[competition.pk]),
        {
            **_form(outcomes, grant_requested="40000", task_title="Mój tytuł"),
            f"quantity_{outcomes[0].pk}": "",
            "organisation": organisation.pk,
        },
        headers={"accept-language": "pl"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wnioskowana dotacja nie może przekraczać całkowitego kosztu" in page
    assert 'value="Mój tytuł"' in page
    assert not Offer.objects.exists()


def test_a_pes_changes_its_offer_until_the_deadline(client, pes_owner, offer, outcomes):
    client.force_login(pes_owner)
    url = reverse("grants:offer-update", args=[offer.pk])
    assert client.get(url).status_code == 200
    client.post(url, _form(outcomes, task_title="Nowy tytuł"))
    offer.refresh_from_db()
    assert offer.task_title == "Nowy tytuł"
    close_offers(offer.competition)
    assert client.post(url, _form(outcomes, task_title="Po terminie")).status_code == 403
    offer.refresh_from_db()
    assert offer.task_title == "Nowy tytuł"


@pytest.mark.parametrize("role", ROLES)
def test_the_formal_check_is_the_officials_after_the_deadline(
    role, as_role, client, offer, competition
):
    close_offers(competition)
    as_role(role)
    url = reverse("grants:offer-check", args=[offer.pk])
    criteria = list(competition.formal_criteria.all())
    response = client.post(url, {f"met_{c.pk}": "on" for c in criteria})
    offer.refresh_from_db()
    if role in OFFICIALS:
        assert response.status_code == 302
        assert offer.formal_status == Offer.Formal.PASSED
    else:
        assert outcome(response) == expected(role, set(), denied=403 if role in MEMBERS else 404)
        assert offer.formal_status == Offer.Formal.PENDING


# --- ranking and decision ----------------------------------------------------------------------


@pytest.fixture
def closed(offer, other_offer, competition, official):
    competition = close_offers(competition)
    for item in (offer, other_offer):
        services.offer_check(offer=item, actor=official, failed_criteria=[])
    panel = selectors.competition_panel(competition=competition)
    member = scoring_services.member_add(
        panel=panel,
        user=make_official(competition.municipality, email="czlonek@example.org"),
        actor=official,
    )
    for item in (offer, other_offer):
        scoring_services.declaration_make(member=member, item=item, conflict=False, actor=official)
        scoring_services.scores_save(
            member=member,
            item=item,
            values={
                c.pk: scoring_services.ScoreInput(points=c.max_points) for c in panel.criteria.all()
            },
            submit=True,
            actor=member.user,
        )
    scoring_services.panel_close(panel=panel, actor=official)
    competition.__dict__.pop("_grants_panel", None)
    return competition


@pytest.mark.parametrize("role", ROLES)
def test_the_ranking_and_decision_are_the_managers(role, as_role, client, closed, offer):
    as_role(role)
    url = reverse("grants:competition-ranking", args=[closed.pk])
    assert outcome(client.get(url)) == expected(role, OFFICIALS)
    export = client.get(reverse("grants:results-export", args=[closed.pk, "csv"]))
    assert export.status_code == (200 if role in OFFICIALS else 404)
    client.post(url, {f"amount_{offer.pk}": "1000"})
    offer.refresh_from_db()
    assert (offer.status == Offer.Status.FUNDED) == (role in OFFICIALS)


def test_a_pes_representative_on_the_committee_does_not_see_the_ranking(client, closed, official):
    """Officials of the city, who manage the competition, are the other members."""
    representative = make_pes_member(OrganisationFactory(name="Rada"), email="rada@example.org")
    panel = selectors.competition_panel(competition=closed)
    Member.objects.create(panel=panel, user=representative, represents_pes=True)
    client.force_login(representative)
    assert client.get(reverse("grants:competition-ranking", args=[closed.pk])).status_code == 403


def test_over_budget_amounts_are_refused_with_the_form_kept(
    client, official, closed, offer, other_offer
):
    Competition.objects.filter(pk=closed.pk).update(budget=Decimal(25000))
    client.force_login(official)
    response = client.post(
        reverse("grants:competition-ranking", args=[closed.pk]),
        {f"amount_{offer.pk}": "20000", f"amount_{other_offer.pk}": "10000"},
        headers={"accept-language": "pl"},
    )
    assert response.status_code == 200
    assert "więcej niż budżet" in response.content.decode()
    assert not Offer.objects.filter(status=Offer.Status.FUNDED).exists()


def test_the_published_results_show_every_criterion_to_everyone(
    client, official, closed, offer, other_offer
):
    client.force_login(official)
    client.post(
        reverse("grants:competition-ranking", args=[closed.pk]),
        {f"amount_{offer.pk}": "15000"},
    )
    client.logout()
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "Kalkulacja kosztów realizacji zadania" in page
    assert "15\xa0000,00 zł" in page or "15 000,00 zł" in page
    export = client.get(reverse("grants:results-export", args=[closed.pk, "csv"]))
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Kalkulacja kosztów realizacji zadania" in text
    assert text.count("\n") == 3
    xlsx = client.get(reverse("grants:results-export", args=[closed.pk, "xlsx"]))
    assert xlsx.status_code == 200


def test_the_organisation_page_shows_the_grants_received(client, official, closed, offer):
    services.competition_decide(
        competition=closed, actor=official, amounts={offer.pk: Decimal(12000)}
    )
    page = client.get(offer.organisation.get_absolute_url()).content.decode()
    assert closed.title in page


# --- query counts ------------------------------------------------------------------------------


def test_the_competition_list_runs_a_fixed_number_of_queries(
    client, municipality, official, culture, outcomes, django_assert_num_queries
):
    from tests.grants.factories import competition_data

    for index in range(15):
        draft = services.competition_create(
            municipality=municipality,
            actor=official,
            outcomes=outcomes,
            **competition_data(culture, title=f"Konkurs {index}"),
        )
        services.competition_publish(competition=draft, actor=official)
    # On PostgreSQL the paginator first asks the planner's estimate (pestor.pagination).
    with django_assert_num_queries(3 + (connection.vendor == "postgresql")):
        assert client.get(reverse("grants:competition-list")).status_code == 200


def test_my_offers_runs_a_fixed_number_of_queries(
    client, pes_owner, competition, organisation, outcomes, django_assert_num_queries
):
    for index in range(12):
        services.offer_submit(
            competition=competition,
            organisation=organisation,
            actor=pes_owner,
            **offer_data(outcomes, task_title=f"Zadanie {index}"),
        )
    client.force_login(pes_owner)
    with django_assert_num_queries(5):
        assert client.get(reverse("grants:my-offers")).status_code == 200


def test_the_ranking_runs_a_fixed_number_of_queries(
    client, official, closed, django_assert_num_queries
):
    client.force_login(official)
    # The panel read with the reader's seat, its criteria, its members' count and its sheets'
    # version, and its owner not read back (issue 8): 9, was 14.
    with django_assert_num_queries(9):
        assert (
            client.get(reverse("grants:competition-ranking", args=[closed.pk])).status_code == 200
        )


def test_the_results_export_runs_a_fixed_number_of_queries(
    client, official, closed, django_assert_num_queries
):
    """The session, the user, the roles; the competition; the panel with the reader's seat, its
    criteria, its members' count and its sheets' version (issue 8: read first, as the ranking
    does); the scored offers, the failed ones, the conflicts (the sums kept since the first
    request): 8, was 11."""
    client.force_login(official)
    url = reverse("grants:results-export", args=[closed.pk, "csv"])
    client.get(url)
    with django_assert_num_queries(8):
        text = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    assert "Kalkulacja kosztów realizacji zadania" in text
    assert text.count("\n") == 3


def test_the_published_ranking_is_paged(client, official, closed, offer, other_offer, monkeypatch):
    from grants import views

    services.competition_decide(
        competition=closed, actor=official, amounts={offer.pk: Decimal(12000)}
    )
    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 1)
    first = client.get(closed.get_absolute_url())
    second = client.get(closed.get_absolute_url(), {"page": 2})
    shown = [
        [result.item.pk for result in response.context["page_obj"].object_list]
        for response in (first, second)
    ]
    assert sorted(shown[0] + shown[1]) == sorted([offer.pk, other_offer.pk])
    assert 'rel="next"' in first.content.decode()


def _committee_member(competition, official):
    """The competition closed for offers, and an official of its municipality on its panel."""
    competition = close_offers(competition)
    panel = selectors.competition_panel(competition=competition)
    member = scoring_services.member_add(
        panel=panel,
        user=make_official(competition.municipality, email="komisja@example.org"),
        actor=official,
    )
    return panel, member


def test_the_scoring_sheet_reads_the_offers_contributions_in_one_query(
    client, offer, competition, official, outcomes, django_assert_num_queries
):
    """The committee's sheet shows the offer with its promised contribution to each outcome,
    read in one query (it was one more per outcome)."""
    panel, member = _committee_member(competition, official)
    scoring_services.declaration_make(member=member, item=offer, conflict=False, actor=official)
    client.force_login(member.user)
    url = reverse("scoring:item-sheet", args=[panel.pk, offer.pk])
    client.get(url)
    # The session, the user, the roles; the panel with the member's seat and its criteria; the
    # competition; its failed offers; the offer with the member's declaration and sheet; its
    # contributions (issue 8: 8, was 12).
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()
    rows = selectors.offer_contributions(offer=offer)
    assert len(rows) == len(outcomes) == 2
    for row in rows:
        assert f"<li>{row.outcome.name}: {row.get_contribution_display()}" in page


def test_the_committees_to_do_list_counts_its_progress_in_one_query(
    client, offer, other_offer, competition, official, django_assert_num_queries
):
    """The member's to-do list: every offer, and how many are done (a submitted sheet or a
    declared conflict), counted together."""
    panel, member = _committee_member(competition, official)
    scoring_services.declaration_make(
        member=member,
        item=offer,
        conflict=True,
        note="Moja fundacja złożyła ofertę.",
        actor=official,
    )
    client.force_login(member.user)
    client.get(panel.get_absolute_url())
    # The session, the user, the roles; the panel with the member's seat and its criteria; the
    # competition; its failed offers; the count, the page with the member's declarations and
    # sheets, the progress (issue 8: 9, was 13).
    with django_assert_num_queries(9):
        response = client.get(panel.get_absolute_url())
    assert response.context["progress"] == scoring_selectors.Progress(done=1, total=2)
