"""The catalogue at national scale (issue 8): the same answers from the reworked queries (who
serves a municipality, the public condition kept on the offer), a fixed number of queries
however many offers there are, "more than 10 000" when the count is capped, and, on
PostgreSQL, plans that read an index instead of the whole table of offers."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory.models import LegalForm, Organisation
from directory.services import standing
from exchange import selectors
from exchange.models import Offer, OfferArea, insert_offer_areas
from tests.directory.factories import OrganisationFactory
from tests.exchange.factories import InquiryFactory, OfferFactory, OfferPhotoFactory, cpv_code
from tests.factories import MunicipalityFactory
from tests.plans import analyzed_plan

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans of PostgreSQL's indexes"
)


def titles(queryset):
    return sorted(offer.title for offer in queryset)


# --- who serves a municipality -----------------------------------------------------------------


@pytest.fixture
def serving_world(municipality):
    """Offers in each way an offer can serve Toruń (``municipality``) or not:

    - its own list names Toruń (the organisation does not serve it),
    - no own list, and the organisation serves Toruń,
    - both: its own list names Toruń and so does the organisation's,
    - neither: the organisation serves Toruń but the offer's own list names only Lubicz,
    - neither: no own list, and the organisation serves only Lubicz;
    plus organisations seated in Toruń (which the indicator counts whatever they serve) and
    offers that are not public."""
    lubicz = MunicipalityFactory(name="Lubicz", slug="lubicz")
    serves_torun = OrganisationFactory(
        seat_municipality=lubicz, municipalities_served=[municipality, lubicz]
    )
    serves_lubicz = OrganisationFactory(seat_municipality=lubicz, municipalities_served=[lubicz])
    seated = OrganisationFactory(seat_municipality=municipality, municipalities_served=[lubicz])
    pending = OrganisationFactory(
        pending=True, seat_municipality=lubicz, municipalities_served=[municipality]
    )
    catering, cleaning = cpv_code("55520000"), cpv_code("90910000")
    OfferFactory(
        organisation=serves_lubicz,
        title="own list",
        cpv=catering,
        municipalities_served=[municipality],
    )
    OfferFactory(organisation=serves_torun, title="via organisation", cpv=cleaning)
    OfferFactory(
        organisation=serves_torun,
        title="both",
        cpv=catering,
        municipalities_served=[municipality, lubicz],
    )
    OfferFactory(
        organisation=serves_torun,
        title="neither, own list elsewhere",
        cpv=catering,
        municipalities_served=[lubicz],
    )
    OfferFactory(organisation=serves_lubicz, title="neither, organisation elsewhere", cpv=catering)
    OfferFactory(organisation=seated, title="seated, serving Lubicz", cpv=catering)
    OfferFactory(organisation=serves_torun, title="archived", cpv=catering, status="archived")
    OfferFactory(organisation=pending, title="pending organisation", cpv=catering)
    return {"torun": municipality, "lubicz": lubicz}


def serves(offer: Offer, municipality) -> bool:
    """The rule of ``Offer.objects.serving``, written out for one offer."""
    own = set(offer.municipalities_served.all())
    if own:
        return municipality in own
    return municipality in set(offer.organisation.municipalities_served.all())


def test_serving_is_the_offers_own_list_or_else_the_organisations(serving_world):
    torun, lubicz = serving_world["torun"], serving_world["lubicz"]
    assert titles(Offer.objects.serving(torun)) == [
        "archived",
        "both",
        "own list",
        "pending organisation",
        "via organisation",
    ]
    for municipality in (torun, lubicz):
        expected = sorted(o.title for o in Offer.objects.all() if serves(o, municipality))
        assert titles(Offer.objects.serving(municipality)) == expected
        assert titles(Offer.objects.serving(municipality.pk)) == expected


def test_the_catalogue_the_indicator_and_the_matching_agree_on_who_serves(serving_world):
    torun = serving_world["torun"]
    assert sorted(o.title for o in selectors.offer_list(filters={"municipality": "torun"}).qs) == [
        "both",
        "own list",
        "via organisation",
    ]
    year = {"start": date(2000, 1, 1), "end": date(2100, 12, 31)}
    # The three public offers serving Toruń, and the one of the organisation seated there.
    assert selectors.indicator_active_offers(municipality=torun, **year) == 4
    matched = selectors.offers_matching(cpv_codes=["55520000"], municipality=torun)
    assert {organisation.pk for organisation in matched} == {
        Offer.objects.get(title="own list").organisation_id,
        Offer.objects.get(title="both").organisation_id,
    }


def test_inquiries_count_for_organisations_seated_or_serving_once(serving_world):
    torun = serving_world["torun"]
    for title in ("via organisation", "both", "seated, serving Lubicz", "own list"):
        InquiryFactory(offer=Offer.objects.get(title=title))
    year = {"start": date(2000, 1, 1), "end": date(2100, 12, 31)}
    # The organisation serving Toruń twice, the one seated there once; "own list" belongs to
    # an organisation neither seated in nor serving Toruń.
    assert selectors.indicator_inquiries_sent(municipality=torun, **year) == 3


# --- the public condition on the offer -----------------------------------------------------------


def test_the_offers_follow_their_organisations_status(organisation, official):
    OfferFactory(organisation=organisation, title="Catering")
    OfferFactory(organisation=organisation, title="Archiwum", status="archived")
    assert titles(Offer.objects.public()) == ["Catering"]

    standing.organisation_suspend(organisation=organisation, official=official, reason="Kontrola.")
    assert not Offer.objects.filter(organisation_verified=True).exists()
    assert titles(Offer.objects.public()) == []

    standing.organisation_restore(
        organisation=Organisation.objects.get(pk=organisation.pk), official=official
    )
    assert titles(Offer.objects.public()) == ["Catering"]
    assert Offer.objects.filter(organisation_verified=True).count() == 2


def test_the_offers_follow_their_organisations_legal_form(organisation):
    offer = OfferFactory(organisation=organisation)
    assert offer.organisation_legal_form == organisation.legal_form != LegalForm.FOUNDATION
    before = organisation.legal_form
    organisation.legal_form = LegalForm.FOUNDATION
    organisation.save(update_fields=["legal_form"])
    offer.refresh_from_db()
    assert offer.organisation_legal_form == LegalForm.FOUNDATION
    assert titles(selectors.offer_list(filters={"legal_form": "foundation"}).qs) == [offer.title]
    assert not selectors.offer_list(filters={"legal_form": before}).qs.exists()


def test_an_offer_knows_whether_it_has_a_list_of_its_own(organisation, municipality):
    lubicz = MunicipalityFactory(name="Lubicz", slug="lubicz")
    offer = OfferFactory(organisation=organisation)

    def own_area_is_the_organisations():
        return Offer.objects.values_list("serves_organisation_area", flat=True).get(pk=offer.pk)

    assert own_area_is_the_organisations()
    offer.municipalities_served.set([municipality, lubicz])
    assert not own_area_is_the_organisations()
    offer.municipalities_served.remove(municipality)
    assert not own_area_is_the_organisations()
    offer.municipalities_served.remove(lubicz)
    assert own_area_is_the_organisations()
    # From the municipality's side too.
    lubicz.offers.add(offer)
    assert not own_area_is_the_organisations()
    lubicz.offers.clear()
    assert own_area_is_the_organisations()


def test_an_offer_of_an_unverified_organisation_is_saved_as_such():
    offer = OfferFactory(organisation=OrganisationFactory(pending=True))
    assert not offer.organisation_verified
    offer.organisation.status = Organisation.Status.VERIFIED
    offer.organisation.save(update_fields=["status"])
    offer.refresh_from_db()
    assert offer.organisation_verified
    assert list(Offer.objects.public()) == [offer]


# --- search ------------------------------------------------------------------------------------


def test_lodz_finds_lodz_on_every_database(organisation):
    OfferFactory(organisation=organisation, title="Catering w Łodzi", description="Łódź i okolice.")
    OfferFactory(organisation=organisation, title="Sprzątanie w Toruniu")
    found = selectors.offer_list(filters={"q": "lodz"}).qs
    assert titles(found) == ["Catering w Łodzi"]
    assert titles(selectors.offer_list(filters={"q": "ŁÓDŹ okolice"}).qs) == ["Catering w Łodzi"]


# --- cards -------------------------------------------------------------------------------------


def test_a_card_quotes_the_description_without_a_tag_cut_in_half(organisation):
    long_html = "<p>" + "słowo " * 200 + '</p><p><a href="https://example.org/">link</a></p>'
    OfferFactory(organisation=organisation, description_html=long_html)
    card = selectors.offer_cards([Offer.objects.get().pk]).get()
    assert len(card.description_start) == Offer.CARD_EXCERPT_HTML
    assert card.card_excerpt.startswith("<p>słowo słowo")
    cut = '<p>Obiady <a href="https://exa'
    card.description_start = cut
    assert card.card_excerpt == "<p>Obiady "
    assert "description_html" in card.get_deferred_fields()
    assert "search_text" in card.get_deferred_fields()


# --- a fixed number of queries on many offers --------------------------------------------------


@pytest.fixture
def forty_offers(municipality):
    """Forty public offers of twenty organisations serving Toruń, each with photos; a few
    with the price on request."""
    organisations = [
        OrganisationFactory(
            seat_municipality=municipality,
            municipalities_served=[municipality],
            legal_form="social_cooperative",
            is_social_enterprise=True,
            social_enterprise_since=date(2022, 1, 1),
        )
        for _ in range(20)
    ]
    for number in range(40):
        on_request = number % 5 == 0
        offer = OfferFactory(
            organisation=organisations[number % 20],
            title=f"Catering numer {number}",
            cpv=cpv_code("55520000" if number % 2 else "90910000"),
            price_type="on_request" if on_request else "fixed",
            price=None if on_request else Decimal(10 + number),
            kind="product" if number % 3 else "service",
        )
        OfferPhotoFactory.create_batch(2, offer=offer)


CATALOGUE_QUERIES = [
    {},
    {"page": "2"},
    {"page": "last"},
    {"q": "catering"},
    {"q": "catering numer"},
    {"sort": "price_asc"},
    {"sort": "price_desc"},
    {"sort": "title"},
    {"sort": "price_asc", "page": "last"},
    {"municipality": "torun"},
    {"cpv": "55000000"},
    {"kind": "product", "legal_form": "social_cooperative", "price_min": "10", "price_max": "90"},
    {"social_enterprise": "on", "sort": "title"},
]


@pytest.mark.parametrize("query", CATALOGUE_QUERIES)
def test_a_catalogue_page_runs_a_fixed_number_of_queries(client, forty_offers, query):
    """Count (capped), the page's ids, its cards, their photos. The category and the
    municipality are typed (autocompletes of pestor.widgets), so the form lists neither."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("exchange:offer-list"), query)
    assert response.status_code == 200
    assert len(response.context["offers"]) == 20
    # A category is looked up by its code, a municipality by its slug. On PostgreSQL the
    # paginator asks the planner's estimate first (an EXPLAIN, reading no rows): counted apart.
    reads = [q["sql"][:200] for q in captured if not q["sql"].startswith("EXPLAIN")]
    expected = 4 + ("cpv" in query) + ("municipality" in query)
    assert len(reads) == expected, reads
    assert len(captured) - len(reads) == (connection.vendor == "postgresql")


def test_the_last_page_shows_the_last_offers_in_order(client, forty_offers):
    everything = list(
        Offer.objects.public().order_by("-created_at", "-pk").values_list("title", flat=True)
    )
    response = client.get(reverse("exchange:offer-list"), {"page": "last"})
    assert [offer.title for offer in response.context["offers"]] == everything[20:]
    by_price = client.get(reverse("exchange:offer-list"), {"sort": "price_desc", "page": "2"})
    shown = [offer.price for offer in by_price.context["offers"]]
    assert shown[-8:] == [None] * 8  # "price on request" last


# --- "more than 10 000" ------------------------------------------------------------------------


@pytest.fixture
def cap_of_30(monkeypatch):
    monkeypatch.setattr("pestor.pagination.CappedPaginator.cap", 30)


def test_a_capped_catalogue_says_more_than(client, forty_offers, cap_of_30):
    response = client.get(reverse("exchange:offer-list"), {"page": "last"})
    assert response.context["paginator"].capped
    # The last page is the last of the thirty counted.
    assert len(response.context["offers"]) == 10
    # A page beyond the cap (an old link) is the last one paged through, not a 404.
    beyond = client.get(reverse("exchange:offer-list"), {"page": "7"})
    assert beyond.status_code == 200
    assert beyond.context["page_obj"].number == 2
    assert client.get(reverse("exchange:offer-list"), {"page": "0"}).status_code == 404
    with translation.override("en"):
        english = client.get(reverse("exchange:offer-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "More than 30 offers found" in english.content.decode()
    polish = client.get(reverse("exchange:offer-list"), HTTP_ACCEPT_LANGUAGE="pl")
    assert "Znaleziono ponad 30 ofert" in polish.content.decode()


def test_a_word_search_pages_through_fewer_results_than_a_filter(client, forty_offers, monkeypatch):
    """A word is checked against every candidate row (a trigram index only narrows
    ``LIKE '%word%'``): a search counts SEARCH_RESULT_CAP hits, a filter the full cap."""
    monkeypatch.setattr("pestor.pagination.SEARCH_RESULT_CAP", 30)
    searched = client.get(reverse("exchange:offer-list"), {"q": "catering"})
    assert searched.context["paginator"].capped
    assert searched.context["paginator"].count == 30
    assert "Znaleziono ponad 30 ofert" in searched.content.decode()
    filtered = client.get(reverse("exchange:offer-list"), {"q": " ", "kind": ""})
    assert not filtered.context["paginator"].capped
    assert filtered.context["paginator"].count == 40


def test_an_exact_count_below_the_cap(client, forty_offers):
    response = client.get(reverse("exchange:offer-list"), HTTP_ACCEPT_LANGUAGE="pl")
    assert not response.context["paginator"].capped
    assert "Znaleziono 40 ofert" in response.content.decode()


def test_an_organisations_list_says_more_than(client, organisation, pes_owner, cap_of_30):
    OfferFactory.create_batch(31, organisation=organisation)
    client.force_login(pes_owner)
    url = reverse("exchange:organisation-offers", args=[organisation.slug])
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "<caption>Ponad 30 ofert</caption>" in content


# --- PostgreSQL: the catalogue's queries read an index -----------------------------------------

# The test database holds a few thousand offers at most, for which a sequential scan is what
# PostgreSQL rightly prefers; measuring plans on 600 000 rows is the benchmark's job (bench_pages on
# the national-scale data). Here, after ANALYZE of the tables each query reads (tests.plans),
# ``enable_seqscan = off`` makes a sequential scan the last resort: if the plan still reads a table
# sequentially, no index matches the query's condition or order, which is what this test guards
# against (an index dropped or renamed, a partial index whose condition no longer follows from the
# public condition, a sort whose NULLS order no index gives). For a sort, ``enable_sort = off``
# leaves reading the index in order as the only cheap plan of a page (and not the created_at index
# with a sort of the ties by id); for a search or a filter, two thousand more offers make the index
# on the filtered column worth more than reading a whole partial index in order and filtering it.
# SET LOCAL ends with the test's transaction.

# Every table the catalogue's queries read: each test gathers the statistics it needs itself,
# whatever ran before it.
ANALYZED = (
    "exchange_offer",
    "exchange_offer_municipalities_served",
    "directory_organisation",
    "directory_organisation_municipalities_served",
    "pestor_municipality",
    "exchange_offerarea",
)

PLANS = [
    # (query string, the index the plan of a page must use)
    ({}, "offer_public_newest"),
    ({"page": "last"}, "offer_public_newest"),
    ({"sort": "price_asc"}, "offer_public_price"),
    ({"sort": "price_desc"}, "offer_public_price_desc"),
    ({"sort": "title"}, "offer_public_title"),
    ({"q": "lodz"}, "offer_search_trgm"),
    ({"q": "lodz catering"}, "offer_search_trgm"),
    ({"cpv": "79000000"}, "offer_public_cpv_prefix"),
    # With other filters or sorts the municipality is a semi-join on OfferArea's index
    # (alone, the catalogue pages through that table: the test after the next).
    ({"municipality": "lubicz"}, "exchange_offerarea"),
]


@postgresql_only
@pytest.mark.parametrize(("query", "index"), PLANS)
def test_the_catalogues_queries_use_an_index(forty_offers, organisation, query, index):
    lubicz = MunicipalityFactory(name="Lubicz", slug="lubicz")
    OfferFactory(
        organisation=organisation,
        title="Catering w Łodzi",
        cpv=cpv_code("79810000"),
        municipalities_served=[lubicz],
    )
    # Two thousand more offers (written at once: save() only copies what is set here), so that
    # a selective condition's index is worth more than reading a whole partial index.
    Offer.objects.bulk_create(
        Offer(
            organisation=organisation,
            title=f"Sprzątanie biur {number}",
            description="Sprzątanie.",
            cpv=cpv_code("90910000"),
            price_type="fixed",
            price=Decimal(number),
            search_text=f"sprzatanie biur {number}",
            organisation_verified=True,
        )
        for number in range(2000)
    )
    filterset = selectors.offer_list(filters=query)
    assert not filterset.is_bound or filterset.is_valid(), filterset.errors
    is_sort = not {"q", "cpv", "municipality"} & set(query)
    with connection.cursor() as cursor:
        for table in ANALYZED:
            cursor.execute(f"ANALYZE {table}")
        # New rows wait in the GIN index's pending list (read whole by every search) until a
        # vacuum; this moves them into the index, as autovacuum does on a live database.
        cursor.execute("SELECT gin_clean_pending_list('offer_search_trgm')")
        cursor.execute("SET LOCAL enable_seqscan = off")
        if is_sort:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_incremental_sort = off")
    # What CappedPaginator asks: the ids of a page in order, and the capped count.
    # With the statistics of this test's rows in every table the queries read (the offers, the
    # organisations, the municipalities they serve…), whatever an earlier test left.
    page_ids = analyzed_plan(filterset.qs.values_list("pk", flat=True)[20:40])
    capped_count = analyzed_plan(filterset.qs.order_by()[:10001])
    for plan in (page_ids, capped_count):
        assert "Seq Scan" not in plan, plan
    assert index in page_ids, page_ids
    if not is_sort:
        assert index in capped_count, capped_count


# The filters whose counts joined organisations or re-read every offer's own list of municipalities
# (about 500 ms each at national scale): the legal form is the offer's own column, and an offer
# without a list of its own is found by its partial index, so neither plan joins a table of
# organisations or offers row by row. Most of the added offers are of another legal form and have
# their own lists, as most offers at national scale do.


@pytest.fixture
def filter_world(municipality):
    cooperative = OrganisationFactory(
        legal_form=LegalForm.SOCIAL_COOPERATIVE,
        seat_municipality=municipality,
        municipalities_served=[municipality],
    )
    foundation = OrganisationFactory(legal_form=LegalForm.FOUNDATION)
    OfferFactory(organisation=cooperative, title="Chleb", kind="product", price=Decimal(20))
    OfferFactory(organisation=cooperative, title="Sprzątanie", kind="service", price=Decimal(20))
    Offer.objects.bulk_create(
        Offer(
            organisation=foundation,
            kind="product",
            title=f"Książka {number}",
            description="Książka.",
            cpv=cpv_code("90910000"),
            price_type="fixed",
            price=Decimal(number % 100),
            search_text=f"ksiazka {number}",
            organisation_verified=True,
            organisation_legal_form=LegalForm.FOUNDATION,
            serves_organisation_area=False,
        )
        for number in range(2000)
    )
    return cooperative


@postgresql_only
@pytest.mark.parametrize(
    ("query", "index", "titles_found"),
    [
        (
            {"kind": "product", "legal_form": LegalForm.SOCIAL_COOPERATIVE, "price_min": "10"},
            "offer_public_legal_form",
            ["Chleb"],
        ),
        ({"municipality": "torun"}, "exchange_offerarea", ["Chleb", "Sprzątanie"]),
    ],
)
def test_the_legal_form_and_municipality_filters_use_their_indexes(
    filter_world, query, index, titles_found
):
    filterset = selectors.offer_list(filters=query)
    assert filterset.is_valid(), filterset.errors
    assert titles(filterset.qs) == titles_found
    with connection.cursor() as cursor:
        for table in ANALYZED:
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
    page_ids = filterset.qs.values_list("pk", flat=True)[:20].explain()
    capped_count = filterset.qs.order_by()[:10001].explain()
    for plan in (page_ids, capped_count):
        assert "Seq Scan" not in plan, plan
        assert "directory_organisation " not in plan, plan  # the legal form is the offer's
        assert "Anti Join" not in plan, plan  # no offer's own list is read to find it empty
    assert index in capped_count, capped_count


# The municipality filter alone (the catalogue's default order): the count and a page's keys are
# a range of OfferArea's index (municipality, date, offer), read without the offers' table; the
# offers of other municipalities (two thousand in Lubicz) are never visited.


@postgresql_only
@pytest.mark.parametrize("page", [0, 20])
def test_the_municipality_filter_alone_is_a_range_of_one_index(filter_world, page):
    for number in range(40):
        OfferFactory(organisation=filter_world, title=f"Obiad {number}")
    # The two thousand books of filter_world are delivered in Lubicz (written at once, as the
    # generator writes them): most of the table is another municipality's range.
    lubicz = MunicipalityFactory(name="Lubicz", slug="lubicz")
    books = Offer.objects.filter(title__startswith="Książka")
    Offer.municipalities_served.through.objects.bulk_create(
        Offer.municipalities_served.through(offer_id=pk, municipality_id=lubicz.pk)
        for pk in books.values_list("pk", flat=True)
    )
    insert_offer_areas(books)
    assert OfferArea.objects.filter(municipality=lubicz).count() == 2000
    keys = selectors.offer_page_keys(selectors.offer_list(filters={"municipality": "torun"}))
    assert keys.count() == 42  # Chleb, Sprzątanie and forty dinners
    with connection.cursor() as cursor:
        for table in ANALYZED:
            cursor.execute(f"ANALYZE {table}")
        # On forty rows a bitmap scan and a sort cost less than the index read in order;
        # without them, a plan without a sort is there only if the index gives the order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
    page_keys = analyzed_plan(keys.values_list("offer_id", flat=True)[page : page + 20])
    capped_count = analyzed_plan(keys.order_by().values("offer_id")[:10001])
    for plan in (page_keys, capped_count):
        assert "Seq Scan" not in plan, plan
        assert "offer_area_newest" in plan, plan
        assert "exchange_offer " not in plan, plan  # the offers' table is not read
        assert "Sort" not in plan, plan  # read in the index's order
