"""The Atom feed of the news, one per language, parsed as a feed reader would."""

import datetime

import pytest
from lxml import etree

from cms.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://forum.example.org"


def parse(response) -> etree._Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return etree.fromstring(response.content, parser=etree.XMLParser(resolve_entities=False))


def test_news_feed_lists_items_newest_first_with_absolute_links(client, settings):
    settings.SITE_URL = SITE_URL
    index = NewsIndexPage.objects.get(slug="news", locale__language_code="en")
    index.add_child(
        instance=NewsPage(
            title='Fair trade & <solidarity>: a "new" network',
            slug="fair-trade-network",
            date=datetime.date(2010, 3, 1),
            intro="Producers <b>and</b> consumers.",
        )
    )
    feed = parse(client.get("/news/feed/"))
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.findtext(f"{ATOM}title") == "News"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE_URL}/news/feed/"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE_URL}/news/"
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles[:2] == [
        'Fair trade & <solidarity>: a "new" network',
        "AFSE 2009 adopts its statement of commitment",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == f"{SITE_URL}/news/fair-trade-network/"
    assert first.findtext(f"{ATOM}id") == f"{SITE_URL}/news/fair-trade-network/"
    assert first.findtext(f"{ATOM}summary") == "Producers <b>and</b> consumers."
    assert first.findtext(f"{ATOM}published").startswith("2010-03-01T00:00:00")
    raw = client.get("/news/feed/").content.decode()
    assert '<title>Fair trade &amp; &lt;solidarity&gt;: a "new" network</title>' in raw
    assert "testserver" not in raw
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith(f"{SITE_URL}/news/")


def test_news_feed_per_language(client, settings):
    settings.SITE_URL = SITE_URL
    feed = parse(client.get("/ja/news/feed/"))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    assert feed.findtext(f"{ATOM}title") == "お知らせ"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert "AFSE2009がコミットメント宣言を採択" in titles
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    assert all(link.startswith(f"{SITE_URL}/ja/news/") for link in links)


def test_news_page_links_its_feed(client):
    html = client.get("/news/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="News (Atom feed)" '
        'href="/news/feed/">' in html
    )
    assert '<a href="/news/feed/" type="application/atom+xml">' in html
    html = client.get("/ja/news/").content.decode()
    assert 'href="/ja/news/feed/"' in html
