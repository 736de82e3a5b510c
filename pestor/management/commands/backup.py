"""``python manage.py backup FOLDER``: the PostgreSQL database, MEDIA_ROOT and
PRIVATE_MEDIA_ROOT into FOLDER, with the fingerprint a restore is checked against
(pestor.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pestor import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the media and private folders into FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a new or empty folder")

    def handle(self, *args, folder, **options):
        try:
            fingerprint = backup.backup(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up into {folder}: {backup.summary(fingerprint)}.")
