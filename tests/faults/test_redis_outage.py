"""Redis stops while people use the site: pages still answer from the database (the cache
reads as a miss), a registration is saved and its email waits in the outbox for the sweep."""

import datetime
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from forum.celery import app as celery_app
from mail.enums import EmailStatus
from mail.models import OutboxEmail
from registration.enums import RegistrationStatus
from registration.models import Registration, RegistrationSettings
from tests.factories.registration import TicketTypeFactory
from tests.faults.conftest import use_broker

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db]

PAGES = [
    "/",
    "/2009-tokyo/",
    "/ja/2009-tokyo/",
    "/2009-tokyo/programme/",
    "/2009-tokyo/register/",
    "/2009-tokyo/register/?country=PH",
    "/2009-tokyo/statement/",
    "/search/?query=tokyo",
    "/accounts/login/",
]


@pytest.fixture
def open_ticket(edition):
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "opens_at": timezone.now() - datetime.timedelta(days=1),
            "closes_at": timezone.now() + datetime.timedelta(days=30),
        },
    )
    return TicketTypeFactory(edition=edition, name="Outage delegate", capacity=5)


def form_data(ticket, email: str) -> dict:
    return {
        "ticket_type": str(ticket.pk),
        "email": email,
        "name": "Amara Okafor",
        "country": "PH",
        "organization_name": "Manila Women's Cooperative",
        "organization_kind": "cooperative",
        "language": "en",
        "public_listing": "on",
        "consent": "on",
    }


def test_pages_and_registration_answer_while_redis_is_down(
    client, private_redis, cache_on, open_ticket, django_capture_on_commit_callbacks
):
    private_redis.start()
    cache_on(private_redis.url)
    use_broker(private_redis.url)
    celery_app.conf.task_always_eager = False  # tasks go to that Redis (the fixture restores it)
    statuses = []
    try:
        for path in PAGES:  # Redis up: the cache fills
            statuses.append(client.get(path).status_code)
        cache.set("probe", "up")
        assert cache.get("probe") == "up"

        private_redis.stop()
        started = time.monotonic()
        for path in PAGES:
            statuses.append(client.get(path).status_code)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(
                "/2009-tokyo/register/", form_data(open_ticket, "outage@example.org")
            )
        statuses.append(response.status_code)
        statuses.append(client.get(response["Location"]).status_code)
        elapsed = time.monotonic() - started
        assert cache.get("probe", "miss") == "miss"  # a miss, not an error
        assert cache.add("other", 1) is False

        private_redis.start()  # back (empty: it saves nothing): the cache works again
        cache.set("probe", "back")
        assert cache.get("probe") == "back"
        statuses.append(client.get("/2009-tokyo/").status_code)
    finally:
        use_broker(settings.REDIS_URL)

    assert [status for status in statuses if status >= 500] == []
    assert statuses.count(200) + statuses.count(302) == len(statuses), statuses
    assert response.status_code == 302
    assert response["Location"] == "/2009-tokyo/register/?sent=1"
    assert len(callbacks) == 1
    registration = Registration.objects.get(email="outage@example.org")
    assert registration.status == RegistrationStatus.UNCONFIRMED
    email = OutboxEmail.objects.get(registration=registration)
    assert (email.status, email.attempts, email.kind) == (
        EmailStatus.PENDING,
        0,
        "registration_confirm_address",
    )
    assert elapsed < 30, f"{len(PAGES) + 2} requests took {elapsed:.1f} s with Redis down"


def test_rate_limits_let_actions_through_while_redis_is_down_and_count_again_after(
    private_redis, cache_on, settings
):
    """As before the limits were counted in one round trip: while Redis is away nothing is
    counted and nothing is refused (the site answers, as the registration above); once it is
    back, the limits count from where Redis stands."""
    from forum import ratelimit

    settings.RATE_LIMITS = {
        "registration.register.email": (2, 3600),
        "registration.register.client": (50, 3600),
    }
    pairs = [
        (ratelimit.get_limit("registration.register.email"), "outage@example.org"),
        (ratelimit.get_limit("registration.register.client"), "192.0.2.8"),
    ]
    private_redis.start()
    cache_on(private_redis.url)
    assert ratelimit.record_all(pairs) == [1, 1]
    private_redis.stop()
    started = time.monotonic()
    for _ in range(3):
        assert ratelimit.exceeded_any(pairs) is False
        assert ratelimit.record_all(pairs) == [1, 1]
    assert ratelimit.hit(*pairs[0]) is False
    assert time.monotonic() - started < 15
    private_redis.start()  # back, empty (it saves nothing)
    assert ratelimit.record_all(pairs) == [1, 1]
    assert ratelimit.record_all(pairs) == [2, 2]
    assert ratelimit.exceeded_any(pairs) is True
