import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand

from demo.build import build_demo


@contextmanager
def warnings_only(verbosity: int) -> Iterator[None]:
    """While the demo is built, only warnings and errors are logged: not each page Wagtail
    publishes nor each task run at once (hundreds of lines that would hide what is missing).
    `-v 2` logs every step."""
    if verbosity >= 2:
        yield
        return
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(previous)


class Command(BaseCommand):
    help = "Load the demo forum series (AFSE 2007, 2009, 2011) in English and Japanese. Idempotent."

    def handle(self, *args, **options):
        with warnings_only(options["verbosity"]):
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
