"""The statement of commitment as an A4 PDF: its numbered sections and paragraphs, where and
when it was adopted, and its confirmed signatories with their counts."""

from forum.documents.rendering import render_pdf
from statements.models import Statement, StatementVersion
from statements.selectors import version_text
from statements.signon.selectors import SignatorySummary
from statements.translations.selectors import read_in_language

TEMPLATE = "statements/pdf/statement.html"


def render_statement_pdf(
    *,
    statement: Statement,
    version: StatementVersion,
    summary: SignatorySummary | None,
    language: str,
) -> bytes:
    """The statement as read in `language`: its translation where there is one, the
    authoritative text (marked) elsewhere."""
    text = version_text(version)
    reading = read_in_language(statement, version, text.blocks, language)
    return render_pdf(
        TEMPLATE,
        {
            "statement": statement,
            "edition": statement.edition,
            "version": version,
            "text": text,
            "reading": reading,
            "summary": summary,
        },
        language=language,
    )
