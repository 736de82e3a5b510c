"""The event pages for every role (allowed, refused, or the same 404 for a draft one may not
see), the calendar's feeds parsed back, bad input that loses nothing, and fixed query counts."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from community import services
from community.models import Event, Registration
from tests.community.conftest import event_data, register
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

CITY = {"official", "monitoring_member", "admin_user"}
PUBLISHERS = CITY | {"other_official", "pes_owner", "pes_editor", "other_pes_member"}
MEMBERS = {"pes_owner", "pes_editor"}
SIGNED_IN = set(ROLES) - {"resident"}


def expected(role, allowed, *, denied=403):
    if role == "resident":
        return "login"
    return 200 if role in allowed else denied


def _pdf_text(content: bytes) -> str:
    import io

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- public pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_calendar_and_a_published_event(role, as_role, client, training):
    as_role(role)
    today = timezone.localdate(training.starts_at)
    for url in (
        reverse("community:event-list"),
        reverse("community:event-month", args=[today.year, today.month]),
        training.get_absolute_url(),
        reverse("community:event-ical"),
        reverse("community:event-feed"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert training.title in response.content.decode(), url


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_by_those_who_manage_it_only(role, as_role, client, draft):
    as_role(role)
    assert client.get(draft.get_absolute_url()).status_code == (200 if role in CITY else 404)
    listed = draft.title in client.get(reverse("community:event-list")).content.decode()
    assert listed == (role in CITY)  # among the drafts of those who manage it, not the calendar


@pytest.mark.parametrize("role", ROLES)
def test_who_may_publish_an_event(role, as_role, client):
    as_role(role)
    assert outcome(client.get(reverse("community:event-create"))) == expected(role, PUBLISHERS)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_manage_the_citys_event(role, as_role, client, training, pes_owner):
    register(training, pes_owner)
    as_role(role)
    for name in ("event-update", "participants", "event-cancel"):
        response = client.get(reverse(f"community:{name}", args=[training.pk]))
        assert outcome(response) == expected(role, CITY), name
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(reverse("community:attendance-list", args=[training.pk, fmt]))
        assert outcome(response) == expected(role, CITY), fmt


@pytest.mark.parametrize("role", ROLES)
def test_a_pes_manages_its_own_event(role, as_role, client, pes_event):
    as_role(role)
    response = client.get(reverse("community:participants", args=[pes_event.pk]))
    assert outcome(response) == expected(role, CITY | MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_register(role, as_role, client, training):
    user = as_role(role)
    response = client.post(
        reverse("community:event-register", args=[training.pk]), {"myself": "on"}
    )
    if role == "resident":
        assert outcome(response) == "login"
        assert not Registration.objects.exists()
        return
    assert response.status_code == 302
    assert Registration.objects.get().email == user.email


@pytest.mark.parametrize("role", ROLES)
def test_a_registration_is_cancelled_by_who_made_it_or_the_organiser(
    role, as_role, client, training, signed_in_user
):
    (registration,) = register(training, signed_in_user)
    as_role(role)
    url = reverse("community:registration-cancel", args=[registration.pk])
    allowed = CITY | {"signed_in_user"}
    assert outcome(client.get(url)) == expected(role, allowed, denied=404)
    client.post(url)
    registration.refresh_from_db()
    cancelled = registration.status == Registration.Status.CANCELLED
    assert cancelled == (role in allowed)


# --- registration through the page --------------------------------------------------------------


def test_a_pes_registers_colleagues_and_the_last_ones_wait(
    client, training, pes_owner, organisation
):
    client.force_login(pes_owner)
    response = client.post(
        reverse("community:event-register", args=[training.pk]),
        {
            "myself": "on",
            "organisation": organisation.pk,
            "colleagues": "Anna Nowak anna@example.org\nPiotr Zieliński <piotr@example.org>\n"
            "Ewa Lis, ewa@example.org",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Piotr Zieliński" in page and "na liście oczekujących, miejsce 1" in page
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        pes_owner.email: "confirmed",
        "anna@example.org": "confirmed",
        "piotr@example.org": "confirmed",
        "ewa@example.org": "waiting",
    }


def test_a_registration_after_the_deadline_gets_a_polish_message(client, training, pes_owner):
    Event.objects.filter(pk=training.pk).update(
        registration_deadline=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(pes_owner)
    response = client.post(
        reverse("community:event-register", args=[training.pk]),
        {"myself": "on", "colleagues": "Anna Nowak anna@example.org"},
    )
    assert response.status_code == 400
    assert "Zapisy na to wydarzenie są zamknięte" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_bad_colleague_line_keeps_what_was_typed(client, training, pes_owner):
    client.force_login(pes_owner)
    response = client.post(
        reverse("community:event-register", args=[training.pk]),
        {"myself": "on", "colleagues": "Anna Nowak bez-adresu"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Anna Nowak bez-adresu" in page
    assert "adres e-mail" in page
    assert not Registration.objects.exists()


# --- the organisers' forms -----------------------------------------------------------------------


def _form(event=None, speakers="", **overrides):
    data = event_data(**overrides)
    local = timezone.localtime
    for name in ("starts_at", "ends_at", "registration_deadline"):
        data[name] = local(data[name]).strftime("%Y-%m-%dT%H:%M")
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["speakers"] = speakers
    return data


def test_an_official_publishes_an_event_with_speakers(client, official, municipality, organisation):
    client.force_login(official)
    data = _form(
        speakers=f"Anna Nowak | Catering dla szkół | {organisation.nip}\nJan Kowalski",
        latitude="53.01",
        longitude="18.6",
    )
    data["publisher"] = f"m{municipality.pk}"
    response = client.post(reverse("community:event-create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.status == Event.Status.DRAFT
    assert [(s.name, s.organisation) for s in event.speakers.all()] == [
        ("Anna Nowak", organisation),
        ("Jan Kowalski", None),
    ]
    client.post(reverse("community:event-publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    page = client.get(event.get_absolute_url()).content.decode()
    assert organisation.get_absolute_url() in page
    # The organisation's page lists the event it speaks at.
    assert event.title in client.get(organisation.get_absolute_url()).content.decode()


def test_a_pes_publishes_for_its_own_organisation_only(
    client, pes_owner, organisation, municipality
):
    client.force_login(pes_owner)
    data = _form()
    data["publisher"] = f"m{municipality.pk}"
    response = client.post(reverse("community:event-create"), data)
    assert response.status_code == 200 and not Event.objects.exists()
    data["publisher"] = f"o{organisation.pk}"
    assert client.post(reverse("community:event-create"), data).status_code == 302
    assert Event.objects.get().organiser == organisation


def test_bad_event_input_gets_polish_messages_and_keeps_the_title(client, official, municipality):
    client.force_login(official)
    data = _form(venue="", title="Forum 2026")
    data["ends_at"] = data["starts_at"]
    data["publisher"] = f"m{municipality.pk}"
    data["speakers"] = "Anna | temat | 123"
    page = client.post(reverse("community:event-create"), data).content.decode()
    assert "Wydarzenie musi się skończyć po rozpoczęciu." in page
    assert "Podaj miejsce wydarzenia lub link do spotkania online." in page
    assert "NIP lub KRS" in page
    assert 'value="Forum 2026"' in page
    assert not Event.objects.exists()


def test_capacity_below_the_registrations_is_refused_with_a_message(
    client, official, training, pes_owner, municipality
):
    register(training, pes_owner, 3)
    client.force_login(official)
    data = _form(capacity=2)
    data["publisher"] = f"m{municipality.pk}"
    response = client.post(reverse("community:event-update", args=[training.pk]), data)
    assert "Zajęte miejsca: 3." in response.content.decode()
    training.refresh_from_db()
    assert training.capacity == 3


def test_attendance_and_a_certificate(client, official, training, pes_owner):
    created = register(training, pes_owner, 2)
    Event.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - timedelta(hours=6), ends_at=timezone.now()
    )
    client.force_login(official)
    url = reverse("community:participants", args=[training.pk])
    client.post(url, {"shown": [r.pk for r in created], "present": [created[0].pk]})
    assert [r.attended for r in Registration.objects.order_by("pk")] == [True, False]
    certificate = client.get(reverse("community:certificate", args=[created[0].pk]))
    assert certificate["Content-Type"] == "application/pdf"
    text = _pdf_text(certificate.content)
    assert created[0].name in text and training.title in text and "liczba godzin: 6" in text
    # No certificate for the absent one.
    assert client.get(reverse("community:certificate", args=[created[1].pk])).status_code == 404
    listing = client.get(reverse("community:attendance-list", args=[training.pk, "pdf"]))
    assert "Podpis" in _pdf_text(listing.content)
    csv = client.get(reverse("community:attendance-list", args=[training.pk, "csv"]))
    assert created[1].name in b"".join(csv.streaming_content).decode("utf-8-sig")


# --- feeds ------------------------------------------------------------------------------------


def test_the_icalendar_feed_parses_back(client, training, municipality, official):
    services.event_update(event=training, actor=official, latitude="53.01", longitude="18.6")
    response = client.get(reverse("community:event-ical"), {"kind": "training"})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["summary"]) == training.title
    assert entry.decoded("dtstart") == training.starts_at.replace(microsecond=0)
    assert entry.decoded("dtend") == training.ends_at.replace(microsecond=0)
    assert str(entry["url"]).endswith(training.get_absolute_url())
    assert entry["geo"].latitude == pytest.approx(53.01)
    other = client.get(reverse("community:event-ical"), {"kind": "fair"})
    assert Calendar.from_ical(other.content).walk("VEVENT") == []


def test_the_atom_feed_lists_published_events(client, training, draft):
    content = client.get(reverse("community:event-feed")).content.decode()
    assert training.title in content and draft.title not in content
    assert re.search(r"<feed[^>]*Atom", content)


# --- query counts --------------------------------------------------------------------------------


@pytest.fixture
def many_events(municipality, official):
    for index in range(25):
        event = services.event_create(
            actor=official, municipality=municipality, **event_data(title=f"Szkolenie {index}")
        )
        services.event_publish(event=event, actor=official)


def test_the_calendar_list_runs_a_fixed_number_of_queries(
    client, many_events, django_assert_num_queries
):
    # On PostgreSQL the paginator first asks the planner's estimate (pestor.pagination).
    with django_assert_num_queries(2 + (connection.vendor == "postgresql")):
        assert client.get(reverse("community:event-list")).status_code == 200


def test_the_month_runs_a_fixed_number_of_queries(client, many_events, django_assert_num_queries):
    day = timezone.localdate() + timedelta(days=7)
    with django_assert_num_queries(1):
        response = client.get(reverse("community:event-month", args=[day.year, day.month]))
    assert response.status_code == 200


def test_an_event_page_with_many_participants_runs_a_fixed_number_of_queries(
    client, training, official, signed_in_user, django_assert_num_queries
):
    services.event_update(event=training, actor=official, capacity=30)
    for batch in range(4):
        register(training, signed_in_user, 10, prefix=f"p{batch}")  # 10 of them wait
    client.force_login(signed_in_user)
    client.get(training.get_absolute_url())
    with django_assert_num_queries(8):
        assert client.get(training.get_absolute_url()).status_code == 200


def test_the_participants_page_runs_a_fixed_number_of_queries(
    client, training, official, signed_in_user, django_assert_num_queries
):
    services.event_update(event=training, actor=official, capacity=100)
    for batch in range(4):
        register(training, signed_in_user, 10, prefix=f"p{batch}")
    client.force_login(official)
    client.get(reverse("community:participants", args=[training.pk]))
    with django_assert_num_queries(6):
        response = client.get(reverse("community:participants", args=[training.pk]))
    assert response.status_code == 200


def test_after_the_event_nobody_is_offered_a_cancellation(client, official, training, pes_owner):
    (registration,) = register(training, pes_owner)
    Event.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - timedelta(hours=6), ends_at=timezone.now() - timedelta(hours=1)
    )
    cancel_url = reverse("community:registration-cancel", args=[registration.pk])
    client.force_login(official)
    assert (
        cancel_url
        not in client.get(reverse("community:participants", args=[training.pk])).content.decode()
    )
    assert client.get(cancel_url).status_code == 403
