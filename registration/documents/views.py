"""The participant's document downloads and the public verification page of visa letters."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from forum.documents import being_prepared, read_private
from forum.models import Edition
from registration.documents.selectors import (
    DOCUMENT_KINDS,
    document_available,
    document_labels,
    letter_by_token,
    letter_is_valid,
    own_registration,
)
from registration.documents.services.participant import prepared_document

FILE_NAMES = {
    "badge": "badge",
    "letter": "visa-letter",
    "receipt": "receipt",
    "certificate": "certificate",
}


def document(request: HttpRequest, page, edition: Edition, kind: str) -> HttpResponse:
    """One of the requester's own documents for this edition, as a PDF; 404 when they have no
    registration here or the document does not exist yet (never another person's); the
    "being prepared" page (503) while it renders."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if kind not in DOCUMENT_KINDS:
        raise Http404
    registration = own_registration(request.user, edition)
    if registration is None or not document_available(registration, kind):
        raise Http404
    language = translation.get_language() or registration.language
    name = prepared_document(registration, kind, language)
    try:
        body = read_private(name) if name else None
    except FileNotFoundError:  # replaced by a newer rendering meanwhile
        body = None
    if body is None:
        return being_prepared(request, title=document_labels()[kind])
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"{edition.slug}-{FILE_NAMES[kind]}-{registration.reference}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Personal documents: never in a shared cache; the letter (passport data) nowhere at all.
    response["Cache-Control"] = "private, no-store" if kind == "letter" else "private, no-cache"
    return response


@require_GET
def verify_letter(request: HttpRequest, token) -> HttpResponse:
    """What an embassy may know of a letter: its number, the holder's name and the dates of
    stay, if the letter is valid; that it is not valid otherwise; 404 for an unknown token."""
    letter = letter_by_token(token)
    if letter is None:
        raise Http404
    valid = letter_is_valid(letter)
    context = {"valid": valid, "letter": letter if valid else None}
    response = render(request, "registration/verify_letter.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
