"""Bank statements read into plain lines: one module per format (CSV with a column mapping,
MT940, CAMT.053). Each returns the credit lines and raises StatementError, with a message for
the organizer, on a file it cannot read."""

import dataclasses
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A statement larger than this is refused (a year of a busy account is far smaller).
MAX_BYTES = 10 * 1024 * 1024


class StatementError(ValidationError):
    """The file cannot be read; the message says why."""


@dataclasses.dataclass(frozen=True)
class StatementLine:
    booked_on: datetime.date
    amount: Decimal
    currency: str
    text: str


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Latin-1, which banks
    still use for CSV and MT940."""
    if len(data) > MAX_BYTES:
        raise StatementError(_("The file is larger than 10 MB."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
