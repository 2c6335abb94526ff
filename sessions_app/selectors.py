"""Read queries of the programme."""

import datetime
import json
import threading
import zoneinfo

from cachetools import LRUCache
from django.db import connection
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import translation

from forum.models import Edition
from sessions_app.models import Release, ReleasePart, Session, SessionSpeaker, Speaker
from sessions_app.programme import Programme


def edition_bounds(edition: Edition) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """The first and last instant of the edition's days, in its time zone (None if undated)."""
    if not (edition.start_date and edition.end_date):
        return None, None
    tz = zoneinfo.ZoneInfo(edition.time_zone)
    first = datetime.datetime.combine(edition.start_date, datetime.time.min, tzinfo=tz)
    last = datetime.datetime.combine(
        edition.end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return first, last


def sessions_for_schedule(edition: Edition) -> QuerySet[Session]:
    """Every session of the edition with what conflict checks and snapshots read (4 queries)."""
    return (
        Session.objects.filter(edition=edition)
        .select_related("room", "track")
        .prefetch_related(
            Prefetch(
                "speaker_links",
                queryset=SessionSpeaker.objects.select_related(
                    "speaker", "speaker__organization"
                ).order_by("sort_order", "pk"),
            ),
            "materials",
        )
        .order_by("start", "room__position", "title", "pk")
    )


def speakers_with_availability(edition: Edition) -> QuerySet[Speaker]:
    return (
        Speaker.objects.filter(edition=edition)
        .select_related("organization", "photo")
        .prefetch_related("availabilities")
        .order_by("name", "pk")
    )


def latest_release(edition: Edition) -> Release | None:
    return Release.objects.filter(edition=edition).order_by("-number").first()


def published_release_summary(edition: Edition | int) -> Release | None:
    """The latest release without its snapshot: enough to link to the programme."""
    return Release.objects.filter(edition=edition).defer("snapshot").order_by("-number").first()


def releases_for_changelog(edition: Edition) -> QuerySet[Release]:
    return Release.objects.filter(edition=edition).order_by("-number")


def agenda_guids(user, edition: Edition) -> set[str]:
    """The guids of the sessions `user` starred in `edition` (empty for anonymous visitors)."""
    if not user.is_authenticated:
        return set()
    from sessions_app.models import AgendaItem

    return {
        str(guid)
        for guid in AgendaItem.objects.filter(user=user, edition=edition).values_list(
            "session_guid", flat=True
        )
    }


def active_calendar_token(user, edition: Edition):
    from sessions_app.models import CalendarToken

    return (
        CalendarToken.objects.filter(user=user, edition=edition, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def calendar_token_owner(edition: Edition, token: str):
    """The active token `token` of `edition`, with its user, or None."""
    from sessions_app.models import CalendarToken

    return (
        CalendarToken.objects.select_related("user")
        .filter(edition=edition, token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def latest_releases(edition_ids: set[int]) -> dict[int, Release]:
    """The latest release of each of the editions, with its snapshot, by edition id (one
    query, whatever the number of editions)."""
    latest = (
        Release.objects.filter(edition_id=OuterRef("edition_id"))
        .order_by("-number")
        .values("number")[:1]
    )
    releases = Release.objects.filter(edition_id__in=edition_ids, number=Subquery(latest))
    return {release.edition_id: release for release in releases}


def release_page_slugs(release: Release) -> tuple[list[str], list[str]]:
    """The slugs of the sessions and of the speakers of `release`, which have public pages."""
    snapshot = release.snapshot
    sessions = [row["slug"] for row in snapshot.get("sessions", []) if row.get("slug")]
    speakers = [row["slug"] for row in snapshot.get("speakers", []) if row.get("slug")]
    return sessions, speakers


def release_part(release: Release, kind: str, slug: str = "") -> dict | None:
    """The part `kind` (session, speaker or speakers: sessions_app.snapshot.release_parts) of
    `release` cut at publication, or None if the release has no such part (one query)."""
    return (
        ReleasePart.objects.filter(release=release, kind=kind, slug=slug)
        .values_list("data", flat=True)
        .first()
    )


# Programmes read from a snapshot, by release and language: a release is frozen once
# published (its snapshot is not editable), so a process reads each (about 15 ms for 300
# sessions, and a 400 KB query) once. A few are kept: the latest release of each edition being
# visited, in each language. The key holds the release's number and publication time as well as
# its id, so that an id used again (a release deleted, another published) is never taken for it.
PROGRAMMES_KEPT = 12
_PROGRAMMES: LRUCache[tuple, Programme] = LRUCache(maxsize=PROGRAMMES_KEPT)
_PROGRAMMES_LOCK = threading.Lock()


def release_programme(release: Release, language: str | None = None) -> Programme:
    """The whole programme of `release` read in `language` (the active one if not given). The
    first time this process meets the release in that language: one query, for the snapshot's
    text, decoded and read; afterwards none. Readers must not change the programme."""
    language = language or translation.get_language() or ""
    key = (release.pk, release.number, release.published_at.isoformat(), language)
    with _PROGRAMMES_LOCK:
        programme = _PROGRAMMES.get(key)
    if programme is None:
        text = (
            Release.objects.filter(pk=release.pk)
            .annotate(text=Cast("snapshot", TextField()))
            .values_list("text", flat=True)
            .get()
        )
        programme = Programme(json.loads(text), language)
        with _PROGRAMMES_LOCK:
            _PROGRAMMES[key] = programme
    return programme


def forget_programmes() -> None:
    """Empty this process's programmes (tests, between cases)."""
    with _PROGRAMMES_LOCK:
        _PROGRAMMES.clear()


def release_has_parts(release: Release) -> bool:
    return ReleasePart.objects.filter(release=release).exists()


def release_tracks(release: Release) -> list[dict]:
    """The tracks of `release`'s snapshot (read from it in the database, not decoded whole)."""
    tracks = Release.objects.values_list("snapshot__tracks", flat=True).get(pk=release.pk)
    return _decode(tracks) or []


# --- Slices of a release's snapshot -------------------------------------------------------
# A page about one session or one speaker reads only what it shows: on PostgreSQL the slice is
# cut from the snapshot in the database (jsonb paths), never decoding the whole snapshot in
# Python; elsewhere the snapshot is decoded and sliced here. A slice is a snapshot of its own
# (the same format, fewer sessions and speakers), read with sessions_app.programme.Programme.

_SESSION_SLICE = """
WITH s AS (
    SELECT snapshot, jsonb_path_query_array(
        snapshot, '$.sessions[*] ? (@.slug == $slug)', jsonb_build_object('slug', %s::text)
    ) AS sessions
    FROM sessions_app_release WHERE id = %s
)
SELECT snapshot->'edition', snapshot->'release', snapshot->'rooms', snapshot->'tracks', sessions,
    jsonb_path_query_array(
        snapshot, '$.speakers[*] ? (@.id == $ids[*])',
        jsonb_build_object('ids', jsonb_path_query_array(sessions, '$[*].speakers[*].id'))
    )
FROM s
"""

_SPEAKER_SLICE = """
WITH p AS (
    SELECT snapshot, jsonb_path_query_first(
        snapshot, '$.speakers[*] ? (@.slug == $slug)', jsonb_build_object('slug', %s::text)
    ) AS speaker
    FROM sessions_app_release WHERE id = %s
), s AS (
    SELECT snapshot, speaker, jsonb_path_query_array(
        snapshot, '$.sessions[*] ? (@.speakers[*].id == $id)',
        jsonb_build_object('id', speaker->'id')
    ) AS sessions
    FROM p
)
SELECT snapshot->'edition', snapshot->'release', snapshot->'rooms', snapshot->'tracks', sessions,
    jsonb_path_query_array(
        snapshot, '$.speakers[*] ? (@.id == $ids[*])',
        jsonb_build_object('ids', jsonb_path_query_array(sessions, '$[*].speakers[*].id')
            || jsonb_build_array(speaker->'id'))
    )
FROM s
"""

_SNAPSHOT_PARTS = ("edition", "release", "rooms", "tracks", "sessions", "speakers")


def _decode(value):
    return json.loads(value) if isinstance(value, str) else value


def _sliced(sql: str, slug: str, release: Release, keep) -> dict:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, [slug, release.pk])
            row = cursor.fetchone()
        parts = [_decode(value) for value in row] if row else [None] * 6
        return {name: value or [] for name, value in zip(_SNAPSHOT_PARTS, parts, strict=True)}
    snapshot = Release.objects.values_list("snapshot", flat=True).get(pk=release.pk)
    sessions = [row for row in snapshot["sessions"] if keep(row, snapshot)]
    ids = {link["id"] for row in sessions for link in row["speakers"]}
    ids |= {s["id"] for s in snapshot["speakers"] if s["slug"] == slug}
    return {
        **snapshot,
        "sessions": sessions,
        "speakers": [s for s in snapshot["speakers"] if s["id"] in ids],
    }


def session_slice(release: Release, slug: str) -> dict:
    """The snapshot of `release` cut down to the session `slug` (none if there is no such
    session), its speakers, and the rooms and tracks (one query)."""
    return _sliced(_SESSION_SLICE, slug, release, lambda row, _s: row.get("slug") == slug)


def speaker_slice(release: Release, slug: str) -> dict:
    """The snapshot of `release` cut down to the speaker `slug`, their sessions and those
    sessions' other speakers, and the rooms and tracks (one query)."""

    def keep(row, snapshot):
        ids = {s["id"] for s in snapshot["speakers"] if s["slug"] == slug}
        return any(link["id"] in ids for link in row["speakers"])

    return _sliced(_SPEAKER_SLICE, slug, release, keep)


def speakers_slice(release: Release) -> dict:
    """The snapshot of `release` without its sessions: what the speaker index shows."""
    edition, meta, speakers = Release.objects.values_list(
        "snapshot__edition", "snapshot__release", "snapshot__speakers"
    ).get(pk=release.pk)
    return {
        "edition": _decode(edition),
        "release": _decode(meta) or {},
        "rooms": [],
        "tracks": [],
        "speakers": _decode(speakers) or [],
        "sessions": [],
    }
