"""Exact queries of the public programme's pages when they are rendered (issue 14): the route
and the site header come from the cache (cms/routing.py, cms/chrome.py), the programme from the
process's reading of its release, and what is left is the page's own data — the same number at
the demo's size and with four rooms of sessions more."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Edition
from forum.pagecache import set_scope_version
from sessions_app.caching import programme_scope, release_cache_key
from sessions_app.pages import ProgrammePage
from sessions_app.selectors import latest_release
from tests.sessions_app.test_page_cache import _grow

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/programme/"

# Each page: the release (1); then its own data: none for the programme and the calendar (the
# release, read once by this process: the first request read its snapshot), a session's part of
# the release and whether registration has seats for it (2), the speaker index's part (1), a
# speaker's part (1). The menu's three feature pages (has the edition a release, a statement, a
# call for proposals?) answer from the header's entries, kept under the pages version. The
# calendar has no page chrome.
EXPECTED = {
    "": 1,
    "?track=fair-trade": 1,
    "sessions/coffee-break/": 3,
    "speakers/": 2,
    "speakers/hiroshi-tanaka/": 2,
    "schedule.ics": 1,
}


def _rendered_queries(client, path: str) -> int:
    """Queries of `path` rendered again for an anonymous visitor, with its route and the
    header in the cache but neither the page cache's answer nor the release's rendering."""
    tokyo = Edition.objects.get(slug="2009-tokyo")
    assert client.get(BASE + path).status_code == 200  # the route and the header kept
    release = latest_release(tokyo)
    page = ProgrammePage.objects.get(edition=tokyo, locale__language_code="en")
    set_scope_version(programme_scope(tokyo.pk), "stale")  # the stored answers are stale
    cache.delete_many(
        [
            release_cache_key(release, name, "en")
            for name in ("schedule.ics", f"programme.{page.latest_revision_id or 0}.html")
        ]
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BASE + path)
    assert response.status_code == 200, path
    assert "X-Page-Cache" not in response, path
    return len(captured)


@pytest.mark.parametrize("path", list(EXPECTED))
def test_rendered_pages_make_exactly_their_queries_at_two_sizes(client, path):
    small = _rendered_queries(client, path)
    _grow(Edition.objects.get(slug="2009-tokyo"), rooms=4, per_room=10)
    large = _rendered_queries(client, path)
    assert (small, large) == (EXPECTED[path], EXPECTED[path])


def test_route_cache_follows_a_moved_page(client):
    """A page moved (its address changed): the remembered route is forgotten with it."""
    from cms.models import EditionPage

    assert client.get(BASE).status_code == 200
    page = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    page.slug = "schedule-of-sessions"
    page.save_revision().publish()
    assert client.get(BASE).status_code == 404
    assert client.get("/2009-tokyo/schedule-of-sessions/").status_code == 200
    # Moved beneath another edition page: the old address leads nowhere.
    other = EditionPage.objects.exclude(pk=page.get_parent().pk).filter(locale__language_code="en")[
        0
    ]
    page.move(other, pos="last-child")
    moved = f"/{other.slug}/schedule-of-sessions/"
    old = client.get("/2009-tokyo/schedule-of-sessions/")  # Wagtail's redirect, not the page
    assert (old.status_code, old["Location"]) == (301, moved)
    assert client.get(moved).status_code == 200


def test_logged_in_visitor_gets_a_routed_page_of_their_own(client):
    """The route cache holds pages, never answers: a participant's programme keeps their own
    log-out link and stars."""
    from tests.factories import UserFactory

    assert client.get(BASE).status_code == 200  # the route kept by an anonymous visit
    client.force_login(UserFactory(username="mei"))
    body = client.get(BASE).content.decode()
    assert "My programme" in body
    assert "star-form" in body


def test_an_edition_changed_in_the_admin_shows_at_once(client):
    """The route cache keeps a page with its edition: an organizer's change to the edition
    (its name here; its dates or time zone alike) is on the next page served, not a day later.
    The registration page's heading is the edition's name (the programme's is its page's)."""
    register = "/2009-tokyo/register/"
    assert "Register for AFSE 2009<" in client.get(register).content.decode()  # routed, kept
    assert client.get(BASE).status_code == 200
    edition = Edition.objects.get(slug="2009-tokyo")
    edition.name = "AFSE 2009 Tokyo, renamed"
    edition.save()
    assert "Register for AFSE 2009 Tokyo, renamed<" in client.get(register).content.decode()
    page = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    routed = client.get(BASE).wsgi_request
    assert routed._wagtail_route_for_request[0].pk == page.pk
    assert routed._wagtail_route_for_request[0].edition.name == "AFSE 2009 Tokyo, renamed"


def test_a_refused_host_is_answered_400_with_the_route_cache_on(client):
    """The route cache and the header's data key on the host Django validated: a Host header
    it refuses gets Django's 400 page, before and after the address is in the cache."""
    for _ in range(2):
        response = client.get(BASE, HTTP_HOST="attacker.example")
        assert response.status_code == 400
        assert "attacker" not in response.content.decode()
    assert client.get(BASE).status_code == 200  # routed and kept for the real host
    response = client.get(BASE, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "The request could not be understood." in response.content.decode()


def test_an_unpublished_page_is_gone_at_once(client):
    assert client.get(BASE + "speakers/").status_code == 200  # routed and kept
    page = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    page.unpublish()
    assert client.get(BASE).status_code == 404
    assert client.get(BASE + "speakers/").status_code == 404


def test_a_view_restriction_added_applies_at_once(client):
    """A restriction on the page or on an ancestor (the edition page): anonymous visitors are
    sent to log in on the next request; a logged-in visitor still sees the page."""
    from wagtail.models import PageViewRestriction

    from tests.factories import UserFactory

    assert client.get(BASE).status_code == 200  # routed and kept
    page = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    restriction = PageViewRestriction.objects.create(
        page=page.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(BASE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
    client.force_login(UserFactory(username="kenji"))
    assert client.get(BASE).status_code == 200
    client.logout()
    restriction.delete()
    assert client.get(BASE).status_code == 200


def test_a_live_page_saved_outside_publishing_shows_at_once(client):
    """Code that changes a live page and saves it (no revision): the header's menus and the
    page's own title follow on the next request."""
    assert client.get(BASE).status_code == 200
    page = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    page.title = "Timetable of the forum"
    page.save()
    body = client.get("/2009-tokyo/").content.decode()
    assert "Timetable of the forum" in body


def test_a_preview_never_leaves_its_draft_in_the_header_cache(rf):
    """The header of a preview shows the draft's own title; the cached header that visitors
    get keeps the live one."""
    from cms.chrome import edition_menu

    page = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    edition_page = page.get_parent().specific
    live_title = edition_page.title
    draft = type(edition_page).objects.get(pk=edition_page.pk)  # (another copy of the page)
    draft.title = "A draft title"
    preview = rf.get("/2009-tokyo/")
    preview.is_preview = True
    shown, _items = edition_menu(preview, draft)
    assert shown is not None
    assert shown.title == "A draft title"
    visitor = rf.get("/2009-tokyo/")
    shown, _items = edition_menu(visitor, edition_page)
    assert shown is not None
    assert shown.title == live_title
    again = rf.get("/2009-tokyo/")
    shown, _items = edition_menu(again, edition_page)  # from the cache now
    assert shown is not None
    assert shown.title == live_title
