"""Notices to participants when a new programme release moves or cancels a session they
starred (sessions_app AgendaItem) or signed up for (SessionSignup): one email per
participant per release, listing their changed sessions."""

import datetime
import logging
import zoneinfo
from collections import defaultdict

from django.db import transaction
from django.db.models import Q

from mail.services.outbox import queue_email
from registration.enums import RegistrationStatus, SignupStatus
from registration.models import Registration, SessionSignup
from registration.services.links import EditionLinks
from sessions_app.models import AgendaItem, Release
from sessions_app.services.releases import diff_snapshots

logger = logging.getLogger(__name__)

NOTICE_KIND = "session_change"
# Who hears about their sessions: everyone registered who has not dropped out.
NOTIFIED_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.PENDING_APPROVAL,
    RegistrationStatus.WAITLISTED,
)


def notice_key(release: Release, registration: Registration) -> str:
    return f"session-change:{release.pk}:{registration.pk}"


def changed_sessions(release: Release) -> dict[str, dict]:
    """The sessions this release moved or cancelled, by guid, compared with the release
    before it: each with `change` ("moved" or "cancelled"), title, start, end, room and, for a
    move, the previous start, end and room."""
    previous = (
        Release.objects.filter(edition_id=release.edition_id, number__lt=release.number)
        .order_by("-number")
        .first()
    )
    if previous is None:  # the first release changes nobody's plans
        return {}
    changes = diff_snapshots(previous.snapshot, release.snapshot)
    zone = zoneinfo.ZoneInfo(release.snapshot["edition"]["time_zone"])
    rooms = {
        room["id"]: room["name"]
        for snapshot in (previous.snapshot, release.snapshot)
        for room in snapshot.get("rooms", [])
    }

    def when(value):
        return datetime.datetime.fromisoformat(value).astimezone(zone) if value else None

    def describe(session: dict, change: str) -> dict:
        before = session.get("previous") or {}
        return {
            "change": change,
            "guid": session["guid"],
            "title": session["title"],
            "start": when(session.get("start")),
            "end": when(session.get("end")),
            "room": rooms.get(session.get("room_id"), ""),
            "previous_start": when(before.get("start")),
            "previous_end": when(before.get("end")),
            "previous_room": rooms.get(before.get("room_id"), ""),
        }

    found = {s["guid"]: describe(s, "cancelled") for s in changes["cancelled"]}
    found.update({s["guid"]: describe(s, "moved") for s in changes["moved"]})
    return found


def affected_registrations(release: Release, guids) -> dict[int, tuple[Registration, set]]:
    """The registrations of the release's edition with a changed session in their agenda or
    sign-ups: {registration id: (registration, guids of their changed sessions)}."""
    guids = set(guids)
    if not guids:
        return {}
    by_user: dict[int, set] = defaultdict(set)
    for user_id, guid in AgendaItem.objects.filter(
        edition_id=release.edition_id, session_guid__in=guids
    ).values_list("user_id", "session_guid"):
        by_user[user_id].add(str(guid))
    by_registration: dict[int, set] = defaultdict(set)
    for registration_id, guid in (
        SessionSignup.objects.filter(
            registration__edition_id=release.edition_id, session__guid__in=guids
        )
        .exclude(status=SignupStatus.CANCELLED)
        .values_list("registration_id", "session__guid")
    ):
        by_registration[registration_id].add(str(guid))
    registrations = (
        Registration.objects.filter(edition_id=release.edition_id, status__in=NOTIFIED_STATUSES)
        .filter(Q(user_id__in=list(by_user)) | Q(pk__in=list(by_registration)))
        .select_related("edition")
        .order_by("pk")
    )
    return {
        r.pk: (r, by_user.get(r.user_id, set()) | by_registration.get(r.pk, set()))
        for r in registrations
    }


@transaction.atomic
def notify_session_changes(*, release: Release) -> int:
    """Write one email to each registered participant whose starred or signed-up sessions
    this release moved or cancelled.

    Side effects: outbox rows (dedupe key `session-change:<release>:<registration>`, so a
    second run writes nothing), tasks queued after commit. Returns how many were written.
    """
    changes = changed_sessions(release)
    written = 0
    links = EditionLinks(release.edition)
    for registration, guids in affected_registrations(release, changes).values():
        sessions = sorted(
            (changes[guid] for guid in guids),
            key=lambda s: (s["start"].timestamp() if s["start"] else float("inf"), s["title"]),
        )
        email = queue_email(
            to=registration.email,
            kind=NOTICE_KIND,
            template="registration/email/session_changes",
            context={
                "registration": registration,
                "edition": registration.edition,
                "release": release,
                "sessions": sessions,
                "time_zone": release.snapshot["edition"]["time_zone"],
                "programme_url": links.my_programme(registration.language),
            },
            language=registration.language,
            user=registration.user,
            edition=registration.edition,
            registration=registration,
            dedupe_key=notice_key(release, registration),
        )
        written += email is not None
    if written:
        logger.info("release %s: %s session-change notices written", release.pk, written)
    return written
