"""The call for proposals' reactions to other apps (connected in CfpConfig.ready())."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from cms.signals import edition_page_created


@receiver(edition_page_created, dispatch_uid="cfp.add_call_page")
def add_call_page(sender, page, **kwargs) -> None:
    """A new edition page: the call's page beneath it, at /<edition>/cfp/, in every language."""
    from cfp.pages import CallPage
    from cms.services import add_section_page

    add_section_page(
        edition_page=page,
        page_class=CallPage,
        slug="cfp",
        title=_("Call for proposals"),
    )
