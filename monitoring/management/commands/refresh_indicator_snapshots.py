"""Take the snapshots of the portal's computed indicators now (celery beat does it nightly).

    python manage.py refresh_indicator_snapshots                  # what beat refreshes
    python manage.py refresh_indicator_snapshots --municipality torun --year 2026
    python manage.py refresh_indicator_snapshots --all            # every period, not only missing

Prints how long each indicator took, so slow ones show up.
"""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring import services
from monitoring.figures import year_bounds
from pestor.models import Municipality


class Command(BaseCommand):
    help = "Compute the snapshots of the portal's indicators (per municipality and year)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="the municipality's slug (default: all)")
        parser.add_argument("--year", type=int, help="one year (default: the programmes' years)")
        parser.add_argument(
            "--all",
            dest="renew_all",
            action="store_true",
            help="renew every period, not only the current ones and those missing",
        )

    def handle(self, *args, municipality=None, year=None, renew_all=False, **options):
        plan = services.indicator_snapshots_plan(today=timezone.localdate())
        if municipality:
            found = Municipality.objects.filter(slug=municipality).first()
            if found is None:
                raise CommandError(f"No municipality with the slug {municipality!r}.")
            plan = [row for row in plan if row[0] == found.pk]
            if year:
                plan = [(found.pk, *year_bounds(year), True)]
        elif year:
            plan = [row for row in plan if row[1].year == year]
        names = dict(
            Municipality.objects.filter(pk__in={row[0] for row in plan}).values_list("pk", "name")
        )
        totals: dict[str, float] = defaultdict(float)
        for municipality_id, start, end, renew in plan:
            timings = services.indicator_snapshots_refresh(
                municipality=Municipality.objects.get(pk=municipality_id),
                start=start,
                end=end,
                only_missing=not (renew or renew_all),
            )
            if not timings:
                continue
            self.stdout.write(
                f"{names[municipality_id]} {start.isoformat()}/{end.isoformat()}: "
                f"{sum(timings.values()):.2f} s"
            )
            for key, seconds in timings.items():
                totals[key] += seconds
                self.stdout.write(f"  {key:<24} {seconds:8.2f} s")
        self.stdout.write(
            f"{len(plan)} periods; by indicator: "
            + ", ".join(f"{key} {seconds:.1f} s" for key, seconds in totals.items())
        )
