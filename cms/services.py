"""Writes to the site's page tree that go with the core domain."""

from django.db import transaction
from django.utils import translation
from wagtail.models import GroupPagePermission, Locale

from cms.models import EditionPage, EditionSectionPage, HomePage
from cms.signals import edition_page_created
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
def create_edition_page(*, edition: Edition) -> EditionPage:
    """The draft page of `edition` (at /<slug>/) beneath the home page, and its translations
    into every other language the home page exists in (idempotent: an existing page is kept).

    Side effects: the role groups get their page permissions; `cms.signals.edition_page_created`
    is sent, and the feature apps add their pages beneath it in every language.
    """
    default = Locale.get_default()
    page = EditionPage.objects.filter(edition=edition, locale=default).first()
    if page is None:
        parent = home_page_for_locale(default)
        page = EditionPage(
            title=edition.name,
            slug=edition.slug,
            edition=edition,
            intro=edition.summary,
            live=False,
        )
        parent.add_child(instance=page)
        page.save_revision()
        grant_edition_page_permissions(page=page)
        for home in parent.get_translations().select_related("locale"):
            if not EditionPage.objects.filter(edition=edition, locale=home.locale).exists():
                page.copy_for_translation(home.locale)
    edition_page_created.send(sender=EditionPage, page=page)
    return page


@transaction.atomic
def create_edition_with_page(
    *, edition: Edition, intro: str = "", publish: bool = False
) -> EditionPage:
    """Create `edition` and its pages (`create_edition_page`, through `edition_created`): drafts
    unless `publish`, which publishes them in every language. Returns the default-language page.
    """
    create_edition(edition=edition)
    page = EditionPage.objects.get(edition=edition, locale=Locale.get_default())
    if intro:
        page.intro = intro
        page.save_revision()
    if publish:
        for translation in page.get_translations(inclusive=True).specific():
            translation.save_revision().publish()
    return EditionPage.objects.get(pk=page.pk)


@transaction.atomic
def add_section_page(
    *, edition_page: EditionPage, page_class: type[EditionSectionPage], slug: str, title
) -> list[EditionSectionPage]:
    """Add the feature page `page_class` beneath `edition_page` and each of its translations,
    unless there is one (idempotent). `title` is a lazy translatable string, saved in each page's
    own language; it is shown in the edition's menu. A page is live when its edition page is: a
    new edition's pages go live when it is first published (`publish_new_section_pages`).

    Returns the pages created. Side effects: `copy_for_translation_done` for each translation.
    """
    created: list[EditionSectionPage] = []
    source = page_class.objects.child_of(edition_page).first()
    if source is None:
        with translation.override(edition_page.locale.language_code):
            source = page_class(
                title=str(title),
                slug=slug,
                edition_id=edition_page.edition_id,
                live=False,
                show_in_menus=True,
            )
        edition_page.add_child(instance=source)
        revision = source.save_revision()
        if edition_page.live:
            revision.publish()
        created.append(source)
    for parent in edition_page.get_translations().select_related("locale"):
        if page_class.objects.child_of(parent).exists():
            continue
        copy = source.copy_for_translation(parent.locale)
        with translation.override(parent.locale.language_code):
            copy.title = copy.draft_title = str(title)
        copy.save()
        revision = copy.save_revision()
        if parent.live:
            revision.publish()
        created.append(copy)
    return created


def publish_new_section_pages(*, edition_page: EditionPage) -> None:
    """Publish the feature pages beneath `edition_page` that were never published."""
    for child in edition_page.get_children().filter(first_published_at__isnull=True).specific():
        if isinstance(child, EditionSectionPage):
            child.save_revision().publish()
