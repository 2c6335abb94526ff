"""The certificate of attendance, for a participant who was checked in."""

from django.utils import translation
from django.utils.formats import date_format

from forum.documents.rendering import render_pdf
from registration.documents.pdf.letters import reg_settings_of
from registration.models import Registration

TEMPLATE = "registration/pdf/certificate.html"


def certificate_context(registration: Registration) -> dict:
    edition = registration.edition
    return {
        "registration": registration,
        "edition": edition,
        "place": edition.place,
        "reg_settings": reg_settings_of(edition),
        "name_native": (
            registration.name_native if registration.name_native != registration.name else ""
        ),
        "start_date": unbroken_date(edition.start_date),
        "end_date": unbroken_date(edition.end_date),
    }


def unbroken_date(value) -> str:
    """`value` in the active language's DATE_FORMAT, its spaces non-breaking: a date is never
    cut across two lines ("Nov. / 10, 2009")."""
    return date_format(value, "DATE_FORMAT").replace(" ", "\N{NO-BREAK SPACE}") if value else ""


def render_certificate(registration: Registration, *, language: str | None = None) -> bytes:
    """`registration`'s certificate of attendance as a PDF: one A4 page, the text centred in a
    frame that fills it, no page counter."""
    language = language or registration.language
    with translation.override(language):
        context = certificate_context(registration)
    return render_pdf(TEMPLATE, context, language=language)
