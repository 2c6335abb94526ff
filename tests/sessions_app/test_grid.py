"""The schedule grid editor in the admin: who may open it, what it shows, and moving sessions."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Edition
from sessions_app.enums import ConflictKind, SessionKind, SessionStatus
from sessions_app.models import Room, Session, SessionSpeaker, Speaker
from sessions_app.selectors_grid import GridCard, assign_lanes, schedule_grid
from tests.factories import EditionFactory
from tests.factories.programme import RoomFactory, SessionFactory, TrackFactory, local

pytestmark = pytest.mark.django_db

GRID = "/admin/programme/2009-tokyo/grid/"
DRAFT = "Draft: youth and the SSE"


def assert_denied(response):
    """Wagtail's admin answers a refused permission by sending the person back to its
    dashboard with a message."""
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


@pytest.fixture
def tokyo(db):
    return Edition.objects.get(slug="2009-tokyo")


@pytest.fixture
def manila(db):
    return Edition.objects.get(slug="2007-manila")


@pytest.fixture
def organizer_client(client):
    client.force_login(get_user_model().objects.get(username="tokyo-organizer"))
    return client


@pytest.fixture
def draft(tokyo):
    return Session.objects.get(edition=tokyo, title=DRAFT)


@pytest.fixture
def room_c(tokyo):
    return Room.objects.get(edition=tokyo, name="Room C")


def move_url(session, slug="2009-tokyo") -> str:
    return reverse("sessions_app_grid_move", args=[slug, session.pk])


def post_move(client, session, payload, slug="2009-tokyo"):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(move_url(session, slug), body, content_type="application/json")


def cell_html(html: str, room: Room, start: str) -> str:
    """The content of the grid cell of `room` at the local time `start`. Cells are bare `<td>`s
    (the script names them), so it is found by its day's table, its row's time and its room's
    column."""
    day, time = start.split("T")
    table = re.search(rf'<table class="sg-table" data-day="{day}".*?</table>', html, re.DOTALL)
    assert table, day
    rooms = re.findall(r'<th scope="col" class="sg-room[^"]*" data-room="(\d+)"', table.group(0))
    row = re.search(rf'<th scope="row">{time}</th>(.*?)(?=<tr|</tbody>)', table.group(0), re.DOTALL)
    assert row, (room.name, start)
    return row.group(1).split("<td>")[1:][rooms.index(str(room.pk))]


def unscheduled_html(html: str) -> str:
    start = html.index('data-dropzone="unscheduled"')
    return html[start : html.index('class="sg-empty"', start)]


# --- the page ---------------------------------------------------------------------------


def test_grid_shows_the_demo_programme_for_its_organizer(organizer_client, tokyo):
    response = organizer_client.get(GRID)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.templates[0].name == "sessions_app/admin/grid.html"
    grid = response.context["grid"]
    assert [room.name for room in grid.rooms] == [
        "Main Hall",
        "Room A",
        "Room B",
        "Room C",
        "Off-site",
    ]
    assert [day.date for day in grid.days] == [
        datetime.date(2009, 11, 7),
        datetime.date(2009, 11, 8),
        datetime.date(2009, 11, 9),
        datetime.date(2009, 11, 10),
    ]
    first_day = grid.days[0]
    assert (first_day.rows[0].label, first_day.rows[-1].label) == ("07:00", "21:45")
    assert len(first_day.rows) == 60
    # The opening plenary sits in the Main Hall at 09:30 (Tokyo time) and says so.
    hall = Room.objects.get(edition=tokyo, name="Main Hall")
    opening = cell_html(html, hall, "2009-11-07T09:30")
    assert "Solidarity Economy from the Asian Perspective" in opening
    assert '<span class="sg-card__meta">09:30\u201311:00 Confirmed</span>' in opening
    # What only the script makes work (role, focus, dragging, accessible name) it adds itself.
    assert 'data-minutes="90"' in opening
    assert 'role="button"' not in opening
    # Every session but the cancelled one is on the page; the draft is unscheduled.
    shown = {
        card.session.title
        for day in grid.days
        for row in day.rows
        for cell in row.cells
        for card in cell.cards
    }
    assert len(shown) == 14
    assert "Side event: cooperative film evening" not in html
    assert [card.session.title for card in grid.unscheduled] == [DRAFT]
    assert DRAFT in unscheduled_html(html)
    assert grid.cancelled_count == 1
    # The editor is a real table, with a script and a stylesheet of its own and no inline ones.
    assert '<th scope="col" class="sg-room" data-room="' in html
    assert '<th scope="row">09:30</th>' in html
    assert 'aria-live="polite"' in html
    assert "/static/js/schedule-grid.js" in html
    assert "/static/css/schedule-grid.css" in html
    assert ' style="' not in html.split('id="sg-live"')[1]
    assert "csrfmiddlewaretoken" in html


def test_grid_shows_conflict_badges_on_the_cards(organizer_client, tokyo, draft):
    room_a = Room.objects.get(edition=tokyo, name="Room A")
    draft.room = room_a
    draft.start = local(tokyo, 0, "12:00")
    draft.end = local(tokyo, 0, "12:30")
    draft.save()
    html = organizer_client.get(GRID).content.decode()
    cell = cell_html(html, room_a, "2009-11-07T12:00")
    assert "sg-card--hard" in cell
    assert '<span class="sg-badge sg-badge--hard">Room clash</span>' in cell
    assert "Blocks publishing: “Socially responsible investment in Asia” and “Draft: youth" in cell
    assert "Blocking conflicts: 1" in html


def test_grid_list_links_the_editions_the_person_schedules(organizer_client):
    response = organizer_client.get(reverse("sessions_app_grids"))
    assert response.status_code == 200
    assert [e.slug for e in response.context["editions"]] == ["2009-tokyo"]
    assert response.context["editions"][0].session_count == 15
    assert f'href="{GRID}"' in response.content.decode()


def test_menu_item_leads_to_the_grid_list(organizer_client):
    html = organizer_client.get("/admin/").content.decode()
    assert "/admin/programme/" in html
    assert "Schedule grid" in html


def test_grid_of_another_edition_is_refused(organizer_client):
    assert_denied(organizer_client.get("/admin/programme/2007-manila/grid/"))


def test_grid_of_an_unknown_edition_is_not_found(organizer_client):
    assert organizer_client.get("/admin/programme/1999-nowhere/grid/").status_code == 404


def test_grid_is_refused_to_a_role_that_does_not_programme(client):
    client.force_login(get_user_model().objects.get(username="tokyo-drafting"))
    assert_denied(client.get(GRID))
    assert_denied(client.get(reverse("sessions_app_grids")))


def test_grid_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get(GRID)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_programme_committee_may_use_the_grid(client):
    client.force_login(get_user_model().objects.get(username="tokyo-programme"))
    assert client.get(GRID).status_code == 200


# --- moving a session -------------------------------------------------------------------


def test_moving_a_session_to_a_free_slot_saves_it_without_conflicts(
    organizer_client, tokyo, draft, room_c
):
    response = post_move(
        organizer_client,
        draft,
        {"room": room_c.pk, "start": "2009-11-07T09:00", "end": "2009-11-07T10:00"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "ok": True,
        "session": {
            "id": draft.pk,
            "title": DRAFT,
            "status": "draft",
            "status_label": "Draft",
            "room": room_c.pk,
            "room_name": "Room C",
            "start": "2009-11-07T09:00",
            "end": "2009-11-07T10:00",
            "time_label": "09:00\u201310:00",
            "scheduled": True,
        },
        "conflicts": [],
    }
    draft.refresh_from_db()
    assert draft.room == room_c
    # Tokyo time: 09:00 JST is midnight UTC.
    assert draft.start == datetime.datetime(2009, 11, 7, 0, 0, tzinfo=datetime.UTC)
    assert draft.end == datetime.datetime(2009, 11, 7, 1, 0, tzinfo=datetime.UTC)
    assert draft.status == SessionStatus.DRAFT


def test_a_move_is_recorded_in_the_sessions_history(organizer_client, draft, room_c):
    from wagtail.models import ModelLogEntry

    post_move(
        organizer_client,
        draft,
        {"room": room_c.pk, "start": "2009-11-07T09:00", "end": "2009-11-07T10:00"},
    )
    entry = ModelLogEntry.objects.filter(object_id=str(draft.pk), action="wagtail.edit").get()
    assert entry.user.username == "tokyo-organizer"


def test_moving_a_session_back_to_unscheduled(organizer_client, tokyo):
    session = Session.objects.get(edition=tokyo, slug="ethics-in-cooperative-finance")
    response = post_move(organizer_client, session, {"room": None, "start": None, "end": None})
    assert response.status_code == 200
    assert response.json()["session"]["scheduled"] is False
    session.refresh_from_db()
    assert (session.room, session.start, session.end) == (None, None, None)
    html = organizer_client.get(GRID).content.decode()
    assert "Ethics in cooperative finance" in unscheduled_html(html)


def test_moving_onto_an_occupied_room_and_time_reports_the_double_booking(
    organizer_client, tokyo, draft
):
    room_a = Room.objects.get(edition=tokyo, name="Room A")
    occupant = Session.objects.get(edition=tokyo, title="Socially responsible investment in Asia")
    response = post_move(
        organizer_client,
        draft,
        {"room": room_a.pk, "start": "2009-11-07T12:00", "end": "2009-11-07T13:30"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["conflicts"] == [
        {
            "kind": ConflictKind.ROOM_DOUBLE_BOOKED,
            "severity": "hard",
            "sessions": [occupant.pk, draft.pk],
            "message": "“Socially responsible investment in Asia” and “Draft: youth and the "
            "SSE” are both in Room A at the same time.",
        }
    ]
    draft.refresh_from_db()
    assert draft.room == room_a  # a conflict is reported, not refused: publishing refuses it


def unchanged(session) -> tuple:
    session.refresh_from_db()
    return session.room_id, session.start, session.end


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"room": "ROOM_C", "start": "2009-11-07T10:00", "end": "2009-11-07T09:00"},
            "end",
            "The session must end after it starts.",
        ),
        (
            {"room": "ROOM_C", "start": "2009-11-07T10:00", "end": "2009-11-07T10:00"},
            "end",
            "The session must end after it starts.",
        ),
        (
            {"room": "ROOM_C", "start": "2009-11-07T10:00", "end": None},
            "end",
            "Give both the start and the end, or neither.",
        ),
        (
            {"room": "ROOM_C", "start": None, "end": "2009-11-07T10:00"},
            "end",
            "Give both the start and the end, or neither.",
        ),
        (
            {"room": None, "start": "2009-11-07T10:00", "end": "2009-11-07T11:00"},
            "room",
            "Choose a room for a session with a time.",
        ),
        (
            {"room": "ROOM_C", "start": None, "end": None},
            "start",
            "Give the start and the end of a session in a room.",
        ),
        (
            {"room": "ROOM_C", "start": "7 Nov 2009 10:00", "end": "2009-11-07T11:00"},
            "start",
            "Give the time as YYYY-MM-DDTHH:MM, e.g. 2009-11-07T09:30.",
        ),
        (
            {"room": "ROOM_C", "start": 1257555600, "end": "2009-11-07T11:00"},
            "start",
            "Give the time as YYYY-MM-DDTHH:MM, e.g. 2009-11-07T09:30.",
        ),
        (
            {"room": 999_999, "start": "2009-11-07T10:00", "end": "2009-11-07T11:00"},
            "room",
            "This room is not a room of this edition.",
        ),
        (
            {"room": True, "start": "2009-11-07T10:00", "end": "2009-11-07T11:00"},
            "room",
            "This room is not a room of this edition.",
        ),
        (
            {"room": "ROOM_C", "start": "2009-11-12T10:00", "end": "2009-11-12T11:00"},
            "start",
            "The session falls outside the edition's days.",
        ),
        (
            {"room": "ROOM_C", "start": "2009-11-07T10:00"},
            "__all__",
            "Send an object with a room, a start and an end (each may be null).",
        ),
        (["ROOM_C"], "__all__", "Send an object with a room, a start and an end"),
        ("{not json", "__all__", "The request is not valid JSON."),
    ],
)
def test_bad_moves_are_refused_with_a_message_and_save_nothing(
    organizer_client, draft, room_c, payload, field, message
):
    def with_room(value):
        return room_c.pk if value == "ROOM_C" else value

    if isinstance(payload, dict):
        payload = {key: with_room(value) for key, value in payload.items()}
    elif isinstance(payload, list):
        payload = [with_room(value) for value in payload]
    before = unchanged(draft)
    response = post_move(organizer_client, draft, payload)
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert field in body["errors"], body
    assert any(m.startswith(message) for m in body["errors"][field]), body
    assert unchanged(draft) == before


def test_a_room_of_another_edition_is_refused(organizer_client, draft, manila):
    manila_room = RoomFactory(edition=manila, name="Manila hall")
    before = unchanged(draft)
    response = post_move(
        organizer_client,
        draft,
        {"room": manila_room.pk, "start": "2009-11-07T09:00", "end": "2009-11-07T10:00"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"room": ["This room is not a room of this edition."]}
    assert unchanged(draft) == before


def test_a_session_of_another_edition_is_not_reachable_by_its_id(organizer_client, manila, room_c):
    theirs = SessionFactory(edition=manila, title="Manila plenary")
    payload = {"room": room_c.pk, "start": "2009-11-07T09:00", "end": "2009-11-07T10:00"}
    # Through the organizer's own edition: no such session there.
    response = post_move(organizer_client, theirs, payload)
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "errors": {"__all__": ["This edition has no such session."]},
    }
    # Through the other edition: refused.
    response = post_move(organizer_client, theirs, payload, slug="2007-manila")
    assert response.status_code == 403
    assert response.json()["ok"] is False
    assert unchanged(theirs) == (None, None, None)


def test_a_move_needs_a_post_with_the_csrf_token(tokyo, draft, room_c):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="tokyo-organizer"))
    payload = {"room": room_c.pk, "start": "2009-11-07T09:00", "end": "2009-11-07T10:00"}
    response = post_move(client, draft, payload)
    assert response.status_code == 403
    assert unchanged(draft) == (None, None, None)
    assert client.get(move_url(draft)).status_code == 405
    # With the token from the grid page, the same move is saved.
    html = client.get(GRID).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        move_url(draft),
        json.dumps(payload),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert unchanged(draft)[0] == room_c.pk


def test_a_role_that_does_not_programme_cannot_move(client, draft, room_c):
    client.force_login(get_user_model().objects.get(username="tokyo-drafting"))
    payload = {"room": room_c.pk, "start": "2009-11-07T09:00", "end": "2009-11-07T10:00"}
    response = post_move(client, draft, payload)
    assert response.status_code in (302, 403)
    assert unchanged(draft) == (None, None, None)


# --- queries ----------------------------------------------------------------------------

MORE = 30


def queries_for(client, path: str) -> int:
    client.get(path)  # warm the per-process caches (content types, site, locales)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def test_grid_queries_do_not_grow_with_sessions(organizer_client, tokyo):
    small = queries_for(organizer_client, GRID)
    rooms = list(Room.objects.filter(edition=tokyo))
    for i in range(MORE):
        room = rooms[i % len(rooms)]
        hour = 7 + (i // len(rooms))
        SessionFactory(
            edition=tokyo,
            room=room if i % 3 else None,
            start=local(tokyo, i % 4, f"{hour:02d}:00") if i % 3 else None,
            end=local(tokyo, i % 4, f"{hour:02d}:45") if i % 3 else None,
        )
    assert Session.objects.filter(edition=tokyo).count() == 16 + MORE
    assert queries_for(organizer_client, GRID) == small


def test_grid_list_queries_do_not_grow_with_sessions(organizer_client, tokyo):
    small = queries_for(organizer_client, reverse("sessions_app_grids"))
    for _ in range(MORE):
        SessionFactory(edition=tokyo)
    assert queries_for(organizer_client, reverse("sessions_app_grids")) == small


def test_overlapping_sessions_of_a_room_get_lanes_side_by_side(organizer_client, tokyo, room_c):
    def add(title, start, end):
        return SessionFactory(
            edition=tokyo,
            title=title,
            room=room_c,
            start=local(tokyo, 0, start),
            end=local(tokyo, 0, end),
        )

    long = add("Long", "09:00", "10:30")
    inner = add("Inner", "09:30", "10:00")
    after_inner = add("After inner", "10:00", "11:00")
    alone = add("Alone", "11:00", "12:00")
    grid = schedule_grid(tokyo)
    first_day = grid.days[0]
    cards = {
        card.session.pk: card for row in first_day.rows for cell in row.cells for card in cell.cards
    }
    assert [(cards[s.pk].lane, cards[s.pk].lanes) for s in (long, inner, after_inner, alone)] == [
        (0, 2),
        (1, 2),
        (1, 2),
        (0, 1),
    ]
    lanes = dict(zip([room.name for room in grid.rooms], first_day.room_lanes, strict=True))
    assert lanes == {"Main Hall": 1, "Room A": 1, "Room B": 1, "Room C": 2, "Off-site": 1}
    assert [d.room_lanes for d in grid.days[1:]] == [[1, 1, 1, 1, 1]] * 3

    html = organizer_client.get(GRID).content.decode()
    assert (
        f'class="sg-room sg-room--lanes-2" data-room="{room_c.pk}"' in html
    )  # the first day's Room C column is two lanes wide
    assert 'class="sg-card sg-lane-1 sg-lanes-2 sg-card--confirmed' in cell_html(
        html, room_c, "2009-11-07T09:30"
    )
    alone_card = cell_html(html, room_c, "2009-11-07T11:00")
    assert "Alone" in alone_card
    assert "sg-lane" not in alone_card  # one lane: the stylesheet's default


def test_lanes_reuse_a_freed_lane_and_count_short_sessions_as_a_slot():
    edition = Edition(time_zone="Asia/Tokyo")
    at = datetime.datetime(2009, 11, 7, 9, 0, tzinfo=datetime.UTC)

    def card(pk, start, minutes):
        begin = at + datetime.timedelta(minutes=start)
        return GridCard(
            session=Session(pk=pk, edition=edition),
            start=begin,
            end=begin + datetime.timedelta(minutes=minutes),
            conflicts=[],
        )

    cards = [card(1, 0, 5), card(2, 10, 30), card(3, 20, 60), card(4, 45, 30), card(5, 200, 30)]
    # 09:00-09:05 holds lane 0 until 09:15, so 09:10 goes beside it; 09:20 takes lane 0 back.
    assert assign_lanes(cards) == 2
    assert [(c.lane, c.lanes) for c in cards] == [(0, 2), (1, 2), (0, 2), (1, 2), (0, 1)]
    assert assign_lanes([]) == 1


# --- size -------------------------------------------------------------------------------


def large_edition(sessions: int) -> Edition:
    """An edition of 4 days and 12 rooms holding `sessions` sessions of 75 minutes with a speaker
    each, every 90 minutes from 09:00 (bench/speed.py's "2031-bench" at 300)."""
    edition = EditionFactory(time_zone="Asia/Seoul")
    rooms = Room.objects.bulk_create(
        Room(edition=edition, name=f"Room {i}", capacity=200, position=i) for i in range(12)
    )
    tracks = TrackFactory.create_batch(6, edition=edition)
    speakers = Speaker.objects.bulk_create(
        Speaker(edition=edition, name=f"Speaker {i:03d} Kim", slug=f"speaker-{i}")
        for i in range(sessions)
    )
    per_day = sessions // 4
    placed = []
    for n in range(sessions):
        day, index = divmod(n, per_day)
        slot, room = divmod(index, len(rooms))
        start = local(edition, day, "09:00") + datetime.timedelta(minutes=90 * slot)
        placed.append(
            Session(
                edition=edition,
                title=f"Session {n}: cooperatives, care and community finance",
                slug=f"s-{n}",
                kind=SessionKind.WORKSHOP,
                status=SessionStatus.CONFIRMED,
                room=rooms[room],
                track=tracks[n % len(tracks)],
                start=start,
                end=start + datetime.timedelta(minutes=75),
            )
        )
    Session.objects.bulk_create(placed)
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, speaker=speaker, role="panelist")
        for session, speaker in zip(placed, speakers, strict=True)
    )
    return edition


def test_grid_of_300_sessions_is_under_150_kb_in_the_queries_of_the_demo(client, tokyo):
    """Issue 14: at 4 days, 12 rooms and 300 sessions (2,880 cells) the page stays small, and
    it reads no more than the demo's 15 sessions."""
    client.force_login(get_user_model().objects.create_superuser("grid-admin", "g@example.org"))
    small = queries_for(client, GRID)
    path = reverse("sessions_app_grid", args=[large_edition(300).slug])
    assert queries_for(client, path) == small
    html = client.get(path).content
    assert html.count(b'class="sg-card__title"') == 300
    body = html[html.index(b"<tbody>") : html.rindex(b"</tbody>")]
    assert body.count(b"<td>") == 4 * 60 * 12  # bare cells: 4 days, 07:00-22:00, 12 rooms
    assert len(html) <= 150_000, len(html)
