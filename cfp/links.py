"""Absolute addresses of the call's pages, for email: built from settings.SITE_URL, never from
a request's Host header."""

from django.conf import settings

from cfp.pages import CallPage
from forum.models import Edition


def cfp_url(edition: Edition, route: str, language: str = "", **kwargs) -> str:
    """SITE_URL + the call page's path in `language` (else the default language, else any) +
    the route (a CallPage route name)."""
    pages = CallPage.objects.live().filter(edition=edition).select_related("locale")
    by_language = {page.locale.language_code: page for page in pages.order_by("pk")}
    page = (
        by_language.get(language)
        or by_language.get(settings.LANGUAGE_CODE)
        or next(iter(by_language.values()), None)
    )
    if page is None:
        prefix = "" if language in ("", settings.LANGUAGE_CODE) else f"/{language}"
        return f"{settings.SITE_URL}{prefix}/{edition.slug}/cfp/"
    return settings.SITE_URL + page.url + page.reverse_subpage(route, kwargs=kwargs or None)
