"""Read queries of the programme."""

import datetime
import zoneinfo

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from forum.models import Edition
from sessions_app.models import Release, Session, SessionSpeaker, Speaker


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
