"""`manage.py backup FILE.tar.gz`: the database and the files in one archive (forum/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forum.backup import BackupError, back_up


class Command(BaseCommand):
    help = "Back up the database and the uploaded and generated files into one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive to write (e.g. forum.tar.gz)")

    def handle(self, *args, file: Path, **options):
        try:
            manifest = back_up(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {manifest['database']} database and "
            f"{', '.join(manifest['files'])} files to {file}"
        )
