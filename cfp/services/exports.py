"""The committee dashboard's CSV export, written in the background: the request records a
ProposalExport and queues `task_export_proposals` after commit; the task writes the file into
the private storage (forum.documents) and the export's page, which refreshes itself, offers it
to the edition's committee once ready."""

import dataclasses
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cfp import selectors
from cfp.enums import ExportStatus
from cfp.exporters.proposals_csv import proposals_csv
from cfp.models import ProposalExport
from forum.documents import delete_private, random_folder, save_private
from forum.models import Edition

logger = logging.getLogger(__name__)

# An export still queued or running after this long lost its worker: its page says it failed.
EXPORT_DEADLINE = timedelta(minutes=15)
# Exports (and their files) older than this are removed when a new one is started.
EXPORT_KEEP = timedelta(days=7)


def start_proposal_export(
    *, edition: Edition, filters: selectors.DashboardFilters, language: str, actor
) -> ProposalExport:
    """Record a CSV export of `edition`'s proposals with the dashboard's `filters`, in
    `language`, and queue it after commit. Exports of the edition older than EXPORT_KEEP are
    removed with their files.

    Side effects: one ProposalExport (QUEUED); old exports and their files deleted; after
    commit, task_export_proposals (a broker that is down fails the export, with the reason)."""
    remove_old_exports(edition=edition)
    export = ProposalExport.objects.create(
        edition=edition,
        filters=dataclasses.asdict(filters),
        language=language,
        created_by=actor,
    )

    def _enqueue():
        from cfp.tasks import task_export_proposals

        try:
            task_export_proposals.delay(export_id=export.pk)
        except Exception as error:
            logger.exception("could not queue proposal export %s", export.pk)
            fail_export(export_id=export.pk, error=f"Could not queue the export: {error}")

    transaction.on_commit(_enqueue)
    return export


def write_proposal_export(*, export_id: int) -> str:
    """Write the CSV file of export `export_id` into the private storage (beneath a random
    folder) and mark it ready, with its number of rows and whether it is anonymised (the call's
    setting now). A second delivery of the task writes the file again (same content).

    Returns "done", "failed" or "skipped" (the export is gone or already finished).
    Side effects: the export's row; one file in the private storage."""
    with transaction.atomic():
        export = (
            ProposalExport.objects.select_for_update()
            .select_related("edition")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.finished:
            return "skipped"
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])
    try:
        call = selectors.call_for_edition(export.edition)
        # Without a call there is no setting to read: no names, to be safe.
        anonymised = call.anonymised_review if call is not None else True
        filters = selectors.DashboardFilters(**export.filters)
        with translation.override(export.language):
            body, rows = proposals_csv(
                selectors.proposals_for_export(export.edition, filters),
                anonymised=anonymised,
                questions=selectors.call_questions(export.edition),
            )
        name = save_private(
            f"cfp-exports/{random_folder()}/{export.edition.slug}-proposals.csv", body
        )
    except Exception as error:
        logger.exception("proposal export %s failed", export_id)
        fail_export(export_id=export_id, error=str(error) or error.__class__.__name__)
        return "failed"
    ProposalExport.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE,
        file=name,
        rows=rows,
        anonymised=anonymised,
        finished_at=timezone.now(),
        error="",
    )
    logger.info("proposal export %s: %s rows", export_id, rows)
    return "done"


def fail_export(*, export_id: int, error: str) -> None:
    """Mark export `export_id` failed with `error` (shown on its page)."""
    ProposalExport.objects.filter(pk=export_id).exclude(status=ExportStatus.DONE).update(
        status=ExportStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def expire_lost_export(export: ProposalExport, *, now=None) -> ProposalExport:
    """`export`, failed first if it has been queued or running for longer than EXPORT_DEADLINE
    (its worker was lost: it can be started again from the dashboard)."""
    now = now or timezone.now()
    if not export.finished and export.created_at < now - EXPORT_DEADLINE:
        fail_export(export_id=export.pk, error=_("The export took too long; start it again."))
        export.refresh_from_db()
    return export


def remove_old_exports(*, edition: Edition, now=None) -> int:
    """Delete `edition`'s exports older than EXPORT_KEEP and their files; how many."""
    now = now or timezone.now()
    old = list(ProposalExport.objects.filter(edition=edition, created_at__lt=now - EXPORT_KEEP))
    names = [str(export.file.name) for export in old if export.file]
    ProposalExport.objects.filter(pk__in=[export.pk for export in old]).delete()
    if names:
        transaction.on_commit(lambda: delete_private(*names))
    return len(old)
