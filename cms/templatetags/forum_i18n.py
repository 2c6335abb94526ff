"""The language switcher and the hreflang links: for each language, the address of what the
visitor is reading in that language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from forum.languages import language_name, local_date, switcher_languages

register = template.Library()


def _route_of(request, page: Page):
    """The route (name, args, kwargs) that served a routable page's sub-page, if it did."""
    match = getattr(request, "routable_resolver_match", None)
    if match is None or not isinstance(page, RoutablePageMixin) or not match.url_name:
        return None
    return match.url_name, list(match.args), dict(match.kwargs)


def _page_url(target: Page, route, request) -> str:
    url = target.get_url(request)
    if route is None or not isinstance(target.specific_deferred, RoutablePageMixin):
        return url
    name, args, kwargs = route
    return url + target.specific_deferred.reverse_subpage(name, args=args, kwargs=kwargs).lstrip(
        "/"
    )


def _home_pages() -> dict[str, Page]:
    """The first page at the top of the tree in each language (its home), in one query."""
    homes: dict[str, Page] = {}
    for page in Page.objects.filter(depth=2).select_related("locale").order_by("path"):
        homes.setdefault(page.locale.language_code, page)
    return homes


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
    translations: dict[str, Page] = {}
    route = None
    if isinstance(page, Page) and page.pk:
        route = _route_of(request, page)
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    links = []
    homes: dict[str, Page] | None = None  # fetched once, if a language lacks the page
    for code in switcher_languages(context, current=current):
        translated = True
        if isinstance(page, Page) and page.pk:
            target = translations.get(code)
            if target is None:
                translated = False
                if homes is None:
                    homes = _home_pages()
                home = homes.get(code)
                if home:
                    url = home.url
                elif request is not None:
                    # No page tree in that language: the same address under its prefix
                    # (Wagtail serves the page in its own language, the interface in that one).
                    url = translate_url(request.get_full_path(), code)
                else:
                    url = "/"
            else:
                url = _page_url(target, route, request)
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
