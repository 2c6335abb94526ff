import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="cfp.send_decision_emails")
def task_send_decision_emails(*, edition_id: int) -> int:
    """Write the decision emails of an edition's call not yet sent to the outbox."""
    from cfp.services.decisions import send_decision_emails
    from forum.models import Edition

    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        logger.info("edition %s is gone: no decision emails", edition_id)
        return 0
    sent = send_decision_emails(edition=edition)
    logger.info("%s decision emails queued for edition %s", sent, edition_id)
    return sent


@shared_task(name="cfp.export_proposals", soft_time_limit=120, time_limit=150)
def task_export_proposals(*, export_id: int) -> str:
    """Write the CSV file of a committee dashboard export into the private storage."""
    from cfp.services.exports import write_proposal_export

    outcome = write_proposal_export(export_id=export_id)
    logger.info("proposal export %s: %s", export_id, outcome)
    return outcome
