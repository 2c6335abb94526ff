"""Exports of the registration list: one module per format (csv_export, xlsx_export)."""

import datetime
from decimal import Decimal

from django.utils import timezone

# A spreadsheet runs a cell that begins with one of these as a formula (or may: a DDE payload
# after a tab or carriage return).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """`value` made inert for spreadsheets: a leading apostrophe when it could start a
    formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def cell(value):
    """A value ready for a spreadsheet cell: text neutralised, times in UTC as text, numbers
    and dates kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | Decimal | float):
        return value
    return neutralise(str(value))


def export_filename(edition_slug: str, extension: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return f"registrations-{edition_slug}-{stamp}.{extension}"
