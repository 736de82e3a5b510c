"""The award's and the contests' rules, checked in the services whatever the form said:
nominations until the deadline by the server's clock, letters that are PDFs, a jury of officials
and PES representatives scoring through scoring, the mean deciding, every nominator told, one
public vote per account (the database's constraint too, also under parallel votes)."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from community import awards_selectors, awards_services
from community.awards_models import AwardCall, Nomination, Vote
from pestor.models import AuditEvent
from tests.community.awards_fixtures import (
    call_data,
    close_nominations,
    nominate,
    pdf_letter,
    score,
    seat_jury,
)
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import OfferFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_resident_nominates_a_pes_and_changes_it_until_the_deadline(
    award_call, organisation, signed_in_user
):
    nomination = nominate(award_call, signed_in_user, organisation, letters=[pdf_letter()])
    assert nomination.nominee == organisation.name
    assert nomination.letters.count() == 1
    awards_services.nomination_update(
        nomination=nomination,
        actor=signed_in_user,
        justification="Nowe uzasadnienie.",
        on_behalf_of="Rada Osiedla",
    )
    nomination.refresh_from_db()
    assert nomination.justification == "Nowe uzasadnienie."
    after = award_call.nominations_until + timedelta(seconds=1)
    with pytest.raises(ValidationError) as error:
        awards_services.nomination_update(
            nomination=nomination, actor=signed_in_user, justification="Za późno.", now=after
        )
    assert error.value.code == "deadline_passed"
    nomination.refresh_from_db()
    assert nomination.justification == "Nowe uzasadnienie."
    assert AuditEvent.objects.filter(action="community.nomination_update").count() == 1


def test_no_nomination_after_the_deadline(award_call, organisation, signed_in_user):
    with pytest.raises(ValidationError):
        nominate(
            award_call,
            signed_in_user,
            organisation,
            now=award_call.nominations_until + timedelta(seconds=1),
        )
    assert not Nomination.objects.exists()


def test_only_the_nominator_changes_or_withdraws_a_nomination(
    award_call, organisation, signed_in_user, official
):
    nomination = nominate(award_call, signed_in_user, organisation)
    with pytest.raises(ValidationError):
        awards_services.nomination_update(
            nomination=nomination, actor=official, justification="Zmiana urzędnika."
        )
    with pytest.raises(ValidationError):
        awards_services.nomination_withdraw(nomination=nomination, actor=official)
    awards_services.nomination_withdraw(nomination=nomination, actor=signed_in_user)
    assert not Nomination.objects.exists()


def test_a_nominee_is_a_verified_organisation_or_a_person_not_both(
    award_call, organisation, signed_in_user, pending_organisation
):
    with pytest.raises(ValidationError):
        nominate(award_call, signed_in_user, organisation, person_name="Jan Nowak")
    with pytest.raises(ValidationError):
        nominate(award_call, signed_in_user, pending_organisation)
    person = nominate(award_call, signed_in_user, person_name="  Jan Nowak ")
    assert person.nominee == "Jan Nowak"
    nominate(award_call, signed_in_user, organisation)
    with pytest.raises(ValidationError):
        nominate(award_call, signed_in_user, organisation)


def test_letters_must_be_pdfs_and_few(award_call, organisation, signed_in_user):
    with pytest.raises(ValidationError) as error:
        nominate(
            award_call,
            signed_in_user,
            organisation,
            letters=[pdf_letter("list.pdf", b"MZ not a pdf")],
        )
    assert "letters" in error.value.message_dict
    with pytest.raises(ValidationError):
        nominate(award_call, signed_in_user, organisation, letters=[pdf_letter()] * 6)
    assert not Nomination.objects.exists()


def test_the_contest_takes_public_offers_only(contest, signed_in_user, organisation):
    archived = OfferFactory(organisation=organisation, status="archived")
    with pytest.raises(ValidationError):
        awards_services.nomination_create(
            call=contest, actor=signed_in_user, offer=archived, justification="Tak."
        )
    offer = OfferFactory(organisation=organisation)
    nomination = awards_services.nomination_create(
        call=contest, actor=signed_in_user, offer=offer, justification="Tak."
    )
    assert nomination.organisation == organisation
    with pytest.raises(ValidationError):
        nominate(contest, signed_in_user, person_name="Jan Nowak")


def test_a_public_vote_needs_a_contest_and_an_end(municipality, official):
    with pytest.raises(ValidationError) as error:
        awards_services.call_create(
            actor=official,
            municipality=municipality,
            **call_data(public_vote=True, votes_until=timezone.now()),
        )
    assert "public_vote" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        awards_services.call_create(
            actor=official,
            municipality=municipality,
            **call_data(kind=AwardCall.Kind.CONTEST, public_vote=True),
        )
    assert "votes_until" in error.value.message_dict


def test_the_jury_is_officials_and_pes_representatives(
    award_call, official, pes_owner, signed_in_user
):
    from scoring import services as scoring_services

    panel, _seats = seat_jury(award_call, official, [(pes_owner, True)])
    with pytest.raises(ValidationError) as error:
        scoring_services.member_add(panel=panel, user=signed_in_user, actor=official)
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError):
        scoring_services.member_add(
            panel=panel, user=signed_in_user, represents_pes=True, actor=official
        )


def test_the_jury_scores_only_once_nominations_are_closed(
    award_call, official, pes_owner, signed_in_user, organisation
):
    nominate(award_call, signed_in_user, organisation)
    assert not awards_selectors.jury_items(award_call).exists()
    close_nominations(award_call)
    assert awards_selectors.jury_items(award_call).count() == 1


def test_the_mean_decides_and_every_nominator_is_told(
    award_call,
    official,
    pes_owner,
    monitoring_member,
    signed_in_user,
    organisation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    from scoring import services as scoring_services

    other = OrganisationFactory(name="Fundacja Druga")
    second_nominator = UserFactory()
    first = nominate(award_call, signed_in_user, organisation)
    second = nominate(award_call, second_nominator, other)
    person = nominate(award_call, signed_in_user, person_name="Anna Kowalska")
    close_nominations(award_call)
    panel, (chair, juror, pes_juror) = seat_jury(
        award_call, official, [(monitoring_member, False), (pes_owner, True)]
    )
    # The PES juror belongs to the first nominee: a conflict, so they never score it.
    score(pes_juror, first, None, conflict=True)
    score(chair, first, (9, 5))
    score(juror, first, (7, 4))  # mean 8 + 4.5 = 12.5
    score(chair, second, (10, 5))
    score(juror, second, (4, 2))
    score(pes_juror, second, (4, 2))  # mean 6 + 3 = 9
    score(chair, person, (5, 5))
    with pytest.raises(ValidationError):
        awards_services.results_publish(call=award_call, actor=official)  # the jury still open
    scoring_services.panel_close(panel=panel, actor=official)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awards_services.results_publish(call=award_call, actor=official)
    for nomination in (first, second, person):
        nomination.refresh_from_db()
    assert first.place == 1 and str(first.jury_total) == "12.50"
    assert second.place is None and str(second.jury_total) == "9.00"
    assert person.place is None
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [signed_in_user.email, second_nominator.email, signed_in_user.email]
    )
    laureate_mail = next(m for m in mailoutbox if organisation.name in m.body and "1" in m.body)
    assert laureate_mail.to == [signed_in_user.email]
    assert awards_selectors.organisation_distinctions(organisation=organisation) == [first]
    with pytest.raises(ValidationError):
        awards_services.results_publish(call=award_call, actor=official)


def test_one_vote_per_account_and_contest(contest, contest_entries, pes_owner):
    first, second = contest_entries
    awards_services.vote_cast(call=contest, nomination=first, actor=pes_owner)
    with pytest.raises(ValidationError) as error:
        awards_services.vote_cast(call=contest, nomination=second, actor=pes_owner)
    assert error.value.code == "second_vote"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.votes, second.votes) == (1, 0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(call=contest, nomination=second, voter=pes_owner)


def test_no_vote_after_its_end_or_without_a_verified_address(contest, contest_entries):
    from allauth.account.models import EmailAddress

    voter = UserFactory()
    later = contest.votes_until + timedelta(seconds=1)
    with pytest.raises(ValidationError):
        awards_services.vote_cast(
            call=contest, nomination=contest_entries[0], actor=voter, now=later
        )
    EmailAddress.objects.filter(user=voter).update(verified=False)
    with pytest.raises(ValidationError) as error:
        awards_services.vote_cast(call=contest, nomination=contest_entries[0], actor=voter)
    assert error.value.code == "unverified"
    assert not Vote.objects.exists()


def test_the_monitoring_counts_nominations_and_laureates(award_call, signed_in_user, organisation):
    nominate(award_call, signed_in_user, organisation)
    today = timezone.localdate()
    municipality = award_call.municipality
    assert (
        awards_selectors.indicator_nominations(
            municipality=municipality,
            start=today - timedelta(days=1),
            end=today + timedelta(days=1),
        )
        == 1
    )
    Nomination.objects.update(place=1)
    AwardCall.objects.update(results_published_at=timezone.now())
    assert (
        awards_selectors.indicator_laureates(
            municipality=municipality,
            start=today - timedelta(days=1),
            end=today + timedelta(days=1),
        )
        == 1
    )
    from monitoring.computed import evaluate

    # A period around today: the test may run across midnight.
    period = {"start": today - timedelta(days=1), "end": today + timedelta(days=1)}
    assert evaluate("community_nominations", municipality=municipality, **period) == 1
    assert evaluate("community_laureates", municipality=municipality, **period) == 1


def test_personal_data_lists_nominations_and_votes(contest, contest_entries, signed_in_user):
    awards_services.vote_cast(call=contest, nomination=contest_entries[0], actor=signed_in_user)
    data = awards_selectors.personal_data(user=signed_in_user)
    assert len(data["nominations"]) == 2
    assert data["votes"][0]["nominee"] == contest_entries[0].nominee


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (SQLite has one writer)",
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_votes_of_one_account_count_once(municipality, official, organisation):
    contest = awards_services.call_create(
        actor=official,
        municipality=municipality,
        **call_data(
            kind=AwardCall.Kind.CONTEST,
            public_vote=True,
            votes_until=timezone.now() + timedelta(days=3),
        ),
    )
    voter = UserFactory()
    entry = awards_services.nomination_create(
        call=contest,
        actor=voter,
        offer=OfferFactory(organisation=organisation),
        justification="Tak.",
    )
    parallel = 5
    start = threading.Barrier(parallel)
    refused = []

    def vote():
        try:
            start.wait()
            awards_services.vote_cast(call=contest, nomination=entry, actor=voter)
        except ValidationError:
            refused.append(1)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entry.refresh_from_db()
    assert (entry.votes, Vote.objects.count(), len(refused)) == (1, 1, parallel - 1)
