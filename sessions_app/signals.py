"""The programme's reactions to other apps (connected in SessionsAppConfig.ready())."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from cms.signals import edition_page_created


@receiver(edition_page_created, dispatch_uid="sessions_app.add_programme_page")
def add_programme_page(sender, page, **kwargs) -> None:
    """A new edition page: the programme's page beneath it, at /<edition>/programme/, in every
    language."""
    from cms.services import add_section_page
    from sessions_app.pages import ProgrammePage

    add_section_page(
        edition_page=page, page_class=ProgrammePage, slug="programme", title=_("Programme")
    )
