"""Site-wide request checks.

Input that no page can use is refused at the door, with a 400 and a clear message.

A NUL byte cannot be stored in PostgreSQL text: one in a query parameter or a form field reached
a query and answered 500 (`?country=%00J`). Bytes that are not UTF-8 would be decoded by Django
with replacement characters (U+FFFD) and stored that way. Both are refused here for every query
string and every form body, before any view or form sees them.
"""

import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.urls import get_resolver
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

URLENCODED = "application/x-www-form-urlencoded"


class MalformedInputError(SuspiciousOperation):
    """A 400 whose message the error page shows."""

    message_for_visitors = True


def _raw(text: str) -> bytes:
    # WSGI gives the query string as the raw bytes decoded as Latin-1.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _check_pairs(raw: bytes) -> None:
    for pair in raw.split(b"&"):
        for part in pair.split(b"=", 1):
            value = unquote_to_bytes(part.replace(b"+", b" "))
            _check_bytes(value)


def _check_bytes(value: bytes) -> None:
    if b"\x00" in value:
        raise MalformedInputError(_("The request contains a NUL character, which is not allowed."))
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedInputError(
            _(
                "The request contains text that is not valid UTF-8. Type it again, or copy it "
                "from another program, and send it again."
            )
        ) from None


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise MalformedInputError(_("The request contains a NUL character, which is not allowed."))
    if "\ufffd" in value:  # what Django's decoder put in place of bytes that were not UTF-8
        _check_bytes(b"\xff")


class RejectMalformedInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self.check(request)
        except MalformedInputError as error:
            logger.warning("refused %s %s: %s", request.method, request.path_info[:200], error)
            return get_resolver().resolve_error_handler(400)(request, error)
        return self.get_response(request)

    @staticmethod
    def check(request) -> None:
        _check_text(request.path_info)
        _check_pairs(_raw(request.META.get("QUERY_STRING", "")))
        if request.method == "POST":
            if request.content_type == URLENCODED:
                _check_pairs(request.body)
            else:
                for key, values in request.POST.lists():
                    _check_text(key)
                    for value in values:
                        _check_text(value)


# The admin's Content-Security-Policy. The public site's strict policy comes from django-csp
# (CONTENT_SECURITY_POLICY); Wagtail's admin is left out of that one and gets
# ADMIN_CONTENT_SECURITY_POLICY here instead: as strict as Wagtail allows.
class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}"
            for directive, sources in settings.ADMIN_CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/admin/") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
