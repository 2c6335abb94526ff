"""The language switcher and the hreflang links: for each language, the address of what the
visitor is reading in that language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from cms.chrome import page_chrome
from forum.languages import language_name, local_date, switcher_languages

register = template.Library()


def _route_of(request, page: Page):
    """The route (name, args, kwargs) that served a routable page's sub-page, if it did."""
    match = getattr(request, "routable_resolver_match", None)
    if match is None or not isinstance(page, RoutablePageMixin) or not match.url_name:
        return None
    return match.url_name, list(match.args), dict(match.kwargs)


def _route_suffix(page: Page, route) -> str:
    """The sub-page part of the address of a route of a routable page ("" for the page
    itself). A page's translations are of its class: the same routes."""
    if route is None or not isinstance(page, RoutablePageMixin):
        return ""
    name, args, kwargs = route
    return page.reverse_subpage(name, args=args, kwargs=kwargs).lstrip("/")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per language: code, local name, URL, absolute URL, whether it is the current one
    and whether the page exists in it (`translated`).

    On a Wagtail page the URL is the page's translation — for a sub-page of a routable page (a
    session of the programme) the same sub-page of the translation; when there is none, that
    language's home page, marked as not translated. Elsewhere it is the same address with that
    language's prefix. Computed once per request.
    """
    request = context.get("request")
    page = context.get("page")
    cache_key = (getattr(page, "pk", None), getattr(request, "path", None))
    cached = getattr(request, "_forum_language_links", None)
    if cached is not None and cached[0] == cache_key:
        return cached[1]
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    chrome = None
    suffix = ""
    if isinstance(page, Page) and page.pk:
        # The page's translations and each language's home, kept per pages version.
        chrome = page_chrome(request, page)
        suffix = _route_suffix(page, _route_of(request, page))
    links = []
    for code in switcher_languages(context, current=current):
        translated = True
        if chrome is not None:
            target = chrome.translations.get(code)
            if target is None:
                translated = False
                home = chrome.homes.get(code)
                if home:
                    url = home
                elif request is not None:
                    # No page tree in that language: the same address under its prefix
                    # (Wagtail serves the page in its own language, the interface in that one).
                    url = translate_url(request.get_full_path(), code)
                else:
                    url = "/"
            else:
                url = target + suffix
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = "/"
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "full_url": settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url,
                "current": code == current,
                "translated": translated,
            }
        )
    if request is not None:
        request._forum_language_links = (cache_key, links)
    return links


@register.filter(name="local_date")
def local_date_filter(value, name: str = "DAY_FORMAT") -> str:
    """`{{ day|local_date }}`, `{{ start|local_date:"SESSION_START_FORMAT" }}`: the active
    language's format (forum.languages.local_date)."""
    return local_date(value, name)


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    """`{{ "ja"|language_name }}`: "Japanese", or "日本語" in Japanese; never the raw code."""
    return language_name(code)
