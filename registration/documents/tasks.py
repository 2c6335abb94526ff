"""Celery tasks of the document batches (imported by registration.tasks, which Celery
discovers): fetch by id, call registration.documents.services.batches, log."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

logger = logging.getLogger(__name__)

PART_SOFT_TIME_LIMIT = 240
PART_TIME_LIMIT = 300


@shared_task(bind=True, name="registration.start_document_job", soft_time_limit=60, time_limit=90)
def task_start_document_job(self, *, job_id: int) -> int:
    """Plan a batch and queue its parts (on the queue this task came from); returns how many
    parts were queued."""
    from registration.documents.services.batches import fail_job, plan_job

    queue = None if self.request.is_eager else (self.request.delivery_info or {}).get("routing_key")
    try:
        parts = plan_job(job_id=job_id)
        for index, ids in enumerate(parts):
            task_render_document_part.apply_async(
                kwargs={"job_id": job_id, "index": index, "ids": ids}, queue=queue
            )
    except Exception as error:
        logger.exception("document job %s could not start", job_id)
        fail_job(job_id=job_id, error=f"{type(error).__name__}: {error}")
        return 0
    logger.info("document job %s: %s parts queued", job_id, len(parts))
    return len(parts)


@shared_task(
    name="registration.render_document_part",
    soft_time_limit=PART_SOFT_TIME_LIMIT,
    time_limit=PART_TIME_LIMIT,
    # Acknowledged when done; a part whose worker process died goes back to the queue.
    acks_late=True,
    reject_on_worker_lost=True,
)
def task_render_document_part(*, job_id: int, index: int, ids: list[int]) -> str:
    """Render one part of a batch (and join the batch if it is the last part to finish)."""
    from registration.documents.services.batches import fail_job, render_part

    try:
        return render_part(job_id=job_id, index=index, ids=ids)
    except SoftTimeLimitExceeded:
        logger.error("document job %s part %s ran out of time", job_id, index)
        fail_job(job_id=job_id, error="The job ran out of time.")
        return "failed"
    except Exception as error:
        logger.exception("document job %s part %s failed", job_id, index)
        fail_job(job_id=job_id, error=f"{type(error).__name__}: {error}")
        return "failed"


@shared_task(name="registration.render_participant_document", soft_time_limit=120, time_limit=150)
def task_render_participant_document(
    *, registration_id: int, kind: str, language: str, lock: str = ""
) -> str:
    """Render one participant's document into the private storage; release the download
    view's render lock `lock` when done, whatever happened."""
    from forum.documents import release_render_lock
    from registration.documents.services.participant import render_participant_document

    try:
        name = render_participant_document(
            registration_id=registration_id, kind=kind, language=language
        )
    except Exception:
        logger.exception("document %s of registration %s failed", kind, registration_id)
        return "failed"
    finally:
        if lock:
            release_render_lock(lock)
    if name is None:
        logger.info("registration %s is gone; no %s rendered", registration_id, kind)
        return "gone"
    return "rendered"


@shared_task(name="registration.resume_document_jobs")
def task_resume_document_jobs() -> dict:
    """Periodic: resume the batches whose worker was lost; fail those lost too often."""
    from registration.documents.services.batches import resume_stuck_jobs

    counts = resume_stuck_jobs()
    if any(counts.values()):
        logger.warning("stuck document jobs: %s", counts)
    return counts
