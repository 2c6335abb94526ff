"""The page tree's reactions: an edition gets its page, a translated edition page its
permissions, a published edition page its feature pages published with it.

`edition_page_created` is how the feature apps learn that an edition page exists, so that each
adds its own page beneath it (cms never imports a feature app)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver
from wagtail.models import Page
from wagtail.signals import copy_for_translation_done, page_published, page_unpublished

from forum.signals import edition_created

# Sent once an edition's page exists in every language of the site, with `page` (the page in
# the default language). Feature apps add their EditionSectionPage beneath it
# (`cms.services.add_section_page`).
edition_page_created = Signal()


@receiver(edition_created, dispatch_uid="cms.create_edition_page")
def create_page_for_new_edition(sender, edition, **kwargs):
    """Every new edition gets its draft page, in every language of the site."""
    from cms.services import create_edition_page

    create_edition_page(edition=edition)


@receiver(copy_for_translation_done)
def grant_permissions_on_translated_edition_page(sender, source_obj, target_obj, **kwargs):
    """A translation of an edition page lives in another tree: give it the same role permissions."""
    from cms.models import EditionPage
    from cms.services import grant_edition_page_permissions

    if isinstance(target_obj, EditionPage):
        grant_edition_page_permissions(page=target_obj)


@receiver(page_published, dispatch_uid="cms.publish_sections_with_edition_page")
def publish_sections_with_edition_page(sender, instance, **kwargs):
    """The first time an edition page is published, its feature pages that were never published
    go live with it; one an editor has unpublished since stays unpublished."""
    from cms.models import EditionPage
    from cms.services import publish_new_section_pages

    if isinstance(instance, EditionPage):
        publish_new_section_pages(edition_page=instance)


@receiver(page_published, dispatch_uid="cms.pagecache_on_publish")
@receiver(page_unpublished, dispatch_uid="cms.pagecache_on_unpublish")
@receiver(post_delete, sender=Page, dispatch_uid="cms.pagecache_on_delete")
def forget_cached_pages(sender, instance, **kwargs):
    """A page published, unpublished or deleted: the whole answers the page cache stored show
    its title in menus and breadcrumbs, or are its routes (forum/pagecache.py)."""
    from forum.pagecache import bump_pages_version

    # Now and again after commit (an answer rendered in between from the old page is stale).
    bump_pages_version()
    transaction.on_commit(bump_pages_version)
