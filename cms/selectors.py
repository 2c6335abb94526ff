"""Read queries for the site's pages. Each returns what one page needs, in a fixed number of
queries whatever the amount of data."""

import re

from django.core.paginator import EmptyPage, InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.http import Http404
from wagtail.models import Locale, Page

from cms.models import EditionPage, EditionSectionPage, HomePage, NewsIndexPage, NewsPage
from forum.enums import EditionPhase
from forum.models import Edition


def _edition_pages_in_active_locale(editions: list[Edition]) -> dict[int, EditionPage]:
    """The live page of each edition in the active language, falling back to any live page."""
    pages = (
        EditionPage.objects.live()
        .public()
        .filter(edition__in=editions)
        .select_related("locale")
        .order_by("path")
    )
    active = Locale.get_active()
    by_edition: dict[int, EditionPage] = {}
    for page in pages:
        current = by_edition.get(page.edition_id)
        if current is None or (page.locale_id == active.pk and current.locale_id != active.pk):
            by_edition[page.edition_id] = page
    return by_edition


def home_page_editions(*, home: HomePage) -> dict:
    """The featured edition and the archive of the others, each with its page (3 queries)."""
    editions = list(Edition.objects.select_related("organizer").order_by("-year", "-number"))
    pages = _edition_pages_in_active_locale(editions)
    for edition in editions:
        edition.page = pages.get(edition.pk)
    featured = None
    if home.featured_edition_id:
        featured = next((e for e in editions if e.pk == home.featured_edition_id), None)
    if featured is None:
        coming = [
            e
            for e in editions
            if e.phase() in (EditionPhase.UPCOMING, EditionPhase.ONGOING, EditionPhase.PLANNED)
        ]
        featured = coming[-1] if coming else (editions[0] if editions else None)
    others = [e for e in editions if e is not featured]
    return {"featured_edition": featured, "other_editions": others}


def edition_page_context(*, page: EditionPage) -> dict:
    """The edition shown on its page, with its organizer and its latest news (2 queries); the
    feature pages beneath it bring their own sections (`EditionPage.section_pages`)."""
    edition = Edition.objects.select_related("organizer").get(pk=page.edition_id)
    news = list(
        NewsPage.objects.live()
        .public()
        .filter(edition=edition, locale_id=page.locale_id)
        .order_by("-date", "-pk")[:3]
    )
    return {"edition": edition, "edition_news": news}


def news_items_page(
    *, index: NewsIndexPage, page_number: str | None, page_size: int
) -> PaginatorPage:
    """One page of the news items beneath `index`, newest first; 404 for a page out of range."""
    items = (
        NewsPage.objects.live()
        .public()
        .child_of(index)
        .select_related("image", "edition")
        .order_by("-date", "-pk")
    )
    paginator = Paginator(items, page_size)
    try:
        return paginator.page(page_number or 1)
    except (EmptyPage, InvalidPage) as exc:
        raise Http404(str(exc)) from exc


def news_feed_items(*, index: NewsIndexPage, limit: int) -> list[NewsPage]:
    """The `limit` newest news items beneath `index`, for its feed. One query."""
    return list(NewsPage.objects.live().public().child_of(index).order_by("-date", "-pk")[:limit])


def navigation_pages(*, site_root: Page | None) -> list[Page]:
    """The top-level menu: the home page's children shown in menus, in the active language."""
    if site_root is None:
        return []
    root = site_root.localized
    return list(root.get_children().live().public().in_menu().order_by("path"))


def edition_menu_pages(*, page: Page | None) -> tuple[Page | None, list[Page]]:
    """For a page of an edition (its page or any page beneath it): the edition page and its
    live, public children shown in menus (the programme, registration, the statement…) that
    have something to show, in tree order; (None, []) elsewhere. Two queries, and one for each
    feature page type that checks its content."""
    edition_page, edition_id, children = edition_menu_candidates(page=page)
    items = [
        child
        for child, section in children
        if section is None or section.index_is_public(edition_id=edition_id)
    ]
    return edition_page, items


def edition_menu_candidates(
    *, page: Page | None
) -> tuple[Page | None, int | None, list[tuple[Page, type | None]]]:
    """The edition page of `page`, its edition's id, and its live, public children shown in
    menus, each with its class when it is a feature page (which shows only while
    `index_is_public`), in tree order; (None, None, []) outside an edition. Two queries."""
    if not isinstance(page, Page) or not page.pk or page.depth < 3:
        return None, None, []
    if isinstance(page, EditionPage):
        edition_page, edition_id = page, page.edition_id
    elif isinstance(page, EditionSectionPage):
        edition_page, edition_id = page.edition_page, page.edition_id
    else:
        edition_page = EditionPage.objects.filter(path=page.path[: EditionPage.steplen * 3]).first()
        if edition_page is None:
            return None, None, []
        edition_id = edition_page.edition_id
    children = edition_page.get_children().live().public().in_menu().order_by("path")
    candidates: list[tuple[Page, type | None]] = []
    for child in children:
        page_class = child.specific_class
        is_section = page_class is not None and issubclass(page_class, EditionSectionPage)
        candidates.append((child, page_class if is_section else None))
    return edition_page, edition_id, candidates


def search_terms(query: str) -> str:
    """The words of `query` (any script), without the operators and punctuation that a search
    backend would try to parse."""
    return " ".join(re.findall(r"\w+", query))


def search_pages(*, query: str):
    """Live, public pages in the active language matching the words of `query`, best first."""
    terms = search_terms(query)
    if not terms:
        return Page.objects.none()
    return Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(terms)
