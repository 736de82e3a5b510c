"""``python manage.py restore FOLDER``: a backup made by ``manage.py backup`` into this
installation's empty database (DATABASE_URL) and empty MEDIA_ROOT and PRIVATE_MEDIA_ROOT, then
a check that the portal serves the same organisations, notices and report files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pestor import backup


class Command(BaseCommand):
    help = "Restore a backup into an empty database and empty folders, and check the result."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder written by manage.py backup")

    def handle(self, *args, folder, **options):
        try:
            fingerprint = backup.restore(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored from {folder}; the portal serves the same: {backup.summary(fingerprint)}."
        )
