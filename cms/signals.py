"""Reactions to Wagtail's own events."""

from django.dispatch import receiver
from wagtail.signals import copy_for_translation_done


@receiver(copy_for_translation_done)
def grant_permissions_on_translated_edition_page(sender, source_obj, target_obj, **kwargs):
    """A translation of an edition page lives in another tree: give it the same role permissions."""
    from cms.models import EditionPage
    from cms.services import grant_edition_page_permissions

    if isinstance(target_obj, EditionPage):
        grant_edition_page_permissions(page=target_obj)
