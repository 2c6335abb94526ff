"""The programme's exports: frab XML and JSON valid against the c3voc schemas, an iCalendar feed
that passes the RFC 5545 checks of the specifications' README (FORUM_SPECS_DIR), stable
identifiers across releases."""

import copy
import datetime
import json
import re
import uuid
import zoneinfo
from urllib.parse import urlsplit

import jsonschema
import pytest
from icalendar import Calendar
from lxml import etree

from sessions_app.exporters import EXPORTS
from sessions_app.exporters.frab import (
    SPEAKER_GUID_NAMESPACE,
    event_slug,
    render_frab_json,
    render_frab_xml,
)
from sessions_app.exporters.ical import html_to_text, render_ical, select_sessions
from sessions_app.models import Release
from sessions_app.snapshot import Snapshot
from tests.conftest import spec_file

BASE = "http://127.0.0.1:8000"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
MOVED = "a-solidarity-tax-levy"
CANCELLED = "side-event-cooperative-film-evening"
ADDED = "ethics-in-cooperative-finance"
V1_TITLES = [
    "Solidarity Economy from the Asian Perspective",
    "Coffee break",
    "Socially responsible investment in Asia",
    "Fair trade from producer to consumer",
    "Micro-finance and NPO banks",
    "A solidarity tax levy",
    "Fact-finding visit: workers' cooperatives in Tama",
    "Social welfare for the elderly and the unemployed",
    "Social performance management",
    "Public policy and legislation for the SSE",
    "Local and grassroots development",
    "Side event: cooperative film evening",
    "Presentation of the draft statement of commitment",
    "Adoption of the statement and closing",
]


# --- Fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def xml_schema():
    return etree.XMLSchema(etree.parse(str(spec_file("frab-schedule.xsd"))))


@pytest.fixture(scope="module")
def json_schema():
    return json.loads(spec_file("frab-schedule.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def release1(db):
    return Release.objects.get(edition__slug="2009-tokyo", number=1)


@pytest.fixture
def release2(db):
    return Release.objects.get(edition__slug="2009-tokyo", number=2)


@pytest.fixture
def snapshot(release2):
    """A copy of release 2's snapshot that a test may change."""
    return copy.deepcopy(release2.snapshot)


def find(snapshot: dict, slug: str) -> dict:
    return next(s for s in snapshot["sessions"] if s["slug"] == slug)


def speaker(snapshot: dict, slug: str) -> dict:
    return next(p for p in snapshot["speakers"] if p["slug"] == slug)


def room_id(snapshot: dict, name: str) -> int:
    return next(r["id"] for r in snapshot["rooms"] if r["name"] == name)


def ics(snapshot: dict, language: str = "en", **filters) -> bytes:
    return render_ical(snapshot, base_url=BASE, language=language, **filters)


def parse_ics(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events_by_uid(data: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in parse_ics(data).walk("VEVENT")}


def summaries(data: bytes) -> list[str]:
    return [str(e["SUMMARY"]) for e in parse_ics(data).walk("VEVENT")]


def xml_events(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)
    return {e.get("guid"): e for e in root.iter("event")}


def json_events(data: bytes) -> list[dict]:
    schedule = json.loads(data)["schedule"]
    return [
        event
        for day in schedule["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def assert_valid_xml(schema: etree.XMLSchema, data: bytes) -> None:
    valid = schema.validate(etree.fromstring(data))
    assert valid, [f"{e.line}: {e.message}" for e in schema.error_log]


def _is_datetime_with_offset(value: object) -> bool:
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return moment.tzinfo is not None


def _is_date(value: object) -> bool:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _is_http_uri(value: object) -> bool:
    parts = urlsplit(str(value))
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# jsonschema checks none of these formats under draft 6 without optional packages; the strict
# pass below checks them with the standard library.
STRICT_FORMATS = jsonschema.FormatChecker()
STRICT_FORMATS.checks("date-time")(_is_datetime_with_offset)
STRICT_FORMATS.checks("date")(_is_date)
STRICT_FORMATS.checks("uuid")(_is_uuid)
STRICT_FORMATS.checks("uri")(_is_http_uri)
STRICT_FORMATS.checks("color")(lambda value: bool(re.fullmatch(r"#[0-9a-f]{6}", str(value))))


def assert_valid_json(schema: dict, data: bytes) -> None:
    document = json.loads(data.decode("utf-8"))
    validator = jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(document)] == []
    strict = jsonschema.Draft6Validator(schema, format_checker=STRICT_FORMATS)
    assert [f"{list(e.path)}: {e.message}" for e in strict.iter_errors(document)] == []


def assert_valid_ical(data: bytes) -> Calendar:
    """The offline RFC 5545 checks of the specifications' README (FORUM_SPECS_DIR)."""
    # Lines end in CRLF and are folded at 75 octets.
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert [line for line in lines if len(line) > 75] == []
    data.decode("utf-8")  # valid UTF-8, folds never split a character

    calendar = Calendar.from_ical(data)
    for component in calendar.walk():
        assert component.errors == [], component.name
    assert str(calendar["PRODID"]) == "-//AFSE//afse-forum//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.subcomponents, "a calendar needs at least one component"
    for event in calendar.walk("VEVENT"):
        assert event.get("UID")
        assert event.get("DTSTART")
        assert event["DTSTAMP"].to_ical().endswith(b"Z")
        assert event.decoded("DTSTAMP").utcoffset() == datetime.timedelta(0)
        assert not ("DTEND" in event and "DURATION" in event)
    # Every TZID has a VTIMEZONE.
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    used = set(re.findall(r";TZID=([^;:]+)", unfolded))
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert used <= defined
    assert calendar.get_missing_tzids() == set()
    # Round trip: parse → to_ical → parse gives the same events.
    again = Calendar.from_ical(calendar.to_ical())
    assert [e.to_ical() for e in again.walk("VEVENT")] == [
        e.to_ical() for e in calendar.walk("VEVENT")
    ]
    assert again.to_ical() == data
    return calendar


# --- Registry -------------------------------------------------------------------------------


def test_exports_register_their_file_names_and_content_types():
    names = ("schedule.ics", "schedule.xml", "schedule.json")
    assert {name: EXPORTS[name].content_type for name in names} == {
        "schedule.ics": "text/calendar; charset=utf-8",
        "schedule.xml": "application/xml; charset=utf-8",
        "schedule.json": "application/json; charset=utf-8",
    }
    assert EXPORTS["schedule.ics"].render is render_ical
    assert EXPORTS["schedule.xml"].render is render_frab_xml
    assert EXPORTS["schedule.json"].render is render_frab_json


@pytest.mark.parametrize("name", ["schedule.ics", "schedule.xml", "schedule.json"])
def test_export_renders_from_the_snapshot_without_queries(
    release2, name, django_assert_num_queries
):
    snapshot = release2.snapshot
    with django_assert_num_queries(0):
        first = EXPORTS[name].render(snapshot, base_url=BASE, language="en")
    assert EXPORTS[name].render(snapshot, base_url=BASE, language="en") == first


# --- frab XML -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_frab_xml_validates_against_the_xsd(db, xml_schema, number, language):
    snapshot = Release.objects.get(edition__slug="2009-tokyo", number=number).snapshot
    assert_valid_xml(xml_schema, render_frab_xml(snapshot, base_url=BASE, language=language))


def test_frab_xml_header_conference_and_days(release2):
    root = etree.fromstring(render_frab_xml(release2.snapshot, base_url=BASE, language="en"))
    assert root.find("generator").attrib == {"name": "afse-forum", "system": "127.0.0.1"}
    assert root.findtext("url") == f"{BASE}/2009-tokyo/programme/schedule.xml"
    assert root.findtext("version") == "v2 — room changes"
    conference = root.find("conference")
    assert [(e.tag, e.text) for e in conference if e.tag not in ("color", "track")] == [
        ("acronym", "2009_tokyo"),
        ("title", "AFSE 2009"),
        ("start", "2009-11-07"),
        ("end", "2009-11-10"),
        ("days", "4"),
        ("timeslot_duration", "00:30"),
        ("base_url", f"{BASE}/"),
        ("url", f"{BASE}/2009-tokyo/programme/"),
        ("time_zone_name", "Asia/Tokyo"),
    ]
    assert conference.find("color").attrib == {"primary": "#1d5c4d", "background": "#ffffff"}
    assert [dict(t.attrib) for t in conference.findall("track")] == [
        {"name": "Fair trade", "color": "#b45309", "slug": "fair-trade"},
        {"name": "Policy and legislation", "color": "#be123c", "slug": "policy-and-legislation"},
        {"name": "Social enterprise", "color": "#1d5c4d", "slug": "social-enterprise"},
        {"name": "Social finance", "color": "#0b5c8a", "slug": "social-finance"},
        {"name": "Welfare and care", "color": "#7c3aed", "slug": "welfare-and-care"},
    ]
    assert [dict(d.attrib) for d in root.findall("day")] == [
        {
            "index": str(n + 1),
            "date": f"2009-11-{7 + n:02d}",
            "start": f"2009-11-{7 + n:02d}T04:00:00+09:00",
            "end": f"2009-11-{8 + n:02d}T03:59:00+09:00",
        }
        for n in range(4)
    ]
    rooms = {r["name"]: r["guid"] for r in release2.snapshot["rooms"]}
    for day in root.findall("day"):
        assert [(r.get("name"), r.get("guid")) for r in day.findall("room")] == list(rooms.items())


def test_frab_xml_event_of_the_moved_session(release2):
    snapshot = release2.snapshot
    session = find(snapshot, MOVED)
    event = xml_events(render_frab_xml(snapshot, base_url=BASE, language="en"))[session["guid"]]
    assert event.attrib == {
        "id": str(session["id"]),
        "guid": session["guid"],
        "code": session["code"],
    }
    assert event.getparent().get("name") == "Room B"
    assert event.getparent().getparent().get("date") == "2009-11-07"
    fields = {child.tag: child.text for child in event if child.tag not in ("persons",)}
    assert fields == {
        "date": "2009-11-07T14:30:00+09:00",
        "start": "14:30",
        "duration": "01:30",
        "room": "Room B",
        "slug": "2009_tokyo-a-solidarity-tax-levy",
        "url": f"{BASE}/2009-tokyo/programme/sessions/a-solidarity-tax-levy/",
        "title": "A solidarity tax levy",
        "subtitle": None,
        "track": "Policy and legislation",
        "type": "Panel",
        "language": "en",
        "abstract": "A solidarity tax levy: practitioners from across Asia compare experience.",
        "description": None,
        "links": None,
        "attachments": None,
    }
    claire, kim = speaker(snapshot, "claire-dubois"), speaker(snapshot, "kim-min-jung")
    assert [(p.get("id"), p.get("guid"), p.text) for p in event.find("persons")] == [
        (
            str(claire["id"]),
            str(uuid.uuid5(SPEAKER_GUID_NAMESPACE, claire["code"])),
            "Claire Dubois",
        ),
        (
            str(kim["id"]),
            str(uuid.uuid5(SPEAKER_GUID_NAMESPACE, kim["code"])),
            "Kim Min-jung (김민정)",
        ),
    ]


def test_frab_xml_leaves_out_the_cancelled_session(release1, release2):
    cancelled = find(release2.snapshot, CANCELLED)
    assert cancelled["status"] == "cancelled"
    v1 = xml_events(render_frab_xml(release1.snapshot, base_url=BASE, language="en"))
    v2 = xml_events(render_frab_xml(release2.snapshot, base_url=BASE, language="en"))
    assert cancelled["guid"] in v1
    assert cancelled["guid"] not in v2
    assert [e.findtext("title") for e in v1.values()] == [
        # Day by day, room by room, by start.
        "Solidarity Economy from the Asian Perspective",
        "Coffee break",
        "Socially responsible investment in Asia",
        "Micro-finance and NPO banks",
        "Fair trade from producer to consumer",
        "A solidarity tax levy",
        "Social welfare for the elderly and the unemployed",
        "Social performance management",
        "Fact-finding visit: workers' cooperatives in Tama",
        "Public policy and legislation for the SSE",
        "Local and grassroots development",
        "Side event: cooperative film evening",
        "Presentation of the draft statement of commitment",
        "Adoption of the statement and closing",
    ]
    assert sorted(e.findtext("title") for e in v2.values()) == sorted(
        [t for t in V1_TITLES if t != "Side event: cooperative film evening"]
        + ["Ethics in cooperative finance"]
    )


def test_frab_xml_escapes_user_text(snapshot, xml_schema):
    session = find(snapshot, MOVED)
    title = '<script>alert("x")</script> Tom & Jerry\x07'
    session["title"] = title
    session["abstract"] = "<p>Fish &amp; chips</p><script>alert(1)</script>"
    snapshot["rooms"][0]["name"] = "Hall <A> & B"
    data = render_frab_xml(snapshot, base_url=BASE, language="en")
    assert_valid_xml(xml_schema, data)
    assert b"<script>" not in data
    assert b'&lt;script&gt;alert("x")&lt;/script&gt; Tom &amp; Jerry</title>' in data
    assert b'<room name="Hall &lt;A&gt; &amp; B"' in data
    event = xml_events(data)[session["guid"]]
    assert event.findtext("title") == '<script>alert("x")</script> Tom & Jerry'
    assert event.findtext("abstract") == "Fish & chips"


def test_frab_xml_lists_materials_as_attachments(snapshot, xml_schema):
    session = find(snapshot, ADDED)
    session["materials"] = [
        {"title": "Slides & notes", "url": "/documents/7/ethics.pdf"},
        {"title": "Report", "url": "https://example.org/report.pdf"},
    ]
    data = render_frab_xml(snapshot, base_url=BASE, language="en")
    assert_valid_xml(xml_schema, data)
    attachments = xml_events(data)[session["guid"]].find("attachments")
    assert [(a.get("href"), a.text) for a in attachments] == [
        (f"{BASE}/documents/7/ethics.pdf", "Slides & notes"),
        ("https://example.org/report.pdf", "Report"),
    ]


def test_frab_xml_keeps_native_names_in_utf8(release2):
    data = render_frab_xml(release2.snapshot, base_url=BASE, language="en")
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    text = data.decode("utf-8")
    persons = {p.text for p in etree.fromstring(data).iter("person")}
    assert {
        "Hiroshi Tanaka (田中 博)",
        "Kim Min-jung (김민정)",
        "Yuki Sato (佐藤 由紀)",
        "Anan Chaiyasit (อนันต์ ชัยสิทธิ์)",
        "Ram Shrestha (राम श्रेष्ठ)",
    } <= persons
    assert "田中 博" in text
    assert "김민정" in text


def test_frab_xml_in_japanese_links_to_the_japanese_site(release2):
    data = render_frab_xml(release2.snapshot, base_url=BASE, language="ja")
    root = etree.fromstring(data)
    assert root.findtext("url") == f"{BASE}/ja/2009-tokyo/programme/schedule.xml"
    urls = [e.findtext("url") for e in root.iter("event")]
    assert len(urls) == 14
    assert all(u.startswith(f"{BASE}/ja/2009-tokyo/programme/sessions/") for u in urls)


def test_frab_slug_satisfies_both_schemas(snapshot):
    typed = Snapshot.read(snapshot, "en")
    session = next(s for s in typed.sessions if s.slug == MOVED)
    assert event_slug(typed, session) == "2009_tokyo-a-solidarity-tax-levy"
    session.slug = "ab"
    assert event_slug(typed, session) == f"2009_tokyo-ab-{session.code.lower()}"
    session.slug = "Tax_Levy-"
    assert event_slug(typed, session) == "2009_tokyo-tax_levy"
    for slug in ("2009_tokyo-a-solidarity-tax-levy", "2009_tokyo-tax_levy"):
        assert re.fullmatch(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}", slug)
        assert re.fullmatch(r"[a-z0-9_-]+[a-z0-9]", slug)


# --- frab JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_frab_json_validates_against_the_json_schema(db, json_schema, number, language):
    snapshot = Release.objects.get(edition__slug="2009-tokyo", number=number).snapshot
    assert_valid_json(json_schema, render_frab_json(snapshot, base_url=BASE, language=language))


def test_frab_json_header_and_moved_event(release2):
    snapshot = release2.snapshot
    data = render_frab_json(snapshot, base_url=BASE, language="en")
    document = json.loads(data)
    assert document["$schema"] == "https://c3voc.de/schedule/schema.json"
    assert document["generator"] == {"name": "afse-forum"}
    schedule = document["schedule"]
    assert schedule["url"] == f"{BASE}/2009-tokyo/programme/schedule.json"
    assert schedule["version"] == "v2 — room changes"
    conference = schedule["conference"]
    assert (conference["acronym"], conference["start"], conference["end"]) == (
        "2009_tokyo",
        "2009-11-07",
        "2009-11-10",
    )
    assert (conference["daysCount"], conference["timeslot_duration"]) == (4, "00:30")
    assert [d["day_start"] for d in conference["days"]] == [
        f"2009-11-{day:02d}T04:00:00+09:00" for day in range(7, 11)
    ]
    assert list(conference["days"][0]["rooms"]) == [
        "Main Hall",
        "Room A",
        "Room B",
        "Room C",
        "Off-site",
    ]
    session = find(snapshot, MOVED)
    kim = speaker(snapshot, "kim-min-jung")
    (event,) = (e for e in json_events(data) if e["guid"] == session["guid"])
    assert event["id"] == session["id"]
    assert event["code"] == session["code"]
    assert (event["date"], event["start"], event["end"], event["duration"]) == (
        "2009-11-07T14:30:00+09:00",
        "14:30",
        "2009-11-07T16:00:00+09:00",
        "01:30",
    )
    assert (event["room"], event["track"], event["type"]) == (
        "Room B",
        "Policy and legislation",
        "Panel",
    )
    assert event["persons"][1] == {
        "id": kim["id"],
        "guid": str(uuid.uuid5(SPEAKER_GUID_NAMESPACE, kim["code"])),
        "code": kim["code"],
        "name": "Kim Min-jung (김민정)",
        "biography": "Kim Min-jung works on the social and solidarity economy.",
        "url": f"{BASE}/2009-tokyo/programme/speakers/kim-min-jung/",
        "links": [],
    }
    assert "김민정".encode() in data


def test_frab_json_leaves_out_the_cancelled_session(release1, release2):
    cancelled = find(release2.snapshot, CANCELLED)
    v1 = {
        e["guid"]
        for e in json_events(render_frab_json(release1.snapshot, base_url=BASE, language="en"))
    }
    v2 = {
        e["guid"]
        for e in json_events(render_frab_json(release2.snapshot, base_url=BASE, language="en"))
    }
    assert cancelled["guid"] in v1
    assert cancelled["guid"] not in v2
    assert len(v1) == 14
    assert len(v2) == 14


def test_frab_json_keeps_user_text_and_stays_valid(snapshot, json_schema):
    session = find(snapshot, ADDED)
    session["title"] = '<script>alert("x")</script> & 協同組合 "금융"'
    session["materials"] = [{"title": "Slides", "url": "/documents/7/ethics.pdf"}]
    speaker(snapshot, "claire-dubois")["links"] = ["https://example.org/claire"]
    data = render_frab_json(snapshot, base_url=BASE, language="en")
    assert_valid_json(json_schema, data)
    (event,) = (e for e in json_events(data) if e["guid"] == session["guid"])
    assert event["title"] == '<script>alert("x")</script> & 協同組合 "금융"'
    assert event["attachments"] == [{"url": f"{BASE}/documents/7/ethics.pdf", "title": "Slides"}]
    assert event["persons"][0]["links"] == [{"url": "https://example.org/claire"}]


# --- Identifiers across releases ------------------------------------------------------------


def test_identifiers_are_stable_between_releases(release1, release2):
    s1 = {s["slug"]: s for s in release1.snapshot["sessions"]}
    s2 = {s["slug"]: s for s in release2.snapshot["sessions"]}
    assert set(s1) == set(s2) - {ADDED}
    ics1, ics2 = events_by_uid(ics(release1.snapshot)), events_by_uid(ics(release2.snapshot))
    xml1 = xml_events(render_frab_xml(release1.snapshot, base_url=BASE, language="en"))
    xml2 = xml_events(render_frab_xml(release2.snapshot, base_url=BASE, language="en"))
    for slug, first in s1.items():
        assert s2[slug]["guid"] == first["guid"]
        uid = f"{first['guid']}@127.0.0.1"
        assert str(ics1[uid]["SUMMARY"]) == str(ics2[uid]["SUMMARY"]) == first["title"]
        if slug != CANCELLED:
            assert xml1[first["guid"]].attrib == xml2[first["guid"]].attrib
            assert xml1[first["guid"]].findtext("slug") == xml2[first["guid"]].findtext("slug")
    persons1 = {
        p.get("id"): p.get("guid")
        for p in etree.fromstring(
            render_frab_xml(release1.snapshot, base_url=BASE, language="en")
        ).iter("person")
    }
    persons2 = {
        p.get("id"): p.get("guid")
        for p in etree.fromstring(
            render_frab_xml(release2.snapshot, base_url=BASE, language="en")
        ).iter("person")
    }
    assert persons1 == persons2
    assert persons2 == {
        str(p["id"]): str(uuid.uuid5(SPEAKER_GUID_NAMESPACE, p["code"]))
        for p in release2.snapshot["speakers"]
    }


# --- iCalendar ------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_ical_passes_the_rfc5545_checks(db, number, language):
    snapshot = Release.objects.get(edition__slug="2009-tokyo", number=number).snapshot
    calendar = assert_valid_ical(ics(snapshot, language))
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    expected = {"en": "AFSE 2009 programme", "ja": "AFSE 2009 プログラム"}[language]
    assert str(calendar["X-WR-CALNAME"]) == expected
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Tokyo"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert len(calendar.walk("VEVENT")) == len(snapshot["sessions"])


def test_ical_event_of_the_visit(release2):
    snapshot = release2.snapshot
    session = find(snapshot, "fact-finding-visit-workers-cooperatives-in-tama")
    event = events_by_uid(ics(snapshot))[f"{session['guid']}@127.0.0.1"]
    url = f"{BASE}/2009-tokyo/programme/sessions/fact-finding-visit-workers-cooperatives-in-tama/"
    assert str(event["SUMMARY"]) == "Fact-finding visit: workers' cooperatives in Tama"
    assert event.decoded("DTSTART") == datetime.datetime(2009, 11, 8, 9, tzinfo=TOKYO)
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event.decoded("DTEND") == datetime.datetime(2009, 11, 8, 17, tzinfo=TOKYO)
    assert event["DTEND"].params["TZID"] == "Asia/Tokyo"
    # DTSTAMP is the release's publication, to the second.
    published = release2.published_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert event.decoded("DTSTAMP") == published
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Off-site, Tokyo"
    assert str(event["URL"]) == url
    assert event.categories == ["Fact-finding visit", "Social enterprise"]
    assert str(event["DESCRIPTION"]) == (
        "Fact-finding visit: workers' cooperatives in Tama: practitioners from across Asia"
        " compare experience.\n\n"
        "Speakers:\nYuki Sato (佐藤 由紀) · Moderator\n\n"
        "Meeting point: Main entrance, 08:45\nTransport: Chartered bus; lunch provided.\n\n"
        f"{url}"
    )


def test_ical_keeps_the_cancelled_session_as_cancelled(release1, release2):
    cancelled = find(release2.snapshot, CANCELLED)
    uid = f"{cancelled['guid']}@127.0.0.1"
    before = events_by_uid(ics(release1.snapshot))[uid]
    after = events_by_uid(ics(release2.snapshot))[uid]
    assert (str(before["STATUS"]), before["SEQUENCE"]) == ("CONFIRMED", 0)
    assert (str(after["STATUS"]), after["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(after["SUMMARY"]) == "Side event: cooperative film evening"


def test_ical_moved_session_has_sequence_1_in_release_2(release1, release2):
    moved = find(release2.snapshot, MOVED)
    uid = f"{moved['guid']}@127.0.0.1"
    before = events_by_uid(ics(release1.snapshot))[uid]
    after = events_by_uid(ics(release2.snapshot))[uid]
    assert (before["SEQUENCE"], str(before["LOCATION"])) == (0, "Room C, Tokyo")
    assert (after["SEQUENCE"], str(after["LOCATION"])) == (1, "Room B, Tokyo")
    unchanged = f"{find(release2.snapshot, 'coffee-break')['guid']}@127.0.0.1"
    assert events_by_uid(ics(release2.snapshot))[unchanged]["SEQUENCE"] == 0


def test_ical_in_japanese_links_to_the_japanese_site(release2):
    calendar = parse_ics(ics(release2.snapshot, "ja"))
    assert str(calendar["URL"]) == f"{BASE}/ja/2009-tokyo/programme/"
    urls = [str(e["URL"]) for e in calendar.walk("VEVENT")]
    assert len(urls) == 15
    assert all(u.startswith(f"{BASE}/ja/2009-tokyo/programme/sessions/") for u in urls)


def test_ical_escapes_user_text_and_keeps_native_scripts(snapshot):
    session = find(snapshot, MOVED)
    title = '<script>alert("x")</script> Tom & Jerry; a, b \\ 連帯経済と협동조합 ' + "語" * 40
    session["title"] = title
    session["abstract"] = (
        "<p>Fish &amp; chips</p><script>alert(1)</script><ul><li>one</li><li>two</li></ul>"
    )
    data = ics(snapshot)
    assert_valid_ical(data)
    event = events_by_uid(data)[f"{session['guid']}@127.0.0.1"]
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]).startswith(
        "Fish & chips\n\n- one\n- two\n\nSpeakers:\n"
        "Claire Dubois · Panelist\nKim Min-jung (김민정) · Moderator\n\n"
    )
    assert "alert(1)" not in str(event["DESCRIPTION"])
    assert "Hiroshi Tanaka (田中 博) · Keynote speaker" in data.replace(b"\r\n ", b"").decode()


# --- Filters --------------------------------------------------------------------------------


def test_ical_speaker_feed_holds_exactly_their_sessions(release2):
    data = ics(release2.snapshot, speaker="kim-min-jung")
    assert_valid_ical(data)
    assert summaries(data) == [
        "Solidarity Economy from the Asian Perspective",
        "A solidarity tax levy",
        "Social performance management",
        "Public policy and legislation for the SSE",
    ]


def test_ical_track_feed_holds_exactly_its_sessions(release1, release2):
    assert summaries(ics(release1.snapshot, track="social-finance")) == [
        "Socially responsible investment in Asia",
        "Micro-finance and NPO banks",
    ]
    data = ics(release2.snapshot, track="social-finance")
    assert_valid_ical(data)
    assert summaries(data) == [
        "Socially responsible investment in Asia",
        "Micro-finance and NPO banks",
        "Ethics in cooperative finance",
    ]


def test_ical_room_feed_holds_exactly_its_sessions(release1, release2):
    room_b = room_id(release2.snapshot, "Room B")
    assert summaries(ics(release1.snapshot, room=room_b)) == [
        "Fair trade from producer to consumer",
        "Social performance management",
    ]
    data = ics(release2.snapshot, room=str(room_b))  # as it comes from a URL
    assert_valid_ical(data)
    assert summaries(data) == [
        "Fair trade from producer to consumer",
        "A solidarity tax levy",
        "Social performance management",
    ]


def test_ical_session_feed_holds_exactly_that_session(release2):
    data = ics(release2.snapshot, session=CANCELLED)
    calendar = assert_valid_ical(data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Side event: cooperative film evening"
    assert str(event["STATUS"]) == "CANCELLED"


def test_ical_filters_combine_and_unknown_ones_match_nothing(release2):
    snapshot = release2.snapshot
    room_b = room_id(snapshot, "Room B")
    assert summaries(ics(snapshot, speaker="kim-min-jung", room=room_b)) == [
        "A solidarity tax levy",
        "Social performance management",
    ]
    assert summaries(ics(snapshot, track="fair-trade", speaker="kim-min-jung")) == []
    for filters in ({"speaker": "nobody"}, {"track": "nothing"}, {"room": 999999}, {"room": "x"}):
        data = ics(snapshot, **filters)
        calendar = assert_valid_ical(data)
        assert calendar.walk("VEVENT") == []
        assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]


def test_select_sessions_orders_by_start(release2):
    selected = select_sessions(Snapshot.read(release2.snapshot, "en"), speaker="claire-dubois")
    assert [(s.slug, s.start) for s in selected] == [
        ("socially-responsible-investment-in-asia", "2009-11-07T11:30:00+09:00"),
        ("a-solidarity-tax-levy", "2009-11-07T14:30:00+09:00"),
        ("public-policy-and-legislation-for-the-sse", "2009-11-09T10:00:00+09:00"),
        ("ethics-in-cooperative-finance", "2009-11-09T16:00:00+09:00"),
    ]


# --- Text -----------------------------------------------------------------------------------


def test_html_to_text_keeps_paragraphs_and_lists():
    html = (
        "<p>First <b>bold</b> &amp; <i>more</i>.</p><p>Second<br>line</p>"
        '<ol><li>one</li><li><a href="https://example.org">two</a></li></ol>'
        "<script>alert(1)</script><!-- note -->"
    )
    assert html_to_text(html) == "First bold & more.\n\nSecond\nline\n\n- one\n- two"
    assert html_to_text("") == ""
    assert html_to_text("plain & simple") == "plain & simple"
    assert html_to_text("<p>連帯経済</p>") == "連帯経済"


# --- The events written directly are icalendar's bytes ---------------------------------------

AWKWARD_TITLES = [
    "Commas, semicolons; back\\slashes\nnew lines\r\nand returns\r" * 4,
    "x" * 71 + "\\,abc" + "y" * 90,
    "^" * 160,
    "協同組合と社会的連帯経済、" * 12 + "a\\b",
    "x" * 72 + ",",
    "é" * 90 + ";" * 40,
]


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC", "Etc/UTC", "Asia/Kathmandu"])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_ical_events_written_directly_are_the_bytes_icalendar_writes(snapshot, zone, language):
    snapshot["edition"]["time_zone"] = zone
    template = find(snapshot, MOVED)
    for n, title in enumerate(AWKWARD_TITLES):
        row = copy.deepcopy(template)
        row.update(
            id=10_000 + n,
            guid=str(uuid.UUID(int=n + 1)),
            slug=f"awkward-{n}",
            title=title,
            abstract=f"<p>{title}</p><ul><li>one</li><li>two, three</li></ul>",
            status="cancelled" if n % 2 else row["status"],
            updated_at=None if n == 2 else row.get("updated_at"),
            track_id=None if n == 1 else row.get("track_id"),
            meeting_point="Gate 3; left, then up" if n == 5 else "",
            interpretation=["ja", "ko"] if n == 3 else [],
        )
        snapshot["sessions"].append(row)
    direct = render_ical(snapshot, base_url=BASE, language=language)
    reference = render_ical(snapshot, base_url=BASE, language=language, direct=False)
    assert direct == reference
    assert direct.count(b"BEGIN:VEVENT") == len(snapshot["sessions"])
    assert max(len(line) for line in direct.split(b"\r\n")) <= 75


def test_labels_are_kept_by_language_and_follow_it():
    """The exports' labels are looked up once per language (issue 14), never shown in the
    language that happened to ask first."""
    from django.utils import translation

    from sessions_app.exporters.ical import gettext_kept, kind_label, role_label

    with translation.override("en"):
        assert kind_label("workshop") == "Workshop"
        assert gettext_kept("Speakers:") == "Speakers:"
        english_role = role_label("moderator")
    with translation.override("ja"):
        assert kind_label("workshop") != "Workshop"
        assert kind_label("workshop") == kind_label("workshop", "ja")
        assert gettext_kept("Speakers:") != "Speakers:"
        assert role_label("moderator") != english_role
    assert kind_label("workshop", "en") == "Workshop"
    assert kind_label("unknown-kind", "ja") == "unknown-kind"


def test_frab_json_is_written_compactly(snapshot):
    """Written by the json module's C encoder (issue 14): one line and its newline, no
    indentation, the same data."""
    body = EXPORTS["schedule.json"].render(
        snapshot, base_url="https://forum.example", language="en"
    )
    assert body.endswith(b"}\n")
    assert body.count(b"\n") == 1
    data = json.loads(body)
    assert data["schedule"]["conference"]["days"]
    assert json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" == body
