"""The demo programme of AFSE 2009 Tokyo: rooms, tracks, speakers, sessions and two releases.

The people are invented; the themes and the shape of the days follow shared/DOMAIN.md.
"""

import datetime
import zoneinfo

from django.db import transaction
from django.utils.text import slugify

from demo.translations import translate_demo_programme
from forum.models import Edition, Organization
from sessions_app.enums import SessionKind, SessionStatus, SpeakerRole
from sessions_app.models import Room, Session, SessionSpeaker, Speaker, SpeakerAvailability, Track
from sessions_app.services.releases import publish_release

ROOMS = [
    # name, capacity, floor, booths, notes
    ("Main Hall", 500, "1F", True, "Step-free entrance; hearing loop."),
    ("Room A", 80, "2F", True, "Lift from the main lobby."),
    ("Room B", 60, "2F", False, "Lift from the main lobby."),
    ("Room C", 40, "3F", False, "Stairs only: ask the desk for the ground-floor alternative."),
    ("Off-site", None, "", False, "Meet at the main entrance; transport provided."),
]

TRACKS = [
    ("Social finance", "social-finance", "#0b5c8a"),
    ("Fair trade", "fair-trade", "#b45309"),
    ("Social enterprise", "social-enterprise", "#1d5c4d"),
    ("Welfare and care", "welfare-and-care", "#7c3aed"),
    ("Policy and legislation", "policy-and-legislation", "#be123c"),
]

SPEAKERS = [
    # name, native, language, country, organization name
    ("Hiroshi Tanaka", "田中 博", "ja", "JP", "Japan Workers' Co-operative Union"),
    ("Kim Min-jung", "김민정", "ko", "KR", "Korean Social Enterprise Network"),
    ("Maria Santos", "", "", "PH", "Coalition of Socially Responsible SMEs in Asia"),
    ("Siti Rahmah", "", "", "MY", "Solidarity Economy Network of Malaysia"),
    ("Yuki Sato", "佐藤 由紀", "ja", "JP", "AFSE 2009 Preparatory Committee"),
    ("Anan Chaiyasit", "อนันต์ ชัยสิทธิ์", "th", "TH", ""),
    ("Claire Dubois", "", "", "FR", ""),
    ("Ram Shrestha", "राम श्रेष्ठ", "ne", "NP", ""),
]

# day (0-3), start, end, title, kind, track slug, room, speakers [(index, role)], extra
SESSIONS = [
    (
        0,
        "09:30",
        "11:00",
        "Solidarity Economy from the Asian Perspective",
        SessionKind.PLENARY,
        None,
        "Main Hall",
        [(0, SpeakerRole.KEYNOTE), (1, SpeakerRole.KEYNOTE), (4, SpeakerRole.MODERATOR)],
        {"interpretation": "ja, ko", "attendance": 450},
    ),
    (0, "11:00", "11:30", "Coffee break", SessionKind.BREAK, None, "Main Hall", [], {}),
    (
        0,
        "11:30",
        "13:00",
        "Socially responsible investment in Asia",
        SessionKind.PANEL,
        "social-finance",
        "Room A",
        [(2, SpeakerRole.PANELIST), (6, SpeakerRole.PANELIST), (5, SpeakerRole.MODERATOR)],
        {"attendance": 70},
    ),
    (
        0,
        "11:30",
        "13:00",
        "Fair trade from producer to consumer",
        SessionKind.WORKSHOP,
        "fair-trade",
        "Room B",
        [(3, SpeakerRole.PANELIST), (7, SpeakerRole.RAPPORTEUR)],
        {"attendance": 50},
    ),
    (
        0,
        "14:30",
        "16:00",
        "Micro-finance and NPO banks",
        SessionKind.WORKSHOP,
        "social-finance",
        "Room A",
        [(0, SpeakerRole.PANELIST), (7, SpeakerRole.PANELIST)],
        {"attendance": 60, "interpretation": "ja"},
    ),
    (
        0,
        "14:30",
        "16:00",
        "A solidarity tax levy",
        SessionKind.PANEL,
        "policy-and-legislation",
        "Room C",
        [(6, SpeakerRole.PANELIST), (1, SpeakerRole.MODERATOR)],
        {"attendance": 35},
    ),
    (
        1,
        "09:00",
        "17:00",
        "Fact-finding visit: workers' cooperatives in Tama",
        SessionKind.VISIT,
        "social-enterprise",
        "Off-site",
        [(4, SpeakerRole.MODERATOR)],
        {
            "meeting_point": "Main entrance, 08:45",
            "transport": "Chartered bus; lunch provided.",
            "attendance": 40,
        },
    ),
    (
        1,
        "10:00",
        "11:30",
        "Social welfare for the elderly and the unemployed",
        SessionKind.WORKSHOP,
        "welfare-and-care",
        "Room A",
        [(5, SpeakerRole.PANELIST), (3, SpeakerRole.MODERATOR)],
        {"attendance": 60, "interpretation": "ja"},
    ),
    (
        1,
        "10:00",
        "11:30",
        "Social performance management",
        SessionKind.WORKSHOP,
        "social-enterprise",
        "Room B",
        [(1, SpeakerRole.PANELIST), (2, SpeakerRole.MODERATOR)],
        {"attendance": 45},
    ),
    (
        2,
        "10:00",
        "12:00",
        "Public policy and legislation for the SSE",
        SessionKind.PANEL,
        "policy-and-legislation",
        "Main Hall",
        [
            (0, SpeakerRole.PANELIST),
            (1, SpeakerRole.PANELIST),
            (3, SpeakerRole.PANELIST),
            (6, SpeakerRole.MODERATOR),
        ],
        {"attendance": 300, "interpretation": "ja, ko"},
    ),
    (
        2,
        "14:00",
        "15:30",
        "Local and grassroots development",
        SessionKind.WORKSHOP,
        None,
        "Room A",
        [(7, SpeakerRole.PANELIST), (5, SpeakerRole.PANELIST)],
        {"attendance": 60},
    ),
    (
        2,
        "18:30",
        "20:30",
        "Side event: cooperative film evening",
        SessionKind.SIDE_EVENT,
        None,
        "Room C",
        [],
        {"attendance": 30},
    ),
    (
        3,
        "10:00",
        "12:00",
        "Presentation of the draft statement of commitment",
        SessionKind.PLENARY,
        None,
        "Main Hall",
        [(4, SpeakerRole.MODERATOR), (2, SpeakerRole.RAPPORTEUR)],
        {"attendance": 450, "interpretation": "ja, ko"},
    ),
    (
        3,
        "14:00",
        "15:30",
        "Adoption of the statement and closing",
        SessionKind.PLENARY,
        None,
        "Main Hall",
        [(4, SpeakerRole.MODERATOR)],
        {"attendance": 450, "interpretation": "ja, ko"},
    ),
]


def _at(edition: Edition, day: int, clock: str) -> datetime.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    tz = zoneinfo.ZoneInfo(edition.time_zone)
    date = edition.start_date + datetime.timedelta(days=day)
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=tz)


@transaction.atomic
def build_demo_programme(edition: Edition) -> bool:
    """Create the demo programme once; False if the edition already has one."""
    if edition.rooms.exists():
        return False
    rooms = {}
    for position, (name, capacity, floor, booths, notes) in enumerate(ROOMS):
        rooms[name] = Room.objects.create(
            edition=edition,
            name=name,
            capacity=capacity,
            floor=floor,
            has_interpretation_booths=booths,
            accessibility_notes=notes,
            position=position,
        )
    tracks = {
        slug: Track.objects.create(edition=edition, name=name, slug=slug, colour=colour)
        for name, slug, colour in TRACKS
    }
    speakers = []
    for name, native, language, country, organization in SPEAKERS:
        speaker = Speaker.objects.create(
            edition=edition,
            name=name,
            name_native=native,
            native_language=language,
            slug=slugify(name),
            country=country,
            organization=Organization.objects.filter(name=organization).first(),
            bio=f"{name} works on the social and solidarity economy.",
        )
        speakers.append(speaker)
    # Kim Min-jung gave the days of the forum as her availability.
    SpeakerAvailability.objects.create(
        speaker=speakers[1], start=_at(edition, 0, "08:00"), end=_at(edition, 3, "20:00")
    )
    for day, start, end, title, kind, track, room, people, extra in SESSIONS:
        session = Session.objects.create(
            edition=edition,
            title=title,
            slug=slugify(title)[:100],
            kind=kind,
            track=tracks.get(track),
            room=rooms[room],
            start=_at(edition, day, start),
            end=_at(edition, day, end),
            status=SessionStatus.CONFIRMED,
            abstract=f"<p>{title}: practitioners from across Asia compare experience.</p>",
            language="en",
            interpretation_languages=extra.get("interpretation", ""),
            expected_attendance=extra.get("attendance"),
            meeting_point=extra.get("meeting_point", ""),
            transport_notes=extra.get("transport", ""),
        )
        for order, (index, role) in enumerate(people):
            SessionSpeaker.objects.create(
                session=session, speaker=speakers[index], role=role, sort_order=order
            )
    translate_demo_programme(edition)
    publish_release(edition=edition, title="v1")
    # The second release: a room change, a cancellation, a new session.
    moved = Session.objects.get(edition=edition, slug="a-solidarity-tax-levy")
    moved.room = rooms["Room B"]
    moved.save()
    cancelled = Session.objects.get(edition=edition, slug="side-event-cooperative-film-evening")
    cancelled.status = SessionStatus.CANCELLED
    cancelled.save()
    added = Session.objects.create(
        edition=edition,
        title="Ethics in cooperative finance",
        slug="ethics-in-cooperative-finance",
        kind=SessionKind.WORKSHOP,
        track=tracks["social-finance"],
        room=rooms["Room C"],
        start=_at(edition, 2, "16:00"),
        end=_at(edition, 2, "17:30"),
        status=SessionStatus.CONFIRMED,
        abstract="<p>Ethics and social finance.</p>",
        expected_attendance=35,
    )
    SessionSpeaker.objects.create(session=added, speaker=speakers[6], role=SpeakerRole.PANELIST)
    publish_release(edition=edition, title="v2 — room changes")
    # Work in progress after v2, which the public does not see.
    Session.objects.create(
        edition=edition,
        title="Draft: youth and the SSE",
        slug="draft-youth-and-the-sse",
        kind=SessionKind.WORKSHOP,
        status=SessionStatus.DRAFT,
    )
    return True
