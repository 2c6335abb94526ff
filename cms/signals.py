"""The page tree's reactions: an edition gets its page, a translated edition page its
permissions, a published edition page its feature pages published with it.

`edition_page_created` is how the feature apps learn that an edition page exists, so that each
adds its own page beneath it (cms never imports a feature app)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_unpublished,
    post_page_move,
)

from forum.models import Edition
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


@receiver(post_page_move, dispatch_uid="cms.pagecache_on_move")
@receiver(post_save, sender=PageViewRestriction, dispatch_uid="cms.pagecache_on_restriction")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="cms.pagecache_on_restriction_del")
@receiver(
    m2m_changed,
    sender=PageViewRestriction.groups.through,
    dispatch_uid="cms.pagecache_on_restriction_groups",
)
@receiver(post_save, sender=Site, dispatch_uid="cms.pagecache_on_site")
@receiver(post_delete, sender=Site, dispatch_uid="cms.pagecache_on_site_delete")
@receiver(post_save, sender=Locale, dispatch_uid="cms.pagecache_on_locale")
@receiver(post_delete, sender=Locale, dispatch_uid="cms.pagecache_on_locale_delete")
@receiver(post_save, sender=Edition, dispatch_uid="cms.pagecache_on_edition")
@receiver(post_delete, sender=Edition, dispatch_uid="cms.pagecache_on_edition_delete")
def forget_routes(sender, **kwargs):
    """A page moved, a view restriction, a site or a language changed: the addresses the route
    cache remembers (cms/routing.py) and the stored answers may lead elsewhere now. An edition
    changed (its name, dates, time zone, languages): the pages stored with it show it anew."""
    from forum.pagecache import bump_pages_version

    # Now (a request routed in between must not keep the old data under the new version it
    # reads after commit) and again after commit.
    bump_pages_version()
    transaction.on_commit(bump_pages_version)


@receiver(post_save, dispatch_uid="cms.pagecache_on_live_page_save")
def forget_routes_of_live_page(sender, instance, created, update_fields=None, **kwargs):
    """A live page saved whole outside publishing (code that sets a field and saves, a live page
    created directly): what the route cache and the header hold of it may be out of date. A
    draft saved (a revision: Wagtail saves only a few of the page's fields) changes nothing the
    visitors see."""
    if not isinstance(instance, Page) or not instance.live:
        return
    if update_fields is not None and not created:
        return
    forget_routes(sender)


def connect_section_models() -> None:
    """Creating or deleting a row of a feature page's `public_index_models` (the first
    release, the call, the statement) may show or hide the page in menus, which keep "has
    something to show" under the pages version (cms/chrome.py): move the version. Connected at
    start-up (CmsConfig.ready), when every app's models are known."""
    from django.apps import apps

    from cms.models import EditionSectionPage

    labels = {
        label
        for model in apps.get_models()
        if issubclass(model, EditionSectionPage)
        for label in model.public_index_models
    }
    for label in sorted(labels):
        model = apps.get_model(label)
        post_save.connect(
            forget_public_sections, sender=model, dispatch_uid=f"cms.section_saved:{label}"
        )
        post_delete.connect(
            forget_public_sections, sender=model, dispatch_uid=f"cms.section_deleted:{label}"
        )


def forget_public_sections(sender, instance, created: bool = True, **kwargs):
    """Only the edition's first such row created, or its last deleted, changes anything: a
    second release published leaves every stored page and route as it is."""
    if not created:  # (a row edited: whether one exists has not changed)
        return
    edition_id = getattr(instance, "edition_id", None)
    if edition_id is not None:
        others = sender._default_manager.filter(edition_id=edition_id).exclude(pk=instance.pk)
        if others.exists():
            return
    from forum.pagecache import bump_pages_version

    bump_pages_version()
    transaction.on_commit(bump_pages_version)
