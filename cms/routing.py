"""Wagtail's page routing, remembered per address while no page changes (issue 14).

Wagtail finds the page of an address by walking the tree from the site's root: the site, the
root in the active language, then one query per level and one for each page's specific row,
then the page's view restrictions and those of its ancestors — a dozen queries before a view
runs. `serve` (Wagtail's own serve view behind a cache) remembers, for each host, language and
address that answered 200, the site and the page found (with its edition, its parent for
breadcrumbs, and the view restrictions that apply to it) under the page cache's pages version
(forum/pagecache.py), in Redis and in the process's memory. A page published, unpublished,
moved or deleted, a live page saved, a view restriction, a site, a locale or an edition
changed (cms/signals.py): the version moves on and every address is routed afresh.

Only what Django has validated keys the cache: a request whose Host header is not allowed
(`get_host()` raises DisallowedHost) skips it, and Django answers 400 as without it.

The page is stored as it was routed, before its view ran (a view may keep things of its own on
the page object: they must not outlive the request). On a hit the page's own `route` runs again
for the rest of the address (a routable page's sub-page: no query), so that Wagtail's hooks,
the view restrictions check and the routable page's `request.routable_resolver_match` behave as
they do without the cache.

Addresses that are each asked for once (a confirmation link with its token, a sub-page answered
with a redirect) are routed from the entry of the page they lie beneath, kept under the page's
own address. Wagtail walks an address one component per level from the site's root, and a page
that is not routable only looks up its child by the next component: when none of the pages the
walk went through to a page is routable, every address beneath the page reaches it after the
same components, and the page's own `route` (run again on each request) decides the rest. Such
an entry is kept when an address beneath the page is first routed, whatever its view answers
(that address is then not kept itself). The addresses that may hold the entry are read in one
round trip to the cache: the address itself, then its first `PREFIX_LEVELS` components, the
longest first.
"""

import hashlib
import pickle

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from forum.pagecache import current_pages_version, recalled_many, remember

# Addresses not asked for in a day leave the cache (random addresses must not pile up).
ROUTE_TIMEOUT = 24 * 3600
# The deepest page whose entry an address beneath it is routed from (a feature's page beneath
# an edition's: 2 components).
PREFIX_LEVELS = 3


class RouteCachedPageMixin:
    """A page whose view restrictions can travel with it in the route cache: `get_view_restrictions`
    answers from the list stored with the page instead of two queries."""

    _cached_view_restrictions: list | None = None

    def get_view_restrictions(self):
        if self._cached_view_restrictions is not None:
            return self._cached_view_restrictions
        return super().get_view_restrictions()  # type: ignore[misc]


def validated_address(request: HttpRequest) -> str | None:
    """The host, port and language of the request, to key caches of page data on; None when
    the Host header is not one Django accepts (that request must not read nor fill them)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"{host}|{request.get_port()}|{language}"


def _key(address: str, path: str, pages: str) -> str:
    digest = hashlib.sha256(f"{address}|{path}".encode()).hexdigest()[:40]
    return f"route:{pages}:{digest}"


def _components(path: str) -> list[str]:
    return [component for component in path.split("/") if component]


def _prefix(components: list[str], levels: int) -> str:
    """The address of the page `levels` components deep (as Wagtail's serve view gets it)."""
    return "".join(f"{component}/" for component in components[:levels])


def _route_keys(request: HttpRequest, path: str, pages: str) -> list[tuple[str, int | None]]:
    """(key, levels) of each entry that may route `path`: its own (levels None), then those of
    the pages it may lie beneath, the deepest first. Empty for a Host Django refuses."""
    address = validated_address(request)
    if address is None:
        return []
    components = _components(path)
    keys: list[tuple[str, int | None]] = [(_key(address, path, pages), None)]
    for levels in range(min(len(components) - 1, PREFIX_LEVELS), 0, -1):
        keys.append((_key(address, _prefix(components, levels), pages), levels))
    return keys


def _routes_beneath(page: Page, consumed: int) -> bool:
    """Whether every address beneath `page` reaches it: none of the `consumed` pages Wagtail's
    walk went through to reach it from the site's root is routable. (Each page the walk finds
    keeps the page it came from, specific, as `_cached_parent_obj`; no query.)"""
    ancestor = page
    for _ in range(consumed):
        ancestor = ancestor.__dict__.get("_cached_parent_obj")
        if ancestor is None or isinstance(ancestor, RoutablePageMixin):
            return False
    return True


def _entry(request: HttpRequest, path: str) -> tuple[bytes | None, int | None]:
    """The site and the routed page, ready to be stored: what the page's view and the page
    chrome read of it loaded now, pickled before the view runs; and, for an address beneath the
    page, the page's own depth in components when the entry is to be kept under the page's
    address (None: under the address itself, if it answers 200)."""
    route = Page.route_for_request(request, path)
    site = getattr(request, "_wagtail_site", None)
    if route is None or site is None:
        return None, None
    page = route[0]
    consumed = page.depth - site.root_page.depth
    components = _components(path)
    if consumed < 0 or consumed > len(components):
        return None, None  # not beneath the site's root (an alias elsewhere): not remembered
    # An entry that routes the addresses beneath the page too (the page's own, or kept there).
    beneath = 0 < consumed <= PREFIX_LEVELS and _routes_beneath(page, consumed)
    if isinstance(page, RouteCachedPageMixin):
        # (kept on the page for this request too: Wagtail's check reads them in a moment)
        page._cached_view_restrictions = list(page.get_view_restrictions())
    if getattr(page, "edition_id", None):
        page.edition  # noqa: B018 — loaded to be stored with the page
    if hasattr(type(page), "edition_page"):
        page.edition_page  # noqa: B018 — a cached property: stored with the page
    entry = pickle.dumps((site, page, consumed, beneath), protocol=pickle.HIGHEST_PROTOCOL)
    return entry, consumed if beneath and consumed < len(components) else None


def _replay(request: HttpRequest, path: str, stored: bytes, levels: int | None) -> bool:
    """Route with the stored site and page; False if the entry cannot be read, or is the entry
    of a page `levels` deep that does not route the addresses beneath it."""
    try:
        site, page, consumed, beneath = pickle.loads(stored)  # noqa: S301 — written by _entry
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return False  # an entry written by another version of the code: route afresh
    if levels is not None and not (beneath and consumed == levels):
        return False
    # Where Wagtail keeps what it found for the request (Site.find_for_request and
    # Page.route_for_request read them back).
    request._wagtail_site = site  # type: ignore[attr-defined]
    try:
        route = page.route(request, _components(path)[consumed:])
    except Http404:
        route = None
    request._wagtail_route_for_request = route  # type: ignore[attr-defined]
    return True


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's serve view; the page found from the route cache when it holds the address or
    the page it lies beneath."""
    from wagtail import views as wagtail_views  # (imports the page model: not at app loading)

    pages = current_pages_version(request)
    keys = _route_keys(request, path, pages)
    if not keys:  # (a Host Django refuses: its own answer, uncached)
        return wagtail_views.serve(request, path)
    found = recalled_many([key for key, _levels in keys])
    for key, levels in keys:
        stored = found.get(key)
        if stored is not None and _replay(request, path, stored, levels):
            return wagtail_views.serve(request, path)
    entry, levels = _entry(request, path)
    response = wagtail_views.serve(request, path)
    if entry is None:
        return response
    if levels is not None:  # kept under the page's own address, for every address beneath it
        key = next(key for key, depth in keys if depth == levels)
        remember(key, entry, timeout=ROUTE_TIMEOUT)
    elif response.status_code == 200:
        remember(keys[0][0], entry, timeout=ROUTE_TIMEOUT)
    return response
