"""The formal check's call to supplement: an official names the gap and a date, the PES is
e-mailed and may supplement its offer until the end of that day (server clock), then the
official records the check as passed or failed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import Offer
from pestor.models import AuditEvent
from tests.grants.factories import close_offers, offer_data
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

OFFICIALS = {"official", "admin_user"}
MEMBERS = {"pes_owner", "pes_editor"}


def expected(role, allowed, *, denied=403):
    if role == "resident":
        return "login"
    return 200 if role in allowed else denied


@pytest.fixture
def called(offer, competition, official, mailoutbox, django_capture_on_commit_callbacks):
    close_offers(competition)
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.offer_call_supplement(
            offer=offer,
            actor=official,
            note="Brak podpisu drugiej osoby w ofercie.",
            until=timezone.localdate() + timedelta(days=3),
        )
    return offer


def test_the_call_e_mails_the_pes_with_the_gap_and_the_date(called, mailoutbox, pes_owner):
    assert called.formal_status == Offer.Formal.SUPPLEMENT
    assert pes_owner.email in [message.to[0] for message in mailoutbox]
    message = mailoutbox[0]
    assert "Uzupełnij ofertę" in message.subject
    assert "Brak podpisu drugiej osoby" in message.body
    assert f"{called.supplement_until:%d.%m.%Y}" in message.body
    assert called.get_absolute_url() in message.body
    assert AuditEvent.objects.filter(action="grants.offer_call_supplement").exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_calls_to_supplement(role, as_role, client, offer, competition):
    close_offers(competition)
    as_role(role)
    url = reverse("grants:offer-call-supplement", args=[offer.pk])
    until = timezone.localdate() + timedelta(days=2)
    response = client.post(url, {"note": "Brak statutu", "until": until.isoformat()})
    offer.refresh_from_db()
    if role in OFFICIALS:
        assert response.status_code == 302
        assert offer.formal_status == Offer.Formal.SUPPLEMENT
    else:
        assert outcome(response) == expected(role, set(), denied=403 if role in MEMBERS else 404)
        assert offer.formal_status == Offer.Formal.PENDING


def test_no_call_before_the_deadline_or_after_the_check(client, offer, competition, official):
    client.force_login(official)
    url = reverse("grants:offer-call-supplement", args=[offer.pk])
    data = {"note": "Brak statutu", "until": timezone.localdate().isoformat()}
    assert client.post(url, data).status_code == 403  # offers are still taken
    close_offers(competition)
    services.offer_check(offer=offer, actor=official, failed_criteria=[])
    assert client.post(url, data).status_code == 403


def test_bad_input_gets_polish_messages_and_changes_nothing(client, offer, competition, official):
    close_offers(competition)
    client.force_login(official)
    url = reverse("grants:offer-call-supplement", args=[offer.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(url, {"note": "  ", "until": yesterday.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Napisz, co organizacja ma uzupełnić." in page
    assert "Termin uzupełnienia nie może być w przeszłości." in page
    response = client.post(url, {"note": "Brak statutu", "until": "31.02.2026"})
    assert "Wpisz poprawną datę." in response.content.decode()
    offer.refresh_from_db()
    assert offer.formal_status == Offer.Formal.PENDING


def _supplement(offer, outcomes, **overrides):
    data = offer_data(outcomes, task_title="Festiwal podwórek (uzupełniona)")
    data.pop("contributions")
    post = {key: value for key, value in data.items() if key != "documents"}
    post.update(
        {
            f"contribution_{outcomes[0].pk}": "direct",
            f"quantity_{outcomes[0].pk}": "500",
            f"contribution_{outcomes[1].pk}": "indirect",
        }
    )
    post.update(overrides)
    return post


@pytest.mark.parametrize("role", ROLES)
def test_who_supplements(role, as_role, client, called, outcomes):
    as_role(role)
    url = reverse("grants:offer-supplement", args=[called.pk])
    response = client.post(url, _supplement(called, outcomes))
    called.refresh_from_db()
    if role in MEMBERS:
        assert response.status_code == 302
        assert called.task_title == "Festiwal podwórek (uzupełniona)"
        assert called.supplemented_at is not None
    else:
        denied = 403 if role in OFFICIALS else 404
        assert outcome(response) == expected(role, set(), denied=denied)
        assert called.task_title == "Festiwal podwórek"


def test_the_pes_supplements_until_the_end_of_the_day_named(called, pes_owner, outcomes):
    data = offer_data(outcomes, task_title="Na czas")
    until = called.supplement_until
    tz = timezone.get_current_timezone()
    last_minute = timezone.datetime.combine(until, timezone.datetime.max.time(), tzinfo=tz)
    services.offer_supplement(offer=called, actor=pes_owner, now=last_minute, **data)
    with pytest.raises(services.ValidationError):
        services.offer_supplement(
            offer=called,
            actor=pes_owner,
            now=last_minute + timedelta(seconds=1),
            **offer_data(outcomes, task_title="Za późno"),
        )
    called.refresh_from_db()
    assert called.task_title == "Na czas"


def test_after_the_date_the_page_refuses_and_the_official_decides(
    client, called, pes_owner, official, outcomes, competition
):
    Offer.objects.filter(pk=called.pk).update(
        supplement_until=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(pes_owner)
    url = reverse("grants:offer-supplement", args=[called.pk])
    assert client.get(url).status_code == 403
    assert "Uzupełnij ofertę" not in client.get(called.get_absolute_url()).content.decode()
    # The official then records the check: not supplemented, failed with the reason.
    client.force_login(official)
    criteria = list(competition.formal_criteria.all())
    client.post(
        reverse("grants:offer-check", args=[called.pk]),
        {**{f"met_{c.pk}": "on" for c in criteria[1:]}, "note": "Nie uzupełniono"},
    )
    called.refresh_from_db()
    assert called.formal_status == Offer.Formal.FAILED
    assert "Nie uzupełniono" in called.formal_reason


def test_a_supplemented_offer_passes(client, called, pes_owner, official, outcomes, competition):
    client.force_login(pes_owner)
    page = client.get(called.get_absolute_url()).content.decode()
    assert "Wezwano do uzupełnienia" in page and "Brak podpisu drugiej osoby" in page
    client.post(reverse("grants:offer-supplement", args=[called.pk]), _supplement(called, outcomes))
    client.force_login(official)
    criteria = list(competition.formal_criteria.all())
    client.post(
        reverse("grants:offer-check", args=[called.pk]), {f"met_{c.pk}": "on" for c in criteria}
    )
    called.refresh_from_db()
    assert called.formal_status == Offer.Formal.PASSED
    assert called.grant_requested == Decimal("20000.00")
