"""The data of the site header — the site's menu, the edition's menu, the addresses of a page's
translations — kept in the cache and in the process's memory under the pages version
(forum/pagecache.py), so that a page rendered again does not look the page tree up again
(issue 14).

The header is the same for every visitor (no login state in it): kept per host, port, language
and page. Whether a feature page has something to show (`index_is_public`: a programme once a
release exists) is kept under the same version, which creating or deleting the rows it depends
on moves (`public_index_models`). A preview, a page that is not live and a request whose Host
header Django refuses (the 400 page) neither read nor fill the cache: their header is read
afresh.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Page, Site

from cms.routing import validated_address
from cms.selectors import edition_menu_candidates, navigation_pages
from forum.pagecache import current_pages_version, recalled, recalled_many, remember

# Entries of pages nobody asks for leave the cache after a day.
CHROME_TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class MenuItem:
    """A page as a menu shows it. `section` is the page's class when it is a feature page
    (shown only while `section.index_is_public(edition_id=…)`)."""

    pk: int
    title: str
    url: str
    section: type | None = None


@dataclass(frozen=True)
class PageChrome:
    """What the header shows around one page."""

    edition_page: MenuItem | None = None
    edition_id: int | None = None
    edition_items: tuple[MenuItem, ...] = ()
    # The live translations of the page (its own language included): language code → URL.
    translations: dict[str, str] = field(default_factory=dict)
    # The first page at the top of the tree in each language (its home): code → URL.
    homes: dict[str, str] = field(default_factory=dict)


def _key(request: HttpRequest, name: str) -> str | None:
    """The cache key of `name` for the request's site and language; None when the request
    must not use the cache (a refused Host, a preview)."""
    if getattr(request, "is_preview", False):
        return None
    address = validated_address(request)
    if address is None:
        return None
    digest = hashlib.sha256(f"{address}|{name}".encode()).hexdigest()[:40]
    return f"chrome:{current_pages_version(request)}:{digest}"


def _item(page: Page, request: HttpRequest | None, section: type | None = None) -> MenuItem:
    return MenuItem(pk=page.pk, title=page.title, url=page.get_url(request) or "", section=section)


def site_navigation(request: HttpRequest) -> list[MenuItem]:
    """The top-level menu of the request's site in the active language."""
    key = _key(request, "navigation")
    items = recalled(key) if key is not None else None
    if items is None:
        site = Site.find_for_request(request)
        pages = navigation_pages(site_root=site.root_page if site else None)
        items = tuple(_item(page, request) for page in pages)
        if key is not None:
            remember(key, items, timeout=CHROME_TIMEOUT)
    return list(items)


def page_chrome(request: HttpRequest | None, page: Page) -> PageChrome:
    """The edition menu and the translations of `page` (a saved page), once per request."""
    if request is None:  # (a template rendered outside a request: nothing to key on)
        return _page_chrome(None, page)
    memo = getattr(request, "_forum_page_chrome", None)
    if memo is not None and memo[0] == page.pk:
        return memo[1]
    # A draft (a preview, a page not live) shows its own unsaved title: never kept.
    key = _key(request, f"page:{page.pk}") if page.live else None
    chrome = recalled(key) if key is not None else None
    if chrome is None:
        chrome = _page_chrome(request, page)
        if key is not None:
            remember(key, chrome, timeout=CHROME_TIMEOUT)
    request._forum_page_chrome = (page.pk, chrome)  # type: ignore[attr-defined]
    return chrome


def _page_chrome(request: HttpRequest | None, page: Page) -> PageChrome:
    edition_page, edition_id, children = edition_menu_candidates(page=page)
    translations = {
        target.locale.language_code: target.get_url(request) or ""
        for target in page.get_translations(inclusive=True).live().select_related("locale")
    }
    homes: dict[str, str] = {}
    if any(code not in translations for code, _name in settings.LANGUAGES):
        # (only when a language lacks the page: its switcher entry leads to that home)
        for home in Page.objects.filter(depth=2).select_related("locale").order_by("path"):
            homes.setdefault(home.locale.language_code, home.url or "")
    return PageChrome(
        edition_page=_item(edition_page, request) if edition_page is not None else None,
        edition_id=edition_id,
        edition_items=tuple(_item(child, request, section) for child, section in children),
        translations=translations,
        homes=homes,
    )


def edition_menu(request: HttpRequest | None, page) -> tuple[MenuItem | None, list[MenuItem]]:
    """The edition page and its menu entries for `page`; (None, []) outside an edition."""
    if not isinstance(page, Page) or not page.pk or page.depth < 3:
        return None, []
    chrome = page_chrome(request, page)
    if chrome.edition_page is None:
        return None, []
    sections = {item.section for item in chrome.edition_items if item.section is not None}
    public = _public_sections(request, chrome.edition_id, sections) if sections else {}
    items = [
        item for item in chrome.edition_items if item.section is None or public.get(item.section)
    ]
    return chrome.edition_page, items


def _public_sections(
    request: HttpRequest | None, edition_id: int | None, sections: set[type]
) -> dict[type, bool]:
    """Whether each feature page has something to show for the edition, kept under the pages
    version in this process and in the cache: creating or deleting a row of the section's
    `public_index_models` (the first release, a call, a statement) moves that version."""
    keys: dict[type, str] = {}
    if request is not None and edition_id is not None:
        version = current_pages_version(request)
        keys = {
            section: f"chrome:{version}:public:{edition_id}:{section._meta.label_lower}"
            for section in sections
        }
    known = recalled_many(list(keys.values())) if keys else {}
    public: dict[type, bool] = {}
    for section in sections:
        key = keys.get(section)
        if key is not None and key in known:
            public[section] = known[key]
            continue
        found: Any = section  # an EditionSectionPage subclass
        public[section] = found.index_is_public(edition_id=edition_id)
        if key is not None:
            remember(key, public[section], timeout=CHROME_TIMEOUT)
    return public
