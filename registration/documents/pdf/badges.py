"""Badges: one person's badge on its own page (90 by 130 mm), and print sheets of four badges to
an A4 page with cut marks, for a whole edition. The QR code holds the badge's check-in code."""

from collections.abc import Iterable, Sequence

from django.utils import translation

from forum.documents.rendering import qr_data_uri, render_pdf, safe_colour, text_colour_on
from registration.models import Registration

BADGE_TEMPLATE = "registration/pdf/badge.html"
SHEETS_TEMPLATE = "registration/pdf/badge_sheets.html"
BADGES_PER_SHEET = 4
BADGE_QR_MASK = 2


def badge_context(registration: Registration) -> dict:
    """What a badge prints, in the active language (the country's name). Needs the
    registration's edition and ticket type (select_related them for many)."""
    ticket = registration.ticket_type
    return {
        "edition": registration.edition.name,
        "ticket": ticket.name,
        "ticket_class": f"ticket-{ticket.pk}",
        "name": registration.name,
        "name_native": (
            registration.name_native if registration.name_native != registration.name else ""
        ),
        "native_language": registration.name_native_language,
        "organization": registration.organization_name,
        "organization_native": (
            registration.organization_name_native
            if registration.organization_name_native != registration.organization_name
            else ""
        ),
        "country": str(registration.country.name) if registration.country else "",
        "code": registration.badge_code,
        "qr": qr_data_uri(registration.badge_code, mask=BADGE_QR_MASK),
    }


def ticket_css(registrations: Iterable[Registration]) -> str:
    """One rule per ticket type: its colour on the badge's band, the text readable on it.

    WeasyPrint takes these as user stylesheets, which author rules outrank unless the user's
    are !important.
    """
    rules = {}
    for registration in registrations:
        ticket = registration.ticket_type
        if ticket.pk not in rules:
            colour = safe_colour(ticket.colour)
            rules[ticket.pk] = (
                f".ticket-{ticket.pk} .badge-band {{ background: {colour} !important; "
                f"color: {text_colour_on(colour)} !important; }}"
            )
    return "\n".join(rules.values())


def render_badge(registration: Registration, *, language: str | None = None) -> bytes:
    """One badge as a PDF page, in the participant's language unless told otherwise."""
    language = language or registration.language
    with translation.override(language):
        context = {"badge": badge_context(registration)}
    return render_pdf(BADGE_TEMPLATE, context, language=language, css=ticket_css([registration]))


def render_badge_sheets(registrations: Sequence[Registration], *, language: str) -> bytes:
    """Badges four to an A4 page, in the order given, with cut marks around each."""
    with translation.override(language):
        badges = [badge_context(registration) for registration in registrations]
    sheets = [badges[i : i + BADGES_PER_SHEET] for i in range(0, len(badges), BADGES_PER_SHEET)]
    edition = registrations[0].edition if registrations else None
    return render_pdf(
        SHEETS_TEMPLATE,
        {"sheets": sheets, "edition": edition},
        language=language,
        css=ticket_css(registrations),
    )


def sheet_count(badges: int) -> int:
    return -(-badges // BADGES_PER_SHEET)
