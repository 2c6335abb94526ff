"""The scheduled-publishing task, sent through the real Redis broker to a real Celery worker.

The worker is a separate process on the test database: everything it must see is committed
first (a transactional test), and its effect is read back from the database.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from forum.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 90.0  # a wait, not a speed test: a loaded 2-core machine starts a worker slowly
TASK_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def queue():
    """A queue of this test's own, so that no other worker on the broker takes its task;
    deleted with its bindings afterwards."""
    name = f"forum-test-{uuid.uuid4().hex}"
    yield name
    with celery_app.connection_for_write() as broker:
        bound = celery_app.amqp.queues[name].bind(broker.default_channel)
        bound.declare()  # kombu's Redis transport forgets bindings it has not declared itself
        bound.delete()


def _test_database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{quote(db['NAME'], safe='')}"


def _read(log: Path) -> str:
    return log.read_text(errors="replace") if log.exists() else ""


def _wait_until_ready(worker: subprocess.Popen, log: Path, nodename: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(
                f"the worker exited ({worker.returncode}) before it was ready:\n{_read(log)}"
            )
        if f"{nodename} ready." in _read(log):
            return
        time.sleep(0.2)
    pytest.fail(f"the worker was not ready within {READY_TIMEOUT:.0f} s:\n{_read(log)}")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # a warm shutdown
    try:
        worker.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=STOP_TIMEOUT)


def test_worker_publishes_a_page_whose_go_live_time_has_passed(demo_site, queue, tmp_path):
    from cms.models import NewsIndexPage, NewsPage
    from cms.tasks import task_publish_scheduled_pages

    news_index = NewsIndexPage.objects.get(slug="news", locale__language_code="en")
    page = NewsPage(
        title="The AFSE 2011 call for workshops is open",
        slug="call-for-workshops-2011",
        intro="Proposals for workshops are welcome until the end of March.",
        live=False,
    )
    news_index.add_child(instance=page)
    # What the admin does when an editor publishes with a go-live time: the revision is
    # approved to go live then, and `publish_scheduled` publishes it once that time has passed.
    page.go_live_at = timezone.now() - timedelta(minutes=1)
    revision = page.save_revision(approved_go_live_at=page.go_live_at)
    assert not NewsPage.objects.get(pk=page.pk).live

    nodename = f"{queue}@localhost"
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "REDIS_URL": settings.REDIS_URL}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "forum",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-n",
        nodename,
        "-Q",
        queue,
    ]
    celery_app.conf.task_always_eager = False  # the autouse fixture restores it
    with log.open("wb") as output:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_ready(worker, log, nodename)
        with celery_app.connection_for_write() as broker:
            sent = task_publish_scheduled_pages.apply_async(queue=queue, connection=broker)

        deadline = time.monotonic() + TASK_TIMEOUT
        live = False
        while time.monotonic() < deadline and worker.poll() is None:
            live = NewsPage.objects.filter(pk=page.pk).values_list("live", flat=True).get()
            if live:
                break
            time.sleep(0.25)
        assert live, (
            f"the page did not go live within {TASK_TIMEOUT:.0f} s "
            f"(worker exit code {worker.poll()}):\n{_read(log)}"
        )
    finally:
        _stop(worker)

    page = NewsPage.objects.get(pk=page.pk)
    assert page.live_revision_id == revision.pk
    assert not page.has_unpublished_changes
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    output = _read(log)
    assert f"Task cms.publish_scheduled_pages[{sent.id}] received" in output, output
    assert f"Task cms.publish_scheduled_pages[{sent.id}] succeeded" in output, output
