"""The same card after funding: the funded PES gives what the task achieved for each outcome,
an official verifies it; promised and achieved stand side by side on the offer's page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants import selectors, services
from grants.models import Competition, Offer
from scoring import services as scoring_services
from tests.grants.factories import close_offers
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

MEMBERS = {"pes_owner", "pes_editor"}
OFFICIALS = {"official", "admin_user"}


@pytest.fixture
def funded(offer, competition, official):
    competition = close_offers(competition)
    services.offer_check(offer=offer, actor=official, failed_criteria=[])
    panel = selectors.competition_panel(competition=competition)
    scoring_services.panel_close(panel=panel, actor=official)
    competition.__dict__.pop("_grants_panel", None)
    services.competition_decide(
        competition=competition, actor=official, amounts={offer.pk: Decimal(15000)}
    )
    offer.refresh_from_db()
    return offer


def _achievements(offer, **overrides):
    values = {row.outcome_id: (Decimal(450), "Listy obecności") for row in offer.outcomes.all()}
    values.update(overrides)
    return values


def test_the_funded_pes_returns_the_card_and_an_official_verifies_it(
    funded, pes_owner, official, outcomes
):
    services.card_submit(offer=funded, actor=pes_owner, achievements=_achievements(funded))
    row = funded.outcomes.get(outcome=outcomes[0])
    assert (row.promised_quantity, row.achieved_quantity) == (Decimal(500), Decimal(450))
    services.card_verify(offer=funded, actor=official)
    funded.refresh_from_db()
    assert funded.card_verified_by == official
    with pytest.raises(ValidationError):
        services.card_submit(offer=funded, actor=pes_owner, achievements=_achievements(funded))


def test_a_direct_achievement_needs_its_evidence(funded, pes_owner, outcomes):
    with pytest.raises(ValidationError) as error:
        services.card_submit(
            offer=funded,
            actor=pes_owner,
            achievements=_achievements(funded) | {outcomes[0].pk: (Decimal(10), "")},
        )
    assert f"evidence_{outcomes[0].pk}" in error.value.message_dict
    funded.refresh_from_db()
    assert funded.card_submitted_at is None


def test_an_unfunded_offer_has_no_card(offer, pes_owner):
    with pytest.raises(ValidationError):
        services.card_submit(offer=offer, actor=pes_owner, achievements=_achievements(offer))


@pytest.mark.parametrize("role", ROLES)
def test_who_fills_and_verifies_the_card(role, as_role, client, funded, outcomes):
    as_role(role)
    url = reverse("grants:offer-card", args=[funded.pk])
    seen = MEMBERS | OFFICIALS
    response = client.get(url)
    expected = (
        "login"
        if role == "resident"
        else (200 if role in MEMBERS else (403 if role in seen else 404))
    )
    assert outcome(response) == expected
    data = {}
    for row in funded.outcomes.all():
        data[f"achieved_{row.outcome_id}"] = "450"
        data[f"evidence_{row.outcome_id}"] = "Listy obecności"
    client.post(url, data)
    funded.refresh_from_db()
    assert (funded.card_submitted_at is not None) == (role in MEMBERS)
    if role in MEMBERS:
        page = client.get(funded.get_absolute_url()).content.decode()
        assert "Listy obecności" in page
    Offer.objects.filter(pk=funded.pk).update(
        card_submitted_at=funded.card_submitted_at or "2026-11-30T12:00Z"
    )
    client.post(reverse("grants:offer-card-verify", args=[funded.pk]))
    funded.refresh_from_db()
    assert (funded.card_verified_at is not None) == (role in OFFICIALS)


def test_the_card_counts_in_monitoring(funded, pes_owner, municipality):
    from django.utils import timezone

    services.card_submit(offer=funded, actor=pes_owner, achievements=_achievements(funded))
    today = timezone.localdate()
    assert (
        selectors.indicator_cards_returned(
            municipality=municipality, start=today.replace(day=1), end=today
        )
        == 1
    )


# --- reminders (Celery beat: grants.tasks.send_card_reminders) ---------------------------------


def test_the_card_is_asked_for_when_the_task_ends_and_again_when_overdue(
    funded, pes_owner, pes_editor, django_capture_on_commit_callbacks, mailoutbox
):
    from datetime import timedelta

    from grants import tasks

    ended = funded.competition.task_ends_on
    card_url = reverse("grants:offer-card", args=[funded.pk])

    def remind(today):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.card_reminders_send(today=today)
        return sent, sorted(message.to[0] for message in mailoutbox)

    members = sorted([pes_owner.email, pes_editor.email])
    assert remind(ended) == (0, [])  # the task ends today: nothing asked yet
    sent, recipients = remind(ended + timedelta(days=1))
    assert (sent, recipients) == (1, members)
    assert funded.task_title in mailoutbox[0].subject
    assert card_url in mailoutbox[0].body
    assert remind(ended + timedelta(days=2))[1] == []  # each reminder once
    overdue = ended + timedelta(days=services.CARD_OVERDUE_AFTER_DAYS + 1)
    assert remind(overdue)[1] == members
    assert remind(overdue + timedelta(days=1))[1] == []
    # The beat task runs the same service on today's date; both reminders are already sent.
    mailoutbox.clear()
    long_ago = timezone.localdate() - timedelta(days=services.CARD_OVERDUE_AFTER_DAYS + 1)
    Competition.objects.filter(pk=funded.competition_id).update(
        task_starts_on=long_ago - timedelta(days=90), task_ends_on=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_card_reminders.delay().get() == 1
    assert mailoutbox == []


def test_a_returned_card_or_an_unfunded_offer_is_never_reminded(
    funded, pes_owner, django_capture_on_commit_callbacks, mailoutbox
):
    from datetime import timedelta

    services.card_submit(offer=funded, actor=pes_owner, achievements=_achievements(funded))
    later = funded.competition.task_ends_on + timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.card_reminders_send(today=later) == 0
    Offer.objects.filter(pk=funded.pk).update(status=Offer.Status.UNFUNDED, card_submitted_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.card_reminders_send(today=later) == 0
    assert mailoutbox == []
