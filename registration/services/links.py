"""Absolute addresses for emails, built from the configured site URL (never a request's Host)."""

from django.conf import settings

from forum.models import Edition


def edition_url(edition: Edition, language: str, path: str = "") -> str:
    """`path` beneath the edition's page, in `language` (Japanese pages live under /ja/)."""
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    return f"{settings.SITE_URL}{prefix}/{edition.slug}/{path}"


def my_registration_url(edition: Edition, language: str) -> str:
    return edition_url(edition, language, "register/me/")
