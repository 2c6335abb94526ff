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
