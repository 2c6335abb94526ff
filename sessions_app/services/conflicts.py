"""Conflict detection: the one rule book used by the schedule editor, the admin lists, publishing
and `manage.py check_schedule`."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from forum.models import Edition
from sessions_app.enums import HARD_CONFLICTS, ConflictKind, ConflictSeverity, SessionStatus
from sessions_app.models import Session, Speaker
from sessions_app.selectors import (
    edition_bounds,
    sessions_for_schedule,
    speakers_with_availability,
)


@dataclass(frozen=True)
class Conflict:
    kind: str
    session_ids: tuple[int, ...]
    message: str

    @property
    def severity(self) -> str:
        return ConflictSeverity.HARD if self.kind in HARD_CONFLICTS else ConflictSeverity.WARNING

    @property
    def is_hard(self) -> bool:
        return self.kind in HARD_CONFLICTS

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "severity": str(self.severity),
            "sessions": list(self.session_ids),
            "message": self.message,
        }


def _overlapping_pairs(sessions: list[Session]) -> Iterable[tuple[Session, Session]]:
    """Pairs that overlap in time (touching ends do not), by a sweep over the start times."""
    ordered = sorted(sessions, key=lambda s: (s.start, s.end, s.pk))
    active: list[Session] = []
    for current in ordered:
        active = [a for a in active if a.end > current.start]
        for earlier in active:
            yield earlier, current
        active.append(current)


def find_conflicts(
    edition: Edition,
    *,
    sessions: list[Session] | None = None,
    speakers: list[Speaker] | None = None,
) -> list[Conflict]:
    """Every conflict in the edition's scheduled, not cancelled sessions.

    Hard (block publishing): a speaker in two sessions at once, two sessions in one room at
    once, a session outside the edition's days. Warnings: a room smaller than the expected
    attendance, a speaker outside their availability, interpretation in a room without booths.
    """
    if sessions is None:
        sessions = list(sessions_for_schedule(edition))
    if speakers is None:
        speakers = list(speakers_with_availability(edition))
    timed = [s for s in sessions if s.start and s.end and s.status != SessionStatus.CANCELLED]
    by_speaker, speaker_names = _sessions_by_speaker(timed)
    first, last = edition_bounds(edition)
    conflicts = [
        *_room_double_bookings(timed),
        *_speaker_double_bookings(by_speaker, speaker_names),
        *_outside_edition(timed, first, last),
        *_room_mismatches(timed),
        *_speakers_unavailable(speakers, by_speaker, speaker_names),
    ]
    conflicts.sort(key=lambda c: (not c.is_hard, c.kind, c.session_ids))
    return conflicts


def _sessions_by_speaker(
    timed: list[Session],
) -> tuple[dict[int, list[Session]], dict[int, str]]:
    by_speaker: dict[int, list[Session]] = defaultdict(list)
    speaker_names: dict[int, str] = {}
    for session in timed:
        for link in session.speaker_links.all():
            by_speaker[link.speaker_id].append(session)
            speaker_names[link.speaker_id] = link.speaker.name
    return by_speaker, speaker_names


def _room_double_bookings(timed: list[Session]) -> Iterable[Conflict]:
    by_room: dict[int, list[Session]] = defaultdict(list)
    for session in timed:
        if session.room_id:
            by_room[session.room_id].append(session)
    for room_sessions in by_room.values():
        for a, b in _overlapping_pairs(room_sessions):
            yield Conflict(
                ConflictKind.ROOM_DOUBLE_BOOKED,
                (a.pk, b.pk),
                _("“%(a)s” and “%(b)s” are both in %(room)s at the same time.")
                % {"a": a.title, "b": b.title, "room": a.room.name},
            )


def _speaker_double_bookings(
    by_speaker: dict[int, list[Session]], speaker_names: dict[int, str]
) -> Iterable[Conflict]:
    for speaker_id, speaker_sessions in by_speaker.items():
        for a, b in _overlapping_pairs(speaker_sessions):
            yield Conflict(
                ConflictKind.SPEAKER_DOUBLE_BOOKED,
                (a.pk, b.pk),
                _("%(speaker)s speaks in “%(a)s” and “%(b)s” at the same time.")
                % {"speaker": speaker_names[speaker_id], "a": a.title, "b": b.title},
            )


def _outside_edition(timed: list[Session], first, last) -> Iterable[Conflict]:
    if not first:
        return
    for session in timed:
        if session.start < first or session.end > last:
            yield Conflict(
                ConflictKind.OUTSIDE_EDITION,
                (session.pk,),
                _("“%(title)s” falls outside the edition's days.") % {"title": session.title},
            )


def _room_mismatches(timed: list[Session]) -> Iterable[Conflict]:
    """A room too small for the expected attendance, or without booths for interpretation."""
    for session in timed:
        room = session.room
        if not room:
            continue
        people = session.expected_attendance
        if room.capacity and people and people > room.capacity:
            yield Conflict(
                ConflictKind.ROOM_TOO_SMALL,
                (session.pk,),
                _("“%(title)s” expects %(people)d people but %(room)s holds %(capacity)d.")
                % {
                    "title": session.title,
                    "people": people,
                    "room": room.name,
                    "capacity": room.capacity,
                },
            )
        if session.interpretation_list and not room.has_interpretation_booths:
            yield Conflict(
                ConflictKind.NO_BOOTHS,
                (session.pk,),
                _("“%(title)s” needs interpretation but %(room)s has no booths.")
                % {"title": session.title, "room": room.name},
            )


def _speakers_unavailable(
    speakers: list[Speaker],
    by_speaker: dict[int, list[Session]],
    speaker_names: dict[int, str],
) -> Iterable[Conflict]:
    windows = {s.pk: list(s.availabilities.all()) for s in speakers}
    for speaker_id, speaker_sessions in by_speaker.items():
        speaker_windows = windows.get(speaker_id) or []
        if not speaker_windows:
            continue  # no windows given: available throughout
        for session in speaker_sessions:
            if not any(w.start <= session.start and session.end <= w.end for w in speaker_windows):
                yield Conflict(
                    ConflictKind.SPEAKER_UNAVAILABLE,
                    (session.pk,),
                    _("%(speaker)s is not available for “%(title)s”.")
                    % {"speaker": speaker_names[speaker_id], "title": session.title},
                )


def conflicts_by_session(conflicts: list[Conflict]) -> dict[int, list[Conflict]]:
    index: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        for session_id in conflict.session_ids:
            index[session_id].append(conflict)
    return dict(index)
