"""Celery tasks of registration's mail (imported by registration.tasks, which Celery
discovers): fetch by id, call registration.mail.services, log."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="registration.send_reminders")
def task_send_reminders() -> int:
    """Daily: the reminder N days before each edition, to its confirmed participants."""
    from registration.mail.services.reminders import send_due_reminders

    count = send_due_reminders()
    logger.info("reminders written: %s", count)
    return count


@shared_task(name="registration.send_announcement")
def task_send_announcement(*, announcement_id: int) -> int:
    """Write an announcement's emails (one per recipient) and mark it sent."""
    from registration.mail.services.announcements import AnnouncementError, send_announcement
    from registration.models import Announcement

    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        logger.info("announcement %s is gone", announcement_id)
        return 0
    try:
        return send_announcement(announcement=announcement)
    except AnnouncementError as error:  # sent already, or nobody left to send to
        logger.warning("announcement %s not sent: %s", announcement_id, error.message)
        return 0
