"""The public programme beneath an edition's page (`/<edition>/programme/…`), always read from
the latest published release, never from the working draft."""

import datetime

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.extensions import session_panels
from forum.documents import being_prepared, read_private
from forum.models import Edition
from forum.pagecache import mark_public
from sessions_app.caching import (
    cached_rendering,
    is_printed,
    prepared_printed,
    previous_printed,
    programme_scope,
    release_etag,
)
from sessions_app.exporters import EXPORTS
from sessions_app.models import Release
from sessions_app.programme import Programme
from sessions_app.selectors import (
    active_calendar_token,
    agenda_guids,
    calendar_token_owner,
    published_release_summary,
    release_part,
    release_programme,
    release_tracks,
    releases_for_changelog,
    session_slice,
    speaker_slice,
    speakers_slice,
)
from sessions_app.services.agenda import (
    UnknownSessionError,
    issue_calendar_token,
    revoke_calendar_tokens,
    star_session,
    unstar_session,
)
from sessions_app.services.releases import diff_snapshots
from sessions_app.services.snapshot_i18n import localize
from sessions_app.snapshot import PART_SESSION, PART_SPEAKER, PART_SPEAKERS, Snapshot

MAX_QUERY = 200


def _release_or_404(edition: Edition) -> Release:
    """The latest release; its snapshot (the large part) loads only when a page reads it, so
    that cached pages and 304 answers never fetch it."""
    release = published_release_summary(edition)
    if release is None:
        raise Http404(_("The programme of this edition has not been published yet."))
    return release


def _context(page, release: Release, **extra) -> dict:
    return {"page": page, "release": release, "programme": release_programme(release), **extra}


def _with_agenda(request: HttpRequest, context: dict, edition: Edition) -> dict:
    """The visitor's starred sessions (None for anonymous visitors: no star buttons)."""
    context["agenda"] = (
        agenda_guids(request.user, edition) if request.user.is_authenticated else None
    )
    return context


def programme_index(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    release = _release_or_404(edition)
    track = request.GET.get("track", "")
    kind = request.GET.get("type", "")
    language = request.GET.get("language", "")
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY or any(len(v) > 64 for v in (track, kind, language)):
        raise BadRequest(_("The filter is too long."))
    is_filtered = bool(track or kind or language or query)
    if request.user.is_authenticated:
        return HttpResponse(
            _render_programme(request, page, release, edition, track, kind, language, query)
        )
    language_code = translation.get_language() or settings.LANGUAGE_CODE
    name = f"programme.{page.latest_revision_id or 0}.html"
    if is_filtered:
        # Anonymous and filtered: rendered here, then stored by the page cache for a while.
        filters = sorted({"track": track, "type": kind, "language": language, "q": query}.items())
        etag = quote_etag(release_etag(release, f"{name}?{filters}", language_code))
        response = _not_modified(request, etag, release)
        if response is None:
            response = HttpResponse(
                _render_programme(request, page, release, edition, track, kind, language, query)
            )
        return _public(request, _validators(response, etag, release, "public, max-age=60"), release)
    # The same page for every anonymous visitor: cached per release, language and revision of
    # the programme page (its introduction).
    etag = quote_etag(release_etag(release, name, language_code))
    response = _not_modified(request, etag, release)
    if response is None:
        body = cached_rendering(
            release,
            name,
            language_code,
            lambda: _render_programme(request, page, release, edition, "", "", "", ""),
        )
        response = HttpResponse(body)
    return _public(request, _validators(response, etag, release, "public, max-age=60"), release)


def _public(request: HttpRequest, response: HttpResponse, release: Release) -> HttpResponse:
    """An answer the same for every anonymous visitor while `release` is the edition's latest:
    the page cache may serve it again before routing (forum/pagecache.py)."""
    if response.status_code == 200 and not request.user.is_authenticated:
        mark_public(response, scope=programme_scope(release.edition_id), version=release.pk)
    return response


def _render_programme(request, page, release, edition, track, kind, language, query) -> str:
    is_filtered = bool(track or kind or language or query)
    context = _with_agenda(request, _context(page, release), edition)
    programme = context["programme"]
    sessions = programme.filtered(track=track, kind=kind, language=language, query=query)
    context.update(
        days=programme.days(sessions),
        filters={"track": track, "type": kind, "language": language, "q": query},
        is_filtered=is_filtered,
        result_count=len(sessions),
    )
    return render_to_string("sessions_app/programme.html", context, request=request)


def session_detail(request: HttpRequest, page, edition: Edition, slug: str) -> HttpResponse:
    release = _release_or_404(edition)
    # What other features add to the page (registration: the seats left and the sign-up), read
    # through the core's extension point: the programme imports no feature.
    panels = session_panels(request=request, edition=edition, session_slug=slug)

    def render_body() -> str:
        return _render_session(request, page, edition, release, slug, panels)

    if any(not panel.public for panel in panels):
        # Live content (seats change with every sign-up): rendered each time, never stored.
        return HttpResponse(render_body())
    return _public_page(request, page, release, f"session:{slug}", render_body)


def _part(release: Release, kind: str, slug: str, slice_of) -> dict:
    """The release's part cut at publication (a few KB), or for a release published before
    parts existed its slice of the whole snapshot."""
    part = release_part(release, kind, slug)
    if part is not None:
        return part
    if kind == PART_SPEAKERS or not release_part(release, PART_SPEAKERS, ""):
        return slice_of()
    return {"edition": {}, "sessions": [], "speakers": []}  # the release has no such page


def _render_session(request, page, edition, release, slug, panels=()) -> str:
    programme = Programme(_part(release, PART_SESSION, slug, lambda: session_slice(release, slug)))
    session = programme.session(slug)
    if session is None:
        raise Http404(_("There is no such session in the published programme."))
    context = _with_agenda(
        request, {"page": page, "release": release, "programme": programme}, edition
    )
    context["session"] = session
    context["panels"] = panels
    return render_to_string("sessions_app/session.html", context, request=request)


def speaker_index(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    release = _release_or_404(edition)

    def render_index() -> str:
        programme = Programme(_part(release, PART_SPEAKERS, "", lambda: speakers_slice(release)))
        context = {
            "page": page,
            "release": release,
            "programme": programme,
            "speaker_base": page.url + page.reverse_subpage("programme_speakers"),
        }
        return render_to_string("sessions_app/speakers.html", context, request=request)

    return _public_page(request, page, release, "speakers", render_index)


def speaker_detail(request: HttpRequest, page, edition: Edition, slug: str) -> HttpResponse:
    release = _release_or_404(edition)

    def render_speaker() -> str:
        programme = Programme(
            _part(release, PART_SPEAKER, slug, lambda: speaker_slice(release, slug))
        )
        speaker = programme.speaker(slug)
        if speaker is None:
            raise Http404(_("There is no such speaker in the published programme."))
        context = {
            "page": page,
            "release": release,
            "programme": programme,
            "speaker": speaker,
            "sessions": programme.sessions_of_speaker(speaker.id),
        }
        return render_to_string("sessions_app/speaker.html", context, request=request)

    return _public_page(request, page, release, f"speaker:{slug}", render_speaker)


def _public_page(request, page, release: Release, name: str, render_body) -> HttpResponse:
    """A page of the release: for anonymous visitors with validators (ETag by release,
    language and the programme page's revision; Last-Modified) and stored by the page cache;
    for logged-in visitors rendered each time without validators (their stars change)."""
    if request.user.is_authenticated:
        return HttpResponse(render_body())
    language = translation.get_language() or settings.LANGUAGE_CODE
    etag = quote_etag(release_etag(release, f"{name}.{page.latest_revision_id or 0}", language))
    response = _not_modified(request, etag, release)
    if response is None:
        response = HttpResponse(render_body())
    return _public(request, _validators(response, etag, release, "public, max-age=60"), release)


def now_and_next(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    release = _release_or_404(edition)
    context = _context(page, release)
    at = timezone.now()
    raw = request.GET.get("at")
    if raw:  # lets organizers preview a moment of the event
        try:
            at = datetime.datetime.fromisoformat(raw)
        except ValueError as exc:
            raise BadRequest(_("The time is not valid.")) from exc
        if timezone.is_naive(at):
            at = at.replace(tzinfo=context["programme"].tz)
    now, upcoming = context["programme"].now_and_next(at)
    context.update(at=at.astimezone(context["programme"].tz), now=now, upcoming=upcoming)
    return render(request, "sessions_app/now.html", context)


def changelog(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    releases = list(releases_for_changelog(edition))
    if not releases:
        raise Http404(_("The programme of this edition has not been published yet."))
    entries = []
    language = translation.get_language()
    for index, release in enumerate(releases):
        previous = releases[index + 1] if index + 1 < len(releases) else None
        entries.append(
            {
                "release": release,
                "changes": diff_snapshots(
                    localize(previous.snapshot, language) if previous else None,
                    localize(release.snapshot, language),
                ),
                "programme": Programme(release.snapshot),
                "is_first": previous is None,
            }
        )
    return render(request, "sessions_app/changelog.html", {"page": page, "entries": entries})


def export(request: HttpRequest, page, edition: Edition, name: str, **filters) -> HttpResponse:
    """An export of the latest release, cached per release and language; answers conditional
    requests (If-None-Match, weak or strong, and If-Modified-Since) with 304 without rendering
    anything. The printed programme is never rendered here (see `_printed`)."""
    exporter = EXPORTS.get(name)
    if exporter is None:
        raise Http404
    release = _release_or_404(edition)
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = name + "".join(f";{k}={v}" for k, v in sorted(filters.items()))
    etag = quote_etag(release_etag(release, key, language))
    response = _not_modified(request, etag, release)
    if response is not None:
        return _validators(response, etag, release, "public, max-age=300")
    if is_printed(name) and not filters:
        return _printed(request, page, edition, release, name, language, etag)

    def render_export() -> bytes:
        programme = release_programme(release, language)
        snapshot = programme.snapshot
        if filters:
            _check_filters(programme, filters)
        return exporter.render(snapshot, base_url=settings.SITE_URL, language=language, **filters)

    body = cached_rendering(release, key, language, render_export)
    response = HttpResponse(body, content_type=exporter.content_type)
    return _public(request, _validators(response, etag, release, "public, max-age=300"), release)


def _printed(request, page, edition, release, name, language, etag) -> HttpResponse:
    """The printed programme from its file. Missing (just published, or the file was lost):
    its render starts in a task, once, and meanwhile the previous release's file is served
    (not cacheable, no validators), or else the "being prepared" page (503, Retry-After)."""
    file = prepared_printed(release, name, language)
    current = file is not None
    if file is None:
        file = previous_printed(release, name, language)
    try:
        body = read_private(file) if file else None
    except FileNotFoundError:
        body = None
    if body is None:
        return being_prepared(request, title=_("The printed programme is being prepared"))
    response = HttpResponse(body, content_type=EXPORTS[name].content_type)
    response["Content-Disposition"] = f'inline; filename="{edition.slug}-programme.pdf"'
    if not current:
        response["Cache-Control"] = "no-cache"
        return response
    return _validators(response, etag, release, "public, max-age=300")


def track_stylesheet(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """The tracks' colours as a stylesheet (no inline styles under the site's CSP)."""
    release = _release_or_404(edition)
    rules = [
        f".track-{track.slug} {{ border-left-color: {track.colour}; }}"
        for track in Snapshot.from_dict({"tracks": release_tracks(release)}).tracks
    ]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _not_modified(request: HttpRequest, etag: str, release: Release) -> HttpResponse | None:
    """Django's conditional GET (RFC 9110): 304 when If-None-Match names the ETag (weak
    comparison: W/"…" matches) or, without If-None-Match, when the release was published no
    later than If-Modified-Since; None when the full answer is due."""
    return get_conditional_response(
        request, etag=etag, last_modified=int(release.published_at.timestamp())
    )


def _validators(response: HttpResponse, etag: str, release: Release, cache_control: str):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(release.published_at.timestamp())
    response["Cache-Control"] = cache_control
    return response


def _check_filters(programme: Programme, filters: dict) -> None:
    """A feed for a session, speaker, track or room that the release does not have is a 404."""
    if "session" in filters and programme.session(filters["session"]) is None:
        raise Http404
    if "speaker" in filters and programme.speaker(filters["speaker"]) is None:
        raise Http404
    if "track" in filters and programme.track(filters["track"]) is None:
        raise Http404
    if "room" in filters and filters["room"] not in programme.rooms:
        raise Http404


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path())


def my_programme(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """The sessions the participant starred, with the overlaps among them pointed out."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    release = _release_or_404(edition)
    context = _with_agenda(request, _context(page, release), edition)
    programme = context["programme"]
    mine = [s for s in programme.sessions if s.guid in context["agenda"]]
    overlapping = {
        s.guid
        for s in mine
        for other in mine
        if other is not s
        and s.start < other.end
        and other.start < s.end
        and not s.is_cancelled
        and not other.is_cancelled
    }
    token = active_calendar_token(request.user, edition)
    context["calendar_url"] = (
        settings.SITE_URL
        + page.url
        + page.reverse_subpage("programme_agenda_feed", kwargs={"token": token.token})
        if token
        else None
    )
    context.update(
        days=programme.days(mine) if mine else [],
        mine=mine,
        overlapping=overlapping,
        calendar_token=token,
    )
    return render(request, "sessions_app/mine.html", context)


@require_POST
def agenda_toggle(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    release = _release_or_404(edition)
    guid = request.POST.get("session", "")
    try:
        if request.POST.get("action") == "remove":
            unstar_session(user=request.user, guid=guid)
        else:
            star_session(user=request.user, edition=edition, release=release, guid=guid)
    except UnknownSessionError as exc:
        raise BadRequest(_("This session is not in the published programme.")) from exc
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = page.reverse_subpage("programme_mine")
        target = page.url + target
    return HttpResponseRedirect(target)


@require_POST
def calendar_address(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """Create a new private calendar address (revoking the old one), or revoke it."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    if request.POST.get("action") == "revoke":
        revoke_calendar_tokens(user=request.user, edition=edition)
    else:
        issue_calendar_token(user=request.user, edition=edition)
    return HttpResponseRedirect(page.url + page.reverse_subpage("programme_mine"))


def agenda_feed(request: HttpRequest, page, edition: Edition, token: str) -> HttpResponse:
    """The private calendar of a participant's starred sessions; its secret is the address."""
    owner = calendar_token_owner(edition, token)
    if owner is None:
        raise Http404
    release = _release_or_404(edition)
    guids = agenda_guids(owner.user, edition)
    language = translation.get_language() or settings.LANGUAGE_CODE
    snapshot = Snapshot.read(release.snapshot, language)
    snapshot = snapshot.filtered([s for s in snapshot.sessions if s.guid in guids])
    body = EXPORTS["schedule.ics"].render(snapshot, base_url=settings.SITE_URL, language=language)
    response = HttpResponse(body, content_type=EXPORTS["schedule.ics"].content_type)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
