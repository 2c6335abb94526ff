"""The site's one rate-limit mechanism: the client's real address behind trusted proxies, and
fixed windows counted in the shared cache."""

import pytest
import redis
from django.core.cache import cache
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


PAIRS = [("registration.register.email", "a@example.org"), ("registration.register.client", "::1")]


def _pairs() -> list[tuple[ratelimit.Limit, str]]:
    return [(ratelimit.get_limit(name), subject) for name, subject in PAIRS]


def _round_trips(monkeypatch) -> list[bytes]:
    """What is sent to Redis, one item per round trip (a pipeline packs its commands in one)."""
    sent: list = []
    real = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return real(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    return sent


@pytest.mark.redis
def test_limits_are_read_in_one_round_trip_and_counted_in_one(settings, monkeypatch):
    settings.RATE_LIMITS = {
        "registration.register.email": (2, 3600),
        "registration.register.client": (3, 60),
    }
    pairs = _pairs()
    assert cache.get("warm") is None  # (the connection to Redis made)
    sent = _round_trips(monkeypatch)
    assert ratelimit.exceeded_any(pairs) is False
    assert len(sent) == 1
    assert ratelimit.record_all(pairs) == [1, 1]
    assert len(sent) == 2
    assert ratelimit.record_all(pairs) == [2, 2]
    assert len(sent) == 3
    assert ratelimit.exceeded_any(pairs) is True  # the address's 2 of 2
    assert ratelimit.exceeded_any(pairs[1:]) is False  # the client's 2 of 3
    assert ratelimit.used(*pairs[1]) == 2
    # Each counter expires with its window (and 5 s more).
    client = cache._cache.get_client(write=True)
    for limit, subject in pairs:
        window, left = ratelimit._window(limit)
        key = cache.make_and_validate_key(ratelimit._key(limit, subject, window))
        assert left <= client.ttl(key) <= left + 5


@pytest.mark.parametrize("backend", ["settings", "locmem"])
def test_a_new_window_counts_from_one_again(settings, monkeypatch, backend):
    if backend == "locmem":  # the embedded default: add, then incr
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.RATE_LIMITS = {
        "registration.register.email": (2, 3600),
        "registration.register.client": (3, 60),
    }
    now = [3600 * 500_000 + 10.0]  # 10 s into a window of either length
    monkeypatch.setattr(ratelimit, "_clock", lambda: now[0])
    pairs = _pairs()
    assert [ratelimit.record_all(pairs) for _ in range(3)] == [[1, 1], [2, 2], [3, 3]]
    assert ratelimit.exceeded_any(pairs[1:]) is True
    now[0] += 60  # the next minute: the client's window is new, the address's hour goes on
    assert ratelimit.exceeded_any(pairs[1:]) is False
    assert ratelimit.record_all(pairs) == [4, 1]
    assert ratelimit.hit(*pairs[0]) is True
