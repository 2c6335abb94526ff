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
from tests.xdist_workers import pytest_xdist_setupnodes  # noqa: F401 (a hook: registered here)

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
    """Load the demo forum once into the test database (once per xdist worker, each on its own
    database); each test rolls back its changes, and a transactional test, which commits, has
    the tables put back as the demo left them when it ends (instead of emptied)."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.test import TransactionTestCase

    from demo.build import build_demo
    from tests.demo_snapshot import TableSnapshot

    with django_db_blocker.unblock():
        report = build_demo()
        snapshot = TableSnapshot.take(connections[DEFAULT_DB_ALIAS])
    flush = TransactionTestCase._fixture_teardown

    def restore_the_demo(test_case):
        databases = test_case._databases_names(include_mirrors=False)
        if test_case.available_apps is not None or list(databases) != [DEFAULT_DB_ALIAS]:
            return flush(test_case)
        snapshot.restore(connections[DEFAULT_DB_ALIAS])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", restore_the_demo)
        yield report


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
def _source_language():
    """Each test starts in English, whatever language an earlier request left active: writing
    a translated field (`session.title = …`) writes the active language's text (organizers'
    content in several languages, django-modeltranslation), and English is the source."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from forum.pagecache import forget_local
    from sessions_app.selectors import forget_programmes

    cache.clear()
    forget_local()
    forget_programmes()


@pytest.fixture
def demo_site(transactional_db, django_db_setup):
    """The demo forum for a test that commits (a live server, a real worker): the session's,
    put back when the test ends."""
    return django_db_setup


@pytest.fixture
def edition(db):
    from forum.models import Edition

    return Edition.objects.get(slug="2009-tokyo")


@pytest.fixture
def other_edition(db):
    from forum.models import Edition

    return Edition.objects.get(slug="2007-manila")
