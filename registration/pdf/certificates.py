"""The certificate of attendance, for a participant who was checked in."""

from django.utils import translation

from forum.documents.rendering import render_pdf
from registration.models import Registration
from registration.pdf.letters import reg_settings_of

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
    }


def render_certificate(registration: Registration, *, language: str | None = None) -> bytes:
    """`registration`'s certificate of attendance as a PDF (one A4 page)."""
    language = language or registration.language
    with translation.override(language):
        context = certificate_context(registration)
    return render_pdf(TEMPLATE, context, language=language)
