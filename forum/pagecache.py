"""Whole answers served from the cache before any routing (issue 14).

A view that renders the same answer for every anonymous visitor of an address (a public
programme page, an export) marks its response with `mark_public(response, scope=…,
version=…)`. On the way out, `PublicPageCacheMiddleware` stores the body and headers under a
key made of the language, the path and the query string (its parameters sorted, empty ones
dropped, so that a filter that changes nothing is the same address), together with the scope
and the version the view rendered. On the next anonymous GET of that address the middleware
answers from the cache — 200 or 304 (If-None-Match, weak comparison, or If-Modified-Since) —
without Wagtail's page routing and without a database query, provided that:

- the scope's current version (`scope_key(scope)`, e.g. the edition's latest release id, set
  by the feature when it publishes, and by the view itself when the key is missing) equals the
  one stored with the answer; and
- no page was published, unpublished or deleted since (`PAGES_KEY`, bumped by cms's signal
  receivers: an edited introduction, a renamed edition page, a menu change).

Logged-in visitors never read or fill this cache: a request with a session cookie whose session
is authenticated goes the whole way (the "my programme" stars, the login link differ). A
request that carries messages to show, or a response that sets a cookie, is not cached either.

The middleware sits after the session, locale and authentication middleware, so that the
language is the one the path names and the login state is known; GZipMiddleware sits outside
it, so cached answers are compressed like the others (and their ETag made weak, which the
weak comparison of If-None-Match still matches).
"""

import hashlib
import secrets
import threading
from gzip import compress as gzip_compress
from typing import Any
from urllib.parse import parse_qsl, urlencode

from cachetools import LRUCache, TTLCache
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.regex_helper import _lazy_re_compile

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Bodies smaller than this are not worth compressing (as GZipMiddleware decides).
MIN_COMPRESS = 200

PAGES_KEY = "pagecache:pages"
# The cache's copy of the pages version is read again from the database this often: a page
# changed while Redis was unreachable (the database moved on, the cache could not) is shown
# within this long of Redis coming back.
PAGES_TIMEOUT = 300
# A scope's version self-heals after this long (a cache flushed while a release was published).
SCOPE_TIMEOUT = 600
# Answers of unfiltered addresses stay until replaced; filtered ones (any query) expire.
QUERY_TIMEOUT = 3600
# Headers stored with the body (everything the outer middleware does not add again).
STORED_HEADERS = (
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Content-Disposition",
    "X-Frame-Options",
    "X-Robots-Tag",
)


def scope_key(scope: str) -> str:
    return f"pagecache:scope:{scope}"


def set_scope_version(scope: str, version: str) -> None:
    """The scope's content changed (a release published): answers stored before are stale."""
    cache.set(scope_key(scope), str(version), timeout=SCOPE_TIMEOUT)


def forget_scope(scope: str) -> None:
    cache.delete(scope_key(scope))


def _stored_pages_version() -> str:
    """The pages version kept in the database (made on first use)."""
    from forum.models import CacheVersion

    row, _created = CacheVersion.objects.get_or_create(
        name="pages", defaults={"value": secrets.token_hex(8)}
    )
    return row.value


def bump_pages_version() -> None:
    """A page of the site changed: every stored answer is stale (the page chrome shows titles
    and menus of other pages). The version is written to the database as well as the cache, so
    that a cache emptied (a Redis restarted) finds the same version again."""
    from forum.models import CacheVersion

    value = secrets.token_hex(8)
    updated = CacheVersion.objects.filter(name="pages").update(value=value)
    if not updated:
        CacheVersion.objects.update_or_create(name="pages", defaults={"value": value})
    cache.set(PAGES_KEY, value, timeout=PAGES_TIMEOUT)


def _pages_version(known: str | None) -> str:
    if known is None:
        # The cache lost it (flushed, restarted) or is away: the database has it.
        known = _stored_pages_version()
        cache.add(PAGES_KEY, known, timeout=PAGES_TIMEOUT)
    return known


def current_pages_version(request: HttpRequest | None = None) -> str:
    """The pages version, read once per request (the middleware leaves the one it read on the
    request): what caches of page data (the route cache, the site header's data) key on."""
    known = getattr(request, "_pages_version", None)
    if not known:
        known = _pages_version(cache.get(PAGES_KEY))
        if request is not None:
            request._pages_version = known  # type: ignore[attr-defined]
    return known


# --- Page data kept in each process as well ----------------------------------------------------
#
# The route and header caches (cms/routing.py, cms/chrome.py) key their entries on the pages
# version, which every request reads from the cache (or, after a flush, from the database). An
# entry is therefore valid in any process for as long as its key is asked for: each process
# keeps the entries it used last in memory too, in front of Redis, so that a page rendered
# again — or after Redis was flushed or restarted — does not fetch them again.

LOCAL_ENTRIES = 2048
LOCAL_SECONDS = 3600
_local: TTLCache[str, Any] = TTLCache(maxsize=LOCAL_ENTRIES, ttl=LOCAL_SECONDS)
_local_lock = threading.Lock()


def remember(key: str, value: Any, *, timeout: int) -> None:
    cache.set(key, value, timeout=timeout)
    with _local_lock:
        _local[key] = value


def recalled_many(keys: list[str]) -> dict[str, Any]:
    """The values of `keys` found in this process's memory, else in the cache (one round trip
    for those not in memory)."""
    found: dict[str, Any] = {}
    with _local_lock:
        for key in keys:
            value = _local.get(key)
            if value is not None:
                found[key] = value
    missing = [key for key in keys if key not in found]
    if missing:
        fetched = cache.get_many(missing)
        with _local_lock:
            for key, value in fetched.items():
                _local[key] = value
        found.update(fetched)
    return found


def recalled(key: str) -> Any:
    """The value of `key` from this process's memory or the cache, or None."""
    return recalled_many([key]).get(key)


# The bodies of stored answers this process served or stored last, by body key, with their
# token: a hit whose record (always read from the cache) names the same token sends the body
# from memory instead of fetching it again (a 413 KB export from Redis is a millisecond and
# more). The token is new each time an answer is stored, so a body replaced by any process is
# never sent from here. Bounded by bytes (settings.PAGE_CACHE_MEMORY_MB, read at the first use);
# a body larger than an eighth of it is not kept.
_bodies: LRUCache[str, tuple[str, bytes]] | None = None


def _local_bodies() -> LRUCache[str, tuple[str, bytes]]:
    global _bodies
    if _bodies is None:
        size = max(0, settings.PAGE_CACHE_MEMORY_MB) * 1024 * 1024
        _bodies = LRUCache(maxsize=max(size, 1), getsizeof=lambda entry: len(entry[1]) + 64)
    return _bodies


def _keep_body(key: str, entry: tuple[str, bytes]) -> None:
    bodies = _local_bodies()
    if len(entry[1]) + 64 <= bodies.maxsize // 8:
        with _local_lock:
            bodies[key] = entry


def forget_local() -> None:
    """Empty this process's copies (tests, between cases)."""
    with _local_lock:
        _local.clear()
        _local_bodies().clear()


def mark_public(response: HttpResponse, *, scope: str, version) -> HttpResponse:
    """The answer is the same for every anonymous visitor of this address while `scope` stays
    at `version` (and no page changes): the middleware may store it."""
    response._public_cache = (scope, str(version))  # type: ignore[attr-defined]
    return response


def normalized_query(request: HttpRequest) -> str:
    pairs = [(k, v) for k, v in parse_qsl(request.META.get("QUERY_STRING", "")) if v.strip()]
    return urlencode(sorted(pairs))


def page_key(request: HttpRequest) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    address = f"{request.path}?{normalized_query(request)}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"pagecache:page:{language}:{digest}"


def _may_use_cache(request: HttpRequest) -> bool:
    if request.method != "GET" or "messages" in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return False
    return True


def _conditional(request: HttpRequest, headers: dict) -> HttpResponse | None:
    """A 304 (or 412) when the client's validators match the stored ones, else None."""
    last_modified = parse_http_date_safe(headers.get("Last-Modified", "")) or None
    return get_conditional_response(request, etag=headers.get("ETag"), last_modified=last_modified)


def _answer(response: HttpResponse, headers: dict) -> HttpResponse:
    for name, value in headers.items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response


def body_key(key: str, zipped: bool) -> str:
    return f"{key}:{'gzip' if zipped else 'body'}"


class PublicPageCacheMiddleware:
    """Each stored answer is three cache entries: its record (scope, versions, headers and a
    token, a few hundred bytes) under the page key, and its body, plain and compressed, each
    under a key of its own with the record's token beside it. A hit reads the record, then the
    scope's version and only the body the client takes (none for a 304): a 413 KB export is
    not read back twice to send 40 KB of it. A body this process holds in memory under the
    record's token (`_bodies`) is not read at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_use_cache(request):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([key, PAGES_KEY])
        record, pages = found.get(key), found.get(PAGES_KEY)
        if pages:
            request._pages_version = pages  # type: ignore[attr-defined]
        if record is not None and record.get("pages") == pages and "token" in record:
            hit = self._from_record(request, key, record)
            if hit is not None:
                return hit
        response = self.get_response(request)
        marked = getattr(response, "_public_cache", None)
        if marked and response.status_code == 200 and not response.cookies:
            pages = pages or getattr(request, "_pages_version", None)
            self._store(request, key, response, *marked, pages=_pages_version(pages))
        if marked:
            patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def _from_record(request: HttpRequest, key: str, record: dict) -> HttpResponse | None:
        """The stored answer, compressed beforehand when the client takes gzip (GZipMiddleware
        leaves an answer with a Content-Encoding alone), or a 304; None when the scope moved on
        or the body is gone (then the view answers, and stores it again)."""
        headers = dict(record["headers"])
        zipped = bool(
            record["gzip"] and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        )
        if zipped and headers.get("ETag", "").startswith('"'):
            headers["ETag"] = "W/" + headers["ETag"]  # as GZipMiddleware does
        conditional = _conditional(request, headers)
        wanted = [scope_key(record["scope"])]
        body = body_key(key, zipped)
        stored = None
        if conditional is None:
            with _local_lock:
                stored = _local_bodies().get(body)
            if stored is None or stored[0] != record["token"]:
                stored = None
                wanted.append(body)  # not in memory (or not this answer's): read it too
        found = cache.get_many(wanted)
        if found.get(wanted[0]) != record["version"]:
            return None
        if conditional is not None:
            return _answer(conditional, headers)
        if stored is None:
            stored = found.get(body)
            if not stored or stored[0] != record["token"]:
                return None  # evicted, or written by another request since: render afresh
            _keep_body(body, stored)
        response = HttpResponse(stored[1], status=200)
        if zipped:
            response["Content-Encoding"] = "gzip"
        return _answer(response, headers)

    @staticmethod
    def _store(
        request, key: str, response: HttpResponse, scope: str, version: str, *, pages: str
    ) -> None:
        if response.streaming or response.has_header("Content-Encoding"):
            return
        cache.add(scope_key(scope), version, timeout=SCOPE_TIMEOUT)
        token = secrets.token_hex(8)
        body = response.content
        zipped = (
            gzip_compress(body, compresslevel=6, mtime=0) if len(body) >= MIN_COMPRESS else None
        )
        record = {
            "scope": scope,
            "version": version,
            "pages": pages,
            "headers": {name: response[name] for name in STORED_HEADERS if name in response},
            "token": token,
            "gzip": zipped is not None,
        }
        entries = {key: record, body_key(key, False): (token, body)}
        if zipped is not None:
            entries[body_key(key, True)] = (token, zipped)
        timeout = QUERY_TIMEOUT if normalized_query(request) else None
        cache.set_many(entries, timeout=timeout)
        for name, entry in entries.items():
            if name != key:
                _keep_body(name, entry)


def warm(path: str) -> int:
    """Request `path` as an anonymous visitor of SITE_URL would, through every middleware, so
    that the page cache holds its answer before the first visitor asks (a task's work: after a
    release is published). Returns the status code."""
    from io import BytesIO
    from urllib.parse import urlsplit

    from django.core.handlers.wsgi import WSGIHandler, WSGIRequest

    site = urlsplit(settings.SITE_URL)
    secure = site.scheme == "https"
    port = str(site.port or (443 if secure else 80))
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": port,
        "HTTP_HOST": site.netloc,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": site.scheme or "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": BytesIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if secure:
        environ["HTTPS"] = "on"
    handler = WSGIHandler()
    return handler.get_response(WSGIRequest(environ)).status_code
