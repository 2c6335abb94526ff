"""The statement's reactions to other apps (connected in StatementsConfig.ready())."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from cms.signals import edition_page_created


@receiver(edition_page_created, dispatch_uid="statements.add_statement_page")
def add_statement_page(sender, page, **kwargs) -> None:
    """A new edition page: the statement's page beneath it, at /<edition>/statement/, in every
    language."""
    from cms.services import add_section_page
    from statements.pages import StatementPage

    add_section_page(
        edition_page=page,
        page_class=StatementPage,
        slug="statement",
        title=_("Statement of commitment"),
    )
