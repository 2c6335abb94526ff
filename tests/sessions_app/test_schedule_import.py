"""Moving from pretalx or frab: importing a schedule export into an edition (rooms, tracks,
speakers, sessions) with guids kept, idempotent re-import, the admin's upload → preview →
confirm, and bad files refused with nothing changed. The small fixtures in fixtures/ always
run; the real exports in FORUM_SPECS_DIR are read when that folder is given."""

import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar
from lxml import etree

from forum.models import Edition
from sessions_app.exporters.frab import render_frab_json, render_frab_xml
from sessions_app.exporters.ical import render_ical
from sessions_app.importers.schedule import ScheduleFileError, parse_schedule
from sessions_app.models import Room, Session, Speaker, Track
from sessions_app.services.importing import ImportRefusedError, import_schedule, plan_import
from sessions_app.services.releases import publish_release
from tests.conftest import spec_file

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
XML = (FIXTURES / "pretalx-small.schedule.xml").read_bytes()
JSON = (FIXTURES / "frab-small.schedule.json").read_bytes()
OPENING = "89839af4-ef15-5a58-8e2f-fc9263688830"
WORKSHOP = "4289128a-10cd-5396-88c5-333686509ab1"
PANEL = "8079583e-8321-506c-95af-fd2903a5f075"
URL = "/admin/programme/2009-tokyo/import/"


@pytest.fixture
def tokyo(db):
    return Edition.objects.get(slug="2009-tokyo")


@pytest.fixture
def organizer(db):
    return get_user_model().objects.get(username="tokyo-organizer")


def counts(edition):
    return tuple(
        model.objects.filter(edition=edition).count() for model in (Room, Track, Speaker, Session)
    )


def test_the_xml_export_becomes_the_programme_with_its_guids(tokyo, organizer):
    before = counts(tokyo)
    plan = import_schedule(edition=tokyo, schedule=parse_schedule(XML), user=organizer)
    assert plan.counts == {
        "rooms": [2, 0],
        "tracks": [2, 0],
        "speakers": [2, 0],
        "sessions": [2, 0],
    }
    assert counts(tokyo) == tuple(b + 2 for b in before)
    opening = Session.objects.get(guid=OPENING)
    assert (opening.edition, opening.code, opening.language) == (tokyo, "7DJ87Y", "ja")
    assert opening.title == "Opening: worker cooperatives <today>"
    assert "&lt;script&gt;" in opening.abstract
    assert "<script>" not in opening.abstract
    assert opening.room.name == "Hall Sakura"
    assert str(opening.room.guid) == "47b38352-0691-5618-8b15-f67c738deddd"
    assert opening.track.name == "Cooperatives"
    assert opening.track.colour == "#a52a2a"
    assert opening.duration_minutes == 40
    assert opening.start.isoformat() == "2009-11-07T02:00:00+00:00"
    assert [link.speaker.name for link in opening.speaker_links.order_by("sort_order")] == [
        "Aiko Tanaka",
        "Min-jun Kim",
    ]
    workshop = Session.objects.get(guid=WORKSHOP)
    assert (workshop.kind, workshop.track.name) == ("workshop", "Finance & money")
    # One person in two sessions is one speaker.
    assert Speaker.objects.filter(edition=tokyo, name="Min-jun Kim").count() == 1


def test_a_second_import_updates_instead_of_duplicating(tokyo, organizer):
    import_schedule(edition=tokyo, schedule=parse_schedule(XML), user=organizer)
    after_first = counts(tokyo)
    changed = XML.replace(b"Community finance workshop", b"Community finance lab")
    plan = plan_import(edition=tokyo, schedule=parse_schedule(changed))
    assert plan.counts == {
        "rooms": [0, 2],
        "tracks": [0, 2],
        "speakers": [0, 2],
        "sessions": [0, 2],
    }
    import_schedule(edition=tokyo, schedule=parse_schedule(changed), user=organizer)
    assert counts(tokyo) == after_first
    assert Session.objects.get(guid=WORKSHOP).title == "Community finance lab"
    # The JSON export of the same rooms adds its session to the room the XML made.
    plan = import_schedule(edition=tokyo, schedule=parse_schedule(JSON), user=organizer)
    assert plan.counts["rooms"] == [0, 1]
    assert plan.counts["sessions"] == [1, 0]
    panel = Session.objects.get(guid=PANEL)
    assert (panel.room.name, panel.kind, panel.language) == ("Hall Sakura", "panel", "ko")
    assert panel.speaker_links.get().speaker.bio == "Organizer."


def test_our_exports_carry_the_imported_guids(tokyo, organizer):
    import_schedule(edition=tokyo, schedule=parse_schedule(XML), user=organizer)
    release = publish_release(edition=tokyo, title="Imported", published_by=organizer)
    snapshot = release.snapshot
    base = "https://forum.example.org"
    root = etree.fromstring(render_frab_xml(snapshot, base_url=base, language="en"))
    guids = {e.get("guid"): e for e in root.iter("event")}
    assert {OPENING, WORKSHOP} <= set(guids)
    assert guids[OPENING].get("code") == "7DJ87Y"
    persons = {p.text: p.get("guid") for p in guids[OPENING].iter("person")}
    assert persons["Aiko Tanaka"] == "0b8c5a0e-8a55-5d3b-9c4e-0a1d2f3e4b5c"
    rooms = {r.get("name"): r.get("guid") for r in root.iter("room") if r.get("name")}
    assert rooms["Hall Sakura"] == "47b38352-0691-5618-8b15-f67c738deddd"
    assert OPENING in render_frab_json(snapshot, base_url=base, language="en").decode()
    calendar = Calendar.from_ical(render_ical(snapshot, base_url=base, language="en"))
    uids = {str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")}
    assert {OPENING, WORKSHOP} <= uids


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<schedule><day", "not well-formed XML"),
        (b"<html><body/></html>", "not a frab schedule"),
        (b'{"schedule": {}}', "not a frab schedule"),
        (b"{not json", "not valid JSON"),
        (b"hello", "neither a frab XML nor a JSON schedule"),
        (XML.replace(OPENING.encode(), b"not-a-guid"), "not a valid guid"),
        (XML.replace(b"<duration>00:40</duration>", b"<duration>forty</duration>"), "H:MM"),
        (XML.replace(b"2009-11-07T11:00:00+09:00", b"2009-11-07T11:00:00"), "offset"),
        (XML.replace(WORKSHOP.encode(), OPENING.encode()), "given to two sessions"),
        (
            b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<schedule><day><room name='A'><event guid='" + OPENING.encode() + b"'>"
            b"<title>&x;</title></event></room></day></schedule>",
            "no title",
        ),
    ],
)
def test_a_bad_file_gets_a_clear_message(data, message):
    with pytest.raises(ScheduleFileError, match=message):
        parse_schedule(data)


def test_sessions_outside_the_edition_or_in_another_are_refused(tokyo, organizer):
    manila = Edition.objects.get(slug="2007-manila")
    manila.start_date, manila.end_date = tokyo.start_date.replace(year=2007), tokyo.end_date
    manila.end_date = manila.start_date
    before = counts(tokyo)
    with pytest.raises(ImportRefusedError, match="outside the edition's days"):
        import_schedule(edition=manila, schedule=parse_schedule(XML), user=organizer)
    import_schedule(edition=tokyo, schedule=parse_schedule(XML), user=organizer)
    manila.start_date, manila.end_date = tokyo.start_date, tokyo.end_date
    manila_before = counts(manila)
    with pytest.raises(ImportRefusedError, match="already in another edition"):
        import_schedule(edition=manila, schedule=parse_schedule(XML), user=organizer)
    assert counts(manila) == manila_before
    assert counts(tokyo) == tuple(b + 2 for b in before)


def test_upload_preview_confirm_in_the_admin(client, tokyo, organizer):
    client.force_login(organizer)
    assert client.get("/admin/programme/").content.decode().count(URL) == 1
    page = client.get(URL)
    assert page.status_code == 200
    assert b"pretalx" in page.content
    before = counts(tokyo)
    upload = SimpleUploadedFile("schedule.xml", XML, content_type="text/xml")
    preview = client.post(URL, {"file": upload})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "data-import-preview" in html
    assert counts(tokyo) == before  # the preview changes nothing
    token = html.split('name="token" value="')[1].split('"')[0]
    done = client.post(URL, {"action": "confirm", "token": token})
    assert done.status_code == 302
    assert done["Location"].endswith("/2009-tokyo/grid/")
    assert counts(tokyo) == tuple(b + 2 for b in before)
    # The token is spent: confirming again imports nothing and says so.
    again = client.post(URL, {"action": "confirm", "token": token}, follow=True)
    assert "no longer there" in again.content.decode()
    assert counts(tokyo) == tuple(b + 2 for b in before)


def test_a_bad_upload_shows_its_error_and_changes_nothing(client, tokyo, organizer):
    client.force_login(organizer)
    before = counts(tokyo)
    upload = SimpleUploadedFile("schedule.json", b"{broken", content_type="application/json")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    assert "not valid JSON" in response.content.decode()
    forged = client.post(URL, {"action": "confirm", "token": "x" * 32}, follow=True)
    assert "no longer there" in forged.content.decode()
    big = SimpleUploadedFile("big.xml", b"<" + b" " * (5 * 1024 * 1024 + 1))
    response = client.post(URL, {"file": big})
    assert "larger than 5 MB" in response.content.decode()
    assert counts(tokyo) == before


def test_only_the_editions_organizers_may_import(client, tokyo):
    client.force_login(get_user_model().objects.get(username="tokyo-organizer"))
    manila = client.get("/admin/programme/2007-manila/import/")
    assert manila.status_code in (302, 403)
    assert client.get("/admin/programme/no-such-edition/import/").status_code == 404
    client.logout()
    anonymous = client.get(URL)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


@pytest.mark.parametrize(
    ("name", "events"),
    [
        ("examples/pretalx-romhack-camp-2026.schedule.xml", 10),
        ("examples/engelsystem-schedule-extended.xml", 1),
        ("examples/pretalx-democon.schedule.json", 36),
    ],
)
def test_real_exports_are_read(name, events):
    schedule = parse_schedule(spec_file(name).read_bytes())
    assert len(schedule.events) == events
    assert all(uuid.UUID(e.guid) and e.minutes > 0 for e in schedule.events)
