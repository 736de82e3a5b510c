"""Measure the committee's pages at the size of a large competition.

    python manage.py bench_scoring --items 500 --members 5 --criteria 15
    python manage.py bench_scoring --profile results      # cProfile of one page, top 30

Builds a panel in bulk (``scoring.bench``: an ``auth.Group`` as the owner, registered for the
run only) inside a transaction that is rolled back at the end, so that any migrated database
will do and nothing is left behind. Then requests each page in this process with Django's test
client and prints, per page, the median and p95 server time and the number of queries: the
member's to-do list, the member's score sheet, saving that sheet as a draft, the results page
(as read again, and as first read after a sheet is submitted: its sums not in the cache) and the
CSV and XLSX exports (read to the last byte).
"""

import cProfile
import io
import logging
import pstats
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from pestor.management.commands.bench_pages import SqlClock, percentile, table
from scoring import bench, selectors

HOST = "127.0.0.1"


class Rollback(Exception):
    """Raised to leave the benchmark's transaction without keeping anything."""


class Command(BaseCommand):
    forget_sums = False
    help = (
        "Mierzy strony komisji oceniającej na dużym naborze (dane w wycofywanej transakcji). / "
        "Measures the committee scoring pages on a large panel (data in a rolled-back transaction)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=500)
        parser.add_argument("--members", type=int, default=5)
        parser.add_argument("--criteria", type=int, default=15)
        parser.add_argument("--requests", type=int, default=15, help="requests per page")
        parser.add_argument(
            "--profile", default="", help="print a cProfile of the page whose name contains this"
        )
        parser.add_argument(
            "--sort", default="cumulative", help="the profile's order: cumulative, tottime…"
        )

    def handle(self, *args, **options):
        self.sort = options["sort"]
        self.stdout.write(
            f"Database {connection.vendor}: {options['items']} items x {options['members']} "
            f"members x {options['criteria']} criteria, {options['requests']} requests per page"
        )
        bench.register_owner()
        logging.getLogger("pestor.requests").setLevel(logging.WARNING)  # one line per request
        try:
            with transaction.atomic():
                self._run(options)
                raise Rollback
        except Rollback:
            pass
        finally:
            bench.unregister_owner()

    def _run(self, options):
        started = time.perf_counter()
        committee = bench.build(
            items=options["items"], members=options["members"], criteria=options["criteria"]
        )
        self.stdout.write(f"Data built in {time.perf_counter() - started:.1f} s")
        panel = self.panel = committee.panel
        member_client = Client(HTTP_HOST=HOST, raise_request_exception=True)
        member_client.force_login(committee.member.user)
        manager_client = Client(HTTP_HOST=HOST, raise_request_exception=True)
        manager_client.force_login(committee.manager)
        sheet_url = reverse("scoring:item-sheet", args=[panel.pk, committee.draft_item.pk])
        save_data = {"save": "1"}
        for index, criterion in enumerate(selectors.criteria_of(panel=panel)):
            save_data[f"points_{criterion.pk}"] = str(index % 5)
            save_data[f"comment_{criterion.pk}"] = ""
        pages = [
            ("to-do list (member)", member_client, "get", panel.get_absolute_url(), None),
            ("score sheet (member)", member_client, "get", sheet_url, None),
            ("saving the sheet (draft)", member_client, "post", sheet_url, save_data),
            (
                "results page (manager)",
                manager_client,
                "get",
                reverse("scoring:panel-results", args=[panel.pk]),
                None,
            ),
            (
                "results page, sums not cached",
                manager_client,
                "get",
                reverse("scoring:panel-results", args=[panel.pk]),
                None,
            ),
            (
                "CSV export",
                manager_client,
                "get",
                reverse("scoring:panel-export", args=[panel.pk, "csv"]),
                None,
            ),
            (
                "XLSX export",
                manager_client,
                "get",
                reverse("scoring:panel-export", args=[panel.pk, "xlsx"]),
                None,
            ),
        ]
        rows = []
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[HOST, "testserver"]):
            for name, client, method, url, data in pages:
                self.forget_sums = "not cached" in name
                if options["profile"] and options["profile"] in name:
                    self._profile(client, method, url, data)
                rows.append(self._measure(name, client, method, url, data, options["requests"]))
        self.stdout.write("")
        self.stdout.write(
            table(
                ("page", "HTTP", "n", "median ms", "p95 ms", "queries", "SQL ms", "KB"),
                rows,
                numeric_from=1,
            )
        )

    def _request(self, client, method, url, data):
        if self.forget_sums:  # as the first view after a sheet is submitted
            panel = self.panel
            cache.delete(selectors.sums_cache_key(panel, selectors.item_type_of(panel=panel)))
        sql_clock = SqlClock()
        with (
            CaptureQueriesContext(connection) as queries,
            connection.execute_wrapper(sql_clock),
        ):
            started = time.perf_counter()
            response = client.post(url, data) if method == "post" else client.get(url)
            body = (
                b"".join(response.streaming_content)
                if getattr(response, "streaming", False)
                else response.content
            )
            milliseconds = (time.perf_counter() - started) * 1000
        return response.status_code, milliseconds, len(queries), sql_clock.seconds, len(body)

    def _measure(self, name, client, method, url, data, requests):
        self._request(client, method, url, data)  # warm up: templates, caches
        samples = [self._request(client, method, url, data) for _ in range(max(1, requests))]
        timings = [sample[1] for sample in samples]
        row = (
            name,
            str(samples[-1][0]),
            str(len(samples)),
            f"{statistics.median(timings):.1f}",
            f"{percentile(timings, 0.95):.1f}",
            str(max(sample[2] for sample in samples)),
            f"{statistics.median(sample[3] for sample in samples) * 1000:.1f}",
            f"{samples[-1][4] / 1024:.1f}",
        )
        self.stdout.write(f"  {name:<28} {row[3]:>9} ms  {row[5]:>4} q")
        return row

    def _profile(self, client, method, url, data):
        profiler = cProfile.Profile()
        profiler.enable()
        self._request(client, method, url, data)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(self.sort).print_stats(30)
        self.stdout.write(out.getvalue())
