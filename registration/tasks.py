"""Thin Celery tasks of registration: fetch by id, call a service, log. (The outbox's tasks,
once here, are the core `mail` app's: mail/tasks.py.)"""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="registration.erase_expired_passport_details")
def task_erase_expired_passport_details() -> int:
    """Delete passport details kept past their edition's retention period (daily)."""
    from registration.services.privacy import erase_expired_passport_details

    return erase_expired_passport_details()


@shared_task(name="registration.send_reminders")
def task_send_reminders() -> int:
    """Daily: the reminder N days before each edition, to its confirmed participants."""
    from registration.services.reminders import send_due_reminders

    count = send_due_reminders()
    logger.info("reminders written: %s", count)
    return count


@shared_task(name="registration.notify_session_changes")
def task_notify_session_changes(*, release_id: int) -> int:
    """Email the participants whose sessions a new release moved or cancelled."""
    from registration.services.notices import notify_session_changes
    from sessions_app.models import Release

    release = Release.objects.filter(pk=release_id).first()
    if release is None:
        logger.info("release %s is gone; no notices", release_id)
        return 0
    return notify_session_changes(release=release)


@shared_task(name="registration.send_announcement")
def task_send_announcement(*, announcement_id: int) -> int:
    """Write an announcement's emails (one per recipient) and mark it sent."""
    from registration.models import Announcement
    from registration.services.announcements import AnnouncementError, send_announcement

    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        logger.info("announcement %s is gone", announcement_id)
        return 0
    try:
        return send_announcement(announcement=announcement)
    except AnnouncementError as error:  # sent already, or nobody left to send to
        logger.warning("announcement %s not sent: %s", announcement_id, error.message)
        return 0


# The document batches (registration.tasks_documents), discovered through this module.
from registration import tasks_documents  # noqa: E402,F401
