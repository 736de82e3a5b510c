"""Benchmark of the directory's public pages: prints response times and query counts.

    python manage.py bench_directory --organisations 2000 --requests 30

Extra organisations are created inside a transaction that is rolled back at the end, so the
command leaves the database as it found it.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from directory.models import LegalForm, Organisation
from pestor.models import Municipality


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Times the directory's public pages (list, search, filters, map, detail)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=0, help="extra rows to add first")
        parser.add_argument("--requests", type=int, default=20, help="requests per page")

    def handle(self, *args, organisations, requests, **options):
        try:
            with transaction.atomic():
                if organisations:
                    self._add_organisations(organisations)
                self._measure(requests)
                raise Rollback
        except Rollback:
            pass

    def _add_organisations(self, count):
        municipality = Municipality.objects.order_by("pk").first()
        if municipality is None:
            municipality = Municipality.objects.create(
                name="Gmina Testowa", slug="gmina-testowa", teryt="0400001", voivodeship="04"
            )
        forms = list(LegalForm.values)
        rows = []
        for number in range(count):
            nip_base = f"9{number:08d}"
            nip_check = stdnum_nip.checksum(nip_base + "0")  # the digit that makes the sum 0
            if nip_check == 10:
                continue
            regon_base = f"9{number:07d}"
            rows.append(
                Organisation(
                    name=f"Organizacja Wydajnościowa {number} Łódź",
                    slug=f"bench-{number}",
                    legal_form=forms[number % len(forms)],
                    nip=f"{nip_base}{nip_check}",
                    regon=regon_base + stdnum_regon.calc_check_digit(regon_base),
                    street="ul. Testowa 1",
                    postal_code="00-001",
                    city="Łódź" if number % 3 == 0 else "Toruń",
                    latitude="53.01",
                    longitude="18.60",
                    seat_municipality=municipality,
                    status=Organisation.Status.VERIFIED,
                    search_text=f"organizacja wydajnosciowa {number} lodz",
                )
            )
        Organisation.objects.bulk_create(rows, batch_size=500)
        self.stdout.write(f"added {len(rows)} organisations")

    def _measure(self, requests):
        sample = Organisation.objects.public().order_by("pk").first()
        municipality = Municipality.objects.order_by("pk").first()
        pages = [
            ("list", reverse("directory:organisation-list")),
            ("list page 3", reverse("directory:organisation-list") + "?page=3"),
            ("search 'lodz'", reverse("directory:organisation-list") + "?q=lodz"),
            (
                "filters",
                reverse("directory:organisation-list")
                + "?legal_form=foundation&municipality="
                + (municipality.slug if municipality else ""),
            ),
            ("map", reverse("directory:organisation-map")),
        ]
        if sample:
            pages.append(("detail", sample.get_absolute_url()))
        self.stdout.write(
            f"{Organisation.objects.public().count()} public organisations, "
            f"{requests} requests per page, database {connection.vendor}"
        )
        self.stdout.write(
            f"{'page':<16}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}{'queries':>9}"
        )
        client = Client(HTTP_HOST="127.0.0.1")
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"]):
            for label, url in pages:
                client.get(url)  # warm-up
                timings = []
                for _ in range(requests):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        self.stderr.write(f"{label}: HTTP {response.status_code}")
                timings.sort()
                p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
                self.stdout.write(
                    f"{label:<16}{statistics.median(timings):>10.1f}{p95:>10.1f}"
                    f"{timings[-1]:>10.1f}{len(queries):>9}"
                )
