"""The statement's one state machine: every change of state goes through `transition_statement`.

drafting → open for comments (with a deadline) → comments closed → drafting or open again (with a
new version) → … → adopted (frozen: date and place) → open for sign-on → closed.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Edition
from statements.enums import StatementState
from statements.models import Statement, StatementVersion, TransitionLog
from statements.selectors import statement_roles
from statements.services import ActionRefusedError, PermissionRefusedError

S = StatementState

ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFTING: (S.OPEN, S.ADOPTED),
    S.OPEN: (S.COMMENTS_CLOSED,),
    S.COMMENTS_CLOSED: (S.DRAFTING, S.OPEN, S.ADOPTED),
    S.ADOPTED: (S.SIGN_ON,),
    S.SIGN_ON: (S.CLOSED,),
    S.CLOSED: (),
}


class TransitionRefusedError(ActionRefusedError):
    pass


class TransitionNotAllowedError(TransitionRefusedError, PermissionRefusedError):
    pass


def allowed_transitions(statement: Statement) -> tuple[str, ...]:
    return ALLOWED_TRANSITIONS[statement.state]


@transaction.atomic
def transition_statement(
    *,
    statement: Statement,
    to_state: str,
    actor,
    comment_deadline: datetime.datetime | None = None,
    adopted_on: datetime.date | None = None,
    adopted_at_place: str = "",
    note: str = "",
) -> Statement:
    """Move `statement` to `to_state` if the committee may, and record who did it and when.

    `actor` None is the system (closing a comment period at its deadline). Opening needs a future
    `comment_deadline`; from "comments closed" it also needs a new version; adopting needs
    `adopted_on` and `adopted_at_place`. Side effects: opening or adopting publishes the latest
    version; a TransitionLog row; opening notifies the delegates after commit.
    """
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if actor is not None and not statement_roles(actor, statement.edition).is_committee:
        raise TransitionNotAllowedError(
            _("Only the drafting committee can change the statement's state.")
        )
    if to_state not in S.values:
        raise TransitionRefusedError(_("There is no such state."))
    from_state = locked.state
    if to_state not in ALLOWED_TRANSITIONS[from_state]:
        raise TransitionRefusedError(
            _("A statement cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(from_state).label, "to": S(to_state).label}
        )
    latest = locked.versions.order_by("-number").first()
    if latest is None:
        raise TransitionRefusedError(_("Write a first version of the text first."))
    now = timezone.now()
    published = None
    if to_state == S.OPEN:
        if comment_deadline is None or comment_deadline <= now:
            raise TransitionRefusedError(_("Give a comment deadline in the future."))
        if from_state == S.COMMENTS_CLOSED and latest.published_at is not None:
            raise TransitionRefusedError(
                _("Write a new version before opening the text for comments again.")
            )
        locked.comment_deadline = comment_deadline
        published = latest
    elif to_state == S.ADOPTED:
        if adopted_on is None or not adopted_at_place.strip():
            raise TransitionRefusedError(_("Give the date and the place of adoption."))
        locked.adopted_on = adopted_on
        locked.adopted_at_place = adopted_at_place.strip()
        published = latest
    if published is not None and published.published_at is None:
        StatementVersion.objects.filter(pk=published.pk).update(published_at=now)
        published.published_at = now
    locked.state = to_state
    locked.save()
    TransitionLog.objects.create(
        statement=locked,
        from_state=from_state,
        to_state=to_state,
        version=latest,
        actor=actor,
        note=note[:500],
    )
    if to_state == S.OPEN:
        from statements.services.notifications import notify_version_open

        notify_version_open(statement=locked, version=latest)
    # The caller's instance follows the change.
    for name in ("state", "comment_deadline", "adopted_on", "adopted_at_place", "updated_at"):
        setattr(statement, name, getattr(locked, name))
    return statement


@transaction.atomic
def create_statement(
    *, edition: Edition, title: str, actor, source: str, note: str = "", source_language: str = ""
):
    """Create `edition`'s statement in drafting with its first version written from `source`
    (see `statements.services.versions.parse_source`), authoritative in `source_language` (by
    default the edition's first language).

    Side effects: a Statement, its version 1, paragraphs and sections.
    """
    from statements.services.versions import create_version

    if not statement_roles(actor, edition).is_committee:
        raise PermissionRefusedError(_("Only the drafting committee can create the statement."))
    if Statement.objects.filter(edition=edition).exists():
        raise ActionRefusedError(_("This edition already has a statement."))
    title = title.strip()
    if not title:
        raise ActionRefusedError(_("Give the statement a title."))
    statement = Statement.objects.create(
        edition=edition,
        title=title[:255],
        created_by=actor,
        source_language=source_language
        if source_language in dict(settings.LANGUAGES)
        else (edition.offered_languages or [settings.LANGUAGE_CODE])[0],
    )
    create_version(statement=statement, actor=actor, source=source, note=note)
    return statement


def close_overdue_comment_periods(*, now: datetime.datetime | None = None) -> int:
    """Close the comment period of every statement whose deadline has passed; how many."""
    now = now or timezone.now()
    closed = 0
    for statement in Statement.objects.select_related("edition").filter(
        state=S.OPEN, comment_deadline__lte=now
    ):
        transition_statement(
            statement=statement,
            to_state=S.COMMENTS_CLOSED,
            actor=None,
            note="deadline",
        )
        closed += 1
    return closed
