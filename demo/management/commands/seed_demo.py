from django.core.management.base import BaseCommand

from demo.build import build_demo


class Command(BaseCommand):
    help = "Load the demo forum series (AFSE 2007, 2009, 2011) in English and Japanese. Idempotent."

    def handle(self, *args, **options):
        report = build_demo()
        if report.created:
            self.stdout.write(f"Created: {', '.join(report.created)}.")
        else:
            self.stdout.write("The demo forum is already loaded; nothing changed.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin at /admin/: username '{report.admin_username}', "
                f"password '{report.admin_password}'."
            )
        )
