"""Absolute addresses of registration's pages, for email: built from settings.SITE_URL, never
from a request's Host header."""

from django.conf import settings

from forum.models import Edition


def section_page(edition: Edition, language: str = "", page_class=None):
    """The live page of type `page_class` (registration's own page by default) of `edition` in
    `language`, else in the default language, else in any (None if it has none). One query."""
    if page_class is None:
        from registration.pages import RegistrationPage

        page_class = RegistrationPage
    pages = page_class.objects.live().filter(edition=edition).select_related("locale")
    by_language = {page.locale.language_code: page for page in pages.order_by("pk")}
    return (
        by_language.get(language)
        or by_language.get(settings.LANGUAGE_CODE)
        or next(iter(by_language.values()), None)
    )


def registration_url(edition: Edition, route: str, language: str = "", **kwargs) -> str:
    """SITE_URL + the registration page's path + the route (a RegistrationPage route name)."""
    page = section_page(edition, language)
    if page is None:
        return settings.SITE_URL + "/"
    return settings.SITE_URL + page.url + page.reverse_subpage(route, kwargs=kwargs or None)
