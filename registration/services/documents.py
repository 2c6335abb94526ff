"""Batches of documents (badges for a whole edition) rendered in the background.

`start_document_job` records a DocumentJob and queues `task_start_document_job` after commit.
That task selects the registrations, splits them into parts (2 to 4) and queues one
`task_render_document_part` per part, then returns: with a worker of concurrency 2 the two pool
processes render parts side by side, one per core, and no worker slot is held waiting. Each
part writes its PDF to storage and adds its count to `done` under the job's row lock; the part
that brings `done` to `total` joins the parts with pypdf, in order, and stores the file. This
needs no Celery result backend (the "chord" is the counter on the row), and a part that fails
or runs out of time marks the job FAILED with the error; the other parts then stop.
"""

import io
import logging
import time
from collections.abc import Sequence
from datetime import timedelta

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
from registration.enums import DocumentJobKind, DocumentJobStatus, RegistrationStatus
from registration.models import DocumentJob, Registration, TicketType
from registration.pdf.badges import BADGES_PER_SHEET, render_badge_sheets

logger = logging.getLogger(__name__)

MAX_PARTS = 4
# A part has at least this many badges: below it, a part's fixed cost (styles, fonts) outweighs
# what a second core gains.
MIN_PART_SIZE = 48
# A job still queued or running after this long was lost (a worker killed hard): it is failed.
JOB_DEADLINE = timedelta(minutes=15)
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
        from registration.tasks_documents import task_start_document_job

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
        job.total, job.done, job.status = len(ids), 0, DocumentJobStatus.RUNNING
        job.save(update_fields=["total", "done", "status"])
    return split_parts(ids)


def _part_name(job_id: int, index: int) -> str:
    return f"document-jobs/parts/{job_id}/part-{index:02d}.pdf"


def render_part(*, job_id: int, index: int, ids: Sequence[int]) -> str:
    """Render one part of a job and record it; join the parts if it was the last.

    Returns what happened: "rendered", "joined", "skipped" (the job is gone or failed).
    Raises what rendering raised (the task marks the job failed).
    """
    job = DocumentJob.objects.select_related("edition").filter(pk=job_id).first()
    if job is None or job.status != DocumentJobStatus.RUNNING:
        return "skipped"
    registrations = Registration.objects.filter(pk__in=ids).select_related("edition", "ticket_type")
    by_id = {registration.pk: registration for registration in registrations}
    ordered = [by_id[pk] for pk in ids if pk in by_id]
    started = time.monotonic()
    pdf = render_badge_sheets(ordered, language=job.filters.get("language", "en"))
    name = _part_name(job_id, index)
    storage = private_storage()
    if storage.exists(name):
        storage.delete(name)  # a part delivered twice renders again, once stored
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
        job.filters = {**job.filters, "parts_done": sorted([*parts, index])}
        job.done = F("done") + len(ids)
        job.save(update_fields=["filters", "done"])
        job.refresh_from_db(fields=["done", "total"])
        last = job.done >= job.total
    if last:
        join_parts(job_id=job_id)
        return "joined"
    return "rendered"


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
