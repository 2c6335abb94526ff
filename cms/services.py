"""Writes to the site's page tree that go with the core domain."""

from django.db import transaction
from wagtail.models import GroupPagePermission, Locale, Page

from cms.models import EditionPage, HomePage
from forum.enums import EditionRoleKind
from forum.models import Edition, EditionGroup
from forum.services import create_edition, ensure_edition_groups

# Page permissions each staff role holds on its own edition's page and everything beneath it.
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    EditionRoleKind.ORGANIZER: ["add", "change", "publish", "lock", "unlock"],
    EditionRoleKind.PROGRAMME_COMMITTEE: ["add", "change"],
    EditionRoleKind.DRAFTING_COMMITTEE: ["add", "change"],
    EditionRoleKind.MODERATOR: [],
    EditionRoleKind.DELEGATE: [],
}


@transaction.atomic
def grant_edition_page_permissions(*, page: EditionPage) -> None:
    """Give the edition's role groups their permissions on `page` and its subtree (idempotent).

    Pages of an edition in other languages get the same permissions.
    """
    ensure_edition_groups(edition=page.edition)
    links = EditionGroup.objects.filter(edition_id=page.edition_id).select_related("group")
    for link in links:
        for permission_type in ROLE_PAGE_PERMISSIONS[link.role]:
            exists = GroupPagePermission.objects.filter(
                group=link.group, page=page, permission__codename=f"{permission_type}_page"
            ).exists()
            if not exists:
                GroupPagePermission.objects.create(
                    group=link.group, page=page, permission_type=permission_type
                )


def home_page_for_locale(locale: Locale | None = None) -> HomePage:
    locale = locale or Locale.get_default()
    return HomePage.objects.get(locale=locale)


@transaction.atomic
def create_edition_with_page(
    *, edition: Edition, parent: Page | None = None, intro: str = "", publish: bool = False
) -> EditionPage:
    """Create `edition` and its page (at /<slug>/) beneath the home page, as a draft unless
    `publish`.

    Side effects: the edition's role groups and their page permissions are created.
    """
    create_edition(edition=edition)
    parent = parent or home_page_for_locale()
    page = EditionPage(
        title=edition.name,
        slug=edition.slug,
        edition=edition,
        intro=intro or edition.summary,
        live=publish,
    )
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    grant_edition_page_permissions(page=page)
    return page
