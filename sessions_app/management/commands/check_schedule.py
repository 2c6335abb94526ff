from django.core.management.base import BaseCommand, CommandError

from forum.selectors import get_edition_by_slug
from sessions_app.services.conflicts import find_conflicts


class Command(BaseCommand):
    help = "List the conflicts in an edition's programme; exit non-zero when one blocks publishing."

    def add_arguments(self, parser):
        parser.add_argument("edition", help="the edition's slug, e.g. 2009-tokyo")

    def handle(self, *args, **options):
        edition = get_edition_by_slug(options["edition"])
        if edition is None:
            raise CommandError(f"No edition with the slug {options['edition']!r}.")
        conflicts = find_conflicts(edition)
        for conflict in conflicts:
            label = "HARD" if conflict.is_hard else "warning"
            self.stdout.write(f"{label}: {conflict.kind}: {conflict.message}")
        hard = sum(1 for c in conflicts if c.is_hard)
        summary = f"{edition.slug}: {hard} hard conflict(s), {len(conflicts) - hard} warning(s)."
        if hard:
            raise CommandError(summary, returncode=2)
        self.stdout.write(self.style.SUCCESS(summary))
