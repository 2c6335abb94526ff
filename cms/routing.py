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
"""

import hashlib
import pickle

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from wagtail.models import Page

from forum.pagecache import current_pages_version, recalled, remember

# Addresses not asked for in a day leave the cache (random addresses must not pile up).
ROUTE_TIMEOUT = 24 * 3600


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


def route_key(request: HttpRequest, path: str, pages: str) -> str | None:
    address = validated_address(request)
    if address is None:
        return None
    digest = hashlib.sha256(f"{address}|{path}".encode()).hexdigest()[:40]
    return f"route:{pages}:{digest}"


def _components(path: str) -> list[str]:
    return [component for component in path.split("/") if component]


def _entry(request: HttpRequest, path: str) -> bytes | None:
    """The site and the routed page, ready to be stored: what the page's view and the page
    chrome read of it loaded now, pickled before the view runs."""
    route = Page.route_for_request(request, path)
    site = getattr(request, "_wagtail_site", None)
    if route is None or site is None:
        return None
    page = route[0]
    consumed = page.depth - site.root_page.depth
    if consumed < 0 or consumed > len(_components(path)):
        return None  # not beneath the site's root (an alias elsewhere): not remembered
    if isinstance(page, RouteCachedPageMixin):
        # (kept on the page for this request too: Wagtail's check reads them in a moment)
        page._cached_view_restrictions = list(page.get_view_restrictions())
    if getattr(page, "edition_id", None):
        page.edition  # noqa: B018 — loaded to be stored with the page
    if hasattr(type(page), "edition_page"):
        page.edition_page  # noqa: B018 — a cached property: stored with the page
    return pickle.dumps((site, page, consumed), protocol=pickle.HIGHEST_PROTOCOL)


def _replay(request: HttpRequest, path: str, stored: bytes) -> bool:
    """Route with the stored site and page; False if the entry cannot be read."""
    try:
        site, page, consumed = pickle.loads(stored)  # noqa: S301 — written by _entry above
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return False  # an entry written by another version of the code: route afresh
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
    """Wagtail's serve view; the page found from the route cache when it holds the address."""
    from wagtail import views as wagtail_views  # (imports the page model: not at app loading)

    key = route_key(request, path, current_pages_version(request))
    if key is None:  # (a Host Django refuses: its own answer, uncached)
        return wagtail_views.serve(request, path)
    stored = recalled(key)
    if stored is not None and _replay(request, path, stored):
        return wagtail_views.serve(request, path)
    entry = _entry(request, path)
    response = wagtail_views.serve(request, path)
    if entry is not None and response.status_code == 200:
        remember(key, entry, timeout=ROUTE_TIMEOUT)
    return response
