"""A participant's personal agenda and its private calendar address."""

import uuid

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from forum.models import Edition
from sessions_app.models import AgendaItem, CalendarToken, Release


class UnknownSessionError(Exception):
    """The session is not in the edition's published programme."""


def _published_guids(release: Release | None) -> set[str]:
    return {s["guid"] for s in (release.snapshot["sessions"] if release else [])}


def star_session(*, user: User, edition: Edition, release: Release | None, guid: str) -> AgendaItem:
    """Add a published session to the user's agenda (idempotent)."""
    if guid not in _published_guids(release):
        raise UnknownSessionError(guid)
    item, _ = AgendaItem.objects.get_or_create(
        user=user, session_guid=uuid.UUID(guid), defaults={"edition": edition}
    )
    return item


def unstar_session(*, user: User, guid: str) -> bool:
    try:
        value = uuid.UUID(guid)
    except ValueError as exc:
        raise UnknownSessionError(guid) from exc
    deleted, _ = AgendaItem.objects.filter(user=user, session_guid=value).delete()
    return bool(deleted)


@transaction.atomic
def issue_calendar_token(*, user: User, edition: Edition) -> CalendarToken:
    """A new private calendar address for the user's agenda; any earlier one stops working."""
    revoke_calendar_tokens(user=user, edition=edition)
    return CalendarToken.objects.create(user=user, edition=edition)


def revoke_calendar_tokens(*, user: User, edition: Edition) -> int:
    return CalendarToken.objects.filter(user=user, edition=edition, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
