"""Each pytest-xdist worker gets Redis databases of its own.

`make test` runs the suite in parallel processes (pytest-xdist). pytest-django gives each its own
test database (`test_<name>_gw0`, `_gw1`…) and pytest its own temporary folder (MEDIA_ROOT), but
the Redis databases come from REDIS_URL and REDIS_CACHE_URL: tests empty the cache
(`cache.clear()` flushes its whole database) and purge the broker's queue, so two workers on the
same databases would undo each other's work. Worker N moves both databases up by N times the span
they cover: with broker 1 and cache 2, gw0 uses 1 and 2, gw1 uses 3 and 4. The controller sets
them in each worker's environment before the worker starts (so before Django reads its
settings), and a Celery worker a test starts as a subprocess inherits them: it consumes the
broker of the test that started it.
"""

import os
import re
from urllib.parse import urlsplit, urlunsplit

import pytest

REDIS_DATABASES = 16  # a Redis server's default number of databases (0 to 15)


def redis_db(url: str) -> int:
    """The database number of a redis:// URL (0 when it names none)."""
    path = urlsplit(url).path.strip("/")
    return int(path) if path else 0


def with_redis_db(url: str, db: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


def worker_index(worker_id: str) -> int:
    """`gw3` → 3."""
    match = re.fullmatch(r"gw(\d+)", worker_id)
    if match is None:
        raise ValueError(f"not a pytest-xdist worker id: {worker_id!r}")
    return int(match.group(1))


def worker_redis_urls(broker_url: str, cache_url: str, index: int) -> tuple[str, str]:
    """The broker and cache URLs of worker number `index` (see the module's docstring)."""
    broker, cache = redis_db(broker_url), redis_db(cache_url)
    span = abs(cache - broker) + 1
    offset = index * span
    highest = max(broker, cache) + offset
    if highest >= REDIS_DATABASES:
        raise ValueError(
            f"worker {index} would need Redis database {highest}, past the last one "
            f"({REDIS_DATABASES - 1}): run fewer workers or start from lower database numbers"
        )
    return with_redis_db(broker_url, broker + offset), with_redis_db(cache_url, cache + offset)


def worker_environment(environ, worker_id: str) -> dict[str, str]:
    """The variables to set in the environment of worker `worker_id` (none without Redis)."""
    broker_url = environ.get("REDIS_URL")
    if not broker_url:
        return {}
    # settings.py: the cache shares the broker's database unless REDIS_CACHE_URL says otherwise.
    cache_url = environ.get("REDIS_CACHE_URL") or broker_url
    broker_url, cache_url = worker_redis_urls(broker_url, cache_url, worker_index(worker_id))
    return {"REDIS_URL": broker_url, "REDIS_CACHE_URL": cache_url}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs) -> None:
    """pytest-xdist's controller, before it starts the workers: each its own Redis databases
    (imported into tests/conftest.py, which registers it)."""
    for spec in specs:
        spec.env.update(worker_environment(os.environ, spec.id))
