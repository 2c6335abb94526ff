"""The committee's "comment matrix" as a landscape A4 PDF: one row per paragraph with its text,
its comments, its amendments and the committee's answers."""

from forum.documents.rendering import render_pdf
from statements.documents.selectors import comment_matrix
from statements.models import Statement, StatementVersion

TEMPLATE = "statements/pdf/comment_matrix.html"


def render_comment_matrix_pdf(
    *, statement: Statement, version: StatementVersion, language: str
) -> bytes:
    return render_pdf(
        TEMPLATE,
        {
            "statement": statement,
            "edition": statement.edition,
            "version": version,
            "rows": comment_matrix(statement, version),
        },
        language=language,
    )
