import logging

from celery import shared_task
from django.core.management import call_command

logger = logging.getLogger(__name__)


@shared_task(name="cms.publish_scheduled_pages")
def task_publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones (Wagtail's
    `publish_scheduled`); Celery beat runs it every minute."""
    call_command("publish_scheduled")
    logger.info("scheduled pages published")
