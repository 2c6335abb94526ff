"""The statement of commitment as an A4 PDF: its numbered sections and paragraphs, where and
when it was adopted, and its confirmed signatories with their counts."""

from statements.models import Statement, StatementVersion
from statements.pdf import render_pdf
from statements.selectors import version_text
from statements.selectors_public import SignatorySummary

TEMPLATE = "statements/pdf/statement.html"


def render_statement_pdf(
    *,
    statement: Statement,
    version: StatementVersion,
    summary: SignatorySummary | None,
    language: str,
) -> bytes:
    return render_pdf(
        TEMPLATE,
        {
            "statement": statement,
            "edition": statement.edition,
            "version": version,
            "text": version_text(version),
            "summary": summary,
        },
        language=language,
    )
