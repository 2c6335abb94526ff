import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="statements.send_digests")
def task_send_statement_digests() -> int:
    """The daily digest of statement notifications for those who chose it."""
    from statements.services.notifications import send_digests

    sent = send_digests()
    logger.info("%s statement digests sent", sent)
    return sent


@shared_task(name="statements.close_comment_periods")
def task_close_comment_periods() -> int:
    """Close the comment periods whose deadline has passed."""
    from statements.services.workflow import close_overdue_comment_periods

    closed = close_overdue_comment_periods()
    logger.info("%s comment periods closed", closed)
    return closed
