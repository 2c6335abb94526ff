"""The menu of the edition a page belongs to."""

from django import template

from cms.chrome import edition_menu as chrome_edition_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def edition_menu(context) -> dict:
    """{"edition_page", "items"} for the page being shown (empty items outside an edition):
    menu entries with `pk`, `title` and `url` (cms.chrome.MenuItem)."""
    edition_page, items = chrome_edition_menu(context.get("request"), context.get("page"))
    return {"edition_page": edition_page, "items": items}
