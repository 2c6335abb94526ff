"""Thin Celery tasks of the outbox: fetch by id, call a service, log. They run on the `mail`
queue (CELERY_TASK_ROUTES).

The outbox lived in registration until it became this core app; its tasks were named
`registration.send_email` and `registration.sweep_outbox`. Those names stay registered here as
aliases of the new tasks, so that messages already waiting in Redis under the old names (an
email's retry is a message due minutes or hours later) still run after an upgrade."""

import logging

from celery import shared_task

from mail.services.outbox import (
    TemporaryEmailError,
    send_outbox_batch,
    send_outbox_email,
    sweep_outbox,
)

logger = logging.getLogger(__name__)


def _send_one(task, email_id: int) -> str:
    try:
        return send_outbox_email(email_id=email_id)
    except TemporaryEmailError as error:
        if task.request.is_eager:
            # Eager mode (the embedded default) cannot wait: the sweep tries again later.
            logger.warning("email %s: %s; the outbox sweep will try again", email_id, error)
            return "retry later"
        countdown = error.retry_in
        logger.warning("email %s: %s; retry in %s s", email_id, error, countdown)
        # max_retries=None: the row decides when to give up (after EMAIL_RETRY_FOR_HOURS), not
        # Celery's retry count (a duplicate delivery or a sweep also makes attempts).
        raise task.retry(countdown=countdown, exc=error, max_retries=None) from error


@shared_task(bind=True, name="mail.send_email", max_retries=None)
def task_send_email(self, *, email_id: int) -> str:
    """Send one outbox email; retry with backoff on temporary failures, when the row says."""
    return _send_one(self, email_id)


@shared_task(bind=True, name="mail.send_emails")
def task_send_emails(self, *, email_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox emails over one SMTP connection; the ones that failed for now
    (or were not tried because the server was unreachable) are queued again as a batch at
    their due time."""
    outcome = send_outbox_batch(email_ids=email_ids)
    for countdown, later in sorted(outcome.retry.items()):
        if self.request.is_eager:
            logger.warning("%s emails failed for now; the outbox sweep will try again", len(later))
            continue
        logger.warning("%s emails failed for now; retry in %s s", len(later), countdown)
        self.apply_async(kwargs={"email_ids": later}, countdown=countdown)
    return dict(outcome.counts)


@shared_task(name="mail.sweep_outbox")
def task_sweep_outbox() -> int:
    """Queue the outbox rows still pending (written while Redis was down, or lost)."""
    count = sweep_outbox()
    if count:
        logger.info("outbox sweep queued %s emails", count)
    return count


# The names these tasks had in registration (messages already queued under them still run).
@shared_task(bind=True, name="registration.send_email", max_retries=None)
def task_send_email_legacy_name(self, *, email_id: int) -> str:
    """`mail.send_email` under its former name."""
    return _send_one(self, email_id)


@shared_task(name="registration.sweep_outbox")
def task_sweep_outbox_legacy_name() -> int:
    """`mail.sweep_outbox` under its former name."""
    return task_sweep_outbox()
