"""The receipt of a paid registration fee."""

from django.utils import timezone, translation

from forum.documents.rendering import render_pdf
from forum.timezones import zone_of
from registration.documents.pdf.letters import reg_settings_of
from registration.enums import WaiverStatus
from registration.models import Registration

TEMPLATE = "registration/pdf/receipt.html"


def render_receipt(registration: Registration, *, language: str | None = None) -> bytes:
    """The receipt of `registration` (paid, with its receipt number) as a PDF: the amount
    received, the day of payment in the edition's time zone and the payment reference."""
    edition = registration.edition
    language = language or registration.language
    waived = (
        registration.waiver_amount
        if registration.waiver_status == WaiverStatus.GRANTED and registration.waiver_amount
        else None
    )
    paid_at = registration.paid_at
    with translation.override(language):
        context = {
            "registration": registration,
            "edition": edition,
            "reg_settings": reg_settings_of(edition),
            "paid_on": timezone.localtime(paid_at, zone_of(edition)).date() if paid_at else None,
            "name_native": (
                registration.name_native if registration.name_native != registration.name else ""
            ),
            "fee": registration.fee,
            "waived": waived,
            "amount": registration.amount_paid
            if registration.amount_paid is not None
            else registration.amount_due,
        }
    return render_pdf(TEMPLATE, context, language=language)
