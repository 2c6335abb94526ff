"""Reading a pretalx or frab schedule export (schedule.xml or schedule.json, the c3voc schema in
FORUM_SPECS_DIR) into plain data: rooms, tracks, persons and events, with their guids.

No database here: services/importing.py matches the data to an edition's programme. The XML is
parsed without entities, DTDs or network access (a schedule needs none of them); real exports are
often non-conformant, so only what an import needs is required and the rest is read leniently.
"""

import datetime
import json
import re
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

MAX_BYTES = 5 * 1024 * 1024
MAX_EVENTS = 5000
DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?::\d{2})?$")
TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


class ScheduleFileError(ValueError):
    """The file is not a schedule this import can read; the message says why, for a person."""


@dataclass
class ImportedPerson:
    key: str  # "guid:…", "code:…" or "id:…": what recognises the person on the next import
    name: str
    guid: str | None = None
    bio: str = ""


@dataclass
class ImportedEvent:
    guid: str
    code: str
    title: str
    abstract: str
    room: str
    room_guid: str | None
    track: str
    kind: str
    language: str
    start: datetime.datetime
    minutes: int
    persons: list[str] = field(default_factory=list)


@dataclass
class ImportedSchedule:
    generator: str
    rooms: dict[str, str | None] = field(default_factory=dict)  # name → guid
    tracks: dict[str, str] = field(default_factory=dict)  # name → colour
    persons: dict[str, ImportedPerson] = field(default_factory=dict)
    events: list[ImportedEvent] = field(default_factory=list)


def _guid(value, what: str) -> str:
    try:
        return str(uuid.UUID(str(value).strip()))
    except (ValueError, AttributeError) as exc:
        raise ScheduleFileError(
            _("“%(value)s” is not a valid guid (%(what)s).") % {"value": value, "what": what}
        ) from exc


def _optional_guid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value).strip())) if value else None
    except ValueError:
        return None


def _minutes(value: str, title: str) -> int:
    match = DURATION.match((value or "").strip())
    if not match:
        raise ScheduleFileError(
            _("The duration “%(value)s” of “%(title)s” is not H:MM.")
            % {"value": value, "title": title}
        )
    days, hours, minutes = match.groups()
    if days is not None:  # D:HH:MM
        total = int(days) * 24 * 60 + int(hours) * 60 + int(minutes)
    else:
        total = int(hours) * 60 + int(minutes)
    if total <= 0:
        raise ScheduleFileError(_("“%(title)s” lasts no time.") % {"title": title})
    return total


def _start(date_value: str, title: str) -> datetime.datetime:
    try:
        start = datetime.datetime.fromisoformat((date_value or "").strip())
    except ValueError as exc:
        raise ScheduleFileError(
            _("The date “%(value)s” of “%(title)s” is not a date and time.")
            % {"value": date_value, "title": title}
        ) from exc
    if start.tzinfo is None:
        raise ScheduleFileError(
            _("The date of “%(title)s” has no time zone offset.") % {"title": title}
        )
    return start


def _person(schedule: ImportedSchedule, *, name, guid=None, code=None, pid=None, bio="") -> str:
    name = (name or "").strip()
    guid = _optional_guid(guid)
    if guid:
        key = f"guid:{guid}"
    elif code:
        key = f"code:{str(code).strip()[:40]}"
    elif pid not in (None, ""):
        key = f"id:{str(pid).strip()[:40]}"
    else:
        key = f"name:{name.casefold()[:60]}"
    if not name:
        raise ScheduleFileError(_("A speaker has no name."))
    known = schedule.persons.get(key)
    if known is None:
        schedule.persons[key] = ImportedPerson(key=key, name=name[:255], guid=guid, bio=bio or "")
    elif bio and not known.bio:
        known.bio = bio
    return key


def _add_event(schedule: ImportedSchedule, event: ImportedEvent) -> None:
    if len(schedule.events) >= MAX_EVENTS:
        raise ScheduleFileError(_("The file has more than %(max)d sessions.") % {"max": MAX_EVENTS})
    if any(known.guid == event.guid for known in schedule.events):
        raise ScheduleFileError(
            _("The guid %(guid)s is given to two sessions.") % {"guid": event.guid}
        )
    schedule.events.append(event)


def _text(element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _parse_xml(data: bytes) -> ImportedSchedule:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ScheduleFileError(
            _("The file is not well-formed XML: %(error)s") % {"error": exc}
        ) from exc
    if root.tag != "schedule":
        raise ScheduleFileError(_("The XML file is not a frab schedule (no <schedule>)."))
    generator = root.find("generator")
    schedule = ImportedSchedule(
        generator=generator.get("name", "frab") if generator is not None else "frab"
    )
    conference = root.find("conference")
    for track in conference.iter("track") if conference is not None else []:
        if track.get("name"):
            schedule.tracks[track.get("name").strip()] = track.get("color") or ""
    for day in root.iter("day"):
        for room in day.iter("room"):
            room_name = (room.get("name") or "").strip()
            if room_name:
                schedule.rooms.setdefault(room_name, _optional_guid(room.get("guid")))
            for element in room.iter("event"):
                title = _text(element, "title")
                if not title:
                    raise ScheduleFileError(_("A session has no title."))
                persons = [
                    _person(
                        schedule,
                        name=p.text,
                        guid=p.get("guid"),
                        code=p.get("code"),
                        pid=p.get("id"),
                    )
                    for p in element.iter("person")
                ]
                _add_event(
                    schedule,
                    ImportedEvent(
                        guid=_guid(element.get("guid"), title),
                        code=(element.get("code") or "").strip(),
                        title=title[:255],
                        abstract=_text(element, "abstract") or _text(element, "description"),
                        room=_text(element, "room") or room_name,
                        room_guid=_optional_guid(room.get("guid")),
                        track=_text(element, "track"),
                        kind=_text(element, "type"),
                        language=_text(element, "language"),
                        start=_start(_text(element, "date"), title),
                        minutes=_minutes(_text(element, "duration"), title),
                        persons=persons,
                    ),
                )
    return schedule


def _parse_json(data: bytes) -> ImportedSchedule:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ScheduleFileError(
            _("The file is not valid JSON: %(error)s") % {"error": exc}
        ) from exc
    conference = (
        document.get("schedule", {}).get("conference") if isinstance(document, dict) else None
    )
    if not isinstance(conference, dict) or not isinstance(conference.get("days"), list):
        raise ScheduleFileError(
            _("The JSON file is not a frab schedule (no schedule → conference → days).")
        )
    generator = document.get("generator") or document.get("schedule", {}).get("generator") or {}
    schedule = ImportedSchedule(
        generator=generator.get("name", "frab") if isinstance(generator, dict) else "frab"
    )
    for track in conference.get("tracks") or []:
        if isinstance(track, dict) and track.get("name"):
            schedule.tracks[str(track["name"]).strip()] = str(track.get("color") or "")
    for room in conference.get("rooms") or []:
        if isinstance(room, dict) and room.get("name"):
            schedule.rooms.setdefault(str(room["name"]).strip(), _optional_guid(room.get("guid")))
    for day in conference["days"]:
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            raise ScheduleFileError(_("A day of the schedule has no rooms."))
        for room_name, events in rooms.items():
            schedule.rooms.setdefault(str(room_name).strip(), None)
            for event in events if isinstance(events, list) else []:
                if not isinstance(event, dict) or not str(event.get("title") or "").strip():
                    raise ScheduleFileError(_("A session has no title."))
                title = str(event["title"]).strip()
                persons = [
                    _person(
                        schedule,
                        name=p.get("public_name") or p.get("name") or p.get("full_name"),
                        guid=p.get("guid"),
                        code=p.get("code"),
                        pid=p.get("id"),
                        bio=str(p.get("biography") or ""),
                    )
                    for p in event.get("persons") or []
                    if isinstance(p, dict)
                ]
                room = str(event.get("room") or room_name).strip()
                _add_event(
                    schedule,
                    ImportedEvent(
                        guid=_guid(event.get("guid"), title),
                        code=str(event.get("code") or "").strip(),
                        title=title[:255],
                        abstract=str(event.get("abstract") or event.get("description") or ""),
                        room=room,
                        room_guid=schedule.rooms.get(room),
                        track=str(event.get("track") or "").strip(),
                        kind=str(event.get("type") or ""),
                        language=str(event.get("language") or ""),
                        start=_start(str(event.get("date") or ""), title),
                        minutes=_minutes(str(event.get("duration") or ""), title),
                        persons=persons,
                    ),
                )
    return schedule


def parse_schedule(data: bytes) -> ImportedSchedule:
    """The schedule in `data` (frab XML or JSON, told apart by its first character)."""
    if len(data) > MAX_BYTES:
        raise ScheduleFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        schedule = _parse_xml(data)
    elif head == b"{":
        schedule = _parse_json(data)
    else:
        raise ScheduleFileError(_("The file is neither a frab XML nor a JSON schedule."))
    if not schedule.events:
        raise ScheduleFileError(_("The file has no sessions."))
    return schedule
