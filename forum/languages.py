"""Which languages a page offers: those of its edition (Edition.languages), else all the site's."""

from django.conf import settings
from django.utils import dateformat, formats, translation
from django.utils.translation import get_language_info


def edition_languages(edition) -> list[str]:
    """The codes the edition offers, in the order of settings.LANGUAGES; all the site's when
    there is no edition."""
    if edition is None:
        return [code for code, _name in settings.LANGUAGES]
    return edition.offered_languages or [settings.LANGUAGE_CODE]


def switcher_languages(context, *, current: str) -> list[str]:
    """The languages the switcher lists on a page rendered with `context`: its edition's (the
    context's `edition`: edition pages and every feature page beneath one set it), and the
    current language even when the edition does not offer it, so that the reader sees where
    they are."""
    edition = context.get("edition")
    if not hasattr(edition, "offered_languages"):
        # A feature's page (or its sub-page) knows its edition even when the view's context
        # names it otherwise.
        page = context.get("page")
        edition = getattr(page, "edition", None) if getattr(page, "edition_id", None) else None
    codes = edition_languages(edition if hasattr(edition, "offered_languages") else None)
    if current not in codes and current in dict(settings.LANGUAGES):
        codes = [code for code, _name in settings.LANGUAGES if code in {*codes, current}]
    return codes


def language_name(code: str) -> str:
    """The name of a language in the active language ("Japanese", "日本語" in Japanese), for
    codes Django knows; the code itself otherwise."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


# The project's own named formats (forum/formats/<language>/formats.py), with English's as the
# default for a language that has none.
LOCAL_FORMATS = {
    "DAY_FORMAT": "l j F Y",
    "DAY_SHORT_FORMAT": "D j M",
    "SESSION_START_FORMAT": "l j F Y, H:i",
    "CLOCK_FORMAT": "H:i",
}


def local_date(value, name: str = "DAY_FORMAT") -> str:
    """`value` in the active language's format `name`: one of LOCAL_FORMATS or Django's own
    (DATE_FORMAT…). A day heading reads "Saturday 7 November 2009", "2009年11月7日(土)"."""
    if value in (None, ""):
        return ""
    if name not in LOCAL_FORMATS:
        return formats.date_format(value, name)
    for module in formats.get_format_modules(translation.get_language()):
        if hasattr(module, name):
            return dateformat.format(value, getattr(module, name))
    return dateformat.format(value, LOCAL_FORMATS[name])
