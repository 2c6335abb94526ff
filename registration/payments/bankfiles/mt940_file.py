"""MT940 statements (SWIFT), read by the `mt-940` package."""

import mt940
from django.utils.translation import gettext as _

from registration.payments.bankfiles import StatementError, StatementLine

_TEXT_KEYS = (
    "transaction_details",
    "purpose",
    "extra_details",
    "customer_reference",
    "bank_reference",
    "applicant_name",
    "additional_purpose",
)


def parse(text: str) -> list[StatementLine]:
    """The credit lines of the MT940 `text`."""
    if ":61:" not in text:
        raise StatementError(_("This is not an MT940 statement: it has no transaction (:61:)."))
    try:
        transactions = mt940.models.Transactions()
        transactions.parse(text)
    except Exception:
        raise StatementError(
            _("This MT940 statement cannot be read: a line is not in the MT940 format.")
        ) from None
    if not len(transactions.transactions):
        raise StatementError(_("This MT940 statement cannot be read: no transaction found."))
    lines = []
    for transaction in transactions:
        data = transaction.data
        amount = data.get("amount")
        booked_on = data.get("date")
        if amount is None or booked_on is None or amount.amount <= 0:
            continue
        parts = []
        for key in _TEXT_KEYS:
            value = data.get(key)
            if value and value != "NONREF" and value not in parts:
                parts.append(str(value))
        lines.append(
            StatementLine(
                booked_on=booked_on,
                amount=amount.amount.quantize(amount.amount.__class__("0.01")),
                currency=(amount.currency or data.get("currency") or "")[:3],
                text=" ".join(parts),
            )
        )
    return lines
