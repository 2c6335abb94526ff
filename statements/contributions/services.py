"""Delegates supporting one another's comments (amendments: services.discussion)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from statements.discussion.services import comment_period_is_open
from statements.models import Comment, CommentSupport
from statements.selectors import statement_roles
from statements.services import ActionRefusedError, PermissionRefusedError


def support_comment(*, comment: Comment, user) -> CommentSupport:
    """`user` supports `comment`, once, while the statement is open for comments; not their own,
    nor a withdrawn or hidden one. Side effects: a CommentSupport."""
    statement = comment.statement
    if not user.is_authenticated or not statement_roles(user, statement.edition).may_participate:
        raise PermissionRefusedError(
            _("Only the delegates of %(edition)s take part in drafting its statement.")
            % {"edition": statement.edition.name}
        )
    if not comment_period_is_open(statement):
        raise ActionRefusedError(_("The statement is not open for comments."))
    if comment.author_id == user.pk:
        raise ActionRefusedError(_("You cannot support your own comment."))
    if comment.is_withdrawn or comment.is_hidden:
        raise ActionRefusedError(_("This comment cannot be supported."))
    try:
        with transaction.atomic():
            return CommentSupport.objects.create(comment=comment, user=user)
    except IntegrityError:  # supported already, or a double click racing the first
        raise ActionRefusedError(_("You already support this comment.")) from None
