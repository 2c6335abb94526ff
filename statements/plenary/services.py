"""The plenary: which paragraph the room is discussing, shown on the projector."""

from django.utils.translation import gettext as _

from statements.models import Paragraph, Statement
from statements.selectors import statement_roles
from statements.services import ActionRefusedError, PermissionRefusedError


def set_plenary_paragraph(*, statement: Statement, key: int | None, actor) -> Statement:
    """Point the plenary view at paragraph `key` of `statement` (None: at none).

    Refused for anyone but the drafting committee, and for keys that are not this statement's.
    Side effect: `statement.plenary_paragraph` saved.
    """
    if not statement_roles(actor, statement.edition).is_committee:
        raise PermissionRefusedError(_("Only the drafting committee leads the plenary."))
    paragraph = None
    if key is not None:
        paragraph = Paragraph.objects.filter(statement=statement, key=key).first()
        if paragraph is None:
            raise ActionRefusedError(_("This statement has no such paragraph."))
    statement.plenary_paragraph = paragraph
    Statement.objects.filter(pk=statement.pk).update(plenary_paragraph=paragraph)
    return statement
