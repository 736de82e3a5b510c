"""Adds the national-scale premises rows (``premises.bulk``) to a database that already holds
the other apps' national data, for ``bench_pages --only lokale``."""

import random
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from pestor.bulk import SEED, BulkContext, BulkNumbers, BulkWriter

from ... import bulk


class Command(BaseCommand):
    help = "Dodaje lokale w skali kraju. / Adds national-scale premises, leases and reports."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)

    def handle(self, *args, scale, **options):
        started = time.monotonic()
        context = BulkContext(
            scale=scale,
            rng=random.Random(SEED),
            now=timezone.now(),
            writer=BulkWriter(stdout=self.stdout),
            numbers=BulkNumbers(),
            stdout=self.stdout,
        )
        with transaction.atomic():
            summary = bulk.load(context)
            context.writer.reset_sequences()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"{summary} ({time.monotonic() - started:.0f} s)")
