"""The statement's outputs: the PDF anyone who may read the text downloads, and the committee's
exports (CSV and the comment matrix)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum.documents import being_prepared, read_private
from forum.models import Edition
from statements.documents.exporters.csv import comments_and_amendments_csv
from statements.documents.selectors import may_export
from statements.documents.services import MATRIX, STATEMENT, prepared_printed
from statements.selectors import visible_version
from statements.translations.selectors import reader_language
from statements.views import load, readable_version, require

# --- The PDF ----------------------------------------------------------------------------------


def _printed_body(statement, version, kind: str, language: str = "") -> bytes | None:
    """The PDF's bytes, or None while a task renders it (started here, once)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    name = prepared_printed(statement, version, kind, language)
    try:
        return read_private(name) if name else None
    except FileNotFoundError:  # replaced by a newer rendering meanwhile
        return None


def statement_pdf(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """The text the person may read as a PDF, with the signatories once adopted. A file of the
    private storage, renewed when the text, the state or the list of signatories changes;
    rendered by a task (the "being prepared" page meanwhile)."""
    statement, roles = load(request, edition)
    version, denied = readable_version(request, page, statement, roles)
    if denied:
        return denied
    body = _printed_body(statement, version, STATEMENT, reader_language(request, statement))
    if body is None:
        return being_prepared(request, title=_("The statement (PDF) is being prepared"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{edition.slug}-statement.pdf"'
    response["Cache-Control"] = "private, max-age=60" if not statement.is_frozen else "max-age=300"
    return response


# --- The committee's exports ------------------------------------------------------------------


def _committee_only(request, page, edition):
    statement, roles = load(request, edition)
    denied = require(
        request,
        page,
        may_export(roles),
        _("Only the drafting committee and the organizers export the discussion."),
    )
    return statement, roles, denied


def export_csv(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, _roles, denied = _committee_only(request, page, edition)
    if denied:
        return denied
    body = comments_and_amendments_csv(statement)
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{edition.slug}-statement-comments.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


def comment_matrix_pdf(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, roles, denied = _committee_only(request, page, edition)
    if denied:
        return denied
    version = visible_version(statement, roles)
    if version is None:
        raise Http404(_("The statement has no version yet."))
    body = _printed_body(statement, version, MATRIX)
    if body is None:
        return being_prepared(request, title=_("The comment matrix is being prepared"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{edition.slug}-statement-comment-matrix.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
