"""`manage.py restore FILE.tar.gz`: put back what `manage.py backup` saved (forum/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forum.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database and the files from an archive written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive to read")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already has tables"
        )

    def handle(self, *args, file: Path, force: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist")
        try:
            manifest = restore(file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {manifest['database']} database and "
            f"{', '.join(manifest['files'])} files from {file} "
            f"(backed up {manifest['created_at']})"
        )
