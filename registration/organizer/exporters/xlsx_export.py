"""The registration list as an Excel workbook (openpyxl's write-only mode: rows go to a
temporary file as they are read, so a large edition does not sit in memory)."""

import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from registration.organizer.exporters import cell
from registration.organizer.selectors import ExportTable


def write_xlsx(table: ExportTable, *, title: str):
    """A temporary file (positioned at its start) holding the workbook."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Registrations")
    sheet.append([cell(h) for h in table.headers])
    for row in table.rows:
        cells = []
        for value in row:
            value = cell(value)
            item = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                item.data_type = "s"  # text stays text, even "=1+1" after neutralising
            cells.append(item)
        sheet.append(cells)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
