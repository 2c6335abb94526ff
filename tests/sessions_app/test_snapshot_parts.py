"""The typed snapshot (sessions_app/snapshot.py) and the release parts that the pages of one
session, one speaker and the speaker index read instead of the whole snapshot."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from forum.models import Edition
from sessions_app.models import ReleasePart
from sessions_app.selectors import latest_release
from sessions_app.services.releases import publish_release
from sessions_app.snapshot import (
    PART_SESSION,
    PART_SPEAKER,
    PART_SPEAKERS,
    Snapshot,
    SnapshotSession,
    release_parts,
)
from tests.factories.programme import RoomFactory, SessionFactory, local

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/programme/"
SESSION = "a-solidarity-tax-levy"


def test_snapshot_is_read_into_typed_rows_in_one_language():
    release = latest_release(Edition.objects.get(slug="2009-tokyo"))
    snapshot = Snapshot.read(release.snapshot, "ja")
    assert snapshot.language == "ja"
    assert snapshot.edition.time_zone == "Asia/Tokyo"
    session = next(s for s in snapshot.sessions if s.slug == SESSION)
    assert isinstance(session, SnapshotSession)
    assert session.start_at.tzinfo is not None
    assert all(isinstance(link.id, int) for link in session.speakers)
    # The mapping view stays for readers not moved yet (the printed book).
    assert session["title"] == session.title
    assert session.get("nothing", "-") == "-"
    # Unknown keys of a later format are ignored; missing ones take their default.
    row = SnapshotSession.from_dict({"slug": "x", "later_field": 1})
    assert (row.slug, row.speakers, row.fallback) == ("x", [], [])
    # Reading a Snapshot again returns it as it is.
    assert Snapshot.read(snapshot, "en") is snapshot


def test_publishing_cuts_one_part_per_session_and_speaker_and_the_index():
    release = latest_release(Edition.objects.get(slug="2009-tokyo"))
    snapshot = release.snapshot
    kinds = dict.fromkeys((PART_SESSION, PART_SPEAKER, PART_SPEAKERS), 0)
    for kind in ReleasePart.objects.filter(release=release).values_list("kind", flat=True):
        kinds[kind] += 1
    assert kinds == {
        PART_SESSION: len(snapshot["sessions"]),
        PART_SPEAKER: len(snapshot["speakers"]),
        PART_SPEAKERS: 1,
    }
    part = ReleasePart.objects.get(release=release, kind=PART_SESSION, slug=SESSION).data
    row = next(s for s in snapshot["sessions"] if s["slug"] == SESSION)
    assert part["sessions"] == [row]
    assert {s["id"] for s in part["speakers"]} == {link["id"] for link in row["speakers"]}
    assert [r["id"] for r in part["rooms"]] == [row["room_id"]]
    assert part["edition"] == snapshot["edition"]
    # The index holds only what it shows of each speaker.
    index = ReleasePart.objects.get(release=release, kind=PART_SPEAKERS).data
    assert "bio" not in index["speakers"][0]
    assert len(release_parts(snapshot)) == sum(kinds.values())


def test_session_page_reads_its_part_not_the_snapshot(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BASE + f"sessions/{SESSION}/")
    assert response.status_code == 200
    assert "A solidarity tax levy" in response.content.decode()
    reads = [q["sql"] for q in queries if "sessions_app_release" in q["sql"]]
    assert not any('"snapshot"' in sql and "releasepart" not in sql for sql in reads), reads


def test_session_page_in_japanese_uses_the_translations(client):
    with translation.override("ja"):
        response = client.get("/ja" + BASE + f"sessions/{SESSION}/")
    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()


def test_unknown_session_and_speaker_are_404(client):
    assert client.get(BASE + "sessions/no-such-session/").status_code == 404
    assert client.get(BASE + "speakers/no-such-speaker/").status_code == 404


@pytest.mark.parametrize("path", [f"sessions/{SESSION}/", "speakers/", "speakers/claire-dubois/"])
def test_session_and_speaker_pages_queries_do_not_grow_with_the_programme(client, path):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    client.get(BASE + path)
    from django.core.cache import cache

    cache.clear()
    client.get(BASE + path)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(BASE + path).status_code == 200
    for r in range(4):
        room = RoomFactory(edition=tokyo, position=10 + r)
        for i in range(10):
            start = local(tokyo, 3, "16:00") + datetime.timedelta(minutes=15 * i)
            SessionFactory(
                edition=tokyo, room=room, start=start, end=start + datetime.timedelta(minutes=15)
            )
    release = publish_release(edition=tokyo, title="v3")
    assert len(release.snapshot["sessions"]) == 55
    cache.clear()
    client.get(BASE + path)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(BASE + path).status_code == 200
    assert len(large) == len(small)


def test_a_release_without_parts_is_read_from_its_snapshot(client):
    release = latest_release(Edition.objects.get(slug="2009-tokyo"))
    ReleasePart.objects.filter(release=release).delete()
    response = client.get(BASE + f"sessions/{SESSION}/")
    assert response.status_code == 200
    assert "A solidarity tax levy" in response.content.decode()
    assert client.get(BASE + "speakers/").status_code == 200
    assert client.get(BASE + "sessions/no-such-session/").status_code == 404
