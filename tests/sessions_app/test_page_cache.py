"""The page cache in front of the public programme (forum/pagecache.py): anonymous answers
served before routing without a query, replaced by a new release or an edited page, never shown
to a logged-in visitor; compressed answers that still answer conditional requests; query counts
of the uncached pages constant in the size of the programme."""

import datetime
import gzip

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Edition
from forum.pagecache import forget_local
from sessions_app.models import Session
from sessions_app.pages import ProgrammePage
from sessions_app.services.releases import publish_release
from tests.factories import UserFactory
from tests.factories.programme import (
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    add_speaker,
    local,
)

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/programme/"
CACHED = [
    BASE,
    "/ja" + BASE,
    BASE + "?track=fair-trade",
    BASE + "sessions/coffee-break/",
    BASE + "speakers/",
    BASE + "speakers/hiroshi-tanaka/",
    BASE + "schedule.ics",
    BASE + "schedule.xml",
    BASE + "schedule.json",
    BASE + "tracks/fair-trade.ics",
    BASE + "sessions/coffee-break.ics",
]


@pytest.mark.parametrize("path", CACHED)
def test_an_anonymous_answer_is_served_again_without_a_query(
    client, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]
    with django_assert_num_queries(0):
        not_modified = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304


def test_a_new_release_replaces_the_cached_page(client):
    client.get(BASE + "sessions/coffee-break/")
    assert client.get(BASE + "sessions/coffee-break/")["X-Page-Cache"] == "hit"
    session = Session.objects.get(edition__slug="2009-tokyo", slug="coffee-break")
    session.title = "Tea break"
    session.save()
    publish_release(edition=session.edition, title="v3")
    fresh = client.get(BASE + "sessions/coffee-break/")
    assert "X-Page-Cache" not in fresh
    assert "<h1>Tea break</h1>" in fresh.content.decode()
    assert client.get(BASE)  # and the programme page too
    assert "Tea break" in client.get(BASE).content.decode()


def test_a_later_release_leaves_the_pages_version_alone(client, django_assert_num_queries):
    """Only an edition's first release changes its menus (cms.signals.forget_public_sections):
    a later one replaces the programme's answers, not every route and header of the site."""
    from forum.pagecache import current_pages_version

    register = "/2009-tokyo/register/"
    client.get(register)
    version = current_pages_version()
    with CaptureQueriesContext(connection) as before:
        client.get(register)
    publish_release(edition=Edition.objects.get(slug="2009-tokyo"), title="v3")
    assert current_pages_version() == version
    with django_assert_num_queries(len(before)):  # routed and headed from the cache still
        client.get(register)


def test_an_edited_programme_page_replaces_the_cached_page(client):
    client.get(BASE)
    assert client.get(BASE)["X-Page-Cache"] == "hit"
    page = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    page.introduction = "<p>Bring a water bottle.</p>"
    page.save_revision().publish()
    fresh = client.get(BASE)
    assert "X-Page-Cache" not in fresh
    assert "Bring a water bottle." in fresh.content.decode()


def test_logged_in_visitors_never_get_the_anonymous_answer(client):
    client.get(BASE)
    client.get(BASE + "sessions/coffee-break/")
    client.force_login(UserFactory(username="kenji"))
    for path in (BASE, BASE + "sessions/coffee-break/"):
        page = client.get(path)
        assert "X-Page-Cache" not in page, path
        assert "ETag" not in page, path
    assert "Add to my programme" in client.get(BASE).content.decode()


def test_a_logged_in_page_is_never_stored_for_others(client):
    kenji = UserFactory(username="kenji")
    client.force_login(kenji)
    client.get(BASE)
    client.get(BASE + "sessions/coffee-break/")
    client.logout()
    for path in (BASE, BASE + "sessions/coffee-break/"):
        page = client.get(path)
        assert "X-Page-Cache" not in page, path
        assert "Add to my programme" not in page.content.decode(), path
        assert "My programme" not in page.content.decode(), path


def test_an_empty_filter_is_the_same_address(client):
    plain = client.get(BASE)
    empty = client.get(BASE + "?track=&q=")
    assert empty["X-Page-Cache"] == "hit"
    assert empty["ETag"] == plain["ETag"]


@pytest.mark.parametrize("warm", [False, True])
def test_compressed_answers_keep_their_validators(client, warm):
    if warm:
        client.get(BASE)
    zipped = client.get(BASE, HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert "Cookie" in zipped["Vary"]
    assert zipped["ETag"].startswith('W/"')
    body = gzip.decompress(zipped.content).decode()
    assert "<h1>Programme of AFSE 2009</h1>" in body
    for headers in ({"HTTP_ACCEPT_ENCODING": "gzip"}, {}):
        again = client.get(BASE, HTTP_IF_NONE_MATCH=zipped["ETag"], **headers)
        assert again.status_code == 304, headers
    plain = client.get(BASE)
    assert "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content


class _CountingReads:
    """Records the keys every cache read asks for (the page cache's reads go through
    get_many)."""

    def __init__(self, monkeypatch):
        self.keys: list[str] = []
        real = cache.get_many

        def get_many(keys, *args, **kwargs):
            self.keys.extend(keys)
            return real(keys, *args, **kwargs)

        monkeypatch.setattr(cache, "get_many", get_many)

    def bodies(self) -> list[str]:
        return [key.rsplit(":", 1)[1] for key in self.keys if key.endswith((":body", ":gzip"))]


def test_a_hit_reads_only_the_body_the_client_takes(client, monkeypatch):
    """Each body is read from the cache only by a process that does not hold it in memory
    (another web node, or this one after a restart: forget_local)."""
    path = BASE + "schedule.json"
    plain = client.get(path)
    forget_local()
    reads = _CountingReads(monkeypatch)
    zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["X-Page-Cache"] == "hit"
    assert gzip.decompress(zipped.content) == plain.content
    assert reads.bodies() == ["gzip"]
    reads.keys.clear()
    forget_local()
    again = client.get(path)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == plain.content
    assert reads.bodies() == ["body"]
    reads.keys.clear()
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=zipped["ETag"], HTTP_ACCEPT_ENCODING="gzip")
    assert not_modified.status_code == 304
    assert not_modified["X-Page-Cache"] == "hit"
    assert reads.bodies() == []


def test_a_body_this_process_holds_is_not_read_again(client, monkeypatch):
    path = BASE + "schedule.json"
    plain = client.get(path)  # rendered and stored: both bodies kept in memory too
    reads = _CountingReads(monkeypatch)
    for encoding in ("", "gzip", ""):
        answer = client.get(path, HTTP_ACCEPT_ENCODING=encoding)
        assert answer["X-Page-Cache"] == "hit"
        body = gzip.decompress(answer.content) if encoding else answer.content
        assert body == plain.content
    assert reads.bodies() == []
    assert reads.keys  # the record and the scope's version are still read, every time


def test_no_memory_for_bodies_reads_each_from_the_cache(client, monkeypatch, settings):
    """PAGE_CACHE_MEMORY_MB=0: nothing is kept in the process; every hit reads its body."""
    from forum import pagecache

    settings.PAGE_CACHE_MEMORY_MB = 0
    monkeypatch.setattr(pagecache, "_bodies", None)
    path = BASE + "schedule.json"
    plain = client.get(path)
    reads = _CountingReads(monkeypatch)
    again = client.get(path)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == plain.content
    assert reads.bodies() == ["body"]
    assert len(pagecache._local_bodies()) == 0


def test_a_body_another_process_replaced_is_never_sent_from_memory(client):
    """Another web node stored the answer again (a new token) after this one kept it: the
    record names the new token, so the body comes from the cache, not from memory."""
    from forum.pagecache import body_key, page_key

    path = BASE + "schedule.json"
    client.get(path)
    key = page_key(client.get(path).wsgi_request)
    record = cache.get(key)
    cache.set_many(
        {
            key: {**record, "token": "another-node", "gzip": False},
            body_key(key, False): ("another-node", b'{"from": "another node"}'),
        },
        timeout=None,
    )
    answer = client.get(path)
    assert answer["X-Page-Cache"] == "hit"
    assert answer.content == b'{"from": "another node"}'


def test_a_body_lost_or_replaced_is_rendered_again_never_mixed(client):
    from forum.pagecache import body_key, page_key

    path = BASE + "schedule.json"
    first = client.get(path)
    request = client.get(path).wsgi_request
    key = page_key(request)
    cache.delete(body_key(key, False))  # evicted
    forget_local()  # (as in another process, which never held it)
    fresh = client.get(path)
    assert "X-Page-Cache" not in fresh
    assert fresh.content == first.content
    assert client.get(path)["X-Page-Cache"] == "hit"  # and stored again
    # A body another request wrote beside an older record is not served with it.
    cache.set(body_key(key, False), ("another-token", b"{}"), timeout=None)
    forget_local()
    answer = client.get(path)
    assert "X-Page-Cache" not in answer
    assert answer.content == first.content


def test_exports_and_session_pages_are_compressed(client):
    for path in (BASE + "schedule.ics", BASE + "schedule.json", BASE + "sessions/coffee-break/"):
        for _ in range(2):  # rendered, then from the cache
            response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
            assert response["Content-Encoding"] == "gzip", path
            assert response["Vary"].count("Accept-Encoding") == 1, path


def test_the_cache_outage_still_answers(client, settings):
    cache.clear()
    assert client.get(BASE + "speakers/").status_code == 200


def _grow(tokyo: Edition, rooms: int, per_room: int) -> None:
    for r in range(rooms):
        room = RoomFactory(edition=tokyo, position=10 + r)
        for i in range(per_room):
            start = local(tokyo, 3, "16:00") + datetime.timedelta(minutes=15 * i)
            session = SessionFactory(
                edition=tokyo, room=room, start=start, end=start + datetime.timedelta(minutes=15)
            )
            add_speaker(session, SpeakerFactory(edition=tokyo))
    publish_release(edition=tokyo, title="grown")


@pytest.mark.parametrize(
    "path",
    [
        BASE,
        BASE + "?track=fair-trade",
        BASE + "sessions/coffee-break/",
        BASE + "speakers/",
        BASE + "speakers/hiroshi-tanaka/",
        BASE + "schedule.ics",
    ],
)
def test_uncached_pages_make_as_many_queries_at_any_size(client, path):
    def queries() -> int:
        cache.clear()
        forget_local()  # (and this process's copies of page data: wholly cold)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    tokyo = Edition.objects.get(slug="2009-tokyo")
    small = queries()
    _grow(tokyo, rooms=4, per_room=10)
    assert queries() == small


def test_publishing_warms_the_programme_page_in_every_language(
    client, django_capture_on_commit_callbacks, django_assert_num_queries, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "testserver"]
    settings.SITE_URL = "http://testserver"
    session = Session.objects.get(edition__slug="2009-tokyo", slug="coffee-break")
    session.title = "Tea break"
    session.title_ja = "お茶の時間"
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish_release(edition=session.edition, title="v3")
    for path, title in ((BASE, "Tea break"), ("/ja" + BASE, "お茶の時間")):
        with django_assert_num_queries(0):
            page = client.get(path)
        assert page["X-Page-Cache"] == "hit", path
        assert title in page.content.decode(), path


def test_after_a_cache_flush_pages_are_not_routed_again(client, django_assert_max_num_queries):
    """A Redis flushed or restarted: the pages version comes back from the database, so the
    routes and header data this process holds stay valid; the page is rendered again (its
    stored answer is gone) without walking the page tree."""
    path = BASE + "speakers/"
    cold = client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(path)
    assert again.content == cold.content
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "forum_cacheversion" in sql
    # Not routed (no view restrictions looked up), no header data looked up; only Wagtail's
    # own site root paths are read again (2 queries).
    assert "wagtailcore_pageviewrestriction" not in sql
    forget_local()
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(path)
    assert len(captured) <= len(cold) - 10
    with django_assert_max_num_queries(8):
        cache.clear()
        client.get(path)


def test_a_page_changed_then_the_cache_flushed_is_never_shown_stale(client):
    """The copies a process holds are keyed on the pages version: a page published moves it
    in the database as well, so a flush afterwards cannot bring the old version back."""
    path = BASE + "speakers/"
    assert "AFSE Tokyo, renamed" not in client.get(path).content.decode()
    programme = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    edition_page = programme.get_parent().specific
    edition_page.title = "AFSE Tokyo, renamed"
    edition_page.save_revision().publish()
    cache.clear()
    assert "AFSE Tokyo, renamed" in client.get(path).content.decode()


def test_a_page_changed_while_redis_was_away_is_shown_once_its_copy_expires(client, monkeypatch):
    """The cache's copy of the pages version lives PAGES_TIMEOUT: a change it missed (Redis
    unreachable when the page was published) shows when the copy is read again from the
    database."""
    from forum.models import CacheVersion
    from forum.pagecache import PAGES_KEY, PAGES_TIMEOUT, bump_pages_version

    assert 0 < PAGES_TIMEOUT <= 600
    client.get(BASE + "speakers/")
    before = cache.get(PAGES_KEY)
    assert before == CacheVersion.objects.get(name="pages").value
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: None)  # Redis away
    bump_pages_version()
    monkeypatch.undo()
    assert cache.get(PAGES_KEY) == before  # the cache missed it
    cache.delete(PAGES_KEY)  # its copy expired
    client.get(BASE + "speakers/")
    assert cache.get(PAGES_KEY) == CacheVersion.objects.get(name="pages").value != before
