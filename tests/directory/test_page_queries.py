"""The organisation page runs a fixed number of queries, at most ten, whatever it holds: every
section's short list is read with the organisation's row (``pestor.sections`` annotations),
the ledger is one query, the offers two (with their photos)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.awards_models import AwardCall, Nomination
from community.models import Event
from directory import services
from equipment_bank.models import Booking

# The sections' own fixtures: an event of the organisation, a cluster it coordinates, a lease
# of municipal premises and the grants competition it was funded in.
from tests.community.awards_fixtures import award_call, nominate  # noqa: F401
from tests.community.conftest import pes_event  # noqa: F401
from tests.demand.factories import AnswerFactory, NoticeFactory
from tests.equipment_bank.factories import BookingFactory, ResourceFactory
from tests.exchange.factories import OfferFactory, OfferPhotoFactory
from tests.grants.conftest import (  # noqa: F401
    competition,
    culture,
    decided,
    draft,
    offer,
    other_offer,
    outcomes,
    pdf_file,
    strategy,
    third_organisation,
)
from tests.partnerships.conftest import cluster, themes  # noqa: F401
from tests.premises.conftest import policy, premises, sign_lease, sphere, unit  # noqa: F401
from tests.premises.factories import PremisesFactory

pytestmark = pytest.mark.django_db

# Pinned: anonymous (the organisation with its sections' lists, the offers, their photos, the
# ledger and, the organisation being a cooperative, its founders) and signed in (also the
# session, the user and the roles); 16 and 21 before.
ANONYMOUS = 5
SIGNED_IN = 8


def _queries(client, organisation) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("directory:organisation-detail", args=[organisation.slug]))
    assert response.status_code == 200
    return [query["sql"] for query in captured]


def _add(organisation, official, unit, sign_lease, count) -> dict:  # noqa: F811
    """``count`` more of everything the page lists: offers with photos, events, leases (with
    their years of support), loans returned, contracts won. Returns the last of each."""
    department = official.official_memberships.get().department
    event = Event.objects.filter(organiser=organisation).latest("starts_at")
    resource = ResourceFactory()
    last = {}
    for index in range(count):
        last["offer"] = OfferFactory(organisation=organisation)
        OfferPhotoFactory(offer=last["offer"])
        event.pk = None
        event.title = f"Wydarzenie {count}-{index}"
        event.starts_at = event.starts_at + timedelta(days=1)
        event.ends_at = event.starts_at + timedelta(hours=2)
        event.save()
        last["event"] = event.title
        last["lease"] = sign_lease(premises=PremisesFactory(unit=unit), organisation=organisation)
        BookingFactory(
            resource=resource,
            organisation=organisation,
            status=Booking.Status.RETURNED,
            returned_at=datetime(2025, 3, 1 + index % 28, 12, tzinfo=UTC),
            in_kind_value=Decimal("120.50"),
        )
        AnswerFactory(
            notice=NoticeFactory(department=department, awarded=True),
            organisation=organisation,
            is_awarded=True,
        )
    return last


@pytest.fixture
def full_page(
    organisation,
    official,
    unit,  # noqa: F811
    sign_lease,  # noqa: F811
    pes_event,  # noqa: F811
    cluster,  # noqa: F811
    decided,  # noqa: F811
    award_call,  # noqa: F811
    signed_in_user,
):
    """The organisation with one of everything its page shows (a place in an award too)."""
    _add(organisation, official, unit, sign_lease, 1)
    nomination = nominate(award_call, signed_in_user, organisation)
    Nomination.objects.filter(pk=nomination.pk).update(place=1)
    AwardCall.objects.filter(pk=award_call.pk).update(results_published_at=timezone.now())
    return organisation


@pytest.mark.parametrize("who", ["anonymous", "pes_owner", "official"])
def test_the_organisation_page_runs_a_fixed_number_of_queries(
    request,
    client,
    full_page,
    official,
    unit,  # noqa: F811
    sign_lease,  # noqa: F811
    award_call,  # noqa: F811
    who,
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    expected = ANONYMOUS if who == "anonymous" else SIGNED_IN
    few = _queries(client, full_page)
    assert len(few) == expected, "\n".join(few)

    last = _add(full_page, official, unit, sign_lease, 25)
    many = _queries(client, full_page)
    assert len(many) == expected, "\n".join(many)

    content = client.get(
        reverse("directory:organisation-detail", args=[full_page.slug])
    ).content.decode()
    # Every section is still there, with its latest rows.
    assert last["offer"].title in content
    assert last["event"] in content
    assert reverse("premises:premises-detail", args=[last["lease"].premises_id]) in content
    assert "Klaster Ekonomii Społecznej Subregionu" in content
    assert "Dzień otwarty spółdzielni" not in content  # the 21st event back: past the 20 shown
    # The loans of 2025 from the second lender: 25 of 120.50 PLN.
    assert "<td>25</td><td>3012,50 zł" in content
    assert 'id="ledger-heading"' in content
    assert 'id="grants-section-title"' in content
    assert reverse("community:award-detail", args=[award_call.pk]) in content


def test_a_pending_change_of_legal_data_costs_its_reader_one_query(client, organisation, pes_owner):
    change = services.legal_change_request(
        organisation=organisation, requested_by=pes_owner, name="Spółdzielnia Nowa Nazwa"
    )
    # No offers, so no photos to read; the change itself only for those who may know of it.
    assert len(_queries(client, organisation)) == ANONYMOUS - 1
    client.force_login(pes_owner)
    queries = _queries(client, organisation)
    assert len(queries) == SIGNED_IN - 1 + 1, "\n".join(queries)
    response = client.get(reverse("directory:organisation-detail", args=[organisation.slug]))
    assert response.context["pending_legal_change"] == change
