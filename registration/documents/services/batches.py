"""Batches of documents (badges for a whole edition) rendered in the background.

`start_document_job` records a DocumentJob and queues `task_start_document_job` after commit.
That task selects the registrations, splits them into parts (2 to 4) and queues one
`task_render_document_part` per part, then returns: with a worker of concurrency 2 the two pool
processes render parts side by side, one per core, and no worker slot is held waiting. Each
part writes its PDF to storage and adds its count to `done` under the job's row lock; the part
that brings `done` to `total` joins the parts with pypdf, in order, and stores the file. This
needs no Celery result backend (the "chord" is the counter on the row), and a part that fails
or runs out of time marks the job FAILED with the error; the other parts then stop.

A worker can die mid-batch (killed, out of memory, its machine restarted). The parts are kept
on the job (`filters["parts"]`), and each part claims its index before rendering
(`filters["claims"]`) and records it when stored (`filters["parts_done"]`), so a part is
rendered once however often it is delivered. The periodic `resume_stuck_jobs` re-queues the
parts that are neither done nor claimed recently (their worker is gone); after MAX_RESUMES the
job is failed, and an organizer can retry it from the admin (`retry_document_job`), which again
renders only the missing parts.
"""

import io
import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from pypdf import PdfWriter

from forum.documents import private_storage, random_folder
from forum.models import Edition
from registration.documents.pdf.badges import BADGES_PER_SHEET, render_badge_sheets
from registration.enums import DocumentJobKind, DocumentJobStatus, RegistrationStatus
from registration.models import DocumentJob, Registration, TicketType

logger = logging.getLogger(__name__)

MAX_PARTS = 4
# A part has at least this many badges: below it, a part's fixed cost (styles, fonts) outweighs
# what a second core gains.
MIN_PART_SIZE = 48
# A job still queued or running after this long is failed when its page is opened (a last
# resort: resume_stuck_jobs normally resumes or fails it long before).
JOB_DEADLINE = timedelta(hours=2)
# A part claimed longer ago than this (its time limit and a margin) lost its worker.
CLAIM_TIMEOUT = timedelta(seconds=330)
# A job queued this long without being planned lost its start task.
START_TIMEOUT = timedelta(minutes=2)
# Resumptions of a job before it is failed (each after its worker was lost).
MAX_RESUMES = 3
SUPPORTED_KINDS = (DocumentJobKind.BADGES,)


class DocumentJobError(ValidationError):
    """A batch cannot be started as asked; the message tells the organizer why."""


def clean_job_filters(*, edition: Edition, kind: str, filters: dict) -> dict:
    """The filters of a batch, checked against the edition: ticket type ids of this edition
    only, known statuses only (confirmed by default), and the language to print in."""
    if kind not in SUPPORTED_KINDS:
        raise DocumentJobError(_("This kind of document cannot be printed in batch."))
    try:
        ticket_ids = sorted({int(pk) for pk in filters.get("ticket_types") or []})
    except (TypeError, ValueError):
        raise DocumentJobError(_("Choose ticket types of this edition.")) from None
    if ticket_ids:
        found = TicketType.objects.filter(edition=edition, pk__in=ticket_ids).count()
        if found != len(ticket_ids):
            raise DocumentJobError(_("Choose ticket types of this edition."))
    statuses = sorted(set(filters.get("statuses") or [RegistrationStatus.CONFIRMED]))
    if not set(statuses) <= set(RegistrationStatus.values):
        raise DocumentJobError(_("Choose known statuses."))
    language = filters.get("language") or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return {
        "ticket_types": ticket_ids,
        "statuses": [str(status) for status in statuses],
        "language": language,
    }


def job_registrations(*, edition: Edition, filters: dict) -> QuerySet[Registration]:
    """The registrations a batch prints, in a stable order (by name, then id)."""
    registrations = Registration.objects.filter(edition=edition, status__in=filters["statuses"])
    if filters.get("ticket_types"):
        registrations = registrations.filter(ticket_type_id__in=filters["ticket_types"])
    return registrations.order_by("name", "pk")


def start_document_job(*, edition: Edition, kind: str, filters: dict, actor) -> DocumentJob:
    """Record a batch of `kind` for the registrations of `edition` matching `filters`
    ({"ticket_types": [ids], "statuses": [...], "language": "en"}) and queue it after commit.

    Raises DocumentJobError for bad filters or when nothing matches; nothing is saved then.
    Side effects: one DocumentJob (QUEUED); after commit, task_start_document_job.
    """
    filters = clean_job_filters(edition=edition, kind=kind, filters=filters)
    total = job_registrations(edition=edition, filters=filters).count()
    if not total:
        raise DocumentJobError(_("No registration matches these filters."))
    job = DocumentJob.objects.create(
        edition=edition, kind=kind, filters=filters, total=total, created_by=actor
    )

    def _enqueue():
        from registration.documents.tasks import task_start_document_job

        try:
            task_start_document_job.delay(job_id=job.pk)
        except Exception as error:  # the broker is down: the job says so
            logger.exception("could not queue document job %s", job.pk)
            fail_job(job_id=job.pk, error=f"Could not queue the job: {error}")

    transaction.on_commit(_enqueue)
    return job


def split_parts(ids: Sequence[int], *, parts: int = MAX_PARTS) -> list[list[int]]:
    """`ids` in up to `parts` consecutive parts of whole sheets, as even as possible."""
    if not ids:
        return []
    count = max(1, min(parts, len(ids) // MIN_PART_SIZE))
    sheets = -(-len(ids) // BADGES_PER_SHEET)
    per_part = -(-sheets // count) * BADGES_PER_SHEET
    return [list(ids[i : i + per_part]) for i in range(0, len(ids), per_part)]


def plan_job(*, job_id: int) -> list[list[int]]:
    """Select the job's registrations now, record how many, mark it running and return its
    parts (lists of registration ids). An empty list when the job is gone or already decided."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != DocumentJobStatus.QUEUED:
            return []
        ids = list(
            job_registrations(edition=job.edition, filters=job.filters).values_list("pk", flat=True)
        )
        if not ids:
            _fail(job, _("No registration matches these filters any more."))
            return []
        parts = split_parts(ids)
        job.total, job.done, job.status = len(ids), 0, DocumentJobStatus.RUNNING
        job.filters = {**job.filters, "parts": parts, "parts_done": [], "claims": {}}
        job.save(update_fields=["total", "done", "status", "filters"])
    return parts


def _part_name(job_id: int, index: int) -> str:
    return f"document-jobs/parts/{job_id}/part-{index:02d}.pdf"


def claim_part(*, job_id: int, index: int, now=None) -> bool:
    """Claim part `index` of a running job for this delivery: False when the job is gone or
    stopped, the part is done, or another delivery claimed it within CLAIM_TIMEOUT."""
    now = now or timezone.now()
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != DocumentJobStatus.RUNNING:
            return False
        if index in job.filters.get("parts_done", []):
            return False
        claims = dict(job.filters.get("claims", {}))
        claimed = claims.get(str(index))
        if claimed and datetime.fromisoformat(claimed) > now - CLAIM_TIMEOUT:
            return False
        claims[str(index)] = now.isoformat()
        job.filters = {**job.filters, "claims": claims}
        job.save(update_fields=["filters"])
    return True


def render_part(*, job_id: int, index: int, ids: Sequence[int]) -> str:
    """Render one part of a job and record it; join the parts if it was the last.

    Returns what happened: "rendered", "joined", "skipped" (the job is gone or failed, or the
    part is done or being rendered by another delivery).
    Raises what rendering raised (the task marks the job failed).
    """
    if not claim_part(job_id=job_id, index=index):
        return "skipped"
    job = DocumentJob.objects.select_related("edition").get(pk=job_id)
    registrations = Registration.objects.filter(pk__in=ids).select_related("edition", "ticket_type")
    by_id = {registration.pk: registration for registration in registrations}
    ordered = [by_id[pk] for pk in ids if pk in by_id]
    started = time.monotonic()
    pdf = render_badge_sheets(ordered, language=job.filters.get("language", "en"))
    name = _part_name(job_id, index)
    storage = private_storage()
    if storage.exists(name):
        storage.delete(name)  # left by a delivery whose worker died before recording it
    storage.save(name, ContentFile(pdf))
    logger.info(
        "job %s part %s: %s badges in %.2f s", job_id, index, len(ids), time.monotonic() - started
    )
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status != DocumentJobStatus.RUNNING:
            return "skipped"
        parts = job.filters.get("parts_done", [])
        if index in parts:
            return "skipped"  # a duplicate delivery of a part already counted
        claims = {k: v for k, v in job.filters.get("claims", {}).items() if k != str(index)}
        job.filters = {**job.filters, "parts_done": sorted([*parts, index]), "claims": claims}
        job.done = F("done") + len(ids)
        job.save(update_fields=["filters", "done"])
        job.refresh_from_db(fields=["done", "total"])
        last = job.done >= job.total
    if last:
        join_parts(job_id=job_id)
        return "joined"
    return "rendered"


def _queue_parts(job_id: int, parts: dict[int, list[int]]) -> None:
    from registration.documents.tasks import task_render_document_part

    for index, ids in sorted(parts.items()):
        task_render_document_part.delay(job_id=job_id, index=index, ids=ids)


def missing_parts(job: DocumentJob, *, now=None) -> dict[int, list[int]]:
    """The parts of a running job that are neither done nor claimed within CLAIM_TIMEOUT."""
    now = now or timezone.now()
    done = set(job.filters.get("parts_done", []))
    claims = job.filters.get("claims", {})
    missing = {}
    for index, ids in enumerate(job.filters.get("parts", [])):
        claimed = claims.get(str(index))
        if index in done or (claimed and datetime.fromisoformat(claimed) > now - CLAIM_TIMEOUT):
            continue
        missing[index] = ids
    return missing


def resume_stuck_jobs(*, now=None) -> dict[str, int]:
    """Periodic: resume the batches whose worker was lost.

    A running job with parts neither done nor recently claimed gets those parts queued again
    (their stale claims dropped), at most MAX_RESUMES times; then it is failed with a message
    saying it can be retried. A job queued for START_TIMEOUT without being planned gets its
    start task again. Returns {"resumed": n, "restarted": n, "failed": n}.
    Side effects: the jobs' rows; tasks queued after commit.
    """
    now = now or timezone.now()
    counts = {"resumed": 0, "restarted": 0, "failed": 0}
    for job_id in DocumentJob.objects.filter(
        status=DocumentJobStatus.QUEUED, created_at__lte=now - START_TIMEOUT
    ).values_list("pk", flat=True):
        _queue_start(job_id)
        counts["restarted"] += 1
    running = DocumentJob.objects.filter(status=DocumentJobStatus.RUNNING).values_list(
        "pk", flat=True
    )
    for job_id in running:
        with transaction.atomic():
            job = DocumentJob.objects.select_for_update().get(pk=job_id)
            missing = missing_parts(job, now=now)
            if not missing or not job.filters.get("parts"):
                continue
            resumes = job.filters.get("resumes", 0) + 1
            if resumes > MAX_RESUMES:
                _fail(job, _("The job stopped %(count)s times. Retry it.") % {"count": resumes})
                counts["failed"] += 1
                continue
            claims = {
                k: v for k, v in job.filters.get("claims", {}).items() if int(k) not in missing
            }
            job.filters = {**job.filters, "claims": claims, "resumes": resumes}
            job.save(update_fields=["filters"])
            logger.warning("document job %s: parts %s queued again", job_id, sorted(missing))
            transaction.on_commit(partial(_queue_parts, job_id, missing))
            counts["resumed"] += 1
    return counts


def retry_document_job(*, job: DocumentJob) -> DocumentJob:
    """An organizer retries a failed job: it resumes with the parts that are missing (or is
    planned again if it never started). Raises DocumentJobError unless the job failed.
    Side effects: the job's row; tasks queued after commit."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if job.status != DocumentJobStatus.FAILED:
            raise DocumentJobError(_("Only a failed job can be retried."))
        job.error, job.finished_at = "", None
        if job.filters.get("parts"):
            job.status = DocumentJobStatus.RUNNING
            job.filters = {**job.filters, "claims": {}, "resumes": 0}
            missing = missing_parts(job)
            transaction.on_commit(lambda: _queue_parts(job.pk, missing))
        else:
            job.status = DocumentJobStatus.QUEUED
            transaction.on_commit(lambda: _queue_start(job.pk))
        job.save(update_fields=["status", "error", "finished_at", "filters"])
    return job


def _queue_start(job_id: int) -> None:
    from registration.documents.tasks import task_start_document_job

    task_start_document_job.delay(job_id=job_id)


def join_parts(*, job_id: int) -> None:
    """Join the job's parts, in order, into its file; mark it done; remove the parts."""
    job = DocumentJob.objects.select_related("edition").get(pk=job_id)
    indexes = job.filters.get("parts_done", [])
    writer = PdfWriter()
    for index in sorted(indexes):
        with private_storage().open(_part_name(job_id, index), "rb") as part:
            writer.append(io.BytesIO(part.read()))
    output = io.BytesIO()
    writer.write(output)
    # Beneath a random folder of the private storage: a name nobody can guess.
    filename = f"{random_folder()}/{job.edition.slug}-{job.kind}-{job.pk}.pdf"
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        job.file.save(filename, ContentFile(output.getvalue()), save=False)
        job.status = DocumentJobStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "finished_at"])
    for index in indexes:
        private_storage().delete(_part_name(job_id, index))


def fail_job(*, job_id: int, error: str) -> None:
    """Mark a job failed with `error` (unless it is already done)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is not None and job.status != DocumentJobStatus.DONE:
            _fail(job, error)


def _fail(job: DocumentJob, error) -> None:
    job.status = DocumentJobStatus.FAILED
    job.error = str(error)[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def expire_lost_job(job: DocumentJob, *, now=None) -> DocumentJob:
    """Fail a job still queued or running long after its time limit (its worker was lost)."""
    now = now or timezone.now()
    if job.status in (DocumentJobStatus.QUEUED, DocumentJobStatus.RUNNING) and (
        job.created_at < now - JOB_DEADLINE
    ):
        fail_job(job_id=job.pk, error=str(_("The job did not finish in time.")))
        job.refresh_from_db()
    return job
