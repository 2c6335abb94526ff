"""Fail fast, in one line, when REDIS_URL points at a Redis that does not answer."""

from urllib.parse import urlsplit

import redis


class RedisUnreachableError(Exception):
    pass


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def probe_redis(url: str, *, timeout: float = 2.0) -> None:
    """Ping the Redis at `url`; raise RedisUnreachableError, with one line to print, if it
    does not answer."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        client.ping()
        client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise RedisUnreachableError(
            f"error: REDIS_URL is set but Redis at {_redacted(url)} is not reachable "
            f"({exc.__class__.__name__}: {exc}). Start Redis, or unset REDIS_URL to run "
            "with eager tasks and a local-memory cache."
        ) from exc
