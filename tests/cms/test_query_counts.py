"""A page's number of queries does not grow with the data: measured at the demo's size and
again after adding many editions, news items and pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import NewsIndexPage
from forum.models import Edition
from tests.factories import add_edition_with_page, add_news

pytestmark = pytest.mark.django_db

MORE = 25


def queries_for(client, path: str) -> int:
    client.get(path)  # warm the per-process caches (content types, site, locales)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def add_editions(count: int) -> None:
    for _ in range(count):
        add_edition_with_page()


def add_news_items(count: int, *, edition: Edition | None = None) -> None:
    index = NewsIndexPage.objects.get(slug="news", locale__language_code="en")
    for i in range(count):
        add_news(
            index,
            title=f"Announcement {i}",
            date=datetime.date(2010, 1, 1) + datetime.timedelta(days=i),
            edition=edition,
        )


@pytest.mark.parametrize("path", ["/", "/ja/"])
def test_home_page_queries_do_not_grow_with_editions(client, path):
    small = queries_for(client, path)
    add_editions(MORE)
    assert Edition.objects.count() == 3 + MORE
    assert queries_for(client, path) == small


def test_edition_page_queries_do_not_grow_with_news(client):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    small = queries_for(client, "/2009-tokyo/")
    add_news_items(MORE, edition=tokyo)
    add_editions(5)
    assert queries_for(client, "/2009-tokyo/") == small


def test_news_index_queries_do_not_grow_with_news(client):
    small = queries_for(client, "/news/")
    add_news_items(MORE)
    assert queries_for(client, "/news/") == small
    assert queries_for(client, "/news/?page=2") == small


def test_search_queries_do_not_grow_with_matches(client):
    # The results are fetched as their specific page types, one query per type on the page of
    # results: bounded by the number of page types, whatever the number of matches.
    small = queries_for(client, "/search/?q=AFSE")
    add_editions(MORE)
    assert queries_for(client, "/search/?q=AFSE") <= small


def test_news_page_queries_are_constant(client):
    small = queries_for(client, "/news/statement-of-commitment-adopted/")
    add_news_items(10)
    assert queries_for(client, "/news/statement-of-commitment-adopted/") == small


def test_sitemap_queries_do_not_grow_with_pages(client):
    small = queries_for(client, "/sitemap.xml")
    add_editions(10)
    add_news_items(10)
    assert queries_for(client, "/sitemap.xml") == small
