"""A published programme, read from a release's snapshot, in the shapes the public pages need:
days, a grid of rooms by time slots, filters, speakers, and "now and next"."""

import datetime
import logging
import zoneinfo
from dataclasses import dataclass, field

from sessions_app.enums import SessionKind, SessionStatus, SpeakerRole

SLOT_MINUTES = 15
logger = logging.getLogger(__name__)


@dataclass
class ProgrammeSession:
    data: dict
    start: datetime.datetime
    end: datetime.datetime
    room: dict
    track: dict | None
    speakers: list[tuple[dict, str]]  # (speaker, role label)

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def is_cancelled(self) -> bool:
        return self.data["status"] == SessionStatus.CANCELLED

    @property
    def kind_label(self) -> str:
        return SessionKind(self.data["kind"]).label

    @property
    def is_visit(self) -> bool:
        return self.data["kind"] == SessionKind.VISIT


@dataclass
class GridCell:
    session: ProgrammeSession | None = None
    rowspan: int = 1


@dataclass
class GridRow:
    time: datetime.datetime
    cells: list[GridCell] = field(default_factory=list)  # one per room, skipped when covered


@dataclass
class ProgrammeDay:
    date: datetime.date
    sessions: list[ProgrammeSession]
    rooms: list[dict]
    rows: list[GridRow]


class Programme:
    def __init__(self, snapshot: dict):
        self.snapshot = snapshot
        self.edition = snapshot["edition"]
        self.release = snapshot.get("release", {})
        self.tz = zoneinfo.ZoneInfo(self.edition["time_zone"])
        self.rooms = {room["id"]: room for room in snapshot["rooms"]}
        self.tracks = {track["id"]: track for track in snapshot["tracks"]}
        self.speakers = {speaker["id"]: speaker for speaker in snapshot["speakers"]}
        self.sessions = []
        for row in snapshot["sessions"]:
            try:
                self.sessions.append(self._session(row))
            except (KeyError, TypeError, ValueError):
                # One malformed session never takes the whole programme down with it.
                logger.exception("session %s of %s skipped", row.get("guid"), self.edition["slug"])
        self.sessions.sort(key=lambda s: (s.start, s.room["position"], s.data["title"]))

    def _session(self, row: dict) -> ProgrammeSession:
        roles = dict(SpeakerRole.choices)
        return ProgrammeSession(
            data=row,
            start=datetime.datetime.fromisoformat(row["start"]).astimezone(self.tz),
            end=datetime.datetime.fromisoformat(row["end"]).astimezone(self.tz),
            room=self.rooms[row["room_id"]],
            track=self.tracks.get(row["track_id"]),
            speakers=[
                (self.speakers[link["id"]], roles.get(link["role"], link["role"]))
                for link in row["speakers"]
                if link["id"] in self.speakers
            ],
        )

    # Lookups
    def session(self, slug: str) -> ProgrammeSession | None:
        return next((s for s in self.sessions if s.data["slug"] == slug), None)

    def speaker(self, slug: str) -> dict | None:
        return next((s for s in self.speakers.values() if s["slug"] == slug), None)

    def track(self, slug: str) -> dict | None:
        return next((t for t in self.tracks.values() if t["slug"] == slug), None)

    def sessions_of_speaker(self, speaker_id: int) -> list[ProgrammeSession]:
        return [
            s for s in self.sessions if any(link["id"] == speaker_id for link in s.data["speakers"])
        ]

    def speaker_list(self) -> list[dict]:
        return sorted(self.speakers.values(), key=lambda s: s["name"].casefold())

    def languages(self) -> list[str]:
        return sorted({s.data["language"] for s in self.sessions})

    def kinds(self) -> list[tuple[str, str]]:
        present = {s.data["kind"] for s in self.sessions}
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
            if track and (session.track or {}).get("slug") != track:
                continue
            if kind and session.data["kind"] != kind:
                continue
            if (
                language
                and language != session.data["language"]
                and (language not in session.data["interpretation"])
            ):
                continue
            if words:
                haystack = " ".join(
                    [session.data["title"], session.data["abstract"]]
                    + [f"{sp['name']} {sp['name_native']}" for sp, _ in session.speakers]
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
        room_ids = {s.room["id"] for s in sessions}
        rooms = [r for r in self.snapshot["rooms"] if r["id"] in room_ids]
        first = min(s.start for s in sessions)
        last = max(min(s.end, _end_of_day(s.start)) for s in sessions)
        first = first.replace(minute=first.minute - first.minute % SLOT_MINUTES)
        step = datetime.timedelta(minutes=SLOT_MINUTES)
        rows: list[GridRow] = []
        covered: dict[int, int] = {}  # room id -> rows still covered by a session above
        starts = {(s.room["id"], (s.start - first) // step): s for s in sessions}
        at, index = first, 0
        while at < last:
            row = GridRow(time=at)
            for room in rooms:
                if covered.get(room["id"], 0) > 0:
                    covered[room["id"]] -= 1
                    continue
                session = starts.get((room["id"], index))
                if session is None:
                    row.cells.append(GridCell())
                    continue
                end = min(session.end, _end_of_day(session.start))
                span = max(1, -(-int((end - at).total_seconds()) // (SLOT_MINUTES * 60)))
                covered[room["id"]] = span - 1
                row.cells.append(GridCell(session=session, rowspan=span))
            rows.append(row)
            at += step
            index += 1
        return ProgrammeDay(date=date, sessions=sessions, rooms=rooms, rows=rows)

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
