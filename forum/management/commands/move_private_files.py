"""Move files that older versions kept in MEDIA_ROOT (which a proxy may serve) to the private
storage: Wagtail's documents and the badge batches. Their names in the database stay the same.

    manage.py move_private_files [--dry-run]

Run it once after upgrading, before serving MEDIA_ROOT from the proxy again; running it again
moves nothing."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

# Folders of MEDIA_ROOT that were written by earlier versions and hold private files.
PRIVATE_FOLDERS = ("documents", "document-jobs")


class Command(BaseCommand):
    help = "Move Wagtail documents and generated files from MEDIA_ROOT to PRIVATE_MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, move nothing.")

    def handle(self, *args, dry_run=False, **options):
        media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
        moved = 0
        for folder in PRIVATE_FOLDERS:
            source = media / folder
            if not source.is_dir():
                continue
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                target = private / path.relative_to(media)
                if target.exists():
                    self.stderr.write(f"kept (already in private storage): {path}")
                    continue
                self.stdout.write(f"{path} -> {target}")
                moved += 1
                if not dry_run:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(path, target)
            if not dry_run:
                for directory in sorted(source.rglob("*"), reverse=True):
                    if directory.is_dir() and not any(directory.iterdir()):
                        directory.rmdir()
                if not any(source.iterdir()):
                    source.rmdir()
        verb = "would move" if dry_run else "moved"
        self.stdout.write(f"{verb} {moved} file(s)")
