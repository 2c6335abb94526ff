from wagtail import hooks

from cms.models import EditionPage
from cms.services import grant_edition_page_permissions


@hooks.register("after_create_page")
def grant_permissions_on_new_edition_page(request, page):
    """An edition page made in the page tree (or as a translation) gets its role permissions."""
    specific = page.specific
    if isinstance(specific, EditionPage):
        grant_edition_page_permissions(page=specific)
