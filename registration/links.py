"""Absolute addresses of registration's pages, for email: built from settings.SITE_URL, never
from a request's Host header."""

from django.conf import settings

from forum.models import Edition


def edition_page(edition: Edition, language: str = ""):
    """The live page of `edition` in `language`, else in the default language, else in any
    (None if it has none). One query."""
    from cms.models import EditionPage

    pages = EditionPage.objects.live().filter(edition=edition).select_related("locale")
    by_language = {page.locale.language_code: page for page in pages.order_by("pk")}
    return (
        by_language.get(language)
        or by_language.get(settings.LANGUAGE_CODE)
        or next(iter(by_language.values()), None)
    )


def registration_url(edition: Edition, route: str, language: str = "", **kwargs) -> str:
    """SITE_URL + the edition page's path + the route (a RegistrationRoutes name)."""
    page = edition_page(edition, language)
    if page is None:
        return settings.SITE_URL + "/"
    return settings.SITE_URL + page.url + page.reverse_subpage(route, kwargs=kwargs or None)
