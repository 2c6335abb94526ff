"""Organizers' programme content in several languages: translations in the release snapshot,
read per language by the pages and the exports, with the source shown (and marked) where a
translation is missing."""

# ruff: noqa: RUF001 - Japanese text and its full-width punctuation

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from forum.models import Edition
from sessions_app.models import Session
from sessions_app.selectors import latest_release
from sessions_app.services.releases import build_snapshot, publish_release
from sessions_app.services.snapshot_i18n import localize
from tests.factories.programme import RoomFactory, SessionFactory, TrackFactory, local

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/programme/"
KEYNOTE = "solidarity-economy-from-the-asian-perspective"
UNTRANSLATED = "ethics-in-cooperative-finance"


def html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _row(snapshot: dict, slug: str) -> dict:
    return next(row for row in snapshot["sessions"] if row["slug"] == slug)


def test_the_snapshot_keeps_the_source_and_only_the_translations_that_exist():
    snapshot = latest_release(Edition.objects.get(slug="2009-tokyo")).snapshot
    keynote = _row(snapshot, KEYNOTE)
    assert keynote["title"] == "Solidarity Economy from the Asian Perspective"
    assert keynote["i18n"]["ja"]["title"] == "アジアの視点から見た連帯経済"
    assert keynote["i18n"]["ko"]["title"] == "아시아의 관점에서 본 연대경제"
    assert keynote["i18n"]["id"] == {"title": "Ekonomi Solidaritas dari Perspektif Asia"}
    assert "meeting_point" not in keynote["i18n"]["ja"]
    assert _row(snapshot, UNTRANSLATED)["i18n"] == {}
    main_hall = next(room for room in snapshot["rooms"] if room["name"] == "Main Hall")
    assert main_hall["i18n"]["ko"] == {"name": "메인 홀"}


def test_localize_puts_translations_in_place_and_names_the_fallbacks():
    snapshot = {
        "sessions": [
            {
                "title": "Opening",
                "abstract": "<p>Welcome.</p>",
                "meeting_point": "",
                "transport_notes": "",
                "i18n": {"ja": {"title": "開会"}},
            }
        ],
        "rooms": [{"name": "Hall", "accessibility_notes": "", "i18n": {}}],
        "tracks": [],
    }
    ja = localize(snapshot, "ja")
    assert ja["sessions"][0]["title"] == "開会"
    assert ja["sessions"][0]["abstract"] == "<p>Welcome.</p>"
    assert ja["sessions"][0]["fallback"] == ["abstract"]
    assert ja["rooms"][0]["fallback"] == ["name"]
    assert localize(snapshot, "en")["sessions"][0]["fallback"] == []
    assert localize(snapshot, "ko")["sessions"][0]["title"] == "Opening"
    # The snapshot given (perhaps a cached one) is left as it was.
    assert snapshot["sessions"][0]["title"] == "Opening"
    assert "fallback" not in snapshot["sessions"][0]


def test_a_snapshot_from_before_translations_reads_as_the_source():
    old = {"sessions": [{"title": "Opening", "abstract": ""}], "rooms": [], "tracks": []}
    assert localize(old, "ja")["sessions"][0]["title"] == "Opening"
    assert localize(old, "ja")["sessions"][0]["fallback"] == ["title"]


def test_publishing_from_a_japanese_admin_freezes_the_source_text():
    tokyo = Edition.objects.get(slug="2009-tokyo")
    with translation.override("ja"):
        snapshot = build_snapshot(tokyo)
    assert _row(snapshot, KEYNOTE)["title"] == "Solidarity Economy from the Asian Perspective"
    assert _row(snapshot, KEYNOTE)["i18n"]["ja"]["title"] == "アジアの視点から見た連帯経済"


def test_a_new_translation_is_a_new_version_of_the_event():
    tokyo = Edition.objects.get(slug="2009-tokyo")
    before = _row(latest_release(tokyo).snapshot, UNTRANSLATED)["sequence"]
    publish_release(edition=tokyo, title="v3")
    assert _row(latest_release(tokyo).snapshot, UNTRANSLATED)["sequence"] == before
    Session.objects.filter(slug=UNTRANSLATED).update(title_ja="協同組合金融の倫理")
    publish_release(edition=tokyo, title="v4")
    row = _row(latest_release(tokyo).snapshot, UNTRANSLATED)
    assert row["sequence"] == before + 1
    assert row["i18n"] == {"ja": {"title": "協同組合金融の倫理"}}


def test_the_japanese_programme_shows_translations_and_marks_the_source(client):
    page = html(client, "/ja" + BASE)
    assert ">アジアの視点から見た連帯経済</a>" in page
    assert "Solidarity Economy from the Asian Perspective" not in page
    assert "メインホール" in page
    assert "社会的金融" in page
    # Not translated: in English, marked as such for screen readers and fonts.
    assert '<span lang="en">Ethics in cooperative finance</span>' in page
    assert '<small class="source-note visually-hidden" lang="ja">（英語）</small>' in page


def test_the_korean_programme_shows_korean_where_there_is_some(client):
    page = html(client, "/ko" + BASE)
    assert ">아시아의 관점에서 본 연대경제</a>" in page
    assert "메인 홀" in page
    assert '<span lang="en">A solidarity tax levy</span>' in page
    assert '<small class="source-note visually-hidden" lang="ko">(영어)</small>' in page


def test_the_english_programme_is_unchanged(client):
    page = html(client, BASE + "?language=en")
    assert ">Solidarity Economy from the Asian Perspective</a>" in page
    assert 'lang="en">' not in page.split("<main", 1)[1]
    assert "アジアの視点" not in page


def test_a_session_page_in_japanese(client):
    page = html(client, "/ja" + BASE + "sessions/fact-finding-visit-workers-cooperatives-in-tama/")
    assert "<h1>視察：多摩のワーカーズコープ</h1>" in page
    assert "正面入口、8時45分" in page
    assert "貸切バス、昼食付き。" in page
    assert "会場外" in page
    assert "2009年11月8日(日) 9:00" in page


def test_a_session_page_marks_an_untranslated_abstract(client):
    page = html(client, "/ja" + BASE + "sessions/a-solidarity-tax-levy/")
    assert "<h1>連帯税</h1>" in page
    assert '<div class="rich-text" lang="en">' in page
    assert '<small class="source-note" lang="ja">（英語）</small>' in page


def test_the_calendar_feed_is_in_the_readers_language(client):
    body = client.get("/ja" + BASE + "schedule.ics").content.decode()
    assert "SUMMARY:アジアの視点から見た連帯経済" in body
    assert "SUMMARY;LANGUAGE=en:Ethics in cooperative finance" in body
    english = client.get(BASE + "schedule.ics").content.decode()
    assert "SUMMARY:Solidarity Economy from the Asian Perspective" in english
    assert "LANGUAGE=" not in english


def test_frab_exports_carry_translated_content(client):
    xml = client.get("/ko" + BASE + "schedule.xml").content.decode()
    assert "<title>아시아의 관점에서 본 연대경제</title>" in xml
    assert "<room>메인 홀</room>" in xml
    data = json.loads(client.get("/ja" + BASE + "schedule.json").content)
    titles = {
        event["title"]
        for day in data["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    }
    assert "アジアの視点から見た連帯経済" in titles
    assert "Ethics in cooperative finance" in titles


def _translated_programme(edition: Edition, sessions: int) -> None:
    Session.objects.filter(edition=edition).delete()
    track = TrackFactory(edition=edition, name="Finance", name_ja="金融", name_ko="금융")
    room = RoomFactory(
        edition=edition, position=20, name=f"Hall {sessions}", name_ja=f"ホール{sessions}"
    )
    for i in range(sessions):
        start = local(edition, 0, "08:00") + datetime.timedelta(minutes=15 * i)
        SessionFactory(
            edition=edition,
            room=room,
            track=track,
            start=start,
            end=start + datetime.timedelta(minutes=15),
            title_ja=f"セッション {i}",
            title_ko=f"세션 {i}",
            abstract_ja="<p>要旨</p>",
        )
    publish_release(edition=edition, title=f"{sessions} sessions")


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_programme_queries_do_not_grow_with_translations(client, language):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="mei"))  # the rendering path, not the cache
    path = f"/{language}{BASE}"
    tokyo = Edition.objects.get(slug="2009-tokyo")
    _translated_programme(tokyo, 5)
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    _translated_programme(tokyo, 40)
    client.get(path)
    with CaptureQueriesContext(connection) as large:
        page = client.get(path).content.decode()
    assert page.count("セッション 39" if language == "ja" else "세션 39") >= 1
    assert len(large) == len(small)
