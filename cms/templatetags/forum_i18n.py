"""The language switcher: for each language, the address of what the visitor is reading."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per language: code, local name, URL, and whether it is the current one.

    On a Wagtail page the URL is the page's translation (or that language's home page when
    there is none); elsewhere it is the same address with that language's prefix.
    """
    request = context.get("request")
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    page = context.get("page")
    translations: dict[str, Page] = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    links = []
    for code, _name in settings.LANGUAGES:
        if isinstance(page, Page) and page.pk:
            target = translations.get(code)
            if target is None:
                home = Page.objects.filter(
                    locale__in=Locale.objects.filter(language_code=code), depth=2
                ).first()
                url = home.url if home else "/"
            else:
                url = target.get_url(request)
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = "/"
        info = get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "current": code == current}
        )
    return links
