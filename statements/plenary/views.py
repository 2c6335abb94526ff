"""The projector's follow-up: which paragraph the committee has put on the projector, as a tiny
JSON document that the plenary view polls (static/js/statement-plenary.js)."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.http import parse_etags

from forum.models import Edition
from statements.models import ParagraphText
from statements.selectors import visible_version
from statements.views import load, require

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
