"""The statement's PDFs (the text with its signatories, the committee's comment matrix) as files
of the private storage, rendered by a Celery task, never in a request.

Each file's name carries a fingerprint of what it prints, so that a change (a new version, a
state, a signatory, a comment, an answer…) makes a new file; storing it removes the older ones of
the same version and language. The files leave storage only through the statement's views, which
check who may read the version (and, for the matrix, who may export the discussion).
"""

import hashlib

from django.db.models import Count, Max, Q

from forum.documents import (
    delete_private,
    private_storage,
    save_private,
    siblings,
    start_render_once,
)
from statements.enums import AmendmentStatus
from statements.models import (
    Amendment,
    AmendmentSupport,
    Comment,
    Signatory,
    Statement,
    StatementTranslation,
    StatementVersion,
)
from statements.signon.selectors import lists_signatories, signatory_summary

STATEMENT = "statement"
MATRIX = "matrix"
KINDS = (STATEMENT, MATRIX)


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]


def _prefix(kind: str, version: StatementVersion, language: str) -> str:
    return f"{kind}-{version.pk}-{language}-"


def _fingerprint(
    statement: Statement, version: StatementVersion, kind: str, language: str = ""
) -> str:
    if kind == STATEMENT:
        translated = StatementTranslation.objects.filter(
            version__statement=statement, language=language
        ).aggregate(last=Max("updated_at"))["last"]
        signed = {"n": 0, "last": None}
        if lists_signatories(statement):
            signed = Signatory.objects.filter(
                statement=statement, email_confirmed_at__isnull=False
            ).aggregate(n=Count("pk"), last=Max("email_confirmed_at"))
        return _digest(
            statement.state, statement.updated_at.isoformat(), translated, *signed.values()
        )
    comments = Comment.objects.filter(statement=statement).aggregate(
        n=Count("pk", filter=Q(withdrawn_at=None, hidden_at=None)),
        created=Max("created_at"),
        edited=Max("edited_at"),
        withdrawn=Max("withdrawn_at"),
        hidden=Max("hidden_at"),
    )
    amendments = Amendment.objects.filter(statement=statement).aggregate(
        n=Count("pk", filter=~Q(status=AmendmentStatus.WITHDRAWN)),
        created=Max("created_at"),
        answered=Max("answered_at"),
    )
    supports = AmendmentSupport.objects.filter(amendment__statement=statement).aggregate(
        n=Count("pk"), last=Max("created_at")
    )
    return _digest(
        statement.updated_at.isoformat(),
        *comments.values(),
        *amendments.values(),
        *supports.values(),
    )


def printed_name(statement: Statement, version: StatementVersion, kind: str, language: str) -> str:
    """The storage name of the PDF `kind` of `version` in `language`, as things stand now."""
    fingerprint = _fingerprint(statement, version, kind, language)
    return f"statements/{statement.pk}/{_prefix(kind, version, language)}{fingerprint}.pdf"


def prepared_printed(
    statement: Statement, version: StatementVersion, kind: str, language: str
) -> str | None:
    """The stored file, or None after starting its render in a task (once: a lock in the
    shared cache). With eager tasks (the embedded default) the render happens here and the
    file is returned."""
    from statements.tasks import task_render_statement_pdf

    name = printed_name(statement, version, kind, language)
    storage = private_storage()
    if not storage.exists(name):
        start_render_once(
            name,
            lambda: task_render_statement_pdf.delay(
                statement_id=statement.pk,
                version_id=version.pk,
                kind=kind,
                language=language,
                name=name,
            ),
        )
    return name if storage.exists(name) else None


def render_printed(
    *, statement_id: int, version_id: int, kind: str, language: str, name: str
) -> str | None:
    """Render the PDF `kind` of the version as it stands now into `name` (computed by the
    request that asked for it) and remove the older files of the same version and language.
    Returns `name`, or None when the statement or the version is gone."""
    from statements.documents.pdf.matrix import render_comment_matrix_pdf
    from statements.documents.pdf.statement import render_statement_pdf

    statement = Statement.objects.select_related("edition").filter(pk=statement_id).first()
    version = StatementVersion.objects.filter(pk=version_id, statement_id=statement_id).first()
    if statement is None or version is None:
        return None
    if kind == STATEMENT:
        listed = lists_signatories(statement)
        body = render_statement_pdf(
            statement=statement,
            version=version,
            summary=signatory_summary(statement) if listed else None,
            language=language,
        )
    elif kind == MATRIX:
        body = render_comment_matrix_pdf(statement=statement, version=version, language=language)
    else:
        raise ValueError(kind)
    save_private(name, body)
    delete_private(*siblings(name, prefix=_prefix(kind, version, language)))
    return name
