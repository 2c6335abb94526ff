"""The statement's public side and outputs: sign-on and its confirmation, the PDF, the plenary
view for the projector, and the committee's exports (CSV and the comment matrix)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

from forum import ratelimit
from forum.documents import being_prepared, read_private
from forum.models import Edition
from statements.documents.exporters.csv import comments_and_amendments_csv
from statements.documents.services import MATRIX, STATEMENT, prepared_printed
from statements.models import Statement
from statements.plenary.services import set_plenary_paragraph
from statements.selectors import version_text, visible_version
from statements.services import ActionRefusedError
from statements.signon.forms import SignOnForm
from statements.signon.selectors import (
    is_open_for_sign_on,
    may_export,
    signatory_by_token,
)
from statements.signon.services import AlreadySignedError, confirm_signatory, sign_on
from statements.translations.selectors import read_in_language, reader_language
from statements.views import done, load, refused, require


def _url(request, page, name: str, *args) -> str:
    return routablepageurl({"request": request}, page, name, *args)


def _readable_version(request, page, statement: Statement, roles):
    """The version the person may read, or the refusal (login for visitors, else 404)."""
    version = visible_version(statement, roles)
    if version is None:
        if not request.user.is_authenticated:
            return None, require(request, page, False, "")
        raise Http404(_("The statement is not public yet."))
    return version, None


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
    version, denied = _readable_version(request, page, statement, roles)
    if denied:
        return denied
    body = _printed_body(statement, version, STATEMENT, reader_language(request, statement))
    if body is None:
        return being_prepared(request, title=_("The statement (PDF) is being prepared"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{edition.slug}-statement.pdf"'
    response["Cache-Control"] = "private, max-age=60" if not statement.is_frozen else "max-age=300"
    return response


# --- The plenary view -------------------------------------------------------------------------


def _key(value) -> int | None:
    try:
        key = int(value)
    except (TypeError, ValueError):
        return None
    return key if 0 < key < 10**6 else None


def plenary(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """The text in large type for the projector, paragraph `?p=<key>` highlighted (by default
    the one the committee last put on the projector)."""
    statement, roles = load(request, edition)
    version, denied = _readable_version(request, page, statement, roles)
    if denied:
        return denied
    text = version_text(version)
    reading = read_in_language(statement, version, text.blocks, reader_language(request, statement))
    keys = [block.text.paragraph.key for block in text.blocks]
    requested = _key(request.GET.get("p"))
    if requested is None and statement.plenary_paragraph_id:
        requested = statement.plenary_paragraph.key
    current = requested if requested in keys else None
    index = keys.index(current) if current is not None else None
    previous_key = keys[index - 1] if index else None
    if index is None:
        next_key = keys[0] if keys else None
    else:
        next_key = keys[index + 1] if index + 1 < len(keys) else None
    return render(
        request,
        "statements/public/plenary.html",
        {
            "page": page,
            "statement": statement,
            "roles": roles,
            "version": version,
            "text": text,
            "reading": reading,
            "current": current,
            "previous_key": previous_key,
            "next_key": next_key,
            "unknown_key": request.GET.get("p") is not None and current is None,
            # Without JavaScript, a projector left on the committee's paragraph reloads itself.
            "follows_committee": request.GET.get("p") is None,
        },
    )


@require_POST
def plenary_show(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """The committee puts a paragraph on the projector (the plenary view's default)."""
    statement, roles = load(request, edition)
    denied = require(
        request, page, roles.is_committee, _("Only the drafting committee leads the plenary.")
    )
    if denied:
        return denied
    key = _key(request.POST.get("p"))
    if key is None:
        return refused(request, page, _("Choose a paragraph."))
    try:
        set_plenary_paragraph(statement=statement, key=key, actor=request.user)
    except ActionRefusedError as error:
        return refused(request, page, error)
    return HttpResponseRedirect(_url(request, page, "statement_plenary") + f"?p={key}#p{key}")


# --- Sign-on ----------------------------------------------------------------------------------


# Sign-on is limited per email address (each request sends a mail) and, far more loosely, per
# client address; only requests that went through count.
SIGN_ON_LIMIT = "statements.sign_on"


def sign(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """Sign on to the adopted statement: an unconfirmed signatory and a confirmation mail."""
    statement, roles = load(request, edition)
    if not statement.is_frozen:
        raise Http404(_("The statement has not been adopted yet."))
    context = {"page": page, "statement": statement, "roles": roles}
    if not is_open_for_sign_on(statement):
        return render(request, "statements/public/sign_closed.html", context, status=400)
    form = SignOnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if ratelimit.email_or_client_exceeded(SIGN_ON_LIMIT, request, data["email"]):
            response = refused(
                request,
                page,
                _("Too many signatures from your address in a short time; try again later."),
                status=429,
            )
            response["Retry-After"] = str(
                ratelimit.retry_after(ratelimit.get_limit("statements.sign_on.client"))
            )
            return response
        try:
            result = sign_on(
                statement=statement,
                kind=data["kind"],
                name=data["name"],
                name_native=data["name_native"],
                native_language=data["native_language"],
                affiliation=data["affiliation"],
                organization_kind=data["organization_kind"],
                country=data["country"],
                email=data["email"],
                language=get_language() or settings.LANGUAGE_CODE,
            )
        except AlreadySignedError as error:
            form.add_error("email", error.message)
        except ActionRefusedError as error:
            return refused(request, page, error)
        else:
            ratelimit.record_email_and_client(SIGN_ON_LIMIT, request, data["email"])
            context["signatory"] = result.signatory
            context["resent"] = not result.created
            return render(request, "statements/public/sign_sent.html", context)
    context["form"] = form
    return render(
        request,
        "statements/public/sign.html",
        context,
        status=400 if form.errors else 200,
    )


def sign_confirm(request: HttpRequest, page, edition: Edition, token: str) -> HttpResponse:
    """The link from the confirmation mail: a button (mail scanners follow links, they do not
    press buttons), then the signatory is confirmed and listed."""
    statement, roles = load(request, edition)
    signatory = signatory_by_token(token)
    if signatory is None or signatory.statement_id != statement.pk:
        raise Http404(_("This confirmation link is not valid."))
    context = {"page": page, "statement": statement, "roles": roles, "signatory": signatory}
    if request.method == "POST":
        try:
            confirmed_now = confirm_signatory(signatory=signatory)
        except ActionRefusedError as error:
            return refused(request, page, error)
        message = (
            _("Thank you: your signature is confirmed and listed.")
            if confirmed_now
            else _("Your signature was already confirmed.")
        )
        return done(request, message, _url(request, page, "statement") + "#signatories")
    return render(request, "statements/public/sign_confirm.html", context)


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
