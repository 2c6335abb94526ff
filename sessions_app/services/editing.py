"""Changing one field of a session from the admin's bulk actions: its status or its track.
(Its room goes through `scheduling.schedule_session`, the write behind the grid editor.)"""

from django.db import transaction
from wagtail.log_actions import log

from sessions_app.models import Session, Track


def _save_checked(session: Session, fields: list[str], user) -> Session:
    session.full_clean()
    session.save(update_fields=[*fields, "updated_at"])
    log(instance=session, action="wagtail.edit", user=user)
    return session


@transaction.atomic
def set_session_status(*, session: Session, status: str, user) -> Session:
    """Give `session` the status `status` (draft, confirmed, cancelled).

    Locks the row and validates the whole session before saving; raises ValidationError and
    saves nothing when invalid. Side effects: the session row; a `wagtail.edit` history entry.
    The public programme changes only with the next release.
    """
    locked = Session.objects.select_for_update().select_related("edition").get(pk=session.pk)
    locked.status = status
    return _save_checked(locked, ["status"], user)


@transaction.atomic
def set_session_track(*, session: Session, track: Track | None, user) -> Session:
    """Put `session` in `track` (None: no track). A track of another edition is refused
    (ValidationError from `Session.clean`). Side effects as `set_session_status`."""
    locked = Session.objects.select_for_update().select_related("edition").get(pk=session.pk)
    locked.track = track
    return _save_checked(locked, ["track"], user)
