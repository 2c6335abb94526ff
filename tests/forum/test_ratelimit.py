"""The site's one rate-limit mechanism: the client's real address behind trusted proxies, and
fixed windows counted in the shared cache."""

import pytest
from django.test import RequestFactory

from forum import ratelimit


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "1.1.1.1", "203.0.113.5"),  # no proxy: the header is the client's
        (1, "10.0.0.1", "1.1.1.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.2", "1.1.1.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "10.0.0.2", "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies
        (1, "10.0.0.1", "", "10.0.0.1"),
        (1, "10.0.0.1", "1.1.1.1, not-an-address", "10.0.0.1"),
        (1, "10.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_is_read_from_the_right_through_the_trusted_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == expected


def test_record_counts_and_exceeded_only_looks(settings):
    settings.RATE_LIMITS = {"registration.register.email": (2, 3600)}
    limit = ratelimit.get_limit("registration.register.email")
    assert (limit.count, limit.seconds) == (2, 3600)
    assert ratelimit.exceeded(limit, "a@example.org") is False
    assert ratelimit.exceeded(limit, "a@example.org") is False
    assert ratelimit.record(limit, "a@example.org") == 1
    assert ratelimit.record(limit, "A@Example.org ") == 2  # one person, however spelt
    assert ratelimit.exceeded(limit, "a@example.org") is True
    assert ratelimit.exceeded(limit, "b@example.org") is False


def test_hit_refuses_past_the_count(settings):
    settings.STATEMENTS_RATE_LIMIT = (3, 60)
    limit = ratelimit.get_limit("statements.post")
    assert [ratelimit.hit(limit, "user:7") for _ in range(5)] == [False, False, False, True, True]
    assert 0 < ratelimit.retry_after(limit) <= 60
