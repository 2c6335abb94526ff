"""The backend of Django's task framework (django-tasks), which Wagtail uses to update its
search and reference indexes when a page or a snippet is saved.

Those updates run at once, in the saving request's transaction, as with django-tasks'
ImmediateBackend — but each inside its own savepoint. An index update that fails (it is logged
and retried by `manage.py update_index`) then rolls back only its own writes: the organizer's
save still commits instead of ending in a broken transaction and a 500. Our own background
work runs on Celery, not here."""

import logging

from django.db import DatabaseError, transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResultStatus

logger = logging.getLogger(__name__)


class SavepointImmediateBackend(ImmediateBackend):
    def _execute_task(self, task_result) -> None:
        try:
            with transaction.atomic():
                super()._execute_task(task_result)  # records, never raises, a task's error
                if task_result.status == TaskResultStatus.FAILED:
                    transaction.set_rollback(True)  # undo what the failed task wrote
        except DatabaseError:
            logger.exception("Task %s left its savepoint unusable", task_result.task.name)
