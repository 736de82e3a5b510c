"""Fill the configured database with national-scale data, to measure the portal at that size.

    python manage.py generate_national_data --scale 1.0     # 120 000 PES, 600 000 offers …
    python manage.py generate_national_data --scale 0.01    # a hundredth, for a quick look

The demo is loaded first (its accounts hold every role the benchmark signs in as); then the
``bulk`` module of each installed app adds its rows (``pestor.bulk`` describes such a module).
The command refuses a database that already holds data; ``--append`` adds another batch on top
of what is there instead (the demo is then not loaded again).
"""

import io
import random
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from pestor.bulk import SEED, BulkContext, BulkNumbers, BulkWriter, bulk_modules
from pestor.management.commands.load_demo import demo_modules
from pestor.models import Company


class Command(BaseCommand):
    help = (
        "Generuje dane w skali kraju (2 477 gmin, 120 000 PES, 600 000 ofert, 250 000 ogłoszeń) "
        "do pomiarów wydajności. / Generates national-scale data for performance measurements."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Część pełnej skali kraju (1.0 = 120 000 PES). / Fraction of the national scale.",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help=(
                "Dodaj dane do niepustej bazy zamiast odmówić. / "
                "Add the rows to a database that already holds data instead of refusing."
            ),
        )
        parser.add_argument("--seed", type=int, default=SEED, help="random seed")

    def handle(self, *args, scale, append, seed, **options):
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        existing = ", ".join(
            part
            for _label, module in demo_modules()
            if (function := getattr(module, "existing_data", None)) and (part := function())
        )
        if existing and not append:
            raise CommandError(
                f"Baza danych nie jest pusta ({existing}); użyj --append, aby dodać dane. / "
                "The database is not empty; use --append to add the rows to it."
            )
        started = time.monotonic()
        if not existing:
            self.stdout.write("Demo…")
            call_command("load_demo", stdout=io.StringIO())
        context = BulkContext(
            scale=scale,
            rng=random.Random(seed),
            now=timezone.now(),
            writer=BulkWriter(stdout=self.stdout),
            numbers=BulkNumbers(taken_nips=self._taken_nips()),
            stdout=self.stdout,
        )
        for label, module in bulk_modules():
            self.stdout.write(f"{label}…")
            part_started = time.monotonic()
            with transaction.atomic():
                summary = module.load(context)
                context.writer.reset_sequences()
            self.stdout.write(f"  {label}: {summary} ({time.monotonic() - part_started:.1f} s)")
        if connection.vendor == "postgresql":
            # Statistics for the planner, and the visibility map that lets the lists' covering
            # indexes answer alone (index-only scans), as autovacuum would leave them.
            # VACUUM cannot run inside a transaction (a test's, or a caller's atomic block).
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            analyze_started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(command)
            self.stdout.write(f"{command} ({time.monotonic() - analyze_started:.1f} s)")
        for label, module in bulk_modules():
            finish = getattr(module, "finish", None)
            if finish is not None:
                part_started = time.monotonic()
                summary = finish(context)
                self.stdout.write(f"  {label}: {summary} ({time.monotonic() - part_started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"Dane w skali {scale:g} gotowe w {time.monotonic() - started:.0f} s / "
                f"national-scale data loaded ({connection.vendor})."
            )
        )

    def _taken_nips(self):
        taken = set(Company.objects.values_list("nip", flat=True))
        # The directory's organisations, without importing the directory (the portal imports
        # no app): by the model's label.
        if apps.is_installed("directory"):
            organisation = apps.get_model("directory", "Organisation")
            taken.update(organisation.objects.values_list("nip", flat=True))
        return taken
