"""The programme as a frab schedule, in XML and in JSON, rendered from a release's snapshot.

Both follow the c3voc schemas (shared/specs: frab-schedule.xsd and frab-schedule.schema.json),
which Giggity, ConfClerk, EventFahrplan and the c3voc tools read. What the schemas leave open is
decided as pretalx does: a day runs from 04:00 local time to 03:59 the next day, the days cover
the edition's dates (and any session outside them), every room appears on every day.

Cancelled sessions are left out: frab has no cancelled state, and an event that stays in the
file would be shown as taking place. The iCalendar feed keeps them with STATUS:CANCELLED.

Identifiers are stable across releases: an event keeps the session's id, guid and code; a person
keeps the speaker's id and a guid derived from the speaker's code (SPEAKER_GUID_NAMESPACE).
"""

import datetime
import json
import math
import re
import uuid
import zoneinfo
from collections.abc import Iterable

from django.utils import translation
from lxml import etree

from sessions_app.enums import SessionStatus
from sessions_app.exporters import register
from sessions_app.exporters.ical import (
    absolute_url,
    clean_text,
    html_to_text,
    kind_label,
    language_prefix,
    programme_url,
    select_sessions,
    session_url,
    site_host,
    speaker_display_name,
    speaker_url,
)
from sessions_app.snapshot import (
    Material,
    Snapshot,
    SnapshotRoom,
    SnapshotSession,
    SnapshotSpeaker,
    SnapshotTrack,
)

GENERATOR = "afse-forum"
JSON_SCHEMA_ID = "https://c3voc.de/schedule/schema.json"
SPEAKER_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:afse-forum:speaker")
BRAND_COLOUR = "#1d5c4d"  # --brand of the site's stylesheet
BACKGROUND_COLOUR = "#ffffff"
DAY_START_HOUR = 4
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
XML_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]+")
JSON_SLUG = re.compile(r"[a-z0-9_-]+[a-z0-9]")


# --- Shared by both formats -----------------------------------------------------------------


def speaker_guid(speaker: SnapshotSpeaker) -> str:
    """The person's guid in frab: the same for a speaker in every release and edition (the one
    a pretalx or frab export gave, for an imported speaker)."""
    return speaker.guid or str(uuid.uuid5(SPEAKER_GUID_NAMESPACE, speaker.code))


def acronym(snapshot: Snapshot) -> str:
    """The edition's slug in the form both schemas accept (`2009-tokyo` → `2009_tokyo`)."""
    value = re.sub(r"[^a-z0-9_]", "_", snapshot.edition.slug.lower())
    return value.ljust(4, "_")


def event_slug(snapshot: Snapshot, session: SnapshotSession) -> str:
    """The event's frab slug, `<edition>-<session slug>`, e.g. `2009_tokyo-fair-trade`.

    It matches the XSD's `[a-z0-9_]{4,}-[a-z0-9-_]{4,}` and the JSON schema's
    `[a-z0-9_-]+[a-z0-9]`; a session slug too short for them is lengthened with its code.
    """
    tail = re.sub(r"[^a-z0-9_-]", "-", session.slug.lower()).strip("-_")
    if len(tail) < 4:
        tail = f"{tail}-{session.code.lower()}".strip("-")
    return f"{acronym(snapshot)}-{tail}"


def _local(value: str, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value).astimezone(tz)


def _day_of(start: datetime.datetime) -> datetime.date:
    return (start - datetime.timedelta(hours=DAY_START_HOUR)).date()


def _day_bounds(
    date: datetime.date, tz: zoneinfo.ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(date, datetime.time(DAY_START_HOUR), tzinfo=tz)
    next_day = date + datetime.timedelta(days=1)
    end = datetime.datetime.combine(next_day, datetime.time(DAY_START_HOUR - 1, 59), tzinfo=tz)
    return start, end


def _hours_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def timeslot_minutes(sessions: Iterable[SnapshotSession], tz: zoneinfo.ZoneInfo) -> int:
    """The programme's grid: the largest step (5 to 60 minutes) that every session's start and
    length fit on; 15 minutes when there is nothing to measure."""
    step = 0
    for session in sessions:
        start = _local(session.start, tz)
        step = math.gcd(step, start.hour * 60 + start.minute, session.duration_minutes or 0)
    return max(5, min(step, 60)) if step else 15


class _Schedule:
    """What both formats print: the published sessions, grouped by day and room."""

    def __init__(self, snapshot: Snapshot, *, base_url: str, language: str):
        self.snapshot = snapshot
        self.base_url = base_url
        self.language = language
        self.edition = snapshot.edition
        self.tz = zoneinfo.ZoneInfo(self.edition.time_zone)
        self.sessions = [
            s for s in select_sessions(snapshot) if s.status != SessionStatus.CANCELLED
        ]
        self.rooms = snapshot.rooms
        self.tracks = {t.id: t for t in snapshot.tracks}
        self.speakers = {p.id: p for p in snapshot.speakers}
        self.programme_url = programme_url(snapshot, base_url=base_url, language=language)
        self.site_url = f"{base_url.rstrip('/')}{language_prefix(language)}/"
        self.days = self._days()
        self._by_day_and_room: dict[tuple[datetime.date, int], list[SnapshotSession]] = {}
        for session in self.sessions:
            key = (_day_of(_local(session.start, self.tz)), session.room_id)
            self._by_day_and_room.setdefault(key, []).append(session)

    def _days(self) -> list[datetime.date]:
        dates = {_day_of(_local(s.start, self.tz)) for s in self.sessions}
        first, last = self.edition.start_date, self.edition.end_date
        if first:
            dates.add(datetime.date.fromisoformat(first))
        if last:
            dates.add(datetime.date.fromisoformat(last))
        if not dates:  # an undated edition without sessions still needs one day
            published = self.snapshot.release.published_at
            moment = _local(published, self.tz) if published else None
            dates.add(moment.date() if moment else datetime.date(1970, 1, 1))
        first_day, last_day = min(dates), max(dates)
        count = (last_day - first_day).days + 1
        return [first_day + datetime.timedelta(days=n) for n in range(count)]

    def events(self, day: datetime.date, room: SnapshotRoom) -> list[SnapshotSession]:
        return self._by_day_and_room.get((day, room.id), [])

    def track_slug(self, track: SnapshotTrack, pattern: re.Pattern) -> str | None:
        slug = re.sub(r"[^a-z0-9-]", "-", (track.slug or "").lower()).strip("-")
        return slug if pattern.fullmatch(slug) else None

    def colour(self, track: SnapshotTrack) -> str | None:
        colour = track.colour or ""
        return colour.lower() if HEX_COLOUR.fullmatch(colour) else None

    def track_name(self, session: SnapshotSession) -> str:
        track = self.tracks.get(session.track_id)
        return clean_text(track.name) if track else ""

    def persons(self, session: SnapshotSession) -> list[SnapshotSpeaker]:
        return [self.speakers[link.id] for link in session.speakers if link.id in self.speakers]

    def description(self, session: SnapshotSession) -> str:
        lines = []
        if session.interpretation:
            lines.append(
                translation.gettext("Interpretation: %(languages)s")
                % {"languages": ", ".join(session.interpretation)}
            )
        if session.meeting_point:
            lines.append(
                translation.gettext("Meeting point: %(place)s") % {"place": session.meeting_point}
            )
        if session.transport_notes:
            lines.append(
                translation.gettext("Transport: %(notes)s") % {"notes": session.transport_notes}
            )
        return clean_text("\n".join(lines))

    def session_url(self, session: SnapshotSession) -> str:
        return session_url(self.snapshot, session, base_url=self.base_url, language=self.language)

    def speaker_url(self, speaker: SnapshotSpeaker) -> str:
        return speaker_url(self.snapshot, speaker, base_url=self.base_url, language=self.language)

    def material_url(self, material: Material) -> str:
        return absolute_url(material.url, base_url=self.base_url)


# --- XML ------------------------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = clean_text(text)
    return element


def _xml_event(
    parent: etree._Element, schedule: _Schedule, session: SnapshotSession, room: SnapshotRoom
) -> None:
    start = _local(session.start, schedule.tz)
    event = _sub(parent, "event", id=str(session.id), guid=session.guid, code=session.code)
    _sub(event, "date", start.isoformat())
    _sub(event, "start", start.strftime("%H:%M"))
    _sub(event, "duration", _hours_minutes(session.duration_minutes))
    _sub(event, "room", room.name)
    _sub(event, "slug", event_slug(schedule.snapshot, session))
    _sub(event, "url", schedule.session_url(session))
    _sub(event, "title", session.title)
    _sub(event, "subtitle", "")
    _sub(event, "track", schedule.track_name(session))
    _sub(event, "type", kind_label(session.kind))
    _sub(event, "language", session.language)
    _sub(event, "abstract", html_to_text(session.abstract))
    _sub(event, "description", schedule.description(session))
    persons = _sub(event, "persons")
    for speaker in schedule.persons(session):
        _sub(
            persons,
            "person",
            speaker_display_name(speaker),
            id=str(speaker.id),
            guid=speaker_guid(speaker),
        )
    _sub(event, "links")
    attachments = _sub(event, "attachments")
    for material in session.materials or []:
        _sub(attachments, "attachment", material.title, href=schedule.material_url(material))


@register("schedule.xml", "application/xml; charset=utf-8")
def render_frab_xml(snapshot: Snapshot, *, base_url: str, language: str, **filters) -> bytes:
    """The snapshot's confirmed sessions as frab schedule XML (c3voc schedule.xml.xsd).

    Filters are accepted for the registry's sake and ignored: a frab file is the whole programme.
    """
    with translation.override(language):
        schedule = _Schedule(snapshot, base_url=base_url, language=language)
        root = etree.Element("schedule")
        _sub(root, "generator", name=GENERATOR, system=site_host(base_url))
        _sub(root, "url", f"{schedule.programme_url}schedule.xml")
        _sub(root, "version", snapshot.release.title)
        conference = _sub(root, "conference")
        _sub(conference, "acronym", acronym(snapshot))
        _sub(conference, "title", schedule.edition.name)
        _sub(conference, "start", schedule.days[0].isoformat())
        _sub(conference, "end", schedule.days[-1].isoformat())
        _sub(conference, "days", str(len(schedule.days)))
        _sub(
            conference,
            "timeslot_duration",
            _hours_minutes(timeslot_minutes(schedule.sessions, schedule.tz)),
        )
        _sub(conference, "base_url", schedule.site_url)
        _sub(conference, "url", schedule.programme_url)
        _sub(conference, "time_zone_name", schedule.edition.time_zone)
        _sub(conference, "color", primary=BRAND_COLOUR, background=BACKGROUND_COLOUR)
        for track in snapshot.tracks:
            _sub(
                conference,
                "track",
                name=clean_text(track.name),
                color=schedule.colour(track),
                slug=schedule.track_slug(track, XML_TRACK_SLUG),
            )
        for index, date in enumerate(schedule.days, start=1):
            day_start, day_end = _day_bounds(date, schedule.tz)
            day = _sub(
                root,
                "day",
                index=str(index),
                date=date.isoformat(),
                start=day_start.isoformat(),
                end=day_end.isoformat(),
            )
            for room in schedule.rooms:
                room_element = _sub(day, "room", name=clean_text(room.name), guid=room.guid)
                for session in schedule.events(date, room):
                    _xml_event(room_element, schedule, session, room)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


# --- JSON -----------------------------------------------------------------------------------


def _json_event(schedule: _Schedule, session: SnapshotSession, room: SnapshotRoom) -> dict:
    start = _local(session.start, schedule.tz)
    return {
        "guid": session.guid,
        "code": session.code,
        "id": session.id,
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "end": _local(session.end, schedule.tz).isoformat(),
        "duration": _hours_minutes(session.duration_minutes),
        "room": clean_text(room.name),
        "slug": event_slug(schedule.snapshot, session),
        "url": schedule.session_url(session),
        "title": clean_text(session.title),
        "subtitle": "",
        "track": schedule.track_name(session) or None,
        "type": kind_label(session.kind),
        "language": session.language,
        "abstract": html_to_text(session.abstract),
        "description": schedule.description(session),
        "persons": [
            {
                "id": speaker.id,
                "guid": speaker_guid(speaker),
                "code": speaker.code,
                "name": clean_text(speaker_display_name(speaker)),
                "biography": clean_text(speaker.bio),
                "url": schedule.speaker_url(speaker),
                "links": [{"url": link} for link in (speaker.links or [])],
            }
            for speaker in schedule.persons(session)
        ],
        "links": [],
        "attachments": [
            {"url": schedule.material_url(material), "title": clean_text(material.title)}
            for material in (session.materials or [])
        ],
    }


def _json_track(schedule: _Schedule, track: SnapshotTrack) -> dict:
    row = {"name": clean_text(track.name)}
    slug = schedule.track_slug(track, JSON_SLUG)
    if slug:
        row["slug"] = slug
    colour = schedule.colour(track)
    if colour:
        row["color"] = colour
    return row


@register("schedule.json", "application/json; charset=utf-8")
def render_frab_json(snapshot: Snapshot, *, base_url: str, language: str, **filters) -> bytes:
    """The snapshot's confirmed sessions as frab schedule JSON (c3voc schema.json); filters are
    ignored, as for the XML."""
    with translation.override(language):
        schedule = _Schedule(snapshot, base_url=base_url, language=language)
        days = []
        for index, date in enumerate(schedule.days, start=1):
            day_start, day_end = _day_bounds(date, schedule.tz)
            days.append(
                {
                    "index": index,
                    "date": date.isoformat(),
                    "day_start": day_start.isoformat(),
                    "day_end": day_end.isoformat(),
                    "rooms": {
                        clean_text(room.name): [
                            _json_event(schedule, session, room)
                            for session in schedule.events(date, room)
                        ]
                        for room in schedule.rooms
                    },
                }
            )
        data = {
            "$schema": JSON_SCHEMA_ID,
            "generator": {"name": GENERATOR},
            "schedule": {
                "url": f"{schedule.programme_url}schedule.json",
                "version": snapshot.release.title,
                "base_url": schedule.site_url,
                "conference": {
                    "acronym": acronym(snapshot),
                    "title": clean_text(schedule.edition.name),
                    "start": schedule.days[0].isoformat(),
                    "end": schedule.days[-1].isoformat(),
                    "daysCount": len(schedule.days),
                    "timeslot_duration": _hours_minutes(
                        timeslot_minutes(schedule.sessions, schedule.tz)
                    ),
                    "time_zone_name": schedule.edition.time_zone,
                    "colors": {"primary": BRAND_COLOUR, "background": BACKGROUND_COLOUR},
                    "url": schedule.programme_url,
                    "rooms": [
                        {
                            "name": clean_text(room.name),
                            "guid": room.guid,
                            "capacity": room.capacity,
                            "description": clean_text(room.accessibility_notes),
                        }
                        for room in schedule.rooms
                    ],
                    "tracks": [_json_track(schedule, track) for track in snapshot.tracks],
                    "days": days,
                },
            },
        }
    # Compact: written by the json module's C encoder (an indented document goes through its
    # Python one, ten times slower), and a third fewer bytes; viewers indent it themselves.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
