"""The events a partnership organises: who may name the partnership on an event (the people of
an organising PES that is its active member, for every role), the refusals with their Polish
message that lose nothing, the event's page and the calendar's filter, the partnership's page
listing its coming events, and that page's fixed number of queries (at most ten) whatever the
members, offers and events."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community import services as community_services
from community.models import Event
from partnerships import services
from partnerships.models import Meeting
from tests.community.conftest import event_data
from tests.directory.factories import MembershipFactory, OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

REFUSED = "Partnerstwo organizuje tylko wydarzenia PES, który jest jego aktywnym członkiem"
# Those who may publish an event at all (tests/community/test_views.py) but, acting for no
# active member of the cluster, may not name it.
PUBLISHERS = {
    "official",
    "monitoring_member",
    "admin_user",
    "other_official",
    "other_pes_member",
}
# The people of the cluster's coordinator, an active member.
MEMBERS = {"pes_owner", "pes_editor"}


def _form(publisher, partnership="", **overrides):
    overrides.setdefault("title", "Spotkanie klastra")
    data = event_data(**overrides)
    for name in ("starts_at", "ends_at", "registration_deadline"):
        data[name] = timezone.localtime(data[name]).strftime("%Y-%m-%dT%H:%M")
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(speakers="", publisher=publisher, partnership=partnership)
    return data


def _publish(organisation, partnership, actor, **overrides):
    event = community_services.event_create(
        actor=actor,
        municipality=organisation.seat_municipality,
        organiser=organisation,
        partnership=partnership.pk if partnership else None,
        **event_data(**overrides),
    )
    return community_services.event_publish(event=event, actor=actor)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_name_the_partnership_on_an_event(role, as_role, client, cluster):
    user = as_role(role)
    url = reverse("community:event-create")
    response = client.get(url)
    if role not in MEMBERS | PUBLISHERS:
        assert outcome(response) == ("login" if role == "resident" else 403)
        assert outcome(client.post(url, _form("m1", cluster.pk))) == outcome(response)
        assert not Event.objects.exists()
        return
    form = response.context["form"]
    # The field is offered to the people of an active member only, with its partnerships.
    assert form.offers_partnerships == (role in MEMBERS)
    offered = [value for value, _label in form.fields["partnership"].choices if value]
    assert offered == ([str(cluster.pk)] if role in MEMBERS else [])
    publisher = form.fields["publisher"].choices[0][0]
    response = client.post(url, _form(publisher, cluster.pk))
    if role in MEMBERS:
        assert response.status_code == 302
        event = Event.objects.get()
        assert event.partnership == cluster and event.created_by == user
    else:
        # Not among the choices: refused, the title kept, nothing saved.
        assert response.status_code == 200
        assert not Event.objects.exists()
        assert 'value="Spotkanie klastra"' in response.content.decode()


def test_publishing_as_an_organisation_outside_the_partnership_is_refused_in_polish(
    client, cluster, pes_owner
):
    # The PES owner also runs an organisation that is not in the cluster.
    outsider = OrganisationFactory(name="Fundacja Spoza Klastra")
    MembershipFactory(organisation=outsider, user=pes_owner, role="owner")
    client.force_login(pes_owner)
    response = client.post(reverse("community:event-create"), _form(f"o{outsider.pk}", cluster.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page and 'value="Spotkanie klastra"' in page
    assert not Event.objects.exists()


def test_the_service_refuses_an_organiser_that_is_not_an_active_member(
    cluster, organisation, pes_owner, municipality
):
    outsider = OrganisationFactory(seat_municipality=municipality)
    for organiser in (outsider, None):
        with pytest.raises(ValidationError) as refused:
            community_services.event_create(
                actor=pes_owner,
                municipality=municipality,
                organiser=organiser,
                partnership=cluster.pk,
                **event_data(),
            )
        assert "partnership" in refused.value.message_dict
    assert not Event.objects.exists()
    # An invited member is not an active one yet.
    member = services.member_invite(
        actor=None, partnership=cluster, kind="organisation", target=outsider
    )
    with pytest.raises(ValidationError):
        _publish(outsider, cluster, pes_owner)
    services.member_accept(actor=None, member=member)
    assert _publish(outsider, cluster, pes_owner).partnership == cluster


def test_a_member_that_left_keeps_its_event_but_cannot_name_the_partnership_again(
    client, cluster, organisation, pes_owner
):
    event = _publish(organisation, cluster, pes_owner)
    # The coordinator is the first member; another organisation coordinates from now on, and
    # the first one leaves.
    (member,) = cluster.members.filter(organisation=organisation)
    services.member_end(actor=None, member=member, left_on=timezone.localdate())
    client.force_login(pes_owner)
    url = reverse("community:event-update", args=[event.pk])
    form = client.get(url).context["form"]
    assert [value for value, _ in form.fields["partnership"].choices if value] == [str(cluster.pk)]
    # Edited with the partnership unchanged: kept.
    data = _form(f"o{organisation.pk}", cluster.pk, title="Spotkanie klastra (nowy termin)")
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.partnership == cluster and event.title == "Spotkanie klastra (nowy termin)"
    # Taken off: it cannot be named again.
    client.post(url, _form(f"o{organisation.pk}", ""))
    event.refresh_from_db()
    assert event.partnership is None
    response = client.post(url, _form(f"o{organisation.pk}", cluster.pk))
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.partnership is None


def test_the_event_page_names_the_partnership_and_the_partnership_page_lists_its_events(
    client, cluster, organisation, pes_owner, official, municipality
):
    coming = _publish(organisation, cluster, pes_owner, title="Targi klastra")
    running = _publish(
        organisation,
        cluster,
        pes_owner,
        title="Warsztaty klastra",
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=5),
        registration_deadline=timezone.now() - timedelta(hours=2),
    )
    past = community_services.event_create(
        actor=pes_owner,
        municipality=municipality,
        organiser=organisation,
        partnership=cluster.pk,
        **event_data(
            title="Zeszłoroczne spotkanie klastra",
            starts_at=timezone.now() - timedelta(days=300),
            ends_at=timezone.now() - timedelta(days=300) + timedelta(hours=3),
            registration_deadline=timezone.now() - timedelta(days=301),
        ),
    )
    community_services.event_publish(event=past, actor=pes_owner)
    community_services.event_create(
        actor=pes_owner,
        municipality=municipality,
        organiser=organisation,
        partnership=cluster.pk,
        **event_data(title="Projekt spotkania klastra"),
    )
    own = _publish(organisation, None, pes_owner, title="Dzień otwarty bez klastra")
    city = community_services.event_publish(
        event=community_services.event_create(
            actor=official, municipality=municipality, **event_data(title="Forum miasta")
        ),
        actor=official,
    )

    page = client.get(coming.get_absolute_url()).content.decode()
    assert "Organizowane przez partnerstwo" in page and cluster.get_absolute_url() in page
    assert cluster.get_absolute_url() not in client.get(own.get_absolute_url()).content.decode()

    page = client.get(cluster.get_absolute_url()).content.decode()
    assert "Wydarzenia partnerstwa" in page
    assert page.index(running.title) < page.index(coming.title)
    for absent in (past, own, city):
        assert absent.title not in page
    assert "Projekt spotkania klastra" not in page
    link = reverse("community:event-list") + f"?partnership={cluster.slug}&amp;when="
    assert link in page

    # The calendar filtered by the partnership: its published events, past ones included.
    listed = client.get(
        reverse("community:event-list"), {"partnership": cluster.slug, "when": ""}
    ).content.decode()
    for title in (coming.title, running.title, past.title):
        assert title in listed
    for title in (own.title, city.title, "Projekt spotkania klastra"):
        assert title not in listed
    # The filter travels with the others (a hidden field of the filter form).
    assert f'name="partnership" value="{cluster.slug}"' in listed
    upcoming = client.get(
        reverse("community:event-list"), {"partnership": cluster.slug}
    ).content.decode()
    assert coming.title in upcoming and past.title not in upcoming


def test_a_partnership_without_events_says_so(client, cluster):
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert "Partnerstwo nie ma zaplanowanych wydarzeń." in page


def test_the_partnership_page_lists_five_coming_events_at_most(client, cluster, organisation):
    owner = make_pes_member(organisation, email="drugi@example.org")
    for number in range(7):
        _publish(
            organisation,
            cluster,
            owner,
            title=f"Spotkanie numer {number}",
            starts_at=timezone.now() + timedelta(days=10 + number),
            ends_at=timezone.now() + timedelta(days=10 + number, hours=2),
            registration_deadline=timezone.now() + timedelta(days=9),
        )
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert [f"Spotkanie numer {n}" in page for n in range(7)] == [True] * 5 + [False] * 2


# --- the number of queries ---------------------------------------------------------------------

# The partnership with its themes, territory and meetings; the members (and, signed in, the
# invitations and requests) with their themes; the coming events; the offer's count, keys,
# cards and photos. Signed in: the session, the user and the roles first. Ten at most (issue 8).
EXPECTED = {"anonymous": 7, "coordinator": 10, "member": 10, "official": 10}


@pytest.mark.parametrize("viewer", ["anonymous", "coordinator", "member", "official"])
def test_the_partnership_page_runs_a_fixed_number_of_queries_at_most_ten(
    viewer, client, cluster, organisation, municipality, pes_owner, official
):
    def join(themes=2):
        joining = OrganisationFactory(seat_municipality=municipality)
        member = services.member_invite(
            actor=None,
            partnership=cluster,
            kind="organisation",
            target=joining,
            themes=list(cluster.themes.all()[:themes]),
        )
        services.member_accept(actor=None, member=member)
        return joining

    member_person = make_pes_member(join(), email="czlonek@example.org")
    user = {
        "anonymous": None,
        "coordinator": pes_owner,
        "member": member_person,
        "official": official,
    }[viewer]
    if user is not None:
        client.force_login(user)
    start = timezone.now() + timedelta(days=3)
    serial = iter(range(1000))

    def grow():
        number = next(serial)
        organisation_ = join(themes=3)
        # An invitation waiting (shown to the coordinator) and a meeting of each kind.
        services.member_invite(
            actor=None,
            partnership=cluster,
            kind="organisation",
            target=OrganisationFactory(seat_municipality=municipality),
        )
        OfferFactory(organisation=organisation_)
        OfferFactory(organisation=organisation_)
        _publish(
            organisation_,
            cluster,
            pes_owner,
            title=f"Wydarzenie {number}",
            starts_at=start + timedelta(days=number),
            ends_at=start + timedelta(days=number, hours=2),
            registration_deadline=start - timedelta(days=1),
        )
        services.meeting_save(
            actor=None,
            meeting=Meeting(partnership=cluster),
            held_on=date(2026, 1, 1) + timedelta(days=number),
            title=f"Spotkanie {number}",
            minutes="Protokół.",
            decisions="",
            is_published=bool(number % 2),
        )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(cluster.get_absolute_url())
        assert response.status_code == 200
        assert "Wydarzenie 0" in response.content.decode()
        return len(captured)

    grow()
    with_one = queries()
    for _number in range(12):
        grow()
    services.member_accept(
        actor=None,
        member=services.member_invite(
            actor=None, partnership=cluster, kind="municipality", target=municipality
        ),
    )
    assert with_one == EXPECTED[viewer]
    assert queries() == with_one
