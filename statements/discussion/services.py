"""The delegates' part: comments and replies, amendments and their support, reports; and the
committee's answers to amendments."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import ratelimit
from statements.enums import ANSWERED_STATUSES, AmendmentKind, AmendmentStatus, StatementState
from statements.models import (
    COMMENT_MAX_LENGTH,
    PARAGRAPH_MAX_LENGTH,
    Amendment,
    AmendmentSupport,
    Comment,
    Paragraph,
    Report,
    Statement,
    StatementVersion,
)
from statements.selectors import statement_roles
from statements.services import ActionRefusedError, PermissionRefusedError


def _check_rate(user) -> None:
    """Refuse when `user` posted too much lately (the site's rate limit "statements.post")."""
    limit = ratelimit.get_limit("statements.post")
    if ratelimit.hit(limit, f"user:{user.pk}"):
        raise ActionRefusedError(
            _(
                "You are posting too fast: at most %(limit)s posts every %(seconds)s seconds. "
                "Please wait a moment and try again."
            )
            % {"limit": limit.count, "seconds": limit.seconds}
        )


def _require_participant(statement: Statement, user) -> None:
    if not user.is_authenticated:
        raise PermissionRefusedError(_("Log in as a delegate to take part."))
    if not statement_roles(user, statement.edition).may_participate:
        raise PermissionRefusedError(
            _("Only the delegates of %(edition)s take part in drafting its statement.")
            % {"edition": statement.edition.name}
        )


def comment_period_is_open(statement: Statement) -> bool:
    return statement.state == StatementState.OPEN and (
        statement.comment_deadline is None or statement.comment_deadline > timezone.now()
    )


def _require_open(statement: Statement) -> None:
    if not comment_period_is_open(statement):
        raise ActionRefusedError(_("The statement is not open for comments."))


def _current_version(statement: Statement) -> StatementVersion:
    version = statement.versions.filter(published_at__isnull=False).order_by("-number").first()
    if version is None:
        raise ActionRefusedError(_("The statement is not open for comments."))
    return version


def _paragraph_in(version: StatementVersion, key) -> Paragraph:
    """The paragraph `key` as it stands in `version`; refuses a key that is not there."""
    try:
        key = int(key)
    except (TypeError, ValueError):
        key = None
    paragraph = (
        Paragraph.objects.filter(
            statement_id=version.statement_id, key=key, texts__version=version
        ).first()
        if key is not None
        else None
    )
    if paragraph is None:
        raise ActionRefusedError(_("There is no such paragraph in the current version."))
    return paragraph


def _clean_text(value: str, *, max_length: int, empty: str) -> str:
    value = (value or "").replace("\x00", "").strip()
    if not value:
        raise ActionRefusedError(empty)
    if len(value) > max_length:
        raise ActionRefusedError(
            _("The text is too long (at most %(max)s characters).") % {"max": max_length}
        )
    return value


@transaction.atomic
def post_comment(
    *,
    statement: Statement,
    author,
    body: str,
    paragraph_key: int | str | None = None,
    parent_id: int | str | None = None,
    language: str = "",
) -> Comment:
    """A delegate's comment on paragraph `paragraph_key` (the whole text when None), or a reply to
    comment `parent_id` (in the parent's place), written in `language` (the page's: a delegate
    comments on the statement in any language it is read in).

    Refused when the period is closed, for non-delegates, for a paragraph or parent not in this
    statement, for an empty body, or past the rate limit. Side effects: a Comment; the parent's
    author is notified after commit.
    """
    _require_participant(statement, author)
    _require_open(statement)
    body = _clean_text(body, max_length=COMMENT_MAX_LENGTH, empty=_("Write a comment."))
    version = _current_version(statement)
    parent = None
    if parent_id not in (None, ""):
        try:
            parent = Comment.objects.select_related("author").get(
                statement=statement, pk=int(parent_id)
            )
        except (Comment.DoesNotExist, TypeError, ValueError):
            raise ActionRefusedError(_("There is no such comment to reply to.")) from None
        if parent.parent_id is not None:  # one level of threads: answer in the same thread
            parent = Comment.objects.select_related("author").get(pk=parent.parent_id)
        if parent.is_withdrawn or parent.is_hidden:
            raise ActionRefusedError(_("This comment can no longer be replied to."))
        paragraph = parent.paragraph
    elif paragraph_key in (None, ""):
        paragraph = None
    else:
        paragraph = _paragraph_in(version, paragraph_key)
    _check_rate(author)
    comment = Comment.objects.create(
        statement=statement,
        version=version,
        language=language if language in dict(settings.LANGUAGES) else "",
        paragraph=paragraph,
        parent=parent,
        author=author,
        body=body,
    )
    if parent is not None and parent.author_id != author.pk:
        from statements.services.notifications import notify_reply

        notify_reply(comment=comment)
    return comment


def _own_comment_while_open(comment: Comment, user) -> None:
    if comment.author_id != user.pk:
        raise PermissionRefusedError(_("You can change only your own comments."))
    if comment.is_withdrawn:
        raise ActionRefusedError(_("This comment was withdrawn."))
    if not comment_period_is_open(comment.statement):
        raise ActionRefusedError(
            _("Comments can be changed only while the statement is open for comments.")
        )


@transaction.atomic
def edit_comment(*, comment: Comment, actor, body: str) -> Comment:
    """The author's new wording of their comment, while the period is open."""
    _own_comment_while_open(comment, actor)
    comment.body = _clean_text(body, max_length=COMMENT_MAX_LENGTH, empty=_("Write a comment."))
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def withdraw_comment(*, comment: Comment, actor) -> Comment:
    """The author withdraws their comment while the period is open (its replies stay)."""
    _own_comment_while_open(comment, actor)
    comment.withdrawn_at = timezone.now()
    comment.save(update_fields=["withdrawn_at"])
    return comment


@transaction.atomic
def propose_amendment(
    *,
    statement: Statement,
    author,
    kind: str,
    text: str,
    rationale: str,
    paragraph_key: int | str | None = None,
    after_key: int | str | None = None,
) -> Amendment:
    """A delegate's amendment: a new wording of paragraph `paragraph_key`, or a new paragraph
    after `after_key` (at the start when empty).

    Refused like comments, and for an unchanged wording. Side effects: an Amendment.
    """
    _require_participant(statement, author)
    _require_open(statement)
    version = _current_version(statement)
    text = _clean_text(text, max_length=PARAGRAPH_MAX_LENGTH, empty=_("Write the proposed text."))
    rationale = _clean_text(
        rationale, max_length=COMMENT_MAX_LENGTH, empty=_("Say why the text should change.")
    )
    paragraph = after = None
    if kind == AmendmentKind.REPLACE:
        paragraph = _paragraph_in(version, paragraph_key)
        current = paragraph.texts.get(version=version).text
        if " ".join(current.split()) == " ".join(text.split()):
            raise ActionRefusedError(_("The proposed text is the same as the current one."))
    elif kind == AmendmentKind.NEW_PARAGRAPH:
        if after_key not in (None, ""):
            after = _paragraph_in(version, after_key)
    else:
        raise ActionRefusedError(_("Choose what the amendment does."))
    _check_rate(author)
    return Amendment.objects.create(
        statement=statement,
        version=version,
        kind=kind,
        paragraph=paragraph,
        after_paragraph=after,
        author=author,
        text=text,
        rationale=rationale,
    )


@transaction.atomic
def support_amendment(*, amendment: Amendment, user) -> AmendmentSupport:
    """`user` supports `amendment`, once. Side effects: an AmendmentSupport."""
    statement = amendment.statement
    _require_participant(statement, user)
    if statement.is_frozen:
        raise ActionRefusedError(_("The statement has been adopted."))
    if amendment.status != AmendmentStatus.PENDING:
        raise ActionRefusedError(_("This amendment has already been answered."))
    if AmendmentSupport.objects.filter(amendment=amendment, user=user).exists():
        raise ActionRefusedError(_("You already support this amendment."))
    try:
        with transaction.atomic():
            return AmendmentSupport.objects.create(amendment=amendment, user=user)
    except IntegrityError:  # a double click racing the first
        raise ActionRefusedError(_("You already support this amendment.")) from None


@transaction.atomic
def withdraw_amendment(*, amendment: Amendment, actor) -> Amendment:
    if amendment.author_id != actor.pk:
        raise PermissionRefusedError(_("You can withdraw only your own amendments."))
    if amendment.status != AmendmentStatus.PENDING:
        raise ActionRefusedError(_("This amendment has already been answered."))
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.save(update_fields=["status"])
    return amendment


@transaction.atomic
def answer_amendment(*, amendment: Amendment, actor, status: str, answer: str) -> Amendment:
    """The committee's answer to `amendment`: accepted, accepted in part or not accepted, with a
    reason. May be revised until the statement is adopted.

    Side effects: the answer, who and when; the author is notified after commit.
    """
    statement = amendment.statement
    if not statement_roles(actor, statement.edition).is_committee:
        raise PermissionRefusedError(_("Only the drafting committee answers amendments."))
    if statement.is_frozen:
        raise ActionRefusedError(_("The statement has been adopted."))
    if status not in ANSWERED_STATUSES:
        raise ActionRefusedError(_("Choose an answer."))
    if amendment.status == AmendmentStatus.WITHDRAWN:
        raise ActionRefusedError(_("This amendment was withdrawn by its author."))
    answer = _clean_text(answer, max_length=COMMENT_MAX_LENGTH, empty=_("Give the reason."))
    amendment.status = status
    amendment.answer = answer
    amendment.answered_by = actor
    amendment.answered_at = timezone.now()
    amendment.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    from statements.services.notifications import notify_amendment_answered

    notify_amendment_answered(amendment=amendment)
    return amendment


@transaction.atomic
def report_comment(*, comment: Comment, reporter, reason: str) -> Report:
    """A delegate reports `comment` to the moderators, once. Side effects: a Report."""
    _require_participant(comment.statement, reporter)
    if comment.author_id == reporter.pk:
        raise ActionRefusedError(_("You cannot report your own comment."))
    reason = _clean_text(reason, max_length=500, empty=_("Say what is wrong with the comment."))
    if Report.objects.filter(comment=comment, reporter=reporter).exists():
        raise ActionRefusedError(_("You have already reported this comment."))
    _check_rate(reporter)
    return Report.objects.create(comment=comment, reporter=reporter, reason=reason)
