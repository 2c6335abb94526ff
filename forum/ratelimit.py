"""The site's one rate-limit mechanism: fixed windows counted in the shared cache.

Every limit of the site is a `Limit` in `LIMITS` (the README lists them) and is counted here, in
the Django cache every process shares: Redis whenever REDIS_URL is set (every install with more
than one process must set it). The embedded default, a local-memory cache, counts per process,
which is right for the one process of `make run`.

A limit is keyed by the person where there is one (a user id, a confirmed or given email
address), otherwise by the real client address, read from X-Forwarded-For through the
TRUSTED_PROXY_COUNT proxies in front of the site (`client_address`).

Two ways to count: `hit` counts an attempt and says whether it is over the limit (for actions
where every attempt costs, e.g. a comment written after validation); `exceeded` only looks, and
`record` counts an action that succeeded, so that failed attempts use up no quota. Several limits
of one request are read together (`exceeded_any`: one read of the cache) and counted together
(`record_all`: one round trip to Redis).
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


# Every limit of the site: name → (count, seconds) by default; RATE_LIMITS in the settings
# overrides any of them (STATEMENTS_RATE_LIMIT sets "statements.post").
DEFAULTS: dict[str, tuple[int, int]] = {
    # Comments, amendments and reports of one delegate.
    "statements.post": (5, 60),
    # Sign-on requests for one email address (each sends a confirmation mail).
    "statements.sign_on.email": (5, 60 * 60),
    # Sign-on requests that went through from one client address (a venue's Wi-Fi, a NAT):
    # a whole plenary can sign on from one address.
    "statements.sign_on.client": (1000, 60 * 60),
    # Requests for a new password for one email address, and from one client address.
    "accounts.password_reset.email": (3, 60 * 60),
    "accounts.password_reset.client": (30, 60 * 60),
    # Registration forms accepted for one email address (each sends a mail).
    "registration.register.email": (5, 60 * 60),
    # Registration forms accepted from one client address: a whole delegation gets through.
    "registration.register.client": (50, 60 * 60),
}


def get_limit(name: str) -> Limit:
    """The limit `name` (a key of DEFAULTS), as the settings configure it."""
    configured = dict(getattr(settings, "RATE_LIMITS", {}))
    if getattr(settings, "STATEMENTS_RATE_LIMIT", None):
        configured.setdefault("statements.post", settings.STATEMENTS_RATE_LIMIT)
    count, seconds = configured.get(name, DEFAULTS[name])
    return Limit(name=name, count=int(count), seconds=int(seconds))


def client_address(request: HttpRequest) -> str:
    """The address of the client, not of the proxy in front of the site.

    With TRUSTED_PROXY_COUNT = n > 0, the site sits behind n proxies, each of which appends the
    address it received the request from to X-Forwarded-For; the client's address is then the
    n-th entry from the right. Entries further left were written by the client and are not
    trusted. Without trusted proxies (the default), the TCP peer (REMOTE_ADDR) is the client.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def _key(limit: Limit, subject: str, window: int) -> str:
    digest = hashlib.sha256(str(subject).strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{limit.name}:{digest}:{window}"


_clock = time.time  # (tests move it to the next window)


def _window(limit: Limit) -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    now = int(_clock())
    return now // limit.seconds, limit.seconds - now % limit.seconds


def used(limit: Limit, subject: str) -> int:
    return _used_all([(limit, subject)])[0]


def _used_all(pairs: list[tuple[Limit, str]]) -> list[int]:
    """What each (limit, subject) has used in its current window: one read of the cache."""
    keys = [_key(limit, subject, _window(limit)[0]) for limit, subject in pairs]
    found = cache.get_many(keys)
    return [int(found.get(key, 0)) for key in keys]


def exceeded(limit: Limit, subject: str) -> bool:
    """Whether `subject` has used up `limit` in the current window (counts nothing)."""
    return exceeded_any([(limit, subject)])


def exceeded_any(pairs: list[tuple[Limit, str]]) -> bool:
    """Whether any (limit, subject) is used up in its current window (counts nothing; one read
    of the cache for all)."""
    counts = _used_all(pairs)
    return any(count >= limit.count for (limit, _), count in zip(pairs, counts, strict=True))


def record(limit: Limit, subject: str) -> int:
    """Count one action of `subject`; returns the count in the current window."""
    return record_all([(limit, subject)])[0]


def record_all(pairs: list[tuple[Limit, str]]) -> list[int]:
    """Count one action for each (limit, subject); returns their counts in their current windows.

    With Redis (forum.cache), one round trip for all: each counter is made at 0 when missing,
    to expire with its window, and incremented, in one transaction. Other caches (the local
    memory of one process): `add` then `incr`, each counter alone. While Redis is away nothing
    is counted and each count reads 1, as a counter just made: the action goes through."""
    counters = []
    for limit, subject in pairs:
        window, left = _window(limit)
        counters.append((_key(limit, subject, window), left + 5))
    incr_counters = getattr(cache, "incr_counters", None)
    if incr_counters is not None:
        counts = incr_counters(counters)
        return counts if counts is not None else [1] * len(counters)
    return [_record_one(key, timeout) for key, timeout in counters]


def _record_one(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted or expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def hit(limit: Limit, subject: str) -> bool:
    """Count an attempt of `subject`; True when it is over `limit` (refuse it)."""
    return record(limit, subject) > limit.count


def retry_after(limit: Limit) -> int:
    """Seconds until the current window ends."""
    return _window(limit)[1]


def _email_and_client(action: str, request: HttpRequest, email: str) -> list[tuple[Limit, str]]:
    return [
        (get_limit(f"{action}.email"), email),
        (get_limit(f"{action}.client"), client_address(request)),
    ]


def email_or_client_exceeded(action: str, request: HttpRequest, email: str) -> bool:
    """Whether a mail-sending `action` is over its limit per email address (`<action>.email`)
    or, more loosely, per client address (`<action>.client`: a venue's Wi-Fi shares one).
    Counts nothing: `record_email_and_client` counts the requests that went through."""
    return exceeded_any(_email_and_client(action, request, email))


def record_email_and_client(action: str, request: HttpRequest, email: str) -> None:
    """Count one `action` that went through, per email address and per client address."""
    record_all(_email_and_client(action, request, email))
