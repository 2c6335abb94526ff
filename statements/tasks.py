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


@shared_task(name="statements.render_pdf", soft_time_limit=240, time_limit=300)
def task_render_statement_pdf(
    *, statement_id: int, version_id: int, kind: str, language: str, name: str
) -> str:
    """Render the statement's PDF or comment matrix into the private storage at `name`, then
    release the render lock the request took."""
    from forum.documents import release_render_lock
    from statements.documents.services import render_printed

    try:
        stored = render_printed(
            statement_id=statement_id,
            version_id=version_id,
            kind=kind,
            language=language,
            name=name,
        )
    except Exception:
        logger.exception("%s of statement %s failed", kind, statement_id)
        return "failed"
    finally:
        release_render_lock(name)
    return "rendered" if stored else "gone"
