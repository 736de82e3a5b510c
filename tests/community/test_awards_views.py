"""The award's and the contests' pages for every role (allowed, refused, or the same 404 for a
nomination one may not see), bad input that gets a Polish message and loses nothing, the
exports, and fixed query counts of the public pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from community import awards_services
from community.awards_models import AwardCall, Nomination, Vote
from tests.community.awards_fixtures import (
    close_nominations,
    nominate,
    pdf_letter,
    score,
    seat_jury,
)
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import OfferFactory
from tests.factories import UserFactory
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

CITY = {"official", "monitoring_member", "admin_user"}
OPENERS = CITY | {"other_official"}
SIGNED_IN = set(ROLES) - {"resident"}


def expected(role, allowed, *, denied=403):
    if role == "resident":
        return "login"
    return 200 if role in allowed else denied


@pytest.fixture
def nomination(award_call, signed_in_user, organisation):
    return nominate(award_call, signed_in_user, organisation, letters=[pdf_letter()])


# --- the role matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_calls_the_laureates_and_a_contest(
    role, as_role, client, award_call, contest, contest_entries
):
    as_role(role)
    for url, text in (
        (reverse("community:award-list"), award_call.category),
        (reverse("community:laureate-list"), ""),
        (award_call.get_absolute_url(), award_call.category),
        (contest.get_absolute_url(), contest_entries[0].offer.title),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_may_nominate_and_list_their_nominations(
    role, as_role, client, award_call
):
    as_role(role)
    for url in (
        reverse("community:nominate", args=[award_call.pk]),
        reverse("community:my-nominations"),
    ):
        assert outcome(client.get(url)) == expected(role, SIGNED_IN), url


@pytest.mark.parametrize("role", ROLES)
def test_a_nomination_is_seen_by_its_nominator_and_the_officials(role, as_role, client, nomination):
    as_role(role)
    allowed = CITY | {"signed_in_user"}
    letter = nomination.letters.get()
    for url in (
        nomination.get_absolute_url(),
        reverse("community:letter-download", args=[nomination.pk, letter.pk]),
    ):
        assert outcome(client.get(url)) == expected(role, allowed, denied=404), url
    withdraw = client.get(reverse("community:nomination-withdraw", args=[nomination.pk]))
    assert outcome(withdraw) == expected(
        role, {"signed_in_user"}, denied=403 if role in CITY else 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_a_call(role, as_role, client):
    as_role(role)
    assert outcome(client.get(reverse("community:award-create"))) == expected(role, OPENERS)


@pytest.mark.parametrize("role", ROLES)
def test_who_manages_a_call(role, as_role, client, award_call, nomination):
    as_role(role)
    for name, args in (
        ("award-update", [award_call.pk]),
        ("award-nominations", [award_call.pk]),
        ("nomination-export", [award_call.pk, "csv"]),
        ("nomination-export", [award_call.pk, "xlsx"]),
        ("award-jury", [award_call.pk]),
        ("award-results", [award_call.pk]),
    ):
        response = client.get(reverse(f"community:{name}", args=args))
        assert outcome(response) == expected(role, CITY), name


@pytest.mark.parametrize("role", ROLES)
def test_who_votes(role, as_role, client, contest, contest_entries):
    as_role(role)
    response = client.post(
        reverse("community:award-vote", args=[contest.pk]),
        {"nomination": contest_entries[1].pk},
    )
    if role == "resident":
        assert outcome(response) == "login"
        assert not Vote.objects.exists()
        return
    assert response.status_code == 302
    assert Vote.objects.get().nomination == contest_entries[1]


@pytest.mark.parametrize("role", ROLES)
def test_jurors_read_the_letters_after_declaring_no_conflict(
    role, as_role, client, award_call, nomination, official, pes_owner, pes_editor
):
    close_nominations(award_call)
    _panel, (_chair, owner_seat, editor_seat) = seat_jury(
        award_call, official, [(pes_owner, True), (pes_editor, True)]
    )
    score(owner_seat, nomination, (5, 5))
    score(editor_seat, nomination, None, conflict=True)
    as_role(role)
    letter = nomination.letters.get()
    response = client.get(reverse("community:letter-download", args=[nomination.pk, letter.pk]))
    allowed = CITY | {"signed_in_user", "pes_owner"}
    assert outcome(response) == expected(role, allowed, denied=404)


# --- the main path through the pages -----------------------------------------------------------


def test_a_resident_nominates_an_organisation_by_its_nip(
    client, award_call, signed_in_user, organisation
):
    client.force_login(signed_in_user)
    response = client.post(
        reverse("community:nominate", args=[award_call.pk]),
        {
            "organisation": organisation.nip,
            "justification": "Prowadzą sklep społeczny.",
            "letters": [pdf_letter()],
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
    assert nomination.organisation == organisation and nomination.letters.count() == 1
    response = client.post(
        nomination.get_absolute_url(),
        {
            "justification": "Poprawione.",
            "on_behalf_of": "",
            "remove": [nomination.letters.get().pk],
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.justification == "Poprawione." and not nomination.letters.exists()


def test_an_organisation_page_address_also_names_the_nominee(
    client, award_call, signed_in_user, organisation
):
    client.force_login(signed_in_user)
    client.post(
        reverse("community:nominate", args=[award_call.pk]),
        {
            "organisation": f"https://pestor.example/pes/{organisation.slug}/",
            "justification": "Tak.",
        },
    )
    assert Nomination.objects.get().organisation == organisation


def test_a_contest_nomination_names_the_offer_by_its_address(
    client, contest, signed_in_user, organisation
):
    offer = OfferFactory(organisation=organisation)
    client.force_login(signed_in_user)
    response = client.post(
        reverse("community:nominate", args=[contest.pk]),
        {"offer": f"https://pestor.example/gielda/oferty/{offer.pk}/", "justification": "Tak."},
    )
    assert response.status_code == 302
    assert Nomination.objects.get().offer == offer


# --- bad input loses nothing -------------------------------------------------------------------


def test_a_nomination_without_a_nominee_keeps_the_justification(client, award_call, signed_in_user):
    client.force_login(signed_in_user)
    response = client.post(
        reverse("community:nominate", args=[award_call.pk]),
        {"organisation": "", "person_name": "", "justification": "Mój długi tekst."},
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mój długi tekst." in content
    assert "Zgłoś organizację z bazy albo osobę" in content
    assert not Nomination.objects.exists()


def test_an_unknown_nip_and_a_letter_that_is_not_a_pdf_get_messages(
    client, award_call, signed_in_user, organisation
):
    client.force_login(signed_in_user)
    response = client.post(
        reverse("community:nominate", args=[award_call.pk]),
        {"organisation": "1234567890", "justification": "Tekst zostaje."},
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 400
    assert "Żadna zweryfikowana organizacja" in response.content.decode()
    response = client.post(
        reverse("community:nominate", args=[award_call.pk]),
        {
            "organisation": organisation.nip,
            "justification": "Tekst zostaje.",
            "letters": [pdf_letter("list.pdf", b"GIF89a")],
        },
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Tekst zostaje." in content and "nie jest plikiem PDF" in content
    assert not Nomination.objects.exists()


def test_a_change_after_the_deadline_is_refused_and_nothing_changes(
    client, award_call, nomination, signed_in_user
):
    close_nominations(award_call)
    client.force_login(signed_in_user)
    response = client.post(
        nomination.get_absolute_url(),
        {"justification": "Za późno."},
        HTTP_ACCEPT_LANGUAGE="pl",
        follow=True,
    )
    assert "Nabór zgłoszeń jest zamknięty" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.justification != "Za późno."
    response = client.get(reverse("community:nominate", args=[award_call.pk]), follow=True)
    assert "Nabór zgłoszeń jest zamknięty" in response.content.decode()


def test_a_second_vote_gets_a_clear_message(client, contest, contest_entries, pes_owner):
    client.force_login(pes_owner)
    url = reverse("community:award-vote", args=[contest.pk])
    client.post(url, {"nomination": contest_entries[0].pk})
    response = client.post(
        url, {"nomination": contest_entries[1].pk}, HTTP_ACCEPT_LANGUAGE="pl", follow=True
    )
    assert "Już głosowałeś" in response.content.decode() or "już" in response.content.decode()
    assert "jeden głos na konto" in response.content.decode()
    assert Vote.objects.count() == 1


def test_a_vote_for_a_nomination_of_another_call_is_refused(
    client, contest, contest_entries, award_call, signed_in_user, organisation, pes_owner
):
    stranger = nominate(award_call, signed_in_user, organisation)
    client.force_login(pes_owner)
    for value in (stranger.pk, "x", ""):
        response = client.post(
            reverse("community:award-vote", args=[contest.pk]), {"nomination": value}
        )
        assert response.status_code == 302
    assert not Vote.objects.exists()


def test_a_call_with_a_vote_but_no_end_keeps_what_was_typed(client, official, municipality):
    client.force_login(official)
    response = client.post(
        reverse("community:award-create"),
        {
            "municipality": municipality.pk,
            "kind": "contest",
            "year": 2026,
            "category": "Najlepszy produkt roku",
            "nominations_until": "2026-05-01T12:00",
            "laureate_places": 1,
            "public_vote": "on",
            "votes_until": "",
        },
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Najlepszy produkt roku" in content and "do kiedy" in content
    assert not AwardCall.objects.exists()


def test_an_official_opens_a_call_sets_the_jury_and_publishes_the_laureates(
    client, official, municipality, signed_in_user, organisation, monitoring_member
):
    client.force_login(official)
    response = client.post(
        reverse("community:award-create"),
        {
            "municipality": municipality.pk,
            "kind": "award",
            "year": 2026,
            "category": "Przedsiębiorczość i ekonomia społeczna",
            "nominations_until": "2099-05-01T12:00",
            "laureate_places": 1,
        },
    )
    call = AwardCall.objects.get()
    assert response["Location"] == call.get_absolute_url()
    nomination = nominate(call, signed_in_user, organisation)
    response = client.post(
        reverse("community:award-jury", args=[call.pk]),
        {"name_1": "Wpływ", "max_points_1": "10"},
    )
    from scoring.selectors import panel_for_owner

    panel = panel_for_owner(owner=call)
    assert response["Location"] == reverse("scoring:panel-members", args=[panel.pk])
    close_nominations(call)
    response = client.post(reverse("community:award-results", args=[call.pk]), follow=True)
    assert "musi zostać zamknięta" in response.content.decode() or response.status_code == 200
    assert not AwardCall.objects.get().results_published
    from scoring import services as scoring_services
    from scoring.models import Member

    chair = scoring_services.member_add(
        panel=panel, user=official, role=Member.Role.CHAIR, actor=official
    )
    scoring_services.declaration_make(member=chair, item=nomination, conflict=False, actor=official)
    scoring_services.scores_save(
        member=chair,
        item=nomination,
        values={panel.criteria.get().pk: scoring_services.ScoreInput(points=Decimal(8))},
        submit=True,
        actor=official,
    )
    scoring_services.panel_close(panel=panel, actor=official)
    client.post(reverse("community:award-results", args=[call.pk]))
    nomination.refresh_from_db()
    assert nomination.place == 1
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert call.get_absolute_url() in page


# --- exports -----------------------------------------------------------------------------------


def test_the_export_lists_every_nomination_and_escapes_formulas(
    client, official, award_call, signed_in_user, organisation
):
    nominate(award_call, signed_in_user, organisation, justification="=HYPERLINK(1)")
    client.force_login(official)
    response = client.get(reverse("community:nomination-export", args=[award_call.pk, "csv"]))
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(rows) == 2 and organisation.name in rows[1]
    assert "'=HYPERLINK(1)" in rows[1]
    response = client.get(reverse("community:nomination-export", args=[award_call.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 2
    assert (
        client.get(reverse("community:nomination-export", args=[award_call.pk, "pdf"])).status_code
        == 404
    )


# --- fixed query counts ------------------------------------------------------------------------


@pytest.fixture
def many_laureates(municipality, official):
    calls = [
        AwardCall.objects.create(
            municipality=municipality,
            kind=AwardCall.Kind.AWARD,
            year=2000 + index,
            category="Kategoria",
            nominations_until="2020-01-01T00:00Z",
            results_published_at="2020-02-01T00:00Z",
        )
        for index in range(4)
    ]
    nominator = UserFactory()
    for call in calls:
        for place in (1, 2, 3):
            Nomination.objects.create(
                call=call,
                nominator=nominator,
                organisation=OrganisationFactory(),
                justification="Tak.",
                place=place,
                jury_total=10 - place,
            )
    return calls


def test_the_laureates_page_runs_a_fixed_number_of_queries(
    client, many_laureates, django_assert_num_queries
):
    url = reverse("community:laureate-list")
    client.get(url)
    # PostgreSQL: the planner's estimate first (pestor.pagination).
    with django_assert_num_queries(3 + (connection.vendor == "postgresql")):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 13


def test_the_call_list_runs_a_fixed_number_of_queries(
    client, many_laureates, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get(reverse("community:award-list"))


def test_the_contest_page_runs_a_fixed_number_of_queries(
    client, contest, organisation, pes_owner, django_assert_num_queries
):
    for index in range(12):
        awards_services.nomination_create(
            call=contest,
            actor=pes_owner,
            offer=OfferFactory(organisation=organisation, title=f"Oferta {index}"),
            justification="Tak.",
        )
    client.force_login(pes_owner)
    client.get(contest.get_absolute_url())
    # The same eight queries however many entries the contest has (twelve here).
    with django_assert_num_queries(8):
        response = client.get(contest.get_absolute_url())
    assert response.content.decode().count('name="nomination"') == 12


def test_the_nominations_list_runs_a_fixed_number_of_queries(
    client, official, award_call, signed_in_user, django_assert_num_queries
):
    for index in range(10):
        nominate(award_call, signed_in_user, person_name=f"Osoba {index}")
    client.force_login(official)
    url = reverse("community:award-nominations", args=[award_call.pk])
    client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("Osoba ") == 10
