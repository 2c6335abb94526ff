"""Placing sessions in the programme: the one write behind the schedule grid editor."""

import datetime

from django.db import transaction
from wagtail.log_actions import log

from sessions_app.models import Room, Session


@transaction.atomic
def schedule_session(
    *,
    session: Session,
    room: Room | None,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    user,
) -> Session:
    """Put `session` in `room` from `start` to `end`, or take it off the grid (all three None).

    Locks the session row, applies the change to the fresh row, validates the whole session
    (`Session.full_clean`: both times or neither, end after start, a room and times of the
    session's own edition, within its days) and saves. Raises ValidationError and saves nothing
    when invalid. Conflicts with other sessions (double bookings, capacity…) are not errors here:
    `find_conflicts` reports them and publishing refuses the hard ones.

    Side effects: updates the session row; adds a `wagtail.edit` entry by `user` to its history.
    """
    locked = Session.objects.select_for_update().select_related("edition").get(pk=session.pk)
    locked.room = room
    locked.start = start
    locked.end = end
    locked.full_clean()
    locked.save(update_fields=["room", "start", "end", "updated_at"])
    log(instance=locked, action="wagtail.edit", user=user)
    return locked
