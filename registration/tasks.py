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


# The tasks of the concern packages (registration.documents.tasks, registration.mail.tasks),
# discovered through this module: Celery imports only `registration.tasks`.
from registration.documents import tasks as documents_tasks  # noqa: E402,F401
from registration.mail import tasks as mail_tasks  # noqa: E402,F401
