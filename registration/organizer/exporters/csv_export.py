"""The registration list as CSV, streamed row by row."""

import csv
from collections.abc import Iterator

from registration.organizer.exporters import cell
from registration.organizer.selectors import ExportTable


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(table: ExportTable) -> Iterator[str]:
    """The CSV text, one line at a time (with a BOM so that spreadsheets read UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([cell(h) for h in table.headers])
    for row in table.rows:
        yield writer.writerow([cell(v) for v in row])
