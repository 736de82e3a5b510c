"""The cost-benefit analysis's PDF at scale: how long its build takes and how many queries it
reads, for the largest Toruń competition and its strategy area (after ``grants_scale``).

    python manage.py bench_grants_pdf --runs 5

Each run is what the Celery task does but the writing of the file: read the analysis, render
the template, WeasyPrint. Speed is measured here, never by timed tests.
"""

import statistics
import time
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from ... import pdf
from ...bench import _area_of
from ...models import Competition


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Measures the build of the cost-benefit analysis's PDF (competition and area)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, runs, **options):
        largest = (
            Competition.objects.filter(municipality__slug="torun", status="decided")
            .annotate(offer_count=Count("offers"))
            .order_by("-offer_count", "-pk")
            .first()
        )
        if largest is None:
            raise CommandError("Load the demo and run grants_scale first.")
        subjects = [
            (f"competition ({largest.offer_count} offers)", {"competition": largest}),
            ("strategy area", {"area": _area_of(largest)}),
        ]
        self.stdout.write(
            f"{'PDF of the analysis':<32}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'KB':>8}"
        )
        for label, subject in subjects:
            timings, queries, size = [], 0, 0
            for _run in range(runs):
                job = SimpleNamespace(**{"competition": None, "area": None, **subject})
                if job.competition is not None:
                    # A fresh object: nothing cached from the run before.
                    job.competition = Competition.objects.select_related("municipality").get(
                        pk=job.competition.pk
                    )
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    content = pdf.analysis_pdf(job)
                timings.append((time.perf_counter() - started) * 1000)
                queries, size = len(captured), len(content)
            self.stdout.write(
                f"{label:<32}{statistics.median(timings):>10.0f}{p95(timings):>10.0f}"
                f"{queries:>9}{size / 1024:>8.0f}"
            )
