"""The programme as an iCalendar feed (RFC 5545), rendered from a release's snapshot.

One function serves every feed: the whole programme, and through its filters one session, one
speaker's, one track's or one room's sessions. Cancelled sessions stay in the feed with
STATUS:CANCELLED, so that calendars which subscribed to them drop or strike them out. Each event
keeps its UID for ever (the session's guid) and carries the session's SEQUENCE; DTSTAMP is the
release's publication time, so a release always renders to the same bytes.

The URL and text helpers here are shared with the frab exporter.
"""

import datetime
import functools
import re
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from icalendar import Calendar, Event, Timezone
from lxml import etree
from lxml import html as lxml_html

from sessions_app.enums import SessionKind, SessionStatus, SpeakerRole
from sessions_app.exporters import register
from sessions_app.snapshot import (
    Snapshot,
    SnapshotRoom,
    SnapshotSession,
    SnapshotSpeaker,
    SnapshotTrack,
)

PRODID = "-//AFSE//afse-forum//EN"
# Characters that neither XML 1.0 nor iCalendar TEXT allow (C0 controls other than tab and
# newlines, DEL, lone surrogates, the non-characters U+FFFE/U+FFFF).
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BLOCK_TAGS = ("p", "div", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre")


# --- URLs -----------------------------------------------------------------------------------


def language_prefix(language: str) -> str:
    """The path prefix of a language: none for the default language, `/ja` for Japanese."""
    return "" if not language or language == settings.LANGUAGE_CODE else f"/{language}"


def programme_url(snapshot: Snapshot, *, base_url: str, language: str) -> str:
    """The public programme page of the snapshot's edition, ending in a slash."""
    slug = snapshot.edition.slug
    return f"{base_url.rstrip('/')}{language_prefix(language)}/{slug}/programme/"


def session_url(
    snapshot: Snapshot, session: SnapshotSession, *, base_url: str, language: str
) -> str:
    programme = programme_url(snapshot, base_url=base_url, language=language)
    return f"{programme}sessions/{session.slug}/"


def speaker_url(
    snapshot: Snapshot, speaker: SnapshotSpeaker, *, base_url: str, language: str
) -> str:
    programme = programme_url(snapshot, base_url=base_url, language=language)
    return f"{programme}speakers/{speaker.slug}/"


def absolute_url(url: str, *, base_url: str) -> str:
    """A material's address made absolute (documents are stored as site-relative paths)."""
    return urljoin(f"{base_url.rstrip('/')}/", url)


def site_host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "afse-forum"


# --- Text -----------------------------------------------------------------------------------


def clean_text(value: str | None) -> str:
    """User text without the control characters that XML and iCalendar refuse."""
    return _FORBIDDEN_CHARS.sub("", value or "")


def html_to_text(value: str | None) -> str:
    """Rich text (an abstract) as plain text: paragraphs apart by a blank line, list items on
    their own lines; scripts and styles dropped, entities decoded. Kept for the texts asked
    last: a release's exports (iCalendar, frab XML and JSON, each feed of a track or room)
    convert the same abstracts, and parsing one is a quarter of an event's time."""
    return _html_to_text(value or "")


@functools.lru_cache(maxsize=4096)
def _html_to_text(value: str) -> str:
    value = clean_text(value)
    if not value.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(value.split())
    etree.strip_elements(root, "script", "style", with_tail=False)
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter("li"):
        element.text = "- " + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    for element in root.iter(*_BLOCK_TAGS):
        if element is not root:
            element.tail = "\n\n" + (element.tail or "")
    lines = [" ".join(line.split()) for line in root.text_content().splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def speaker_display_name(speaker: SnapshotSpeaker) -> str:
    """The Latin name followed by the native one, as the speaker model shows it."""
    name, native = speaker.name, speaker.name_native or ""
    return f"{name} ({native})" if native and native != name else name


def kind_label(kind: str, language: str | None = None) -> str:
    """The session type in `language` (default: the active one); an unknown type as it is."""
    return _label(SessionKind, kind, language or translation.get_language())


def role_label(role: str, language: str | None = None) -> str:
    return _label(SpeakerRole, role, language or translation.get_language())


def gettext_kept(message: str, language: str | None = None) -> str:
    """gettext(message) in `language` (default: the active one), kept by language: an export
    asks for the same few labels once per session, and each lookup through Django's
    translation machinery costs as much as writing a line of the feed. Mark the message with
    gettext_noop for makemessages."""
    return _translated(message, language or translation.get_language())


@functools.lru_cache(maxsize=512)
def _label(enum, value: str, language: str | None) -> str:
    try:
        label = enum(value).label
    except ValueError:
        return value
    with translation.override(language):
        return str(label)


@functools.lru_cache(maxsize=512)
def _translated(message: str, language: str | None) -> str:
    with translation.override(language):
        return _(message)


# --- Selection ------------------------------------------------------------------------------


def select_sessions(
    snapshot: Snapshot,
    *,
    session: str | None = None,
    speaker: str | None = None,
    track: str | None = None,
    room: int | str | None = None,
) -> list[SnapshotSession]:
    """The snapshot's sessions that match every filter given: a session slug, a speaker slug, a
    track slug, a room id. An unknown slug or id matches nothing (the view answers 404 first).
    """
    sessions: Iterable[SnapshotSession] = snapshot.sessions
    if session is not None:
        sessions = [s for s in sessions if s.slug == session]
    if speaker is not None:
        ids = {p.id for p in snapshot.speakers if p.slug == speaker}
        sessions = [s for s in sessions if any(link.id in ids for link in s.speakers)]
    if track is not None:
        ids = {t.id for t in snapshot.tracks if t.slug == track}
        sessions = [s for s in sessions if s.track_id in ids]
    if room is not None:
        try:
            room_id = int(room)
        except (TypeError, ValueError):
            return []
        sessions = [s for s in sessions if s.room_id == room_id]
    return sorted(sessions, key=lambda s: (s.start, s.end, s.id))


# --- iCalendar ------------------------------------------------------------------------------


def _utc(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def release_stamp(snapshot: Snapshot) -> datetime.datetime:
    """When the release was published, in UTC: the DTSTAMP of every event of the feed.

    A snapshot that was never published (a preview) falls back to its latest session change.
    """
    published = snapshot.release.published_at
    if published:
        return _utc(published)
    changes = [s.updated_at for s in snapshot.sessions if s.updated_at]
    if changes:
        return max(_utc(value) for value in changes)
    return datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _description(
    session: SnapshotSession, speakers: dict[int, SnapshotSpeaker], url: str, language: str
) -> str:
    parts = []
    abstract = html_to_text(session.abstract)
    if abstract:
        parts.append(abstract)
    names = [
        f"{speaker_display_name(speakers[link.id])} · {role_label(link.role, language)}"
        for link in session.speakers
        if link.id in speakers
    ]
    if names:
        parts.append("\n".join([gettext_kept(gettext_noop("Speakers:"), language), *names]))
    practical = []
    if session.interpretation:
        practical.append(
            gettext_kept(gettext_noop("Interpretation: %(languages)s"), language)
            % {"languages": ", ".join(session.interpretation)}
        )
    if session.meeting_point:
        practical.append(
            gettext_kept(gettext_noop("Meeting point: %(place)s"), language)
            % {"place": session.meeting_point}
        )
    if session.transport_notes:
        practical.append(
            gettext_kept(gettext_noop("Transport: %(notes)s"), language)
            % {"notes": session.transport_notes}
        )
    if practical:
        parts.append("\n".join(practical))
    parts.append(url)
    return clean_text("\n\n".join(parts))


def _location(snapshot: Snapshot, room: SnapshotRoom | None) -> str:
    edition = snapshot.edition
    parts: list[str] = []
    for part in (room.name if room else "", edition.venue, edition.city):
        if part and part not in parts:
            parts.append(part)
    return clean_text(", ".join(parts))


def _event(
    snapshot: Snapshot,
    session: SnapshotSession,
    *,
    tz: zoneinfo.ZoneInfo,
    host: str,
    stamp: datetime.datetime,
    rooms: dict[int, SnapshotRoom],
    tracks: dict[int, SnapshotTrack],
    speakers: dict[int, SnapshotSpeaker],
    base_url: str,
    language: str,
) -> Event:
    url = session_url(snapshot, session, base_url=base_url, language=language)
    track = tracks.get(session.track_id) if session.track_id is not None else None
    event = Event()
    event.add("uid", f"{session.guid}@{host}")
    event.add("dtstamp", stamp)
    event.add("sequence", session.sequence)
    event.add("dtstart", session.start_at.astimezone(tz))
    event.add("dtend", session.end_at.astimezone(tz))
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A title shown in the source language for want of a translation says so (RFC 5545 LANGUAGE).
    if "title" in session.fallback:
        event.add(
            "summary",
            clean_text(session.title),
            parameters={"LANGUAGE": snapshot.source_language},
        )
    else:
        event.add("summary", clean_text(session.title))
    event.add("description", _description(session, speakers, url, language))
    room = rooms.get(session.room_id) if session.room_id is not None else None
    location = _location(snapshot, room)
    if location:
        event.add("location", location)
    event.add("url", url)
    categories = [kind_label(session.kind, language)]
    if track:
        categories.append(clean_text(track.name))
    event.add("categories", categories)
    if session.updated_at:
        event.add("last-modified", _utc(session.updated_at))
    return event


def _timezone_range(
    snapshot: Snapshot, sessions: list[SnapshotSession]
) -> tuple[datetime.date, datetime.date]:
    """Years around the feed's events, for the VTIMEZONE's rules (fixed for a snapshot)."""
    edition = snapshot.edition
    years = [int(value[:4]) for value in (edition.start_date, edition.end_date) if value]
    years += [int(s.start[:4]) for s in sessions]
    if not years:
        years = [release_stamp(snapshot).year]
    return datetime.date(min(years), 1, 1), datetime.date(max(years) + 2, 1, 1)


@register("schedule.ics", "text/calendar; charset=utf-8")
def render_ical(
    snapshot: Snapshot,
    *,
    base_url: str,
    language: str,
    session: str | None = None,
    speaker: str | None = None,
    track: str | None = None,
    room: int | str | None = None,
    direct: bool = True,
) -> bytes:
    """The sessions of a snapshot that match the filters, as an iCalendar feed. `direct`:
    the events written by `_event_lines` (False: every event built and written by icalendar,
    the reference the direct writer is tested against; the same bytes)."""
    edition = snapshot.edition
    tz = zoneinfo.ZoneInfo(edition.time_zone)
    sessions = select_sessions(snapshot, session=session, speaker=speaker, track=track, room=room)
    rooms = {r.id: r for r in snapshot.rooms}
    tracks = {t.id: t for t in snapshot.tracks}
    speakers = {p.id: p for p in snapshot.speakers}
    host = site_host(base_url)
    stamp = release_stamp(snapshot)

    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.calendar_name = clean_text(_("%(edition)s programme") % {"edition": edition.name})
        calendar.add("x-wr-timezone", edition.time_zone)
        calendar.add("url", programme_url(snapshot, base_url=base_url, language=language))
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", "PT1H")
        # The edition's VTIMEZONE comes first and always, so that even a feed without events
        # holds a component (RFC 5545 requires one).
        first, last = _timezone_range(snapshot, sessions)
        options = {
            "tz": tz,
            "host": host,
            "stamp": stamp,
            "rooms": rooms,
            "tracks": tracks,
            "speakers": speakers,
            "base_url": base_url,
            "language": language,
        }
        if (
            not direct
            or not _SIMPLE_PARAMETER.fullmatch(snapshot.source_language or "")
            or not _writes_times_as_the_library(tz.key)
        ):
            # (a language tag that a parameter would quote, or a zone the library names
            # otherwise, such as an alias of UTC: the library writes the events)
            if tz.key != "UTC":
                calendar.add_component(Timezone.from_tzid(tz.key, first_date=first, last_date=last))
            for row in sessions:
                calendar.add_component(_event(snapshot, row, **options))
            calendar.add_missing_timezones(first_date=first, last_date=last)
            return calendar.to_ical()
        # The events (the bulk of the feed) are written here, as the library would write them
        # but several times faster; the calendar's head and its VTIMEZONE by the library. The
        # events' times are in the edition's zone, whose VTIMEZONE is there already.
        head = calendar.to_ical()
        end = b"END:VCALENDAR\r\n"
        zone = _vtimezone(tz.key, first, last) if tz.key != "UTC" else b""
        events = b"".join(_event_lines(snapshot, row, **options) for row in sessions)
        return head[: -len(end)] + zone + events + end


@functools.lru_cache(maxsize=32)
def _vtimezone(zone: str, first: datetime.date, last: datetime.date) -> bytes:
    """The VTIMEZONE of a zone over those years, as icalendar writes it (made once: its rules
    take the library a while to work out)."""
    return Timezone.from_tzid(zone, first_date=first, last_date=last).to_ical()


# --- The events, written directly (the same bytes as icalendar's Event.to_ical) ---------------

_SIMPLE_PARAMETER = re.compile(r"[A-Za-z0-9-]+")
FOLD_LIMIT = 75
_ESCAPES = frozenset(b"\\^")


def _escape(value: str) -> str:
    """iCalendar TEXT escaping, in icalendar's order (RFC 5545 3.3.11)."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> bytes:
    """A content line in UTF-8 folded at 75 octets as icalendar folds it: never inside a
    character, and an escape (a backslash or a caret ending a piece) carried over to the next
    piece."""
    data = line.encode()
    size = FOLD_LIMIT - 1  # octets in a piece at most
    if len(data) <= size:
        return data
    pieces, start = [], 0
    while len(data) - start > size:
        end = start + size
        while data[end] & 0xC0 == 0x80:  # inside a character: fold before it
            end -= 1
        if data[end - 1] in _ESCAPES and end - start > 1:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def _moment(value: datetime.datetime, tz: zoneinfo.ZoneInfo) -> str:
    """DTSTART/DTEND's parameters and value: in the edition's zone, or UTC ("Z")."""
    local = value.astimezone(tz)
    text = (
        f"{local.year:04d}{local.month:02d}{local.day:02d}"
        f"T{local.hour:02d}{local.minute:02d}{local.second:02d}"
    )
    return f":{text}Z" if tz.key == "UTC" else f";TZID={tz.key}:{text}"


@functools.lru_cache(maxsize=64)
def _writes_times_as_the_library(zone: str) -> bool:
    """Whether `_moment` writes a time of `zone` as icalendar does (checked once per zone)."""
    tz = zoneinfo.ZoneInfo(zone)
    probe = datetime.datetime(2000, 1, 1, 12, tzinfo=tz)
    event = Event()
    event.add("dtstart", probe)
    return f"DTSTART{_moment(probe, tz)}" in event.to_ical().decode().split("\r\n")


def _utc_text(value: datetime.datetime) -> str:
    return (
        f"{value.year:04d}{value.month:02d}{value.day:02d}"
        f"T{value.hour:02d}{value.minute:02d}{value.second:02d}Z"
    )


def _event_lines(
    snapshot: Snapshot,
    session: SnapshotSession,
    *,
    tz: zoneinfo.ZoneInfo,
    host: str,
    stamp: datetime.datetime,
    rooms: dict[int, SnapshotRoom],
    tracks: dict[int, SnapshotTrack],
    speakers: dict[int, SnapshotSpeaker],
    base_url: str,
    language: str,
) -> bytes:
    """The VEVENT of a session, properties in icalendar's order (its canonical ones first,
    the others by name), each line folded, ending in CRLF."""
    url = session_url(snapshot, session, base_url=base_url, language=language)
    track = tracks.get(session.track_id) if session.track_id is not None else None
    summary = "SUMMARY"
    if "title" in session.fallback:
        summary += f";LANGUAGE={snapshot.source_language}"
    categories = [kind_label(session.kind, language)]
    if track:
        categories.append(clean_text(track.name))
    room = rooms.get(session.room_id) if session.room_id is not None else None
    location = _location(snapshot, room)
    lines = [
        "BEGIN:VEVENT",
        f"{summary}:{_escape(clean_text(session.title))}",
        f"DTSTART{_moment(session.start_at, tz)}",
        f"DTEND{_moment(session.end_at, tz)}",
        f"DTSTAMP:{_utc_text(stamp)}",
        f"UID:{_escape(f'{session.guid}@{host}')}",
        f"SEQUENCE:{int(session.sequence)}",
        "CATEGORIES:" + ",".join(_escape(category) for category in categories),
        f"DESCRIPTION:{_escape(_description(session, speakers, url, language))}",
    ]
    if session.updated_at:
        lines.append(f"LAST-MODIFIED:{_utc_text(_utc(session.updated_at))}")
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    cancelled = session.status == SessionStatus.CANCELLED
    lines.append(f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}")
    lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return b"".join(_fold(line) + b"\r\n" for line in lines)
