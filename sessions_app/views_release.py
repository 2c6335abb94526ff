"""The publishing progress page: after a release is published the organizer sees each export
(calendar, frab XML and JSON, the printed programme) become ready in every language, instead of
a browser held while they render. The page refreshes itself (no script) until all are ready;
`Accept: application/json` gets the same as JSON."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from forum.languages import language_name
from sessions_app.caching import release_readiness
from sessions_app.models import Release
from sessions_app.views_grid import _edition_or_deny  # the grid's access rule, reused


def release_status(request: HttpRequest, edition_slug: str, number: int) -> HttpResponse:
    edition = _edition_or_deny(request, edition_slug)
    release = Release.objects.filter(edition=edition, number=number).first()
    if release is None:
        raise Http404(_("This edition has no such release."))
    rows = release_readiness(release)
    ready = sum(1 for row in rows if row.ready)
    done = ready == len(rows)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "release": release.number,
                "ready": ready,
                "total": len(rows),
                "done": done,
                "exports": [
                    {"name": row.name, "language": row.language, "ready": row.ready} for row in rows
                ],
            }
        )
    by_language: dict[str, list] = {}
    for row in rows:
        by_language.setdefault(row.language, []).append(row)
    names = list(dict.fromkeys(row.name for row in rows))
    return render(
        request,
        "sessions_app/admin/release_status.html",
        {
            "edition": edition,
            "release": release,
            "names": names,
            "languages": [
                {"code": code, "name": language_name(code), "rows": items}
                for code, items in by_language.items()
            ],
            "ready": ready,
            "total": len(rows),
            "done": done,
            "header_title": _("Release %(number)s of %(edition)s")
            % {"number": release.number, "edition": edition.name},
        },
    )
