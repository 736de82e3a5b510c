"""``python manage.py restore_drill``: proves that this installation's data could be restored
after losing the server. It backs up the database and both folders, creates an empty database
beside this one (``<name>_restore_drill``) and empty folders, restores the backup there in a
separate process that knows only the restored copy (``manage.py restore``, which checks that
the restored portal serves the same organisations, notices and report files, by checksum), and
removes the copy. The installation itself is only read."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from pestor import backup


class Command(BaseCommand):
    help = "Back up, restore into an empty database and folders, and check the restored portal."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            help="name of the empty database to restore into (default: <name>_restore_drill); "
            "it is dropped first and afterwards",
        )
        parser.add_argument(
            "--keep", action="store_true", help="keep the restored database and the folders"
        )

    def handle(self, *args, database=None, keep=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The drill needs PostgreSQL (DATABASE_URL=postgres://...).")
        target = database or f"{connection.settings_dict['NAME']}_restore_drill"
        if target == connection.settings_dict["NAME"]:
            raise CommandError("The drill restores into another database than this one.")
        workdir = Path(tempfile.mkdtemp(prefix="pestor-restore-drill-"))
        try:
            fingerprint = backup.backup(workdir / "backup")
            self.stdout.write(f"1. Backed up: {backup.summary(fingerprint)}.")
            backup.create_empty_database(target)
            self.stdout.write(f"2. Empty database {target}, empty folders in {workdir}.")
            env = {
                **os.environ,
                "DATABASE_URL": backup.database_url(target),
                "CONN_MAX_AGE": "0",
                "MEDIA_ROOT": str(workdir / "media"),
                "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
                "CELERY_BROKER_URL": "",
            }
            manage = str(Path(settings.BASE_DIR) / "manage.py")
            restored = subprocess.run(
                [sys.executable, manage, "restore", str(workdir / "backup")],
                env=env,
                capture_output=True,
                text=True,
            )
            self.stdout.write(restored.stdout.rstrip())
            if restored.returncode != 0:
                raise CommandError(f"The restore failed:\n{restored.stderr.strip()}")
            self.stdout.write(self.style.SUCCESS("3. The restore drill passed."))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            if keep:
                self.stdout.write(f"Kept: database {target}, folders in {workdir}.")
            else:
                backup.drop_database(target)
                backup.remove(workdir)
