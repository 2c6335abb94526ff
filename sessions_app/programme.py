"""A published programme, read from a release's snapshot, in the shapes the public pages need:
days, a grid of rooms by time, filters, speakers, and "now and next"."""

import datetime
import logging
import zoneinfo
from dataclasses import dataclass

from django.utils import translation

from sessions_app.enums import SessionKind, SessionStatus, SpeakerRole
from sessions_app.snapshot import (
    Snapshot,
    SnapshotRoom,
    SnapshotSession,
    SnapshotSpeaker,
    SnapshotTrack,
)

# The public grid is a CSS grid with one row per ROW_MINUTES, so that a session's height is
# proportional to its length and its top lines up with the time label of its start. Rows,
# spans and columns are classes of static/css/programme-grid.css (no inline style under the CSP).
ROW_MINUTES = 5
LABEL_MINUTES = 30
HEADER_ROWS = 1  # the room names
MAX_GRID_ROWS = 24 * 60 // ROW_MINUTES  # a whole day
MAX_GRID_ROOMS = 40
logger = logging.getLogger(__name__)


@dataclass
class ProgrammeSession:
    data: SnapshotSession
    start: datetime.datetime
    end: datetime.datetime
    room: SnapshotRoom
    track: SnapshotTrack | None
    speakers: list[tuple[SnapshotSpeaker, str]]  # (speaker, role label)

    def __getattr__(self, name):
        if name == "data":  # not set yet (copying, unpickling)
            raise AttributeError(name)
        return getattr(self.data, name)

    @property
    def is_cancelled(self) -> bool:
        return self.data.status == SessionStatus.CANCELLED

    @property
    def kind_label(self) -> str:
        return SessionKind(self.data.kind).label

    @property
    def is_visit(self) -> bool:
        return self.data.kind == SessionKind.VISIT


@dataclass
class GridPlacement:
    """Where a session sits in the day's CSS grid: its first row, how many rows it lasts, and
    its column (1 is the time axis, rooms from 2)."""

    session: ProgrammeSession
    row: int
    span: int
    column: int

    @property
    def css_class(self) -> str:
        return f"pg-r{self.row} pg-s{self.span} pg-c{self.column}"


@dataclass
class GridLabel:
    """A time label of the axis, at each half hour, as tall as the half hour it names."""

    time: datetime.datetime
    row: int
    span: int

    @property
    def css_class(self) -> str:
        return f"pg-r{self.row} pg-s{self.span} pg-c1"


@dataclass
class GridRoom:
    room: SnapshotRoom
    column: int

    @property
    def css_class(self) -> str:
        return f"pg-c{self.column}"


@dataclass
class ProgrammeDay:
    date: datetime.date
    sessions: list[ProgrammeSession]
    rooms: list[GridRoom]
    placements: list[GridPlacement]
    labels: list[GridLabel]


class Programme:
    def __init__(self, snapshot: dict | Snapshot, language: str | None = None):
        """The programme of `snapshot` (a release's JSON, or a Snapshot already read) read in
        `language` (the active one if not given): organizers' translations in place, the
        source where there is none (each row's "fallback" names those fields;
        services/snapshot_i18n.py)."""
        snapshot = Snapshot.read(snapshot, language or translation.get_language())
        self.snapshot = snapshot
        self.edition = snapshot.edition
        self.release = snapshot.release
        self.tz = zoneinfo.ZoneInfo(self.edition.time_zone)
        self.rooms = {room.id: room for room in snapshot.rooms}
        self.tracks = {track.id: track for track in snapshot.tracks}
        self.speakers = {speaker.id: speaker for speaker in snapshot.speakers}
        self.sessions = []
        roles = dict(SpeakerRole.choices)
        for row in snapshot.sessions:
            try:
                self.sessions.append(self._session(row, roles))
            except (KeyError, TypeError, ValueError):
                # One malformed session never takes the whole programme down with it.
                logger.exception("session %s of %s skipped", row.guid, self.edition.slug)
        self.sessions.sort(key=lambda s: (s.start, s.room.position, s.data.title))

    def _session(self, row: SnapshotSession, roles: dict) -> ProgrammeSession:
        return ProgrammeSession(
            data=row,
            start=datetime.datetime.fromisoformat(row.start).astimezone(self.tz),
            end=datetime.datetime.fromisoformat(row.end).astimezone(self.tz),
            room=self.rooms[row.room_id],  # type: ignore[index]
            track=self.tracks.get(row.track_id),  # type: ignore[arg-type]
            speakers=[
                (self.speakers[link.id], roles.get(link.role, link.role))
                for link in row.speakers
                if link.id in self.speakers
            ],
        )

    # Lookups
    def session(self, slug: str) -> ProgrammeSession | None:
        return next((s for s in self.sessions if s.data.slug == slug), None)

    def speaker(self, slug: str) -> SnapshotSpeaker | None:
        return next((s for s in self.speakers.values() if s.slug == slug), None)

    def track(self, slug: str) -> SnapshotTrack | None:
        return next((t for t in self.tracks.values() if t.slug == slug), None)

    def sessions_of_speaker(self, speaker_id: int) -> list[ProgrammeSession]:
        return [s for s in self.sessions if speaker_id in s.data.speaker_ids]

    def speaker_list(self) -> list[SnapshotSpeaker]:
        return sorted(self.speakers.values(), key=lambda s: s.name.casefold())

    def languages(self) -> list[str]:
        return sorted({s.data.language for s in self.sessions})

    def kinds(self) -> list[tuple[str, str]]:
        present = {s.data.kind for s in self.sessions}
        return [(value, label) for value, label in SessionKind.choices if value in present]

    # Filtering
    def filtered(
        self,
        *,
        track: str = "",
        kind: str = "",
        language: str = "",
        query: str = "",
    ) -> list[ProgrammeSession]:
        words = [w.casefold() for w in query.split()]
        result = []
        for session in self.sessions:
            if track and (session.track.slug if session.track else None) != track:
                continue
            if kind and session.data.kind != kind:
                continue
            if (
                language
                and language != session.data.language
                and (language not in session.data.interpretation)
            ):
                continue
            if words:
                haystack = " ".join(
                    [session.data.title, session.data.abstract]
                    + [f"{sp.name} {sp.name_native}" for sp, _ in session.speakers]
                ).casefold()
                if not all(word in haystack for word in words):
                    continue
            result.append(session)
        return result

    # Days and the grid
    def days(self, sessions: list[ProgrammeSession] | None = None) -> list[ProgrammeDay]:
        sessions = self.sessions if sessions is None else sessions
        by_date: dict[datetime.date, list[ProgrammeSession]] = {}
        for session in sessions:
            by_date.setdefault(session.start.date(), []).append(session)
        return [self._day(date, by_date[date]) for date in sorted(by_date)]

    def _day(self, date: datetime.date, sessions: list[ProgrammeSession]) -> ProgrammeDay:
        """The day as a grid of ROW_MINUTES rows from the half hour before its first session
        to the half hour after its last end (midnight at the latest), rooms as columns."""
        room_ids = {s.room.id for s in sessions}
        ordered = sorted(self.snapshot.rooms, key=lambda r: (r.position, r.name))
        rooms = [
            GridRoom(room=room, column=2 + index)
            for index, room in enumerate(r for r in ordered if r.id in room_ids)
        ][: MAX_GRID_ROOMS - 1]
        column_of = {grid_room.room.id: grid_room.column for grid_room in rooms}
        first = min(s.start for s in sessions)
        first = first.replace(
            minute=first.minute - first.minute % LABEL_MINUTES, second=0, microsecond=0
        )
        last = max(min(s.end, _end_of_day(s.start)) for s in sessions)
        step = datetime.timedelta(minutes=ROW_MINUTES)

        def index_of(moment: datetime.datetime) -> int:
            return int((moment - first) // step)

        placements = []
        for session in sessions:
            if session.room.id not in column_of:
                continue
            end = min(session.end, _end_of_day(session.start))
            start_index = index_of(session.start)
            end_index = -(-int((end - first).total_seconds()) // (ROW_MINUTES * 60))  # ceiling
            placements.append(
                GridPlacement(
                    session=session,
                    row=HEADER_ROWS + 1 + start_index,
                    span=max(1, end_index - start_index),
                    column=column_of[session.room.id],
                )
            )
        labels = []
        label_step = datetime.timedelta(minutes=LABEL_MINUTES)
        at = first
        while at < last:
            labels.append(
                GridLabel(
                    time=at, row=HEADER_ROWS + 1 + index_of(at), span=LABEL_MINUTES // ROW_MINUTES
                )
            )
            at += label_step
        return ProgrammeDay(
            date=date, sessions=sessions, rooms=rooms, placements=placements, labels=labels
        )

    def now_and_next(self, at: datetime.datetime, *, limit: int = 10):
        """Sessions running at `at`, and the ones starting next (cancelled ones left out)."""
        live = [s for s in self.sessions if not s.is_cancelled]
        now = [s for s in live if s.start <= at < s.end]
        upcoming = [s for s in live if s.start > at][:limit]
        return now, upcoming


def _end_of_day(moment: datetime.datetime) -> datetime.datetime:
    return datetime.datetime.combine(
        moment.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=moment.tzinfo
    )
