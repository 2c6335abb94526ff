"""Releases: the published versions of a programme, as frozen snapshots.

The public site and every export read a release's snapshot, never the working draft. A snapshot
is plain JSON (the format below); each session carries a `sequence` that rises whenever the
session changes between releases (iCalendar's SEQUENCE), and keeps its `guid` for ever.
"""

import logging
import zoneinfo
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum.models import Edition
from sessions_app.enums import SessionStatus
from sessions_app.models import Release, ReleasePart, Session, Speaker
from sessions_app.selectors import latest_release, sessions_for_schedule
from sessions_app.services.conflicts import Conflict, find_conflicts
from sessions_app.services.snapshot_i18n import SOURCE_LANGUAGE, TRANSLATED_FIELDS, translations_of

logger = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1

# Sent after the transaction that published a release commits, with `release` (and `sender`
# Release): other apps react to a new programme (registration tells participants whose
# sessions moved or were cancelled). Receivers' errors are logged, never the publisher's.
release_published = Signal()

# What a session's SEQUENCE follows: a change to any of these is a new version of the event.
VERSIONED_FIELDS = (
    "title",
    "abstract",
    "kind",
    "track_id",
    "language",
    "interpretation",
    "status",
    "room_id",
    "start",
    "end",
    "speakers",
    "meeting_point",
    "transport_notes",
    "i18n",
)


class HardConflictsError(Exception):
    """Publishing refused: the programme has conflicts that must be resolved first."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__(
            _("The programme has %(count)d conflict(s) that block publishing.")
            % {"count": len(conflicts)}
        )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def build_snapshot(
    edition: Edition,
    *,
    sessions: Iterable[Session] | None = None,
    previous: dict | None = None,
) -> dict:
    """The edition's programme as it stands: confirmed and cancelled sessions that have a time
    and a room, with their rooms, tracks and speakers. Drafts stay out.

    Text is in the source language whatever language is active; each session, track and room
    row carries its translations under "i18n" (services/snapshot_i18n.py reads them)."""
    with translation.override(SOURCE_LANGUAGE):
        return _build_snapshot(edition, sessions=sessions, previous=previous)


def _build_snapshot(edition: Edition, *, sessions, previous) -> dict:
    tz = zoneinfo.ZoneInfo(edition.time_zone)
    if sessions is None:
        sessions = sessions_for_schedule(edition)
    published = [
        s
        for s in sessions
        if s.status in (SessionStatus.CONFIRMED, SessionStatus.CANCELLED) and s.is_scheduled
    ]
    previous_sessions = {s["guid"]: s for s in (previous or {}).get("sessions", [])}

    rooms, tracks, speakers = {}, {}, {}
    session_rows = []
    for session in published:
        room = session.room
        rooms[room.pk] = {
            "id": room.pk,
            "guid": str(room.guid),
            "name": room.name,
            "capacity": room.capacity,
            "floor": room.floor,
            "position": room.position,
            "has_interpretation_booths": room.has_interpretation_booths,
            "accessibility_notes": room.accessibility_notes,
            "i18n": translations_of(room, TRANSLATED_FIELDS["rooms"]),
        }
        if session.track:
            tracks[session.track.pk] = {
                "id": session.track.pk,
                "name": session.track.name,
                "slug": session.track.slug,
                "colour": session.track.colour,
                "i18n": translations_of(session.track, TRANSLATED_FIELDS["tracks"]),
            }
        session_speakers = []
        for link in session.speaker_links.all():
            speaker: Speaker = link.speaker
            speakers[speaker.pk] = _speaker_row(speaker)
            session_speakers.append({"id": speaker.pk, "role": link.role})
        row = {
            "id": session.pk,
            "guid": str(session.guid),
            "code": session.code,
            "slug": session.slug,
            "title": session.title,
            "abstract": session.abstract,
            "kind": session.kind,
            "track_id": session.track_id,
            "language": session.language,
            "interpretation": session.interpretation_list,
            "status": session.status,
            "room_id": room.pk,
            "start": _iso(session.start.astimezone(tz)),
            "end": _iso(session.end.astimezone(tz)),
            "duration_minutes": session.duration_minutes,
            "expected_attendance": session.expected_attendance,
            "meeting_point": session.meeting_point,
            "transport_notes": session.transport_notes,
            "speakers": session_speakers,
            "materials": [{"title": doc.title, "url": doc.url} for doc in session.materials.all()],
            "updated_at": _iso(session.updated_at),
            "i18n": translations_of(session, TRANSLATED_FIELDS["sessions"]),
        }
        before = previous_sessions.get(row["guid"])
        if before is None:
            row["sequence"] = 0
        elif any(_versioned(before, f) != _versioned(row, f) for f in VERSIONED_FIELDS):
            row["sequence"] = before.get("sequence", 0) + 1
        else:
            row["sequence"] = before.get("sequence", 0)
        session_rows.append(row)

    return {
        "format": SNAPSHOT_FORMAT,
        "edition": {
            "slug": edition.slug,
            "name": edition.name,
            "theme": edition.theme,
            "start_date": _iso(edition.start_date),
            "end_date": _iso(edition.end_date),
            "time_zone": edition.time_zone,
            "city": edition.city,
            "country": edition.country.code,
            "venue": edition.venue,
        },
        "rooms": sorted(rooms.values(), key=lambda r: (r["position"], r["name"])),
        "tracks": sorted(tracks.values(), key=lambda t: t["name"]),
        "speakers": sorted(speakers.values(), key=lambda s: (s["name"], s["id"])),
        "sessions": session_rows,
    }


def _versioned(row: dict, field: str):
    if field == "i18n":  # releases published before translations existed have none
        return row.get("i18n") or {}
    return row.get(field)


def _speaker_row(speaker: Speaker) -> dict:
    organization = speaker.organization
    row = {
        "id": speaker.pk,
        "code": speaker.code,
        "slug": speaker.slug,
        "name": speaker.name,
        "name_native": speaker.name_native,
        "native_language": speaker.native_language,
        "organization": organization.name if organization else "",
        "organization_native": organization.name_native if organization else "",
        "country": speaker.country.code if speaker.country else "",
        "bio": speaker.bio,
        "links": speaker.link_list,
        "photo_id": speaker.photo_id,
    }
    if speaker.import_key.startswith("guid:"):  # the guid a pretalx or frab export gave
        row["guid"] = speaker.import_key.removeprefix("guid:")
    return row


@transaction.atomic
def publish_release(
    *,
    edition: Edition,
    title: str,
    notes: str = "",
    published_by: User | None = None,
) -> Release:
    """Freeze the programme as the edition's next release and make it the public one.

    Refused with HardConflictsError while hard conflicts remain. Side effects: after commit,
    `release_published` is sent and the cached pages and exports of the edition are replaced
    (their keys carry the release).
    """
    Edition.objects.select_for_update().get(pk=edition.pk)  # one publisher at a time
    sessions = list(sessions_for_schedule(edition))
    hard = [c for c in find_conflicts(edition, sessions=sessions) if c.is_hard]
    if hard:
        raise HardConflictsError(hard)
    previous = latest_release(edition)
    snapshot = build_snapshot(
        edition, sessions=sessions, previous=previous.snapshot if previous else None
    )
    number = (previous.number + 1) if previous else 1
    now = timezone.now()
    snapshot["release"] = {"number": number, "title": title, "published_at": _iso(now)}
    release = Release.objects.create(
        edition=edition,
        number=number,
        title=title,
        notes=notes,
        snapshot=snapshot,
        published_at=now,
        published_by=published_by,
    )
    cut_release_parts(release)
    from sessions_app.caching import announce_current_release
    from sessions_app.tasks import task_warm_programme_cache

    # Now and again after commit: an answer rendered from the earlier release in between is
    # stored under the earlier version and never served (a rollback heals in minutes).
    announce_current_release(release)

    def after_commit():
        announce_current_release(release)
        _announce_release(release)
        task_warm_programme_cache.delay(release_id=release.pk)

    transaction.on_commit(after_commit)
    return release


def cut_release_parts(release: Release) -> None:
    """The release's parts (one per session, one per speaker, the speaker index), which the
    pages of one session or speaker read instead of the whole snapshot."""
    from sessions_app.snapshot import release_parts

    ReleasePart.objects.bulk_create(
        [
            ReleasePart(release=release, kind=kind, slug=slug, data=data)
            for kind, slug, data in release_parts(release.snapshot)
        ],
        batch_size=500,
    )


def _announce_release(release: Release) -> None:
    for receiver, result in release_published.send_robust(sender=Release, release=release):
        if isinstance(result, Exception):
            logger.error("release_published receiver %r failed", receiver, exc_info=result)


def diff_snapshots(old: dict | None, new: dict) -> dict[str, list[dict]]:
    """What changed between two releases: new, cancelled, moved and otherwise changed sessions."""
    before = {s["guid"]: s for s in (old or {}).get("sessions", [])}
    changes: dict[str, list[dict]] = {"new": [], "cancelled": [], "moved": [], "changed": []}
    for session in new["sessions"]:
        previous = before.pop(session["guid"], None)
        cancelled_now = session["status"] == SessionStatus.CANCELLED
        if previous is None:
            changes["cancelled" if cancelled_now else "new"].append(session)
        elif cancelled_now and previous["status"] != SessionStatus.CANCELLED:
            changes["cancelled"].append(session)
        elif any(previous[f] != session[f] for f in ("start", "end", "room_id")):
            changes["moved"].append({**session, "previous": previous})
        elif session["sequence"] != previous.get("sequence"):
            changes["changed"].append(session)
    # Sessions that left the programme altogether (back to draft, unscheduled, deleted).
    changes["cancelled"].extend(before.values())
    return changes
