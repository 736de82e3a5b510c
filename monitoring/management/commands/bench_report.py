"""Time the annual report (sprawozdanie z realizacji programu, art. 5a ust. 3) of the largest
municipality, as the Celery task builds it, and print the figures.

    python manage.py bench_report                        # the largest municipality, last year
    python manage.py bench_report --municipality torun --year 2025 --runs 5
    python manage.py bench_report --without-snapshots    # the figures computed in the job too

"Largest" is the municipality with an adopted programme covering the year whose verified
organisations are the most. Each run builds the report's figures (``reports.build_snapshot``),
its HTML and its PDF (WeasyPrint) inside a transaction that is rolled back: the database is left
as it was and no file is written. ``--without-snapshots`` drops the indicator snapshots of that
municipality and year first (inside the same transaction), so the job computes them itself, as
the first report of a period does when the nightly snapshots have not run yet.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring import reports, services
from monitoring.models import CooperationProgramme, IndicatorSnapshot, Report
from pestor.pdf import html_to_pdf


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Mierzy budowę rocznego sprawozdania największej gminy (PDF). / "
        "Times the largest municipality's annual report (PDF)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="the municipality's slug (default: largest)")
        parser.add_argument("--year", type=int, help="the report's year (default: last year)")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument(
            "--without-snapshots",
            action="store_true",
            help="drop the year's indicator snapshots first: the job computes them",
        )

    def handle(self, *args, municipality=None, year=None, runs=3, without_snapshots=False, **kw):
        year = year or timezone.localdate().year - 1
        programme = self._programme(municipality, year)
        start, end = services.statutory_period(year)
        self.stdout.write(
            f"{programme.municipality.name}: {programme.title} ({programme.organisations} verified "
            f"organisations), annual report {year}, database {connection.vendor}, {runs} runs"
            + (", snapshots dropped first" if without_snapshots else "")
        )
        timings = []
        for _ in range(runs):
            try:
                with transaction.atomic():
                    if without_snapshots:
                        IndicatorSnapshot.objects.filter(
                            municipality=programme.municipality, period_start=start
                        ).delete()
                    report = Report.objects.create(
                        programme=programme,
                        kind=Report.Kind.STATUTORY,
                        period_start=start,
                        period_end=end,
                    )
                    timings.append(self._build(report))
                    raise _Rollback
            except _Rollback:
                pass
        for name in ("figures", "html", "pdf", "total"):
            values = [run[name] for run in timings]
            self.stdout.write(
                f"  {name:<8} median {statistics.median(values):7.2f} s   max {max(values):7.2f} s"
            )
        last = timings[-1]
        self.stdout.write(
            f"  queries {last['queries']}, HTML {last['html_kb']:.0f} KB, "
            f"PDF {last['pdf_kb']:.0f} KB"
        )

    def _programme(self, slug, year) -> CooperationProgramme:
        programmes = (
            CooperationProgramme.objects.adopted()
            .covering(year)
            .select_related("municipality")
            .annotate(
                organisations=Count(
                    "municipality__seated_organisations",
                    filter=Q(municipality__seated_organisations__status="verified"),
                )
            )
        )
        if slug:
            programmes = programmes.filter(municipality__slug=slug)
        found = programmes.order_by("-organisations", "pk").first()
        if found is None:
            raise CommandError(
                f"No adopted programme covers {year}" + (f" in {slug}." if slug else ".")
            )
        return found

    def _build(self, report) -> dict:
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            snapshot = reports.build_snapshot(report)
            figured = time.perf_counter()
            html = reports.render_html(report, snapshot)
            rendered = time.perf_counter()
            pdf = html_to_pdf(html)
            done = time.perf_counter()
        return {
            "figures": figured - began,
            "html": rendered - figured,
            "pdf": done - rendered,
            "total": done - began,
            "queries": len(captured),
            "html_kb": len(html.encode()) / 1024,
            "pdf_kb": len(pdf) / 1024,
        }
