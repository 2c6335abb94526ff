"""Absolute addresses of registration's pages, for email: built from settings.SITE_URL, never
from a request's Host header."""

from django.conf import settings

from forum.models import Edition


def edition_page(edition: Edition, language: str = ""):
    """The live page of `edition` in `language`, else in any language (None if it has none)."""
    from cms.models import EditionPage

    pages = list(
        EditionPage.objects.live().filter(edition=edition).select_related("locale").order_by("pk")
    )
    for page in pages:
        if page.locale.language_code == language:
            return page
    return pages[0] if pages else None


def registration_url(edition: Edition, route: str, language: str = "", **kwargs) -> str:
    """SITE_URL + the edition page's path + the route (a RegistrationRoutes name)."""
    page = edition_page(edition, language)
    if page is None:
        return settings.SITE_URL + "/"
    return settings.SITE_URL + page.url + page.reverse_subpage(route, kwargs=kwargs or None)
