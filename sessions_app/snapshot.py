"""A release's snapshot read through typed objects.

A release stores its programme as plain JSON (services/releases.py writes it, the format is
described there). Readers build a `Snapshot` once per request or render, in one language
(`Snapshot.read`: organizers' translations in place, services/snapshot_i18n.localize), and use
its attributes: `snapshot.edition.time_zone`, `session.room_id`, `speaker.name`.

Fields missing from an older snapshot take their default; keys the objects do not know are
ignored. The objects still answer `obj["key"]` and `obj.get("key")` (they are read-only
mappings of their fields) so that a reader not yet moved to attributes keeps working.

`release_parts` cuts a snapshot into the small self-contained snapshots that the pages of one
session, one speaker, and the speaker index read (stored as ReleasePart rows at publication),
so that such a page never loads or decodes the whole programme.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from sessions_app.services.snapshot_i18n import SOURCE_LANGUAGE, localize

R = TypeVar("R", bound="SnapshotRow")


class SnapshotRow(Mapping):
    """A row of the snapshot: typed attributes, and a read-only mapping of them."""

    __slots__ = ()
    # Rows are compared and hashed as objects (a Mapping would compare their contents).
    __eq__ = object.__eq__
    __hash__ = object.__hash__
    _names: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any] | None) -> R:
        data = data or {}
        return cls(**{name: data[name] for name in cls._field_names() if name in data})

    @classmethod
    def _field_names(cls) -> frozenset[str]:
        if "_names" not in cls.__dict__:
            cls._names = frozenset(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        return cls._names

    def __getitem__(self, key: str) -> Any:
        if key in self._field_names():
            return getattr(self, key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(f.name for f in dataclasses.fields(self))  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._field_names())


@dataclass(eq=False)
class SnapshotEdition(SnapshotRow):
    slug: str = ""
    name: str = ""
    theme: str = ""
    start_date: str | None = None
    end_date: str | None = None
    time_zone: str = "UTC"
    city: str = ""
    country: str = ""
    venue: str = ""


@dataclass(eq=False)
class SnapshotRelease(SnapshotRow):
    number: int = 0
    title: str = ""
    published_at: str | None = None


@dataclass(eq=False)
class SnapshotRoom(SnapshotRow):
    id: int = 0
    guid: str = ""
    name: str = ""
    capacity: int | None = None
    floor: str = ""
    position: int = 0
    has_interpretation_booths: bool = False
    accessibility_notes: str = ""
    i18n: dict = field(default_factory=dict)
    fallback: list[str] = field(default_factory=list)


@dataclass(eq=False)
class SnapshotTrack(SnapshotRow):
    id: int = 0
    name: str = ""
    slug: str = ""
    colour: str = ""
    i18n: dict = field(default_factory=dict)
    fallback: list[str] = field(default_factory=list)


@dataclass(eq=False)
class SnapshotSpeaker(SnapshotRow):
    id: int = 0
    code: str = ""
    guid: str = ""  # the guid a pretalx or frab export gave (imported speakers only)
    slug: str = ""
    name: str = ""
    name_native: str = ""
    native_language: str = ""
    organization: str = ""
    organization_native: str = ""
    country: str = ""
    bio: str = ""
    links: list = field(default_factory=list)
    photo_id: int | None = None


@dataclass(eq=False)
class SpeakerLink(SnapshotRow):
    id: int = 0
    role: str = ""


@dataclass(eq=False)
class Material(SnapshotRow):
    title: str = ""
    url: str = ""


@dataclass(eq=False)
class SnapshotSession(SnapshotRow):
    id: int = 0
    guid: str = ""
    code: str = ""
    slug: str = ""
    title: str = ""
    abstract: str = ""
    kind: str = ""
    track_id: int | None = None
    language: str = ""
    interpretation: list[str] = field(default_factory=list)
    status: str = ""
    room_id: int | None = None
    start: str = ""
    end: str = ""
    duration_minutes: int | None = None
    expected_attendance: int | None = None
    meeting_point: str = ""
    transport_notes: str = ""
    speakers: list[SpeakerLink] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    updated_at: str | None = None
    sequence: int = 0
    i18n: dict = field(default_factory=dict)
    fallback: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SnapshotSession:
        data = dict(data or {})
        data["speakers"] = [SpeakerLink.from_dict(link) for link in data.get("speakers") or ()]
        data["materials"] = [Material.from_dict(doc) for doc in data.get("materials") or ()]
        data["interpretation"] = list(data.get("interpretation") or ())
        return super().from_dict(data)

    @property
    def start_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.end)

    @property
    def speaker_ids(self) -> list[int]:
        return [link.id for link in self.speakers]


@dataclass(eq=False)
class Snapshot(SnapshotRow):
    """A release's programme in one language (or a part of it: see `release_parts`)."""

    edition: SnapshotEdition = field(default_factory=SnapshotEdition)
    release: SnapshotRelease = field(default_factory=SnapshotRelease)
    rooms: list[SnapshotRoom] = field(default_factory=list)
    tracks: list[SnapshotTrack] = field(default_factory=list)
    speakers: list[SnapshotSpeaker] = field(default_factory=list)
    sessions: list[SnapshotSession] = field(default_factory=list)
    language: str = SOURCE_LANGUAGE
    source_language: str = SOURCE_LANGUAGE
    format: int = 1

    @classmethod
    def read(cls, data: Mapping[str, Any] | Snapshot, language: str | None) -> Snapshot:
        """The snapshot `data` (a release's JSON) read in `language`; a Snapshot is returned
        as it is (it was read in its language already)."""
        if isinstance(data, Snapshot):
            return data
        return cls.from_dict(localize(dict(data), language))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Snapshot:
        data = data or {}
        return cls(
            edition=SnapshotEdition.from_dict(data.get("edition")),
            release=SnapshotRelease.from_dict(data.get("release")),
            rooms=[SnapshotRoom.from_dict(row) for row in data.get("rooms") or ()],
            tracks=[SnapshotTrack.from_dict(row) for row in data.get("tracks") or ()],
            speakers=[SnapshotSpeaker.from_dict(row) for row in data.get("speakers") or ()],
            sessions=[SnapshotSession.from_dict(row) for row in data.get("sessions") or ()],
            language=data.get("language", SOURCE_LANGUAGE),
            source_language=data.get("source_language", SOURCE_LANGUAGE),
            format=data.get("format", 1),
        )

    def filtered(self, sessions: list[SnapshotSession]) -> Snapshot:
        """The same snapshot with only `sessions`."""
        return dataclasses.replace(self, sessions=sessions)

    def published_at(self) -> str | None:
        return self.release.published_at


# --- Parts of a snapshot, stored at publication -----------------------------------------------

# What the speaker index shows of each speaker (the rest of a speaker's row stays out of it).
INDEX_SPEAKER_FIELDS = ("id", "slug", "name", "name_native", "native_language", "organization")

PART_SESSION, PART_SPEAKER, PART_SPEAKERS = "session", "speaker", "speakers"


def release_parts(snapshot: dict) -> list[tuple[str, str, dict]]:
    """The snapshot (a release's JSON, not localized) cut into (kind, slug, part): for each
    session its own snapshot (the session, its room, track and speakers); for each speaker
    theirs (their sessions, those sessions' rooms, tracks and speakers); and the speaker index
    (every speaker, only what the index shows). Each part keeps the edition and release."""
    head = {
        "format": snapshot.get("format", 1),
        "edition": snapshot.get("edition") or {},
        "release": snapshot.get("release") or {},
    }
    rooms = {row["id"]: row for row in snapshot.get("rooms") or ()}
    tracks = {row["id"]: row for row in snapshot.get("tracks") or ()}
    speakers = {row["id"]: row for row in snapshot.get("speakers") or ()}

    def part(sessions: list[dict], extra_speakers: tuple[int, ...] = ()) -> dict:
        ids = {link["id"] for row in sessions for link in row.get("speakers") or ()}
        ids.update(extra_speakers)
        room_ids = {row.get("room_id") for row in sessions}
        track_ids = {row.get("track_id") for row in sessions}
        return {
            **head,
            "rooms": [row for key, row in rooms.items() if key in room_ids],
            "tracks": [row for key, row in tracks.items() if key in track_ids],
            "speakers": [row for key, row in speakers.items() if key in ids],
            "sessions": sessions,
        }

    parts: list[tuple[str, str, dict]] = []
    sessions_of: dict[int, list[dict]] = {}
    for row in snapshot.get("sessions") or ():
        for link in row.get("speakers") or ():
            sessions_of.setdefault(link["id"], []).append(row)
        if row.get("slug"):
            parts.append((PART_SESSION, row["slug"], part([row])))
    for speaker in speakers.values():
        if speaker.get("slug"):
            own = sessions_of.get(speaker["id"], [])
            parts.append((PART_SPEAKER, speaker["slug"], part(own, (speaker["id"],))))
    index = [{name: row.get(name) for name in INDEX_SPEAKER_FIELDS} for row in speakers.values()]
    parts.append(
        (PART_SPEAKERS, "", {**head, "rooms": [], "tracks": [], "speakers": index, "sessions": []})
    )
    return parts
