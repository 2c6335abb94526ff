"""Thin Celery tasks of registration: fetch by id, call a service, log."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

MAX_EMAIL_RETRIES = 6


@shared_task(bind=True, name="registration.send_email", max_retries=MAX_EMAIL_RETRIES)
def task_send_email(self, *, email_id: int) -> str:
    """Send one outbox email; retry with exponential backoff on temporary failures."""
    from registration.services.outbox import (
        TemporaryEmailError,
        mark_email_failed,
        send_outbox_email,
    )

    try:
        return send_outbox_email(email_id=email_id)
    except TemporaryEmailError as error:
        if self.request.retries >= self.max_retries:
            mark_email_failed(email_id=email_id, error=str(error))
            logger.error("email %s failed for good: %s", email_id, error)
            return "failed"
        countdown = min(2**self.request.retries, 300)
        logger.warning("email %s: %s; retry in %s s", email_id, error, countdown)
        if self.request.is_eager:
            # Eager mode (the embedded default) cannot wait: the sweep picks it up later.
            return "retry later"
        raise self.retry(countdown=countdown, exc=error) from error


@shared_task(name="registration.sweep_outbox")
def task_sweep_outbox() -> int:
    """Queue the outbox rows still pending (written while Redis was down, or lost)."""
    from registration.services.outbox import sweep_outbox

    count = sweep_outbox()
    if count:
        logger.info("outbox sweep queued %s emails", count)
    return count


# The document batches (registration.tasks_documents), discovered through this module.
from registration import tasks_documents  # noqa: E402,F401
