"""Redis restarts under a busy worker (the worker as `make worker` runs it, on a redis-server of
the test's own that saves its data on shutdown, as a real one does): the worker reconnects by
itself, or is started again by its service manager, and every queued email is delivered
exactly once; emails written while Redis was down go out through the sweep.

kombu 5.7 sometimes stops the worker with "Unrecoverable error" ('NoneType' object has no
attribute 'hostname') when the connection is lost while a task is received but not yet
acknowledged: it tries to put that message back over the connection it has just closed. The
deployments supervise the worker for that (docker/systemd/forum-worker.service restarts it
whenever it exits; compose's `restart: unless-stopped`), so the test does what they do."""

import time

import pytest
import redis
from django.db import transaction

from mail.enums import EmailStatus
from mail.models import OutboxEmail
from mail.services.outbox import enqueue_after_commit, sweep_outbox

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def write(count: int, prefix: str) -> list[OutboxEmail]:
    emails = []
    for number in range(count):
        with transaction.atomic():
            email = OutboxEmail.objects.create(
                kind="test",
                to_email=f"{prefix}{number}@example.org",
                subject=f"{prefix} {number}",
                body_text="Hello.\n",
                message_id=f"<{prefix}-{number}@example.org>",
            )
            enqueue_after_commit(email_id=email.pk)
        emails.append(email)
    return emails


def wait_until_all_sent(timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = OutboxEmail.objects.exclude(status=EmailStatus.SENT).count()
        if not pending:
            return 0
        time.sleep(0.2)
    return pending


def reconnected_or_restarted(worker, start_again, timeout: float = 180):
    """The worker once it has connected to the restarted Redis, or, if it stopped, a new one
    started as the service manager would start it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.output().count("Connected to redis") >= 2:
            return worker
        if worker.process.poll() is not None:
            return start_again()
        time.sleep(0.2)
    pytest.fail(f"the worker neither reconnected nor stopped:\n{worker.output()}")


def test_worker_survives_a_redis_restart_and_delivers_everything_once(
    smtp_server, start_worker, private_redis
):
    sink = smtp_server.sink
    sink.delay = 0.1  # the worker is busy when Redis goes away
    private_redis.start()
    worker = start_worker(smtp_port=smtp_server.port, broker_url=private_redis.url)
    before = write(60, "before")
    assert sink.wait_for(5, timeout=30), worker.output()

    # A restart as a service manager does it: Redis saves its data and exits, then starts again.
    redis.Redis(port=private_redis.port).shutdown(save=True)
    private_redis.process.wait(timeout=10)
    during = write(10, "during")  # the broker is down: these wait in the outbox
    time.sleep(3)
    private_redis.start()

    # A wait, not a speed test: kombu reconnects with a growing back-off (slower under load).
    first = worker
    worker = reconnected_or_restarted(
        worker, lambda: start_worker(smtp_port=smtp_server.port, broker_url=private_redis.url)
    )
    # The sweep queues again what waits in the outbox: the emails written while Redis was
    # down, and one whose task a stopped worker could not put back.
    assert sweep_outbox(older_than_seconds=0) >= len(during)
    assert wait_until_all_sent(timeout=240) == 0, worker.output()
    time.sleep(1.0)  # nothing more comes

    output = worker.output()
    assert worker.process.poll() is None, output  # still running
    assert "Connection to broker lost" in first.output()
    if worker is first:
        assert "Unrecoverable error" not in output
    delivered = sink.message_ids()
    expected = [email.message_id for email in before + during]
    assert sorted(delivered) == sorted(expected)  # each once
    assert len(delivered) == 70
