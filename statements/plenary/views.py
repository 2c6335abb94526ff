"""The plenary view for the projector, the committee putting a paragraph on it, and the
projector's follow-up: which paragraph the committee has put on the projector, as a tiny JSON
document that the plenary view polls (static/js/statement-plenary.js)."""

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.models import Edition
from statements.models import ParagraphText
from statements.plenary.services import set_plenary_paragraph
from statements.selectors import version_text, visible_version
from statements.services import ActionRefusedError
from statements.translations.selectors import read_in_language, reader_language
from statements.views import load, page_url, readable_version, refused, require


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
    version, denied = readable_version(request, page, statement, roles)
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
    return HttpResponseRedirect(page_url(request, page, "statement_plenary") + f"?p={key}#p{key}")


# Projector clients poll every few seconds; they revalidate each time and get a 304 while the
# committee has not moved the highlight.
POLL_SECONDS = 3


def plenary_state(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """{"key", "number", "version"} of the paragraph on the projector (key null: none), with an
    ETag; 304 when the client's copy is current. Readable by whoever may read the text."""
    statement, roles = load(request, edition)
    version = visible_version(statement, roles)
    if version is None:
        return require(request, page, False, "") or HttpResponse(status=404)
    key = statement.plenary_paragraph.key if statement.plenary_paragraph_id else None
    etag = f'"plenary-{statement.pk}-v{version.number}-p{key or 0}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        number = None
        if key is not None:
            number = (
                ParagraphText.objects.filter(version=version, paragraph__key=key)
                .values_list("number", flat=True)
                .first()
            )
        response = JsonResponse(
            {"key": key, "number": number, "version": version.number, "poll": POLL_SECONDS}
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response
