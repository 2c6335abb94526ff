"""The test suite's own machinery: each xdist worker's Redis databases, and the copy of the demo
forum put back after each transactional test."""

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection

from forum.celery import app as celery_app
from forum.models import Edition
from tests.demo_snapshot import TableSnapshot
from tests.xdist_workers import (
    pytest_xdist_setupnodes,
    redis_db,
    worker_environment,
    worker_redis_urls,
)


def test_each_worker_moves_broker_and_cache_up_by_their_span():
    broker, cache = "redis://127.0.0.1:6379/1", "redis://127.0.0.1:6379/2"
    assert worker_redis_urls(broker, cache, 0) == (broker, cache)
    assert worker_redis_urls(broker, cache, 1) == (
        "redis://127.0.0.1:6379/3",
        "redis://127.0.0.1:6379/4",
    )
    # A cache in the broker's database stays there; no database named means 0.
    assert worker_redis_urls("redis://r:6379", "redis://r:6379", 2) == (
        "redis://r:6379/2",
        "redis://r:6379/2",
    )
    assert redis_db("redis://:secret@r:6380/7") == 7


def test_a_worker_past_the_last_redis_database_is_refused():
    with pytest.raises(ValueError, match="Redis database 16"):
        worker_redis_urls("redis://r/1", "redis://r/2", 7)


def test_the_controller_gives_each_worker_its_databases_before_it_starts():
    import execnet

    specs = [execnet.XSpec("popen"), execnet.XSpec("popen")]
    for number, spec in enumerate(specs):
        spec.id = f"gw{number}"
    environ = {"REDIS_URL": "redis://r/1", "REDIS_CACHE_URL": "redis://r/2"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("os.environ", environ)
        pytest_xdist_setupnodes(config=None, specs=specs)
    assert [spec.env for spec in specs] == [
        {"REDIS_URL": "redis://r/1", "REDIS_CACHE_URL": "redis://r/2"},
        {"REDIS_URL": "redis://r/3", "REDIS_CACHE_URL": "redis://r/4"},
    ]
    # Without REDIS_CACHE_URL the cache shares the broker's database (as in settings.py).
    assert worker_environment({"REDIS_URL": "redis://r/1"}, "gw1") == {
        "REDIS_URL": "redis://r/2",
        "REDIS_CACHE_URL": "redis://r/2",
    }
    assert worker_environment({}, "gw1") == {}


def test_this_process_uses_the_redis_databases_of_its_worker(worker_id):
    if worker_id == "master" or not settings.REDIS_URL:
        pytest.skip("runs in a pytest-xdist worker, with Redis")
    assert os.environ["REDIS_URL"] == settings.REDIS_URL == settings.CELERY_BROKER_URL
    assert celery_app.conf.broker_url == settings.REDIS_URL
    assert settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_CACHE_URL"]


def test_the_copy_of_the_tables_is_put_back_whole(transactional_db):
    editions = sorted(Edition.objects.values_list("slug", "name"))
    memberships = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    assert memberships  # the demo's organizers are in their editions' groups
    snapshot = TableSnapshot.take(connection)
    Edition.objects.update(name="Renamed")
    Group.objects.all().delete()  # and every membership with them
    created = Group.objects.create(name="Made by the test")

    snapshot.restore(connection)

    assert sorted(Edition.objects.values_list("slug", "name")) == editions
    assert sorted(User.groups.through.objects.values_list("user_id", "group_id")) == memberships
    assert not Group.objects.filter(name="Made by the test").exists()
    # The sequences are back too: the next group gets the number the test's had.
    assert Group.objects.create(name="Made again").pk == created.pk
