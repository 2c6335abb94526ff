"""Fixtures for the whole suite.

Tests that need a real PostgreSQL, Redis or Chromium carry the `postgres`, `redis` or `browser`
marker: without the service they are skipped with a reason, unless FORUM_REQUIRE_SERVICES=1
(set by .ci/run), where a missing service is a failure.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

from forum.celery import app as celery_app

REQUIRE_SERVICES = os.environ.get("FORUM_REQUIRE_SERVICES") == "1"
# Schemas the export and deploy tests validate against (c3voc frab, Compose Specification) are
# read from the folder FORUM_SPECS_DIR names; without it those tests are skipped, unless
# FORUM_REQUIRE_SPECS=1 or FORUM_REQUIRE_SERVICES=1, where their absence is a failure.
REQUIRE_SPECS = REQUIRE_SERVICES or os.environ.get("FORUM_REQUIRE_SPECS") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (FORUM_REQUIRE_SERVICES=1: services are required)")
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        _missing("needs Redis: set REDIS_URL=redis://…")
    if item.get_closest_marker("browser") and not (
        os.path.exists(CHROMIUM) or shutil.which("chromium")
    ):
        _missing(f"needs Chromium at {CHROMIUM}: apt-get install chromium")


def spec_file(name: str):
    """The path of a schema in FORUM_SPECS_DIR; skip (or fail, when specs are required) when
    the variable or the file is missing."""
    from pathlib import Path

    folder = os.environ.get("FORUM_SPECS_DIR", "")
    path = Path(folder) / name if folder else None
    if path is None or not path.is_file():
        reason = f"needs {name}: set FORUM_SPECS_DIR to the folder of the specifications"
        if REQUIRE_SPECS:
            pytest.fail(f"{reason} (specs are required)")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded and generated files of the test run go to a temporary folder."""
    previous = settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private")
    yield settings.MEDIA_ROOT
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = previous


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Demo and test accounts get their passwords hashed quickly (PBKDF2's million rounds
    would cost seconds each time the demo forum is built)."""
    from django.test.utils import override_settings

    override = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _media_root, _fast_password_hasher):
    """Load the demo forum once into the test database; each test rolls back its changes."""
    from cms.demo import build_demo

    with django_db_blocker.unblock():
        build_demo()


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in tests, except where a test drives a real worker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def held_tasks():
    """Tasks are queued, not run, as when the worker has not taken them yet: they go to a
    queue of the test's own on the broker (Redis, or Celery's in-memory one); `held_tasks()`
    counts them. The queue is deleted afterwards."""
    import uuid

    queue = f"forum-test-held-{uuid.uuid4().hex}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False  # _eager_celery restores it
    celery_app.conf.task_default_queue = queue

    def count() -> int:
        with celery_app.connection_for_write() as connection:
            return connection.default_channel.queue_declare(queue=queue).message_count

    yield count
    celery_app.conf.task_default_queue = previous
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_delete(queue=queue)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


def _restore_wagtail_roots() -> None:
    """Put back what Wagtail's migrations create (the default locale, the root page and the
    root collection): a transactional test empties every table when it ends."""
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def demo_site(transactional_db):
    """The demo forum for a test that commits (a live server, a real worker): transactional
    tests empty the database, so it is built again for each."""
    from cms.demo import build_demo

    _restore_wagtail_roots()
    return build_demo()


@pytest.fixture
def edition(db):
    from forum.models import Edition

    return Edition.objects.get(slug="2009-tokyo")


@pytest.fixture
def other_edition(db):
    from forum.models import Edition

    return Edition.objects.get(slug="2007-manila")
