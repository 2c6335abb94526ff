"""CSV statements: the organizer says which column holds what, the delimiter and whether
amounts use a decimal comma ("1.234,50")."""

import csv
import dataclasses
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from registration.payments.bankfiles import StatementError, StatementLine

DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}
DATE_FORMATS = {
    "iso": "%Y-%m-%d",
    "dmy_dot": "%d.%m.%Y",
    "dmy_slash": "%d/%m/%Y",
    "mdy_slash": "%m/%d/%Y",
    "ymd_slash": "%Y/%m/%d",
}


@dataclasses.dataclass(frozen=True)
class Mapping:
    date_column: int
    amount_column: int
    text_columns: tuple[int, ...]
    currency_column: int | None = None
    delimiter: str = "comma"
    decimal_comma: bool = False
    date_format: str = "iso"
    default_currency: str = ""


def sniff_delimiter(text: str) -> str:
    """The delimiter name most likely used by the first line."""
    first = text.split("\n", 1)[0]
    counts = {name: first.count(char) for name, char in DELIMITERS.items()}
    return max(counts, key=lambda name: counts[name]) if any(counts.values()) else "comma"


def rows_of(text: str, delimiter: str) -> list[list[str]]:
    if delimiter not in DELIMITERS:
        raise StatementError(_("Choose a delimiter."))
    try:
        return [
            row
            for row in csv.reader(io.StringIO(text), delimiter=DELIMITERS[delimiter])
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as error:
        raise StatementError(
            _("This CSV file cannot be read: %(error)s") % {"error": error}
        ) from None


def header_of(text: str, delimiter: str) -> list[str]:
    rows = rows_of(text[:20000], delimiter)
    if not rows:
        raise StatementError(_("The file is empty."))
    return [cell.strip() for cell in rows[0]]


_NOT_AMOUNT = re.compile(r"[^\d,.\-+]")


def parse_amount(raw: str, *, decimal_comma: bool) -> Decimal:
    value = _NOT_AMOUNT.sub("", raw or "")
    value = value.replace(".", "").replace(",", ".") if decimal_comma else value.replace(",", "")
    return Decimal(value).quantize(Decimal("0.01"))


def parse(text: str, mapping: Mapping) -> list[StatementLine]:
    """The credit lines (amount above zero) of the CSV `text`, its first row being the
    header. StatementError names the first row that cannot be read; nothing is returned
    then."""
    if mapping.date_format not in DATE_FORMATS:
        raise StatementError(_("Choose a date format."))
    rows = rows_of(text, mapping.delimiter)
    if len(rows) < 2:
        raise StatementError(_("The file has no lines below its header."))
    width = len(rows[0])
    columns = [mapping.date_column, mapping.amount_column, *mapping.text_columns]
    if mapping.currency_column is not None:
        columns.append(mapping.currency_column)
    if any(c < 0 or c >= width for c in columns):
        raise StatementError(_("A chosen column is not in the file."))
    date_format = DATE_FORMATS[mapping.date_format]
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        row = row + [""] * (width - len(row))
        try:
            booked_on = datetime.datetime.strptime(  # noqa: DTZ007 (a date, no time)
                row[mapping.date_column].strip(), date_format
            ).date()
        except ValueError:
            raise StatementError(
                _("Line %(line)s: “%(value)s” is not a date in the chosen format.")
                % {"line": number, "value": row[mapping.date_column][:40]}
            ) from None
        try:
            amount = parse_amount(row[mapping.amount_column], decimal_comma=mapping.decimal_comma)
        except InvalidOperation:
            raise StatementError(
                _("Line %(line)s: “%(value)s” is not an amount.")
                % {"line": number, "value": row[mapping.amount_column][:40]}
            ) from None
        if amount <= 0:
            continue
        currency = (
            row[mapping.currency_column].strip().upper()[:3]
            if mapping.currency_column is not None
            else mapping.default_currency
        )
        text_value = " ".join(row[c].strip() for c in mapping.text_columns if row[c].strip())
        lines.append(StatementLine(booked_on, amount, currency, text_value))
    return lines
