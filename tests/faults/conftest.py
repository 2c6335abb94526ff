"""Fixtures for the fault tests: the registration tests' real parts (a redis-server of the
test's own that can be stopped, an SMTP server, Celery worker processes) and a cache on that
Redis."""

import pytest
from django.core.cache import caches

from tests.registration.conftest import (  # noqa: F401 (fixtures shared with registration)
    PrivateRedis,
    Worker,
    free_port,
    private_redis,
    smtp_server,
    smtp_settings,
    start_worker,
    use_broker,
)


@pytest.fixture
def cache_on(settings):
    """`cache_on(url)`: the site's cache on the Redis at `url`, as configured in settings.py."""

    def switch(url: str) -> None:
        default = dict(settings.CACHES["default"])
        assert default["BACKEND"] == "forum.cache.FaultTolerantRedisCache"
        settings.CACHES = {"default": {**default, "LOCATION": url}}
        caches["default"].clear()

    return switch
