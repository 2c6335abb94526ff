"""The public programme: only published releases, in the edition's time zone, cached exports
that answer conditional requests."""

import copy
import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Edition
from sessions_app.models import Session
from sessions_app.programme import MAX_GRID_ROWS, Programme
from sessions_app.selectors import latest_release
from sessions_app.services.releases import publish_release
from tests.factories.programme import RoomFactory, SessionFactory, local

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/programme/"


def html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_programme_shows_the_latest_release_in_local_time(client):
    page = html(client, BASE)
    assert "<h1>Programme of AFSE 2009</h1>" in page
    assert "All times are local (Asia/Tokyo)." in page
    assert '<time datetime="2009-11-07T09:30:00+09:00">09:30</time>' in page
    assert "Ethics in cooperative finance" in page  # new in v2
    assert "Published programme: v2 — room changes" in page


def test_the_working_draft_is_never_public(client):
    session = Session.objects.get(edition__slug="2009-tokyo", slug="a-solidarity-tax-levy")
    session.title = "Unpublished new title"
    session.save()
    assert "Unpublished new title" not in html(client, BASE)
    assert "Draft: youth and the SSE" not in html(client, BASE)
    response = client.get(BASE + "sessions/draft-youth-and-the-sse/")
    assert response.status_code == 404


def test_cancelled_sessions_stay_visible_and_marked(client):
    page = html(client, BASE + "sessions/side-event-cooperative-film-evening/")
    assert "This session is cancelled." in page


def test_grid_has_rooms_as_columns_and_a_list_for_phones(client):
    page = html(client, BASE)
    assert (
        '<div class="programme-grid__room pg-r1 pg-c2" aria-hidden="true">Main Hall</div>' in page
    )
    # 09:30 to 11:00 in 5-minute rows, under the header row.
    assert (
        '<div class="programme-grid__session pg-r2 pg-s18 pg-c2" '
        'data-session="solidarity-economy-from-the-asian-perspective">'
    ) in page
    assert '<ol class="programme-list">' in page
    assert "style=" not in page


def test_grid_rows_are_proportional_to_time_with_labels_at_each_half_hour():
    release = latest_release(Edition.objects.get(slug="2009-tokyo"))
    first_day = Programme(release.snapshot).days()[0]
    assert [(r.room["name"], r.column) for r in first_day.rooms] == [
        ("Main Hall", 2),
        ("Room A", 3),
        ("Room B", 4),
    ]
    assert [(p.session.slug, p.row, p.span, p.column) for p in first_day.placements] == [
        ("solidarity-economy-from-the-asian-perspective", 2, 18, 2),  # 09:30-11:00
        ("coffee-break", 20, 6, 2),  # 11:00-11:30
        ("socially-responsible-investment-in-asia", 26, 18, 3),  # 11:30-13:00
        ("fair-trade-from-producer-to-consumer", 26, 18, 4),
        ("micro-finance-and-npo-banks", 62, 18, 3),  # 14:30-16:00
        ("a-solidarity-tax-levy", 62, 18, 4),
    ]
    labels = [(f"{label.time:%H:%M}", label.row, label.span) for label in first_day.labels]
    assert labels[:4] == [("09:30", 2, 6), ("10:00", 8, 6), ("10:30", 14, 6), ("11:00", 20, 6)]
    assert labels[-1] == ("15:30", 74, 6)
    assert first_day.placements[2].css_class == "pg-r26 pg-s18 pg-c3"
    assert ("11:30", 26, 6) in labels  # the label of 11:30 is on the row where 11:30 starts


def test_grid_rows_follow_odd_starts_and_every_class_exists_in_the_stylesheet():
    release = latest_release(Edition.objects.get(slug="2009-tokyo"))
    snapshot = copy.deepcopy(release.snapshot)
    odd = next(s for s in snapshot["sessions"] if s["slug"] == "coffee-break")
    odd["start"], odd["end"] = "2009-11-07T11:05:00+09:00", "2009-11-07T11:22:00+09:00"
    day = Programme(snapshot).days()[0]
    placement = next(p for p in day.placements if p.session.slug == "coffee-break")
    assert (placement.row, placement.span) == (21, 4)  # 11:05 to 11:25, the end rounded up
    stylesheet = (settings.BASE_DIR / "static" / "css" / "programme-grid.css").read_text()
    for name in ("pg-r1", f"pg-r{MAX_GRID_ROWS + 1}", f"pg-s{MAX_GRID_ROWS}", "pg-c1", "pg-c40"):
        assert f".{name} {{" in stylesheet


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("?track=fair-trade", "Fair trade from producer to consumer", "A solidarity tax levy"),
        ("?type=visit", "Fact-finding visit: workers", "Coffee break"),
        ("?language=ko", "Solidarity Economy from the Asian Perspective", "Coffee break"),
        ("?q=田中", "Micro-finance and NPO banks", "Coffee break"),
    ],
)
def test_filters_narrow_the_programme(client, query, present, absent):
    page = html(client, BASE + query)
    assert present in page
    assert absent not in page


def test_a_filter_matching_nothing_says_so(client):
    assert "No session matches these filters." in html(client, BASE + "?q=zzzz")


def test_an_overlong_filter_is_a_400(client):
    assert client.get(BASE, {"q": "x" * 201}).status_code == 400


def test_session_page_has_speakers_room_time_and_calendar_link(client):
    page = html(client, BASE + "sessions/micro-finance-and-npo-banks/")
    assert "<h1>Micro-finance and NPO banks</h1>" in page
    assert 'href="/2009-tokyo/programme/speakers/hiroshi-tanaka/">Hiroshi Tanaka</a>' in page
    assert '<span lang="ja">田中 博</span>' in page
    assert "Saturday 7 November 2009, 14:30" in page
    assert 'href="/2009-tokyo/programme/sessions/micro-finance-and-npo-banks.ics"' in page


def test_visit_page_shows_meeting_point_and_transport(client):
    page = html(client, BASE + "sessions/fact-finding-visit-workers-cooperatives-in-tama/")
    assert "Main entrance, 08:45" in page
    assert "Chartered bus; lunch provided." in page


def test_speaker_index_and_page(client):
    index = html(client, BASE + "speakers/")
    assert '<span lang="ko">김민정</span>' in index
    page = html(client, BASE + "speakers/kim-min-jung/")
    assert "Public policy and legislation for the SSE" in page
    assert client.get(BASE + "speakers/nobody/").status_code == 404


def test_now_and_next_during_the_event(client):
    page = html(client, BASE + "now/?at=2009-11-07T10:00")
    now = page[page.index("Happening now") : page.index("Coming up")]
    assert "Solidarity Economy from the Asian Perspective" in now
    assert "Coffee break" in page[page.index("Coming up") :]
    assert client.get(BASE + "now/?at=yesterday").status_code == 400


def test_changelog_lists_what_moved_was_cancelled_and_is_new(client):
    page = html(client, BASE + "changes/")
    v2 = page[page.index("v2 — room changes") : page.index('id="release-1"')]
    assert "A solidarity tax levy" in v2[v2.index("Moved") :]
    assert "Side event: cooperative film evening" in v2[v2.index("Cancelled") :]
    assert "Ethics in cooperative finance" in v2[v2.index("New") :]
    assert "The first published programme: 14 sessions." in page


def test_an_edition_without_a_release_has_no_programme_and_no_exports(client):
    for path in (
        "/2007-manila/programme/",
        "/2007-manila/programme/schedule.ics",
        "/2007-manila/programme/schedule.xml",
        "/2007-manila/programme/programme.pdf",
    ):
        assert client.get(path).status_code == 404, path


def test_edition_page_links_to_its_programme_once_published(client):
    assert 'href="/2009-tokyo/programme/"' in html(client, "/2009-tokyo/")
    assert 'href="/2007-manila/programme/"' not in html(client, "/2007-manila/")


def test_japanese_programme_is_served_under_ja(client):
    page = html(client, "/ja/2009-tokyo/programme/")
    assert '<html lang="ja">' in page
    assert "/ja/2009-tokyo/programme/sessions/" in page


def test_user_text_in_a_session_title_is_escaped(client):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    session = Session.objects.get(edition=tokyo, slug="coffee-break")
    session.title = '<script>alert("x")</script> & tea'
    session.save()
    publish_release(edition=tokyo, title="v3")
    page = html(client, BASE)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; tea" in page


def test_exports_answer_with_etag_and_304(client):
    response = client.get(BASE + "schedule.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    etag, modified = response["ETag"], response["Last-Modified"]
    again = client.get(BASE + "schedule.ics", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(BASE + "schedule.ics", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304


def test_a_new_release_replaces_the_cached_exports(client):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    first = client.get(BASE + "schedule.ics")
    session = Session.objects.get(edition=tokyo, slug="coffee-break")
    session.title = "Tea break"
    session.save()
    publish_release(edition=tokyo, title="v3")
    second = client.get(BASE + "schedule.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert b"SUMMARY:Tea break" in second.content


def test_publishing_warms_the_cache_for_every_language(django_capture_on_commit_callbacks):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        release = publish_release(edition=tokyo, title="v3")
    # One callback warms the cache and tells other apps (registration's session notices).
    assert len(callbacks) == 1
    from sessions_app.caching import release_cache_key

    for language in ("en", "ja"):
        assert cache.get(release_cache_key(release, "schedule.ics", language)) is not None


def test_feeds_per_session_speaker_track_and_room(client):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    room = tokyo.rooms.get(name="Room C")
    for path in (
        "sessions/coffee-break.ics",
        "speakers/hiroshi-tanaka.ics",
        "tracks/fair-trade.ics",
        f"rooms/{room.pk}.ics",
    ):
        response = client.get(BASE + path)
        assert response.status_code == 200, path
        assert response.content.startswith(b"BEGIN:VCALENDAR"), path
    for path in ("sessions/nope.ics", "speakers/nobody.ics", "tracks/none.ics", "rooms/999999.ics"):
        assert client.get(BASE + path).status_code == 404, path


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_programme_page_queries_do_not_grow_with_the_programme(client, who):
    """Measured on the rendering path (a participant's page, or a filtered one), not the
    anonymous cache."""
    from tests.factories import UserFactory

    if who == "participant":
        client.force_login(UserFactory(username="mei"))
        path = BASE
    else:
        path = BASE + "?language=en"
    tokyo = Edition.objects.get(slug="2009-tokyo")
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    for r in range(4):
        room = RoomFactory(edition=tokyo, position=10 + r)
        for i in range(10):
            start = local(tokyo, 3, "16:00") + datetime.timedelta(minutes=15 * i)
            SessionFactory(
                edition=tokyo, room=room, start=start, end=start + datetime.timedelta(minutes=15)
            )
    release = publish_release(edition=tokyo, title="v3")
    assert len(release.snapshot["sessions"]) == 55
    client.get(path)
    with CaptureQueriesContext(connection) as large:
        response = client.get(path)
    assert response.content.decode().count('class="session-card') > 2 * 40
    assert len(large) == len(small)


def test_a_malformed_session_in_a_snapshot_does_not_break_the_page(client):
    from sessions_app.models import Release

    release = Release.objects.get(edition__slug="2009-tokyo", number=2)
    release.snapshot["sessions"][0]["room_id"] = 999999
    release.snapshot["sessions"][1]["start"] = "not a time"
    release.save()
    page = html(client, BASE)
    assert "Ethics in cooperative finance" in page
    assert "Solidarity Economy from the Asian Perspective" not in page


def test_speaker_page_shows_the_photo_when_there_is_one(client):
    from wagtail.images import get_image_model

    from sessions_app.models import Speaker

    photo = get_image_model().objects.get(title="AFSE 2009 banner")
    speaker = Speaker.objects.get(edition__slug="2009-tokyo", slug="hiroshi-tanaka")
    speaker.photo = photo
    speaker.save()
    publish_release(edition=speaker.edition, title="v3")
    page = html(client, BASE + "speakers/hiroshi-tanaka/")
    assert 'alt="Hiroshi Tanaka"' in page
    assert 'class="speaker-photo"' in page


def test_the_anonymous_programme_page_is_cached_and_answers_304(client):
    first = client.get(BASE)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get(BASE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    tokyo = Edition.objects.get(slug="2009-tokyo")
    session = Session.objects.get(edition=tokyo, slug="coffee-break")
    session.title = "Tea break"
    session.save()
    publish_release(edition=tokyo, title="v3")
    fresh = client.get(BASE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200
    assert "Tea break" in fresh.content.decode()


def test_logged_in_visitors_get_their_own_uncached_page(client):
    from tests.factories import UserFactory

    client.get(BASE)  # fills the anonymous cache
    client.force_login(UserFactory(username="kenji"))
    page = client.get(BASE)
    assert "Cache-Control" not in page
    assert "Add to my programme" in page.content.decode()
