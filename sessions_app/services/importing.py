"""Moving a programme from pretalx or frab: a schedule export (importers/schedule.py) into an
edition's rooms, tracks, speakers and sessions.

Guids are kept: a session gets the event's guid (so our frab export and our iCalendar UIDs are
the ones calendar subscribers already have), a room its room's guid, a speaker the person's
guid, code or id as its import key. Importing the same file again updates what it made instead
of adding a second copy. `plan_import` says what an import would do without writing; both refuse
a schedule that does not fit the edition (ImportRefusedError), and then nothing is changed.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forum.models import LANGUAGE_TAG_VALIDATOR, Edition
from sessions_app.enums import SessionKind, SessionStatus
from sessions_app.importers.schedule import ImportedEvent, ImportedSchedule
from sessions_app.models import CODE_ALPHABET, Room, Session, SessionSpeaker, Speaker, Track
from sessions_app.selectors import edition_bounds

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
CODE = re.compile(f"^[{CODE_ALPHABET}]{{6}}$")
KINDS = (
    ("workshop", SessionKind.WORKSHOP),
    ("panel", SessionKind.PANEL),
    ("keynote", SessionKind.PLENARY),
    ("plenary", SessionKind.PLENARY),
    ("visit", SessionKind.VISIT),
    ("excursion", SessionKind.VISIT),
    ("break", SessionKind.BREAK),
    ("lunch", SessionKind.BREAK),
)
SHOWN_ERRORS = 5


class ImportRefusedError(Exception):
    """The schedule does not fit the edition; `messages` say why, for a person."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass
class ImportPlan:
    """How many of each kind an import adds and updates: {"sessions": [new, updated], …}."""

    counts: dict[str, list[int]] = field(
        default_factory=lambda: {k: [0, 0] for k in ("rooms", "tracks", "speakers", "sessions")}
    )

    def count(self, kind: str, *, new: bool) -> None:
        self.counts[kind][0 if new else 1] += 1

    @property
    def rows(self) -> list[tuple[str, int, int]]:
        names = {
            "rooms": _("Rooms"),
            "tracks": _("Tracks"),
            "speakers": _("Speakers"),
            "sessions": _("Sessions"),
        }
        return [(names[kind], new, updated) for kind, (new, updated) in self.counts.items()]


def _kind(text: str) -> str:
    text = text.casefold()
    return next((kind for word, kind in KINDS if word in text), SessionKind.WORKSHOP)


def _language(text: str, default: str) -> str:
    text = (text or "").strip()
    try:
        LANGUAGE_TAG_VALIDATOR(text)
    except ValidationError:
        return default
    return text[:16]


def _abstract(text: str) -> str:
    """pretalx's abstracts are Markdown, frab's plain text: both kept as escaped paragraphs."""
    return linebreaks(escape(text.strip())) if text.strip() else ""


def _unique_slug(taken: set[str], text: str, max_length: int) -> str:
    base = (slugify(text) or "item")[: max_length - 5].strip("-") or "item"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


class _Matcher:
    """What of the edition's programme each thing in the file is (None: new). Reads the
    edition's rooms, tracks, speakers and the file's sessions once."""

    def __init__(self, edition: Edition, schedule: ImportedSchedule):
        self.edition = edition
        self.schedule = schedule
        rooms = list(Room.objects.filter(edition=edition))
        self.rooms_by_guid = {str(r.guid): r for r in rooms}
        self.rooms_by_name = {r.name.casefold(): r for r in rooms}
        guids = {g for g in schedule.rooms.values() if g}
        self.foreign_room_guids = {
            str(g)
            for g in Room.objects.filter(guid__in=guids)
            .exclude(edition=edition)
            .values_list("guid", flat=True)
        }
        tracks = list(Track.objects.filter(edition=edition))
        self.tracks_by_name = {t.name.casefold(): t for t in tracks}
        self.tracks_by_slug = {t.slug: t for t in tracks}
        self.speakers = {
            s.import_key: s
            for s in Speaker.objects.filter(edition=edition, import_key__in=list(schedule.persons))
        }
        event_guids = [e.guid for e in schedule.events]
        self.sessions = {str(s.guid): s for s in Session.objects.filter(guid__in=event_guids)}

    def room(self, name: str, guid: str | None) -> Room | None:
        return (guid and self.rooms_by_guid.get(guid)) or self.rooms_by_name.get(name.casefold())

    def track(self, name: str) -> Track | None:
        return self.tracks_by_name.get(name.casefold()) or self.tracks_by_slug.get(
            slugify(name)[:64]
        )

    def track_names(self) -> dict[str, str]:
        names = dict(self.schedule.tracks)
        for event in self.schedule.events:
            if event.track:
                names.setdefault(event.track, "")
        return names

    def problems(self) -> list[str]:
        found = []
        foreign = [
            e
            for e in self.schedule.events
            if e.guid in self.sessions and self.sessions[e.guid].edition_id != self.edition.pk
        ]
        if foreign:
            found.append(
                _(
                    "%(count)d sessions of the file are already in another edition (%(titles)s): "
                    "a session keeps its guid in one edition only."
                )
                % {
                    "count": len(foreign),
                    "titles": ", ".join(e.title for e in foreign[:SHOWN_ERRORS]),
                }
            )
        first, last = edition_bounds(self.edition)
        outside = [
            e
            for e in self.schedule.events
            if first
            and last
            and (e.start < first or e.start + datetime.timedelta(minutes=e.minutes) > last)
        ]
        if outside:
            found.append(
                _(
                    "%(count)d sessions fall outside the edition's days, %(first)s to %(last)s "
                    "(%(titles)s). Change the edition's days first, or import into another "
                    "edition."
                )
                % {
                    "count": len(outside),
                    "first": self.edition.start_date,
                    "last": self.edition.end_date,
                    "titles": ", ".join(e.title for e in outside[:SHOWN_ERRORS]),
                }
            )
        return found


def plan_import(*, edition: Edition, schedule: ImportedSchedule) -> ImportPlan:
    """What importing `schedule` into `edition` would add and update. Writes nothing.

    Raises ImportRefusedError if the schedule does not fit the edition."""
    matcher = _Matcher(edition, schedule)
    problems = matcher.problems()
    if problems:
        raise ImportRefusedError(problems)
    plan = ImportPlan()
    seen_rooms: set[str] = set()
    for name, guid in schedule.rooms.items():
        if name.casefold() not in seen_rooms:
            seen_rooms.add(name.casefold())
            plan.count("rooms", new=matcher.room(name, guid) is None)
    for event in schedule.events:
        if event.room.casefold() not in seen_rooms:
            seen_rooms.add(event.room.casefold())
            plan.count("rooms", new=matcher.room(event.room, event.room_guid) is None)
    for name in matcher.track_names():
        plan.count("tracks", new=matcher.track(name) is None)
    for key in schedule.persons:
        plan.count("speakers", new=key not in matcher.speakers)
    for event in schedule.events:
        plan.count("sessions", new=event.guid not in matcher.sessions)
    return plan


@transaction.atomic
def import_schedule(*, edition: Edition, schedule: ImportedSchedule, user) -> ImportPlan:
    """Import `schedule` into `edition`: adds what is new, updates what an earlier import of the
    same programme made (matched by guid, or a room by name, a track by name). Imported sessions
    are confirmed and placed in their rooms at their times; their speakers are the file's.

    Raises ImportRefusedError (and changes nothing) if the schedule does not fit the edition.
    Side effects: writes rooms, tracks, speakers, sessions and their speaker links; one
    `wagtail.create` or `wagtail.edit` entry by `user` in each session's history."""
    plan = plan_import(edition=edition, schedule=schedule)
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    matcher = _Matcher(edition, schedule)
    rooms = _import_rooms(edition, schedule, matcher)
    tracks = _import_tracks(edition, matcher)
    speakers = _import_speakers(edition, schedule, matcher)
    session_slugs = set(Session.objects.filter(edition=edition).values_list("slug", flat=True))
    codes = set(
        Session.objects.filter(code__in=[e.code for e in schedule.events if e.code]).values_list(
            "code", flat=True
        )
    )
    for event in schedule.events:
        found = matcher.sessions.get(event.guid)
        created = found is None
        session: Session = found if found is not None else Session(edition=edition)
        if created:
            session = Session(edition=edition, guid=uuid.UUID(event.guid))
            session.slug = _unique_slug(session_slugs, event.title, 100)
            if CODE.match(event.code) and event.code not in codes:
                session.code = event.code
                codes.add(event.code)
            session.status = SessionStatus.CONFIRMED
        _fill_session(session, event, edition, rooms, tracks)
        session.save()
        _link_speakers(session, [speakers[key] for key in event.persons], created=created)
        log(instance=session, action="wagtail.create" if created else "wagtail.edit", user=user)
    return plan


def _fill_session(session, event: ImportedEvent, edition, rooms, tracks) -> None:
    session.title = event.title
    session.abstract = _abstract(event.abstract)
    session.kind = _kind(event.kind)
    session.language = _language(event.language, session.language or "en")
    session.room = rooms[event.room.casefold()]
    session.track = tracks.get(event.track.casefold()) if event.track else None
    session.start = event.start
    session.end = event.start + datetime.timedelta(minutes=event.minutes)


def _link_speakers(session: Session, speakers: list[Speaker], *, created: bool) -> None:
    wanted = {s.pk for s in speakers}
    if not created:
        SessionSpeaker.objects.filter(session=session).exclude(speaker_id__in=wanted).delete()
    have = set(SessionSpeaker.objects.filter(session=session).values_list("speaker_id", flat=True))
    new = []
    for index, speaker in enumerate(speakers):
        if speaker.pk not in have:
            have.add(speaker.pk)
            new.append(SessionSpeaker(session=session, speaker=speaker, sort_order=index))
    SessionSpeaker.objects.bulk_create(new)


def _import_rooms(edition, schedule: ImportedSchedule, matcher: _Matcher) -> dict[str, Room]:
    names = dict(schedule.rooms)
    for event in schedule.events:
        names.setdefault(event.room, event.room_guid)
    position = max((r.position for r in matcher.rooms_by_name.values()), default=0)
    found: dict[str, Room] = {}
    for name, guid in names.items():
        if name.casefold() in found:
            continue
        room = matcher.room(name, guid)
        if room is None:
            position += 1
            room = Room(edition=edition, name=name[:128], position=position)
            if guid and guid not in matcher.foreign_room_guids:
                room.guid = uuid.UUID(guid)
            room.save()
        elif room.name != name[:128] and name.casefold() not in matcher.rooms_by_name:
            room.name = name[:128]
            room.save()
        matcher.rooms_by_name[name.casefold()] = room
        found[name.casefold()] = room
    return found


def _import_tracks(edition, matcher: _Matcher) -> dict[str, Track]:
    slugs = set(matcher.tracks_by_slug)
    found: dict[str, Track] = {}
    for name, colour in matcher.track_names().items():
        track = matcher.track(name)
        if track is None:
            track = Track(edition=edition, name=name[:128], slug=_unique_slug(slugs, name, 64))
            if COLOUR.match(colour or ""):
                track.colour = colour
            track.save()
        found[name.casefold()] = track
    return found


def _import_speakers(edition, schedule: ImportedSchedule, matcher: _Matcher) -> dict:
    slugs = set(Speaker.objects.filter(edition=edition).values_list("slug", flat=True))
    found = {}
    for key, person in schedule.persons.items():
        speaker = matcher.speakers.get(key)
        if speaker is None:
            speaker = Speaker.objects.create(
                edition=edition,
                name=person.name,
                slug=_unique_slug(slugs, person.name, 80),
                bio=person.bio,
                import_key=key,
            )
        elif (speaker.name, speaker.bio) != (person.name, person.bio or speaker.bio):
            speaker.name = person.name
            speaker.bio = person.bio or speaker.bio
            speaker.save(update_fields=["name", "bio"])
        found[key] = speaker
    return found
