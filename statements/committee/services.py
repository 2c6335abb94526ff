"""Moderation of comments: hide (with a reason) or show again, act on reports; all logged."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from statements.enums import ModerationAction, ReportStatus
from statements.models import Comment, ModerationLog, Report
from statements.selectors import statement_roles
from statements.services import ActionRefusedError, PermissionRefusedError


def _require_moderator(comment: Comment, actor) -> None:
    if not statement_roles(actor, comment.statement.edition).is_moderator:
        raise PermissionRefusedError(_("Only the moderators of this edition moderate comments."))


@transaction.atomic
def hide_comment(*, comment: Comment, actor, reason: str) -> Comment:
    """Hide `comment` from everyone but its author and the moderators, for `reason`.

    Side effects: the open reports on it are upheld; a ModerationLog row.
    """
    _require_moderator(comment, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefusedError(_("Give the reason for hiding the comment."))
    if comment.is_hidden:
        raise ActionRefusedError(_("This comment is already hidden."))
    now = timezone.now()
    comment.hidden_at = now
    comment.hidden_by = actor
    comment.hidden_reason = reason[:500]
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    reports = list(Report.objects.filter(comment=comment, status=ReportStatus.OPEN))
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=ReportStatus.UPHELD, resolved_by=actor, resolved_at=now
    )
    ModerationLog.objects.create(
        statement_id=comment.statement_id,
        comment=comment,
        report=reports[0] if reports else None,
        actor=actor,
        action=ModerationAction.HIDE,
        reason=comment.hidden_reason,
    )
    return comment


@transaction.atomic
def unhide_comment(*, comment: Comment, actor, reason: str = "") -> Comment:
    """Show a hidden comment again. Side effects: a ModerationLog row."""
    _require_moderator(comment, actor)
    if not comment.is_hidden:
        raise ActionRefusedError(_("This comment is not hidden."))
    comment.hidden_at = None
    comment.hidden_by = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    ModerationLog.objects.create(
        statement_id=comment.statement_id,
        comment=comment,
        actor=actor,
        action=ModerationAction.UNHIDE,
        reason=(reason or "").strip()[:500],
    )
    return comment


@transaction.atomic
def dismiss_report(*, report: Report, actor, reason: str = "") -> Report:
    """Close a report without hiding the comment. Side effects: a ModerationLog row."""
    _require_moderator(report.comment, actor)
    if report.status != ReportStatus.OPEN:
        raise ActionRefusedError(_("This report has already been dealt with."))
    report.status = ReportStatus.DISMISSED
    report.resolved_by = actor
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolved_by", "resolved_at"])
    ModerationLog.objects.create(
        statement_id=report.comment.statement_id,
        comment=report.comment,
        report=report,
        actor=actor,
        action=ModerationAction.DISMISS_REPORT,
        reason=(reason or "").strip()[:500],
    )
    return report
