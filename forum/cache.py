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
