"""The demand register's lists at national scale (issue 8): a fixed number of queries however
many rows there are, deep pages read by id, headings that say "more than" when the count is
capped, and (on PostgreSQL) index scans rather than sequential scans of the notices.

Query counts are pinned on the queries that touch the demand register's tables (``demand_…``):
the session, the roles of the signed-in user, the navigation and the filter form's widgets belong
to other apps and are pinned there."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demand.models import DemandNotice
from pestor import pagination
from pestor.pagination import CappedPaginator
from tests.demand.factories import (
    AnswerFactory,
    ClauseCheckFactory,
    MatchFactory,
    NoticeFactory,
    PartnerFactory,
)
from tests.exchange.factories import cpv_code
from tests.factories import DepartmentFactory
from tests.plans import analyzed_plan, plan_of_sql

pytestmark = pytest.mark.django_db

ROWS = 40  # two pages of 20


def demand_queries(client, url) -> tuple[list[str], object]:
    """The SQL of the request's queries that read the demand register, and the response."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    # On PostgreSQL the paginator first asks the planner for its estimate (an EXPLAIN: one per
    # list, reading no rows); what is counted here is what reads the register.
    reads = [
        query["sql"]
        for query in captured.captured_queries
        if "demand_" in query["sql"] and not query["sql"].startswith("EXPLAIN")
    ]
    return reads, response


def open_notices(department, count=ROWS):
    codes = [cpv_code("55520000"), cpv_code("90910000")]
    notices = []
    for number in range(count):
        notice = NoticeFactory(
            department=department,
            published=True,
            answers_deadline=timezone.now() + timedelta(days=1, hours=number),
            cpv_codes=codes,
        )
        ClauseCheckFactory(notice=notice)
        notices.append(notice)
    return notices


def awarded_notices(department, count=ROWS):
    notices = []
    for number in range(count):
        notice = NoticeFactory(
            department=department,
            awarded=True,
            award_date=timezone.localdate() - timedelta(days=number),
        )
        answer = AnswerFactory(notice=notice, is_awarded=True)
        PartnerFactory(answer=answer, confirmed_at=timezone.now())
        notices.append(notice)
    return notices


# --- query counts --------------------------------------------------------------------------


def test_open_notices_run_four_queries_on_every_page(client, department):
    notices = open_notices(department)
    url = reverse("demand:notice-list")
    # The capped count, the ids of the page's rows, those rows with buyer, municipality and
    # clause check, their CPV codes. The first page too reads its ids first: PostgreSQL plans
    # the list's filters with the cards' joins in longer than it takes to run both queries.
    first, response = demand_queries(client, url)
    assert len(first) == 4
    assert [n.pk for n in response.context["notices"]] == [n.pk for n in notices[:20]]
    assert 'FROM "demand_demandnotice" INNER JOIN' not in first[1]
    # A deeper page the same.
    for page in ("2", "last"):
        deep, response = demand_queries(client, f"{url}?page={page}")
        assert len(deep) == 4
        assert [n.pk for n in response.context["notices"]] == [n.pk for n in notices[20:]]
    # The filters add no query of their own.
    filtered, _ = demand_queries(
        client,
        f"{url}?q=catering&buyer=city&reserved=on&closing_soon=on&cpv=55000000"
        f"&municipality={department.municipality.slug}",
    )
    assert len(filtered) == 4


def test_results_run_six_queries_on_every_page(client, department):
    notices = awarded_notices(department)
    url = reverse("demand:result-list")
    # The capped count, the ids of the page's rows, those rows, their CPV codes, the awarded
    # answers, their confirmed partners (the first page reads its ids first, as above).
    first, response = demand_queries(client, url)
    assert len(first) == 6
    assert [n.pk for n in response.context["notices"]] == [n.pk for n in notices[:20]]
    deep, response = demand_queries(client, f"{url}?page=last")
    assert len(deep) == 6
    assert [n.pk for n in response.context["notices"]] == [n.pk for n in notices[20:]]
    assert all(n.awarded_answers[0].confirmed_partners for n in response.context["notices"])


def test_my_answers_run_three_queries(client, pes_owner, organisation, department):
    for notice in open_notices(department):
        answer = AnswerFactory(notice=notice, organisation=organisation)
        PartnerFactory(answer=answer)
    # Consortium answers of others in which the organisation is a partner are listed too.
    for _ in range(5):
        PartnerFactory(organisation=organisation)
    client.force_login(pes_owner)
    url = reverse("demand:my-answers")
    # The capped count, the rows with notice, buyer and organisation, the consortium partners.
    first, response = demand_queries(client, url)
    assert len(first) == 3
    assert response.context["paginator"].count == ROWS + 5
    deep, response = demand_queries(client, f"{url}?page=last")
    assert len(deep) == 4
    assert len(response.context["answers"]) == 5


def test_matched_notices_run_three_queries(client, pes_owner, organisation, department):
    for notice in open_notices(department):
        MatchFactory(notice=notice, organisation=organisation)
        AnswerFactory(notice=notice, organisation=organisation)
    client.force_login(pes_owner)
    # The capped count, the rows with "answered", their CPV codes.
    queries, response = demand_queries(client, reverse("demand:matched-notices"))
    assert len(queries) == 3
    assert response.context["paginator"].count == ROWS
    assert all(notice.answered for notice in response.context["notices"])


def test_my_notices_run_two_queries_with_the_answers_counted(client, official, department):
    for notice in open_notices(department):
        AnswerFactory.create_batch(2, notice=notice)
    client.force_login(official)
    url = reverse("demand:my-notices")
    # The capped count; the rows with their answers counted.
    first, response = demand_queries(client, url)
    assert len(first) == 2
    assert {n.answer_count for n in response.context["notices"]} == {2}
    deep, response = demand_queries(client, f"{url}?page=last")
    assert len(deep) == 3
    assert {n.answer_count for n in response.context["notices"]} == {2}


def test_the_feed_runs_two_queries(client, department):
    open_notices(department)
    queries, _ = demand_queries(client, reverse("demand:feed"))
    assert len(queries) == 2


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    # The capped count (a list over 10 000 rows is narrowed first), then the rows, their CPV
    # codes (and for results the awarded answers and their partners), once per chunk of 500 rows
    # as the file streams.
    [("notice", open_notices, 3), ("result", awarded_notices, 5)],
)
def test_the_exports_run_a_fixed_number_of_queries(client, department, name, make, expected):
    make(department)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"demand:{name}-export", args=["csv"]))
        content = b"".join(response.streaming_content)
    assert len(captured) == expected
    assert content.count(b"\n") == ROWS + 1


# --- capped counts -------------------------------------------------------------------------


@pytest.fixture
def cap_30(monkeypatch):
    """Lists page through at most 30 rows (10 000 in production)."""
    monkeypatch.setattr(CappedPaginator, "cap", 30)


HEADINGS = [
    (
        "demand:notice-list",
        "notices",
        "Znaleziono ponad 30 otwartych ogłoszeń",
        "More than 30 open notices found",
    ),
    (
        "demand:result-list",
        "results",
        "Znaleziono ponad 30 udzielonych zamówień",
        "More than 30 awards found",
    ),
    ("demand:my-answers", "answers", "Ponad 30 odpowiedzi", "More than 30 answers"),
    (
        "demand:matched-notices",
        "matched",
        "Ponad 30 otwartych ogłoszeń dla Ciebie",
        "More than 30 open notices for you",
    ),
    ("demand:my-notices", "mine", "Ponad 30 ogłoszeń", "More than 30 notices"),
]


@pytest.mark.parametrize(("name", "rows", "polish", "english"), HEADINGS)
def test_a_capped_list_says_more_than_and_ends_at_the_cap(
    client, cap_30, department, official, pes_owner, organisation, name, rows, polish, english
):
    if rows == "results":
        awarded_notices(department)
    else:
        for notice in open_notices(department):
            if rows == "answers":
                AnswerFactory(notice=notice, organisation=organisation)
            if rows == "matched":
                MatchFactory(notice=notice, organisation=organisation)
    client.force_login(official if rows == "mine" else pes_owner)
    url = reverse(name)
    response = client.get(url)
    assert response.context["paginator"].capped
    assert polish in response.content.decode()
    assert english in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    last = client.get(f"{url}?page=last")
    assert last.context["page_obj"].number == 2
    assert len(last.context["page_obj"].object_list) == 10
    # A page past the cap (an old link) is the last one paged through, not a 404.
    assert client.get(f"{url}?page=3").context["page_obj"].number == 2
    assert client.get(f"{url}?page=0").status_code == 404


@pytest.mark.parametrize(
    ("name", "make", "polish"),
    [
        ("demand:notice-list", open_notices, "Znaleziono ponad 30 otwartych ogłoszeń"),
        ("demand:result-list", awarded_notices, "Znaleziono ponad 30 udzielonych zamówień"),
    ],
)
def test_a_word_search_pages_through_fewer_results_than_a_filter(
    client, monkeypatch, department, name, make, polish
):
    """A word search is checked against every candidate row (a trigram index only narrows
    ``LIKE '%word%'``), so it counts and pages through SEARCH_RESULT_CAP hits, not 10 000."""
    monkeypatch.setattr(pagination, "SEARCH_RESULT_CAP", 30)
    make(department)  # 40 notices, every one of them about catering
    url = reverse(name)
    searched = client.get(url, {"q": "catering"})
    assert searched.context["paginator"].capped
    assert searched.context["paginator"].count == 30
    assert polish in searched.content.decode()
    assert client.get(url, {"q": "catering", "page": "last"}).context["page_obj"].number == 2
    # Without words the same rows are counted exactly, and so is a search that finds none.
    listed = client.get(url)
    assert not listed.context["paginator"].capped
    assert listed.context["paginator"].count == ROWS
    assert client.get(url, {"q": "koszenie"}).context["paginator"].count == 0


@pytest.mark.parametrize("name", ["demand:notice-list", "demand:result-list"])
def test_the_public_lists_leave_what_no_card_shows_in_the_database(client, department, name):
    open_notices(department, count=3)
    for notice in awarded_notices(department, count=3):
        ClauseCheckFactory(notice=notice)
    notices = client.get(reverse(name)).context["notices"]
    assert notices
    for notice in notices:
        assert {"description", "search_text", "contact_email", "cancel_reason"} <= (
            notice.get_deferred_fields()
        )
        assert "decided_by_id" in notice.clause_check.get_deferred_fields()


def test_the_open_list_asks_the_same_count_a_moment_later(client, monkeypatch, department):
    """The deadline is compared with the database's clock, not with this moment written into
    the SQL: the same search is the same query on the next request, and a count over
    COUNT_CACHE_MIN comes from the cache (pestor.pagination)."""
    from pestor import pagination

    monkeypatch.setattr(pagination, "COUNT_CACHE_MIN", 3)
    open_notices(department, count=5)
    url = reverse("demand:notice-list") + "?cpv=55000000&buyer=city"
    first, response = demand_queries(client, url)
    assert response.context["paginator"].count == 5
    assert any("COUNT(" in sql for sql in first)
    again, response = demand_queries(client, url)
    assert response.context["paginator"].count == 5
    assert not any("COUNT(" in sql for sql in again)
    assert len(again) == len(first) - 1


def test_a_list_under_the_cap_gives_the_exact_count(client, department):
    open_notices(department, count=3)
    response = client.get(reverse("demand:notice-list"))
    assert not response.context["paginator"].capped
    assert "3 otwarte ogłoszenia" in response.content.decode()


# --- PostgreSQL: index scans ---------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans of PostgreSQL's planner"
)


def plans_of(client, url) -> list[str]:
    """EXPLAIN of each query the page runs on the notices table.

    The test database holds a few dozen notices, where a sequential scan is honestly the cheapest
    plan, so the planner would pick one whatever indexes exist. ``enable_seqscan = off`` makes a
    sequential scan cost more than any other path without forbidding it: PostgreSQL still falls
    back to one when no index can answer the filter and the sort, and that is what these tests
    catch. (Generating the hundreds of thousands of rows at which the planner would choose the
    index by itself would take minutes per test.) Each plan rests on the statistics of this
    test's rows (``tests.plans``), not on those an earlier test left."""
    queries, _ = demand_queries(client, url)
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        # With its statistics the planner knows the table is small, where sorting what a
        # bitmap scan found is cheaper than reading an index in order; without sorts, reading
        # the index in the list's order is what remains, if such an index exists.
        cursor.execute("SET enable_sort = off")
        cursor.execute("SET enable_incremental_sort = off")
        try:
            for sql in queries:
                if 'FROM "demand_demandnotice"' in sql:
                    plans.append(plan_of_sql(sql))
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
            cursor.execute("RESET enable_incremental_sort")
    assert plans
    return plans


@postgresql_only
@pytest.mark.parametrize(
    ("name", "query", "index"),
    [
        ("demand:notice-list", "", "notice_open_deadline_idx"),
        ("demand:notice-list", "?page=2", "notice_open_deadline_idx"),
        ("demand:notice-list", "?municipality=torun", "notice_open_municipality_idx"),
        ("demand:notice-list", "?reserved=on", "notice_open_reserved_idx"),
        ("demand:notice-list", "?buyer=city&reserved=on", "notice_open_reserved_idx"),
        ("demand:notice-list", "?q=catering", None),
        ("demand:result-list", "", "notice_award_date_idx"),
        ("demand:result-list", "?page=2", "notice_award_date_idx"),
        ("demand:result-list", "?municipality=torun", "notice_award_municipality_idx"),
        ("demand:result-list", "?q=catering", None),
    ],
)
def test_the_public_lists_scan_an_index_in_their_order(client, department, name, query, index):
    open_notices(department)
    awarded_notices(department)
    # As many again elsewhere: filtered by municipality, the list is a part of the table, as in
    # the country (else reading the whole list's index in order serves the filter as well).
    elsewhere = DepartmentFactory()
    for notice in open_notices(elsewhere):
        # Not reserved: the reserved ones are a part of the open list, as in the country.
        notice.clause_check.reserved_for_pes = False
        notice.clause_check.employment_requirement = True
        notice.clause_check.save()
    awarded_notices(elsewhere)
    plans = plans_of(client, reverse(name) + query)
    for plan in plans:
        assert "Seq Scan on demand_demandnotice" not in plan, plan
    if index:
        # The page is read from the index in the list's order: no sort of the matching rows.
        assert any(index in plan for plan in plans), plans


@postgresql_only
@pytest.mark.parametrize(
    ("status", "index"),
    [
        (DemandNotice.Status.PUBLISHED, "notice_open_search_trgm_idx"),
        (DemandNotice.Status.AWARDED, "notice_award_search_trgm_idx"),
    ],
)
def test_the_search_of_a_public_list_uses_its_trigram_index(department, status, index):
    # Here the planner chooses by itself, so the table needs the size at which an index pays:
    # 5 000 notices of the list (inserted in bulk, their search text as save() folds it), one
    # of which mentions mowing.
    template = NoticeFactory(department=department)
    fields = {
        field.attname: getattr(template, field.attname)
        for field in DemandNotice._meta.concrete_fields
        if not field.primary_key
    }
    DemandNotice.objects.bulk_create(
        DemandNotice(
            **{
                **fields,
                "status": status,
                "search_text": f"catering na konferencje {number} koszenie" * (number == 7)
                or f"catering na konferencje {number}",
            }
        )
        for number in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        # New rows wait in the GIN index's pending list until VACUUM (which cannot run in the
        # test's transaction) moves them into the index proper; this function does the same.
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    queryset = DemandNotice.objects.filter(status=status, search_text__contains="koszenie")
    # Statistics of these rows (ANALYZE writes the table's size in place, outside the test's
    # transaction: every plan test takes its own, tests.plans).
    plan = analyzed_plan(queryset.order_by())
    assert index in plan, plan
    assert queryset.count() == 1


@postgresql_only
def test_the_cpv_filter_reads_the_notices_of_a_subtree_from_one_index(department):
    # 40 notices in the catering group (555…) among 3 000 links to other codes, inserted in
    # bulk: a table where a range of the index is worth reading.
    catering = {notice.pk for notice in open_notices(department)}
    template = NoticeFactory(department=department)
    fields = {
        field.attname: getattr(template, field.attname)
        for field in DemandNotice._meta.concrete_fields
        if not field.primary_key
    }
    others = DemandNotice.objects.bulk_create(DemandNotice(**fields) for _ in range(1000))
    Link = DemandNotice.cpv_codes.through
    Link.objects.bulk_create(
        Link(demandnotice_id=notice.pk, cpvcode_id=cpv_code(code).pk)
        for notice in others
        for code in ("03100000", "45000000", "90910000")
    )
    links = Link.objects.filter(cpvcode__code__startswith="555").values("demandnotice_id")
    # The filter's subquery reads the codes of the subtree and their notices from one index,
    # not a table page per link (Django's own index on the code holds no notice). A few thousand
    # rows still fit a sequential scan or a bitmap, which are made to cost more than any other
    # path (as in plans_of above): what remains is the cheapest index.
    switches = ("enable_seqscan", "enable_bitmapscan")
    with connection.cursor() as cursor:
        for switch in switches:
            cursor.execute(f"SET {switch} = off")
        try:
            plan = analyzed_plan(links)
        finally:
            for switch in switches:
                cursor.execute(f"RESET {switch}")
    assert "Scan using demand_notice_cpv_by_code" in plan, plan
    found = set(links.values_list("demandnotice_id", flat=True))
    assert catering <= found and not found & {notice.pk for notice in others}


# --- the reservation's copy on the notice --------------------------------------------------


def test_the_notice_keeps_a_copy_of_its_checks_reservation(department):
    (notice,) = open_notices(department, count=1)
    check = notice.clause_check
    assert DemandNotice.objects.get(pk=notice.pk).reserved_for_pes
    check.reserved_for_pes = False
    check.employment_requirement = True
    check.save()
    assert not DemandNotice.objects.get(pk=notice.pk).reserved_for_pes
    # The notice the check holds is told too, so that saving it keeps the new value.
    assert not check.notice.reserved_for_pes
    check.notice.save()
    assert not DemandNotice.objects.get(pk=notice.pk).reserved_for_pes
    check.reserved_for_pes = True
    check.save()
    assert DemandNotice.objects.get(pk=notice.pk).reserved_for_pes
    check.delete()
    assert not DemandNotice.objects.get(pk=notice.pk).reserved_for_pes


def test_the_reserved_filter_lists_the_notices_whose_check_reserves_them(client, department):
    reserved, other = open_notices(department, count=2)
    other.clause_check.reserved_for_pes = False
    other.clause_check.is_social_service = True
    other.clause_check.save()
    no_check = NoticeFactory(
        department=department,
        published=True,
        answers_deadline=timezone.now() + timedelta(days=3),
        cpv_codes=[cpv_code("55520000")],
    )
    url = reverse("demand:notice-list")
    assert {n.pk for n in client.get(url).context["notices"]} == {
        reserved.pk,
        other.pk,
        no_check.pk,
    }
    assert [n.pk for n in client.get(url, {"reserved": "on"}).context["notices"]] == [reserved.pk]


def test_the_clause_check_service_copies_the_reservation(department, official):
    from demand import services

    notice = NoticeFactory(department=department)
    services.clause_check_save(
        notice=notice, actor=official, estimated_value=Decimal("4000.00"), reserved_for_pes=True
    )
    assert DemandNotice.objects.get(pk=notice.pk).reserved_for_pes
    services.clause_check_save(
        notice=notice,
        actor=official,
        estimated_value=Decimal("4000.00"),
        employment_requirement=True,
    )
    assert not DemandNotice.objects.get(pk=notice.pk).reserved_for_pes
