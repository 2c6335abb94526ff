"""A Redis cache that a Redis outage turns into a cache miss instead of a server error.

Every page reads Wagtail's site lookup (and more) from the cache; with Django's RedisCache an
unreachable Redis raised into the request and the whole site answered 500. Here a lost Redis
reads as an empty cache: `get` returns the default, writes are dropped, `incr` finds no key,
each logged as a warning at most once every `LOG_EVERY` seconds. Short socket time-outs
(settings.py) keep each miss fast while Redis is away; the next call after it is back reconnects
by itself.
"""

import logging
import threading
import time

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# What an unreachable, restarting or overloaded Redis raises (a socket error, a time-out, a
# server still loading its data after a restart).
OUTAGE_ERRORS = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, OSError)
LOG_EVERY = 10.0

_last_logged = 0.0
_log_lock = threading.Lock()


def _log_outage(operation: str, error: Exception) -> None:
    global _last_logged
    with _log_lock:
        now = time.monotonic()
        if now - _last_logged < LOG_EVERY:
            return
        _last_logged = now
    logger.warning(
        "cache unavailable (%s: %s: %s); serving without it", operation, type(error).__name__, error
    )


class FaultTolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, redis.Redis] = {}

    def get_client(self, key=None, *, write=False):
        """The client of the pool, made once: Django makes a new `redis.Redis` for every cache
        call, which fills its table of some 170 reply callbacks each time (a page makes several
        calls). A client holds no connection of its own; each command takes one from the pool."""
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except OUTAGE_ERRORS as error:
            _log_outage("add", error)
            return False

    def get(self, key, default):
        try:
            return super().get(key, default)
        except OUTAGE_ERRORS as error:
            _log_outage("get", error)
            return default

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except OUTAGE_ERRORS as error:
            _log_outage("set", error)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except OUTAGE_ERRORS as error:
            _log_outage("touch", error)
            return False

    def delete(self, key):
        try:
            return super().delete(key)
        except OUTAGE_ERRORS as error:
            _log_outage("delete", error)
            return False

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except OUTAGE_ERRORS as error:
            _log_outage("get_many", error)
            return {}

    def has_key(self, key):
        try:
            return super().has_key(key)
        except OUTAGE_ERRORS as error:
            _log_outage("has_key", error)
            return False

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except OUTAGE_ERRORS as error:
            _log_outage("incr", error)
            # What Django raises for a missing key: callers already handle it.
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from error

    def incr_counters(self, counters):
        """Add one to each (key, timeout) counter, made at 0 to expire after `timeout` seconds
        when missing: SET NX EX then INCR for each, in one transaction (MULTI/EXEC), so one round
        trip. The counts after; None while Redis is away (nothing counted)."""
        try:
            with self.get_client(write=True).pipeline(transaction=True) as pipe:
                for key, timeout in counters:
                    pipe.set(key, 0, ex=timeout, nx=True)
                    pipe.incr(key)
                replies = pipe.execute()
        except OUTAGE_ERRORS as error:
            _log_outage("incr_counters", error)
            return None
        return [int(count) for count in replies[1::2]]

    def set_many(self, data, timeout):
        try:
            super().set_many(data, timeout)
        except OUTAGE_ERRORS as error:
            _log_outage("set_many", error)

    def delete_many(self, keys):
        try:
            return super().delete_many(keys)
        except OUTAGE_ERRORS as error:
            _log_outage("delete_many", error)
            return False

    def clear(self):
        try:
            return super().clear()
        except OUTAGE_ERRORS as error:
            _log_outage("clear", error)
            return False


class FaultTolerantRedisCache(RedisCache):
    """Django's RedisCache, but a Redis outage is a cache miss (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FaultTolerantRedisCacheClient

    def incr_counters(self, counters: list[tuple[str, int]]) -> list[int] | None:
        """Add one to each of the (key, timeout in seconds) counters, each made at 0 with that
        timeout when missing, in one round trip; the counts after, or None while Redis is away
        (forum/ratelimit.py)."""
        made = [(self.make_and_validate_key(key), int(timeout)) for key, timeout in counters]
        return self._cache.incr_counters(made)
