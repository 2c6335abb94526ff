"""The visa invitation letter: on the edition's letterhead, numbered, with the holder's passport
details — the only document that prints them — and a QR code leading to the public verification
page, whose address is built from settings.SITE_URL (never from a request's Host)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from forum.documents.rendering import qr_data_uri, render_pdf
from forum.timezones import zone_of
from registration.models import PassportDetails, RegistrationSettings, VisaLetter

TEMPLATE = "registration/pdf/visa_letter.html"


def letter_verification_url(letter: VisaLetter) -> str:
    """The public address where an embassy checks `letter` (no language prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("verify_letter", kwargs={"token": letter.verification_token})
    return settings.SITE_URL.rstrip("/") + path


def reg_settings_of(edition) -> RegistrationSettings | None:
    try:
        return edition.registration_settings
    except RegistrationSettings.DoesNotExist:
        return None


def render_visa_letter(letter: VisaLetter, *, language: str | None = None) -> bytes:
    """An issued letter as a PDF, in the participant's language unless told otherwise.

    Passport details print only while they are kept; once erased the letter still names the
    holder and the dates, as the verification page does.
    """
    registration = letter.registration
    edition = registration.edition
    language = language or registration.language
    try:
        passport = registration.passport
    except PassportDetails.DoesNotExist:
        passport = None
    url = letter_verification_url(letter)
    with translation.override(language):
        context = {
            "letter": letter,
            "edition": edition,
            "place": edition.place,
            "reg_settings": reg_settings_of(edition),
            "issued_on": (
                timezone.localtime(letter.decided_at, zone_of(edition)).date()
                if letter.decided_at
                else None
            ),
            "holder_name": letter.holder_name or (passport.full_name if passport else ""),
            "passport": passport,
            "nationality": str(passport.nationality.name) if passport else "",
            "organization": registration.organization_name,
            "verify_url": url,
            "qr": qr_data_uri(url),
        }
    return render_pdf(TEMPLATE, context, language=language)
