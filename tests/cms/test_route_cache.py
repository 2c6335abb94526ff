"""The route cache (cms/routing.py): an address beneath a page none of whose ancestors is
routable (a feature's page: a session, a confirmation link) is routed from that page's entry,
so a first visit makes no routing query; everything else is routed as Wagtail does."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms import routing
from cms.models import NewsIndexPage, NewsPage
from sessions_app.pages import ProgrammePage

pytestmark = pytest.mark.django_db

PROGRAMME = "/2009-tokyo/programme/"


def _queries(client, path: str, status: int = 200) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == status, path
    return [q["sql"] for q in captured]


def _routing(queries: list[str]) -> list[str]:
    tables = ('"wagtailcore_page"', '"wagtailcore_site"', '"wagtailcore_locale"')
    return [sql for sql in queries if any(table in sql for table in tables)]


def test_a_first_visit_beneath_a_feature_page_is_routed_from_its_entry(client):
    assert client.get(PROGRAMME + "speakers/").status_code == 200  # the programme's entry kept
    first = _queries(client, PROGRAMME + "speakers/hiroshi-tanaka/")  # never asked for
    assert _routing(first) == []
    routed = client.get(PROGRAMME + "sessions/coffee-break/").wsgi_request
    page, (_view, _args, kwargs), _ = routed._wagtail_route_for_request
    assert isinstance(page, ProgrammePage)
    assert kwargs == {"slug": "coffee-break"}
    assert routed.routable_resolver_match.url_name == "programme_session"


def test_addresses_beneath_a_page_that_lead_nowhere_are_still_404(client):
    assert client.get(PROGRAMME + "speakers/").status_code == 200
    _queries(client, PROGRAMME + "no-such-route/", status=404)
    _queries(client, PROGRAMME + "sessions/no-such-session/", status=404)
    _queries(client, "/2009-tokyo/no-such-page/anything/", status=404)
    assert client.get(PROGRAMME + "sessions/coffee-break/").status_code == 200


def _routed(path: str):
    request = RequestFactory().get(path)
    page = Page.route_for_request(request, path.lstrip("/"))[0]
    return page, page.depth - request._wagtail_site.root_page.depth


def test_only_a_page_reached_through_no_routable_page_routes_the_addresses_beneath_it():
    programme, consumed = _routed(PROGRAMME)
    assert (type(programme), consumed) == (ProgrammePage, 2)
    assert routing._routes_beneath(programme, consumed) is True
    index, consumed = _routed("/news/")
    assert routing._routes_beneath(index, consumed) is True  # itself routable (feed/)
    news = NewsPage.objects.child_of(index).live().first()
    item, consumed = _routed(f"/news/{news.slug}/")
    assert item.pk == news.pk
    # Reached through the news index, which could take any address beneath the item as a
    # route of its own.
    assert routing._routes_beneath(item, consumed) is False
    # A page found otherwise than by Wagtail's walk: nothing known of its way, so no.
    assert routing._routes_beneath(ProgrammePage.objects.get(pk=programme.pk), 2) is False


def test_a_routable_index_routes_its_children_and_its_own_routes(client):
    index = NewsIndexPage.objects.get(slug="news", locale__language_code="en")
    news = NewsPage.objects.child_of(index).live().first()
    assert client.get("/news/feed/").status_code == 200  # the index's entry kept
    response = client.get(f"/news/{news.slug}/")
    assert response.status_code == 200
    assert response.wsgi_request._wagtail_route_for_request[0].pk == news.pk
    assert client.get("/news/feed/").status_code == 200
