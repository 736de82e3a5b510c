"""Time and memory to build each open-data file, and the catalogue page's speed.

    python manage.py bench_opendata [--only TEXT] [--requests N]

Builds every variant of every dataset (as the nightly task does) and prints, per file, the
items, the size, the seconds and the process's peak resident memory after it: a streamed build
keeps the peak flat however many rows a year holds (the premises' support and the loans as
CSV, XLSX and GeoJSON too). Then the catalogue page's median and p95 time and its queries,
those of Toruń's ledger, and those of the API's list endpoints (/api/v1/): the first page and
a page far into the list by its cursor, without the anonymous limit. Run it on the
national-scale data (README, "Scale")."""

import resource
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from opendata import services
from opendata.datasets import DATASETS
from pestor import selectors as pestor_selectors


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Measure building the open-data files and the catalogue page."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help="only the datasets whose slug has TEXT")
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument("--no-files", action="store_true", help="skip building the files")

    def handle(self, *args, only, requests, no_files, **options):
        if not no_files:
            self._files(only)
        client = Client(HTTP_HOST="127.0.0.1")
        for label, url in self._pages():
            self._measure(client, label, url, requests)
        with override_settings(API_ANONYMOUS_RATE="1000000/min"):
            for name in ("organisations", "offers", "notices", "results", "events", "premises"):
                url = reverse(f"api:{name}")
                self._measure(client, f"API {name}, first page", url, requests)
                deep = self._deep_cursor(client, url)
                if deep:
                    self._measure(client, f"API {name}, page 20 by cursor", deep, requests)

    def _deep_cursor(self, client, url, pages=20):
        """The URL of the ``pages``-th page, followed from the first by its ``next``."""
        for _ in range(pages - 1):
            url = client.get(url).json().get("next")
            if not url:
                return None
        return url

    def _files(self, only):
        self.stdout.write(f"{'file':<44} {'items':>9} {'MB':>8} {'s':>8} {'peak RSS MB':>12}")
        self.stdout.write(f"{'(before)':<44} {'':>9} {'':>8} {'':>8} {_peak_mb():>12.0f}")
        for dataset in DATASETS.values():
            if only not in dataset.slug:
                continue
            for variant in dataset.variants():
                for fmt in dataset.formats:
                    built = services.dataset_file_build(dataset=dataset, variant=variant, fmt=fmt)
                    self.stdout.write(
                        f"{built!s:<44} {built.items:>9} {built.size / 1e6:>8.1f} "
                        f"{built.build_seconds:>8.1f} {_peak_mb():>12.0f}"
                    )

    def _pages(self):
        busiest = pestor_selectors.municipality_list().filter(slug="torun").first()
        urls = [("catalogue", reverse("opendata:catalogue"))]
        if busiest is not None:
            urls += [
                ("ledger of Toruń", reverse("opendata:ledger", args=[busiest.slug])),
                (
                    "ledger of Toruń, CSV",
                    reverse("opendata:ledger-export", args=[busiest.slug, "csv"]),
                ),
            ]
        return urls

    def _measure(self, client, label, url, requests):
        times = []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                body = b"".join(response) if response.streaming else response.content
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        self.stdout.write(
            f"{label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"{len(queries)} queries, {len(body) // 1024} KB"
        )
