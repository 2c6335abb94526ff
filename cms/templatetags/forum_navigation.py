"""The menu of the edition a page belongs to."""

from django import template

from cms.selectors import edition_menu_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def edition_menu(context) -> dict:
    """{"edition_page", "items"} for the page being shown (empty items outside an edition)."""
    edition_page, items = edition_menu_pages(page=context.get("page"))
    return {"edition_page": edition_page, "items": items}
