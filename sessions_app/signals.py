"""The programme's reactions to other apps (connected in SessionsAppConfig.ready())."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from cms.signals import edition_page_created
from sessions_app.models import Release


@receiver(edition_page_created, dispatch_uid="sessions_app.add_programme_page")
def add_programme_page(sender, page, **kwargs) -> None:
    """A new edition page: the programme's page beneath it, at /<edition>/programme/, in every
    language."""
    from cms.services import add_section_page
    from sessions_app.pages import ProgrammePage

    add_section_page(
        edition_page=page, page_class=ProgrammePage, slug="programme", title=_("Programme")
    )


@receiver(post_delete, sender=Release, dispatch_uid="sessions_app.forget_deleted_release")
def forget_deleted_release(sender, instance, **kwargs) -> None:
    """A release deleted (in the admin): the page cache's answers of the edition are stale, and
    the release before it is the public one again."""
    from sessions_app.caching import forget_current_release

    edition_id = instance.edition_id
    forget_current_release(edition_id)
    transaction.on_commit(lambda: forget_current_release(edition_id))
